"""Who gets quoted, as a group: shares of quotes and of distinct sources by gender, role and kind,
overall, per group of articles and per period; the most quoted women and men; and a review table
of the anonymous sources with the sentence each is quoted in.

The input is the quotes table (`analysis.extract.quotes.extract_quotes` rows with `doc_id`). Gender
and role need its `speaker_gender` and `source_role` columns, and distinct people are counted by
`speaker_id` when it is there; :func:`missing_columns` says what a table lacks, so a notebook can
say so and skip a figure. No plotting here (`analysis.report.sources` draws the charts).

Gender shares are over quotes from named people only: the extractor never guesses a gender for an
anonymous source, an organisation or a group, so counting those would only swell `unknown`.
`unknown` stays in every table as a row of its own: it is never dropped from the denominator.
"""

from __future__ import annotations

import pandas as pd

from analysis.summarise.periods import choose_period, period_start

GENDER_COLUMN = "speaker_gender"
ROLE_COLUMN = "source_role"
ID_COLUMN = "speaker_id"
GENDERS = ["female", "male", "unknown"]
#: The speaker kinds in display order (`group` from the contract of issue 16, after `anonymous`).
KINDS = ["named", "anonymous", "group", "organization", "pronoun", "unknown"]
NO_ROLE = "(none)"
SHARE_COLUMNS = ["quotes", "sources", "quote_share", "source_share"]
REVIEW_COLUMNS = ["doc_id", "speaker", "cue", "sentence", "quote"]

__all__ = [
    "GENDERS", "KINDS", "REVIEW_COLUMNS", "SHARE_COLUMNS", "anonymous_review", "attach_groups", "attach_periods",
    "gender_shares", "kind_shares", "missing_columns", "most_quoted", "role_order", "role_shares", "source_keys",
]


def missing_columns(quotes: pd.DataFrame, *columns: str) -> list[str]:
    """The `columns` the quotes table lacks, in the order asked."""
    return [c for c in columns if c not in quotes.columns]


def role_order() -> list[str]:
    """The source-role classes in their declared order (`SOURCE_ROLES` of the extractor, from
    `analysis.extract.quotes` or its `roles` module, when it has one), then the label used for
    quotes without a role."""
    from importlib import import_module

    for module in ("analysis.extract.quotes", "analysis.extract.quotes.roles"):
        try:
            roles = getattr(import_module(module), "SOURCE_ROLES", None)
        except ImportError:
            continue
        if roles:
            return [*roles, NO_ROLE]
    return [NO_ROLE]


def source_keys(quotes: pd.DataFrame) -> pd.Series:
    """One key per distinct source: the `speaker_id` where the table has one; else the speaker's
    name for a named person (the same person across articles); else the article and the speaker
    (`officials` in two articles are not known to be the same people)."""
    speaker = quotes["speaker"].fillna("").astype(str)
    local = quotes["doc_id"].astype(str) + "\x1f" + speaker if "doc_id" in quotes.columns else speaker
    named = quotes["speaker_kind"].eq("named") if "speaker_kind" in quotes.columns else pd.Series(False, quotes.index)
    keys = local.where(~named, speaker)
    if ID_COLUMN in quotes.columns:
        ids = quotes[ID_COLUMN]
        keys = ids.astype(str).where(ids.notna() & ids.astype(str).ne(""), keys)
    return keys


def _shares(quotes: pd.DataFrame, column: str, values: list[str], by: str | None) -> pd.DataFrame:
    """Quotes and distinct sources per value of `column` (and of `by`), with their shares within
    each `by` value; every value in `values` appears, with zeros when absent."""
    table = pd.DataFrame({column: quotes[column].to_numpy(), "_key": source_keys(quotes).to_numpy()})
    keys = [by, column] if by else [column]
    if by:
        table[by] = quotes[by].to_numpy()
    counted = table.groupby(keys, dropna=False).agg(quotes=("_key", "size"), sources=("_key", "nunique"))
    levels = [sorted(table[by].dropna().unique().tolist()), values] if by else [values]
    index = pd.MultiIndex.from_product(levels, names=keys) if by else pd.Index(values, name=column)
    counted = counted.reindex(index, fill_value=0).reset_index()
    for count, share in (("quotes", "quote_share"), ("sources", "source_share")):
        total = counted.groupby(by)[count].transform("sum") if by else pd.Series(counted[count].sum(), counted.index)
        counted[share] = counted[count] / total.where(total > 0)
    counted[["quotes", "sources"]] = counted[["quotes", "sources"]].astype("int64")
    return counted[[*keys, *SHARE_COLUMNS]]


def gender_shares(quotes: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Quotes from named people and distinct named people by `speaker_gender` (female, male,
    unknown; a missing value counts as unknown), with shares: columns [`by`,] `speaker_gender`,
    `quotes`, `sources`, `quote_share`, `source_share`."""
    named = quotes[quotes["speaker_kind"] == "named"]
    named = named.assign(**{GENDER_COLUMN: named[GENDER_COLUMN].where(named[GENDER_COLUMN].isin(GENDERS), "unknown")})
    return _shares(named, GENDER_COLUMN, GENDERS, by)


def role_shares(quotes: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Quotes and distinct sources by `source_role`, every kind of source included (an anonymous
    official has a role); a quote without a role is counted as `(none)`."""
    order = role_order()
    extra = sorted(set(quotes[ROLE_COLUMN].dropna()) - set(order))
    table = quotes.assign(**{ROLE_COLUMN: quotes[ROLE_COLUMN].fillna(NO_ROLE)})
    return _shares(table, ROLE_COLUMN, [*order[:-1], *extra, NO_ROLE], by)


def kind_shares(quotes: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Quotes and distinct sources by `speaker_kind` (:data:`KINDS` order, then any other kind)."""
    extra = sorted(set(quotes["speaker_kind"].dropna()) - set(KINDS))
    return _shares(quotes, "speaker_kind", [*KINDS, *extra], by)


def attach_groups(quotes: pd.DataFrame, articles: pd.DataFrame, group_by: str | None) -> pd.DataFrame | None:
    """The quotes with a `group` column: `articles[group_by]` joined on `doc_id`, or the quotes
    table's own `group` column when `group_by` is None; None when there is no grouping."""
    if group_by:
        if group_by not in articles.columns:
            raise KeyError(f"GROUP_BY={group_by!r} is not a column of the articles table")
        groups = articles[["doc_id", group_by]].rename(columns={group_by: "group"})
        table = quotes.drop(columns=["group"], errors="ignore").merge(groups, on="doc_id", how="left",
                                                                      validate="many_to_one")
        return table.assign(group=table["group"].astype("string").fillna("(no group)"))
    return quotes if "group" in quotes.columns else None


def attach_periods(quotes: pd.DataFrame, period: str | None = None) -> tuple[pd.DataFrame, str]:
    """The dated quotes with a `period` column (the first day of its bin, by the project's rule in
    `analysis.summarise.periods`; `period` defaults to the one chosen from the dates), and the bin."""
    dated = quotes.dropna(subset=["date"])
    period = period or choose_period(dated["date"])
    return dated.assign(period=period_start(dated["date"], period).to_numpy()), period


def most_quoted(quotes: pd.DataFrame, gender: str, n: int = 10) -> pd.DataFrame:
    """The `n` named people of one `speaker_gender` quoted most: `speaker` (the most used name of
    the person), `quotes`, `articles` and, where the table has it, `source_role` (the most frequent)."""
    people = quotes[(quotes["speaker_kind"] == "named") & (quotes[GENDER_COLUMN] == gender)]
    columns = ["speaker", "quotes", "articles"] + ([ROLE_COLUMN] if ROLE_COLUMN in quotes.columns else [])
    if people.empty:
        return pd.DataFrame(columns=columns)
    people = people.assign(_key=source_keys(people).to_numpy())
    if "doc_id" not in people.columns:
        people = people.assign(doc_id="article")
    rows = []
    for _, group in people.groupby("_key", sort=False):
        row = {"speaker": group["speaker"].mode().iloc[0], "quotes": len(group), "articles": group["doc_id"].nunique()}
        if ROLE_COLUMN in group.columns:
            roles = group[ROLE_COLUMN].dropna()
            row[ROLE_COLUMN] = roles.mode().iloc[0] if len(roles) else None
        rows.append(row)
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["quotes", "articles", "speaker"], ascending=[False, False, True],
                             kind="stable").head(n).reset_index(drop=True)


def _sentence_around(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    for start, end in spans:
        if start <= offset < end:
            return text[start:end]
    return ""


def anonymous_review(quotes: pd.DataFrame, texts: pd.Series) -> pd.DataFrame:
    """One row per quote from an anonymous source in the articles of `texts` (text indexed by
    doc_id), in article then text order: `doc_id`, `speaker`, `cue`, `sentence` (the sentence that
    holds the source phrase, else the cue, else the quote's start) and `quote`. Plain text: escape
    it before showing it as HTML."""
    from analysis.load.text import sentence_spans

    anonymous = quotes[(quotes["speaker_kind"] == "anonymous") & quotes["doc_id"].isin(texts.index)]
    rows = []
    for doc_id, group in anonymous.groupby("doc_id", sort=False):
        text = texts[doc_id]
        if not isinstance(text, str):
            continue
        spans = sentence_spans(text)
        for _, quote in group.sort_values("quote_start").iterrows():
            offset = next((int(quote[c]) for c in ("mention_start", "cue_start") if int(quote[c]) >= 0),
                          int(quote["quote_start"]))
            rows.append({"doc_id": doc_id, "speaker": quote["speaker"], "cue": quote["cue"],
                         "sentence": " ".join(_sentence_around(text, spans, offset).split()), "quote": quote["quote"]})
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)
