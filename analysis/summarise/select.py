"""One way to choose the articles an analysis reads, the same in every notebook and on the
command line (`python -m analysis run --group-by outlet --since ... --query ...`).

    >>> selection = select_articles(load_tables(), group_by="outlet", date_from="2016-01-01",
    ...                             query="trump AND tax")
    >>> selection.articles            # the kept articles, with a `group` column
    >>> selection.restrict(quotes)    # any per-article table, cut to the kept articles
    >>> print(selection.description)  # '312 of 450 articles: outlet in …, matching …'

The steps, in order: publication dates from `date_from` to `date_to` (both days included; an
undated article is left out once either is set); outlets in `outlets` (compared without regard to
case or surrounding spaces); one copy per near-duplicate story unless `keep_duplicates`
(:mod:`analysis.summarise.duplicates`; exact copies stay as the loader marks them); then the
articles whose title or text matches `query` (:mod:`analysis.summarise.query`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.summarise.duplicates import DEFAULT_THRESHOLD, corpus_near_duplicates, near_duplicates
from analysis.summarise.query import Query, compile_query

__all__ = ["Selection", "SelectionError", "select_articles", "NO_GROUP"]

#: The group of an article whose GROUP_BY value is missing or empty.
NO_GROUP = "(none)"


class SelectionError(ValueError):
    """A selection that cannot be made: an unknown column, an unreadable date."""


@dataclass
class Selection:
    """The articles chosen, and how.

    - `articles`: the kept articles (the columns given, plus `group` when grouping);
    - `candidates`: the articles every step but the query kept, with `group` when grouping and
      `matches_query` (all True without a query): the denominator of normalised attention;
    - `near_duplicates`: the corpus's near-duplicates (`doc_id`, `duplicate_of`, `similarity`);
    - `total`: the articles before any step; `description`: one line for a reader.
    """

    articles: pd.DataFrame
    candidates: pd.DataFrame
    near_duplicates: pd.DataFrame
    total: int
    group_by: str | None = None
    query: Query | None = None
    steps: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        """'312 of 450 articles: outlet in A, B, 2016-01-01–2016-12-31, matching 'trump AND tax',
        one copy per near-duplicate story (12 left out)'."""
        kept = len(self.articles)
        if kept == self.total:
            head = "The one article" if kept == 1 else f"All {kept:,} articles"
        else:
            head = f"{kept:,} of {self.total:,} article{'' if self.total == 1 else 's'}"
        grouping = ""
        if self.group_by:
            n = self.articles["group"].nunique()
            grouping = f"; grouped by {self.group_by} ({n:,} group{'' if n == 1 else 's'})"
        return head + (": " + ", ".join(self.steps) if self.steps else "") + grouping

    @property
    def doc_ids(self) -> pd.Index:
        return pd.Index(self.articles["doc_id"])

    def restrict(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of a per-article table (one with a doc_id column) that belong to kept articles,
        columns unchanged (add the groups with :meth:`with_groups`)."""
        return table[table["doc_id"].isin(self.articles["doc_id"])]

    def with_groups(self, table: pd.DataFrame) -> pd.DataFrame:
        """:meth:`restrict`, with a `group` column (each row's article's group) when grouping."""
        kept = self.restrict(table)
        return kept.assign(group=self.groups(kept)) if self.group_by else kept

    def groups(self, table: pd.DataFrame) -> pd.Series:
        """The group of each row of a per-article table (by its doc_id); NO_GROUP-free, since
        every kept article has one. Raises when the selection is not grouped."""
        if not self.group_by:
            raise SelectionError("this selection is not grouped: set GROUP_BY (or --group-by)")
        return table["doc_id"].map(self.articles.set_index("doc_id")["group"])


def _day(value, name: str) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError) as exc:
        raise SelectionError(f"{name} {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2016-01-31") from exc


def _group_values(column: pd.Series) -> pd.Series:
    """A column as group labels: lists joined with '; ', missing or empty values NO_GROUP."""
    def label(value):
        if isinstance(value, (list, tuple, np.ndarray)):
            value = "; ".join(str(v) for v in list(value) if str(v).strip())
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return NO_GROUP
        text = value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value).strip()
        return text or NO_GROUP

    return column.map(label).astype("str")


def check_group_by(columns, group_by: str | None) -> None:
    """Raises :class:`SelectionError` listing the available columns when `group_by` is not one."""
    if group_by and group_by not in columns:
        usable = [c for c in columns if c not in ("text", "doc_id", "content_hash", "path", "encoding")]
        raise SelectionError(f"GROUP_BY {group_by!r} is not a column of the articles; "
                             f"the columns are: {', '.join(usable)}")


def check_dates(date_from, date_to) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last days asked for (None when open); raises :class:`SelectionError` when
    either is not a date or the first comes after the last."""
    first, last = _day(date_from, "DATE_FROM"), _day(date_to, "DATE_TO")
    if first is not None and last is not None and first > last:
        raise SelectionError(f"DATE_FROM {first:%Y-%m-%d} is after DATE_TO {last:%Y-%m-%d}")
    return first, last


def _by_dates(articles: pd.DataFrame, date_from, date_to, steps: list[str]) -> pd.DataFrame:
    first, last = check_dates(date_from, date_to)
    if first is None and last is None:
        return articles
    day = articles["date"].dt.normalize()
    # As the notebooks always did: an open end is the corpus's first or last day.
    kept = articles[day.between(first if first is not None else day.min(), last if last is not None else day.max())]
    if first is not None and last is not None:
        steps.append(f"{first:%Y-%m-%d}–{last:%Y-%m-%d}")
    else:
        steps.append(f"from {first:%Y-%m-%d}" if first is not None else f"up to {last:%Y-%m-%d}")
    return kept


def _by_outlets(articles: pd.DataFrame, outlets, steps: list[str]) -> pd.DataFrame:
    if outlets is None:
        return articles
    if isinstance(outlets, str):
        outlets = [o for o in outlets.split(",")]
    wanted = [str(o).strip() for o in outlets if str(o).strip()]
    if not wanted:
        return articles
    if "outlet" not in articles.columns:
        raise SelectionError("OUTLETS needs an `outlet` column, and these articles have none "
                             "(give each article an outlet: a column of a table, an `outlet:` header line, metadata.csv)")
    known = articles["outlet"].fillna("").astype(str).str.strip().str.casefold()
    steps.append(f"outlet in {', '.join(wanted)}")
    return articles[known.isin({o.casefold() for o in wanted})]


def _without_near_duplicates(articles, duplicates: pd.DataFrame, keep: bool, steps: list[str]) -> pd.DataFrame:
    if keep:
        steps.append("near-duplicates kept")
        return articles
    # A story is its first copy in the corpus; of the selected copies of each, the earliest stays
    # (the first copy itself may lie outside the dates or outlets chosen).
    first_copy = dict(zip(duplicates["doc_id"], duplicates["duplicate_of"]))
    story = pd.Series([first_copy.get(d, d) for d in articles["doc_id"]], index=articles.index, dtype="object")
    order = articles["date"].rank(method="first", na_option="bottom") if "date" in articles.columns else None
    ranked = pd.DataFrame({"story": story, "order": order if order is not None else range(len(articles))},
                          index=articles.index).sort_values("order", kind="stable")
    first = ~ranked["story"].duplicated()
    keep = first.reindex(articles.index)
    left_out = int((~keep).sum())
    steps.append(f"one copy per near-duplicate story ({left_out:,} cop{'y' if left_out == 1 else 'ies'} left out)"
                 if left_out else "no near-duplicates found")
    return articles[keep]


def _query_matches(source, articles: pd.DataFrame, query: Query) -> pd.Series:
    """Whether each article's title or text matches `query` (texts read only for these articles)."""
    if "text" in articles.columns:
        texts = articles["text"]
    elif hasattr(source, "article_texts"):
        texts = source.article_texts(articles["doc_id"]).set_axis(articles.index)
    else:
        raise SelectionError("QUERY needs the articles' text: pass a table with a `text` column")
    titles = articles["title"].fillna("").astype(str) if "title" in articles.columns else ""
    return query.match_series(titles + "\n" + texts.fillna("").astype(str))


def _near_duplicates_of(source, articles: pd.DataFrame, threshold: float) -> pd.DataFrame:
    if hasattr(source, "article_info"):
        return corpus_near_duplicates(source, threshold)
    if "text" not in articles.columns:
        raise SelectionError("finding near-duplicates needs the articles' text: pass a table with a "
                             "`text` column, or keep_duplicates=True")
    firsts = articles[articles["duplicate_of"].isna()] if "duplicate_of" in articles.columns else articles
    return near_duplicates(firsts.set_index("doc_id")["text"], threshold,
                           dates=firsts.set_index("doc_id")["date"] if "date" in firsts.columns else None)


def select_articles(source, group_by: str | None = None, date_from=None, date_to=None, query: str | None = None,
                    outlets=None, keep_duplicates: bool = False, threshold: float = DEFAULT_THRESHOLD) -> Selection:
    """Choose articles as the module docstring says. `source` is the corpus's tables
    (``load_tables()``: the texts are read only when a query or the near-duplicate table needs
    them) or an articles frame (doc_id, date, and text for a query or near-duplicates). Returns a
    :class:`Selection`. Raises :class:`SelectionError` (unknown column, bad date) or
    :class:`~analysis.summarise.query.QueryError` (a query that cannot be read)."""
    articles = source.article_info if hasattr(source, "article_info") else source
    compiled = compile_query(query) if query is not None and str(query).strip() else None
    check_group_by(articles.columns, group_by)
    steps: list[str] = []
    kept = _by_outlets(_by_dates(articles, date_from, date_to, steps), outlets, steps)
    duplicates = _near_duplicates_of(source, articles, threshold) if not keep_duplicates else \
        pd.DataFrame(columns=["doc_id", "duplicate_of", "similarity"])
    kept = _without_near_duplicates(kept, duplicates, keep_duplicates, steps).copy()
    if group_by:
        kept["group"] = _group_values(kept[group_by])
    kept["matches_query"] = _query_matches(source, kept, compiled) if compiled is not None else True
    if compiled is not None:
        steps.append(f"matching '{compiled.text}'")
    chosen = kept[kept["matches_query"]].drop(columns="matches_query").reset_index(drop=True)
    return Selection(chosen, kept.reset_index(drop=True), duplicates, len(articles), group_by or None, compiled, steps)


def query_attention(selection: Selection, period: str | None = None) -> pd.DataFrame:
    """Normalised attention: for each period (and group, when grouping), how many of the chosen
    articles there are (`articles`, every step but the query applied), how many match the query
    (`matching`) and the share that match (`share`, 0 to 1; empty when a bin has no article).
    Periods follow `analysis.summarise.periods` (`period` defaults to its choice for the dates),
    empty bins included; undated articles are left out. Columns: [group,] period, articles,
    matching, share."""
    from analysis.summarise.periods import choose_period, period_range, period_start

    if selection.query is None:
        raise SelectionError("normalised attention needs a query: set QUERY (or --query)")
    dated = selection.candidates.dropna(subset=["date"])
    keys = ["group"] if selection.group_by else []
    columns = [*keys, "period", "articles", "matching", "share"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    period = period or choose_period(dated["date"])
    dated = dated.assign(period=period_start(dated["date"], period))
    counts = dated.groupby([*keys, "period"]).agg(articles=("doc_id", "size"), matching=("matches_query", "sum"))
    bins = period_range(dated["date"].min(), dated["date"].max(), period)
    groups = sorted(dated["group"].unique()) if keys else [None]
    full = (pd.MultiIndex.from_product([groups, bins], names=["group", "period"]) if keys
            else pd.Index(bins, name="period"))
    table = counts.reindex(full, fill_value=0).reset_index()
    table["articles"], table["matching"] = table["articles"].astype("int64"), table["matching"].astype("int64")
    table["share"] = (table["matching"] / table["articles"].where(table["articles"] > 0)).astype("float64")
    table["period"] = table["period"].astype("datetime64[ns]")
    return table[columns]
