"""Comparisons between groups of articles (outlets, sections, authors: any metadata column).

Every function here is pure: corpus tables in, one table out, with a `group` column. The groups
come from :func:`doc_groups`, which reads a notebook's `GROUP_BY` column (or the `group` column
the parameters cell may already have added), writes a missing value as :data:`NO_GROUP`, and keeps
the :data:`MAX_GROUPS` groups with most articles, folding the rest into :data:`OTHER`, so that a
chart never shows more than seven groups. :func:`group_order` gives the order every table and
chart uses (most articles first, then `other`, then `(none)`), which also fixes each group's
colour in :mod:`analysis.report.groups`.

- articles per group over time: :func:`articles_per_group_period`, :func:`group_counts`;
- quotes: :func:`top_speakers_by_group`, :func:`source_mix_by_group` (with Wilson intervals,
  :func:`wilson_interval`), :func:`verb_preferences`;
- terms: :func:`group_keyness`, each group against the rest with
  :func:`analysis.summarise.terms.keyness`, p-values adjusted by :func:`adjust_p_values`;
- tone: :func:`tone_by_group_period`;
- timeline: :func:`group_attention` (each group's articles per period as a share of its own),
  :func:`referred_periods_by_group` (the periods the expressions of each group's articles name).

Time bins follow :mod:`analysis.summarise.periods`, one bin for all groups.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.summarise.periods import choose_period, period_range, period_start
from analysis.summarise.quotes import speaker_summary
from analysis.summarise.terms import CONTENT_KINDS, keyness

__all__ = [
    "MAX_GROUPS", "NO_GROUP", "OTHER", "adjust_p_values", "articles_per_group_period", "doc_groups",
    "group_attention", "group_counts", "group_keyness", "group_labels", "group_order", "referred_periods_by_group",
    "source_mix_by_group", "tone_by_group_period", "top_speakers_by_group", "verb_preferences", "wilson_interval",
]

#: The label of an article whose grouping column is empty.
NO_GROUP = "(none)"
#: The label of the articles of the smaller groups, folded together.
OTHER = "other"
#: How many groups are shown by name (the rest are folded into :data:`OTHER`).
MAX_GROUPS = 6
#: The speaker kinds compared between groups (pronouns and unresolved sources left out).
SOURCE_KINDS = ("named", "anonymous", "organization")


def _label(value) -> str:
    """One article's group label: lists (several authors) joined with `; `, blanks as NO_GROUP."""
    if isinstance(value, (list, tuple, np.ndarray)):
        value = "; ".join(str(v).strip() for v in value if isinstance(v, str) and v.strip())
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NO_GROUP
    text = " ".join(str(value).split())
    return text or NO_GROUP


def group_labels(articles: pd.DataFrame, group_by: str | None) -> pd.Series:
    """Each article's group as a string, aligned with `articles`: the `group` column when the
    parameters cell has added one, else the column `group_by`. Missing values are
    :data:`NO_GROUP`. Raises `KeyError` naming the columns there are when neither is present."""
    if "group" in articles.columns:
        values = articles["group"]
    elif group_by is not None and group_by in articles.columns:
        values = articles[group_by]
    else:
        known = ", ".join(sorted(map(str, articles.columns)))
        raise KeyError(f"GROUP_BY = {group_by!r} is not a column of the articles table; its columns are: {known}")
    return pd.Series([_label(v) for v in values.tolist()], index=articles.index, dtype="object", name="group")


def group_order(groups: pd.Series | Iterable[str]) -> list[str]:
    """The groups of `groups` (one label per article) by number of articles, most first, ties by
    name; :data:`OTHER` and then :data:`NO_GROUP` always last."""
    counts = pd.Series(list(groups), dtype="object").value_counts()
    named = sorted((g for g in counts.index if g not in (OTHER, NO_GROUP)), key=lambda g: (-counts[g], g))
    return named + [g for g in (OTHER, NO_GROUP) if g in counts.index]


def doc_groups(articles: pd.DataFrame, group_by: str | None, *, max_groups: int = MAX_GROUPS) -> pd.DataFrame:
    """One row per article: `doc_id` and `group`, the :data:`max_groups` groups with most
    articles kept by name (articles without a value stay :data:`NO_GROUP`) and the rest labelled
    :data:`OTHER`. Rows are in :func:`group_order`, then by doc_id."""
    labels = group_labels(articles, group_by)
    named = [g for g in group_order(labels) if g != NO_GROUP]
    if len(named) > max_groups:
        kept = set(named[:max_groups])
        labels = labels.where(labels.isin(kept | {NO_GROUP}), OTHER)
    table = pd.DataFrame({"doc_id": articles["doc_id"].to_numpy(), "group": labels.to_numpy()})
    rank = {g: i for i, g in enumerate(group_order(table["group"]))}
    table = table.assign(_rank=table["group"].map(rank)).sort_values(["_rank", "doc_id"], kind="stable")
    return table.drop(columns="_rank").reset_index(drop=True)


def _with_groups(table: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """`table` with each row's `group`, by doc_id; rows of articles outside `groups` dropped."""
    table = table.drop(columns=["group"], errors="ignore")
    return table.merge(groups[["doc_id", "group"]], on="doc_id", how="inner", validate="many_to_one")


def group_counts(groups: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Articles per group, in :func:`group_order`: columns `group`, `articles`, `share` (of all
    articles), and with `articles` (for `date`) `dated`, `first` and `last` (publication days)."""
    order = group_order(groups["group"])
    counts = groups["group"].value_counts().reindex(order).astype("int64")
    table = pd.DataFrame({"group": order, "articles": counts.to_numpy()})
    table["share"] = table["articles"] / max(int(table["articles"].sum()), 1)
    if articles is not None and "date" in articles.columns:
        dated = _with_groups(articles[["doc_id", "date"]], groups).dropna(subset=["date"])
        spans = dated.groupby("group")["date"].agg(dated="size", first="min", last="max")
        table = table.merge(spans.reset_index(), on="group", how="left")
        table["dated"] = table["dated"].fillna(0).astype("int64")
    return table


def _period_grid(order: Sequence[str], starts: pd.Series, period: str) -> pd.MultiIndex:
    """Every (group, period) pair from the first to the last bin of `starts`, so gaps show."""
    periods = period_range(starts.min(), starts.max(), period)
    return pd.MultiIndex.from_product([list(order), periods], names=["group", "period"])


def articles_per_group_period(
    articles: pd.DataFrame, groups: pd.DataFrame, period: str | None = None
) -> pd.DataFrame:
    """Articles of each group per time bin (by default the bin
    :func:`analysis.summarise.periods.choose_period` picks for all the dated articles): columns
    `group`, `period` (the bin's first day), `articles`, `share` (of the bin's articles, all
    groups together). Every bin between the first and last date is present for every group."""
    dated = _with_groups(articles[["doc_id", "date"]], groups).dropna(subset=["date"])
    columns = ["group", "period", "articles", "share"]
    if dated.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "period" else object) for c in columns})
    period = period or choose_period(dated["date"])
    dated = dated.assign(period=period_start(dated["date"], period).to_numpy())
    grid = _period_grid(group_order(groups["group"]), dated["period"], period)
    counts = dated.groupby(["group", "period"]).size().reindex(grid, fill_value=0).rename("articles").reset_index()
    per_bin = counts.groupby("period")["articles"].transform("sum")
    counts["share"] = (counts["articles"] / per_bin.where(per_bin > 0)).astype(float)
    counts["period"] = counts["period"].astype("datetime64[ns]")
    counts["articles"] = counts["articles"].astype("int64")
    return counts[columns]


def group_attention(articles: pd.DataFrame, groups: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """When each group paid attention: :func:`articles_per_group_period` with `of_group`, the
    bin's articles as a share of the group's dated articles (each group's line sums to 1), so
    that a large and a small outlet can be read on one scale."""
    table = articles_per_group_period(articles, groups, period)
    if table.empty:
        return table.assign(of_group=pd.Series(dtype=float))
    totals = table.groupby("group")["articles"].transform("sum")
    return table.assign(of_group=(table["articles"] / totals.where(totals > 0)).astype(float))


def wilson_interval(successes, trials, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval for a proportion (95% with the default `z`), element-wise:
    (low, high) arrays; NaN where `trials` is 0. Unlike p ± z·se it stays within 0-1 and is
    usable for small counts."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def top_speakers_by_group(quotes: pd.DataFrame, groups: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The `n` most quoted speakers of each group (:func:`analysis.summarise.quotes.speaker_summary`
    over the group's quotes): columns `group`, `rank`, `speaker`, `speaker_kind`, `quotes`,
    `words`, `articles`, `share` (of the group's quotes with a speaker), groups in order."""
    columns = ["group", "rank", "speaker", "speaker_kind", "quotes", "words", "articles", "share"]
    quoted = _with_groups(quotes, groups)
    tables = []
    for group in group_order(groups["group"]):
        summary = speaker_summary(quoted[quoted["group"] == group].drop(columns="group"))
        if len(summary):
            top = summary.head(n).assign(group=group, rank=np.arange(1, min(n, len(summary)) + 1))
            tables.append(top.assign(share=top["quotes"] / summary["quotes"].sum()))
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.concat(tables, ignore_index=True)[columns]


def source_mix_by_group(
    quotes: pd.DataFrame, groups: pd.DataFrame, kinds: Sequence[str] = SOURCE_KINDS, z: float = 1.96
) -> pd.DataFrame:
    """The mix of named, anonymous and organisation sources in each group's quotes.

    Only quotes of the speaker `kinds` count (pronouns and unresolved sources are left out of
    the total). Columns: `group`, `speaker_kind`, `quotes`, `total` (the group's quotes of those
    kinds), `share`, `low` and `high` (Wilson's interval, 95% by default), groups in order.
    """
    quoted = _with_groups(quotes[["doc_id", "speaker_kind"]], groups)
    quoted = quoted[quoted["speaker_kind"].isin(list(kinds))]
    order = group_order(groups["group"])
    counts = (quoted.groupby(["group", "speaker_kind"]).size()
              .reindex(pd.MultiIndex.from_product([order, list(kinds)], names=["group", "speaker_kind"]), fill_value=0)
              .rename("quotes").reset_index())
    counts["quotes"] = counts["quotes"].astype("int64")
    counts["total"] = counts.groupby("group")["quotes"].transform("sum").astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        counts["share"] = np.where(counts["total"] > 0, counts["quotes"] / counts["total"].where(counts["total"] > 0), np.nan)
    counts["low"], counts["high"] = wilson_interval(counts["quotes"], counts["total"], z)
    return counts


def verb_preferences(quotes: pd.DataFrame, groups: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The reporting verbs each group uses most, as shares of its quotes with a cue.

    `quotes` needs a `verb` column (the cue's base form, `analysis.summarise.quotes.cue_lemma`;
    missing for a quote without a cue). Columns: `group`, `rank`, `verb`, `quotes`, `cued` (the
    group's quotes with a cue), `share`, `share_rest` (the verb's share of the other groups'
    cued quotes; NaN with one group) and `ratio` (share / share_rest), the `n` most used per group.
    """
    columns = ["group", "rank", "verb", "quotes", "cued", "share", "share_rest", "ratio"]
    cued = _with_groups(quotes[["doc_id", "verb"]].dropna(subset=["verb"]), groups)
    if cued.empty:
        return pd.DataFrame(columns=columns)
    per_group = cued.groupby(["group", "verb"]).size().rename("quotes").reset_index()
    per_group["cued"] = per_group.groupby("group")["quotes"].transform("sum")
    all_verbs = cued.groupby("verb").size()
    rest_quotes = per_group["verb"].map(all_verbs) - per_group["quotes"]
    rest_cued = len(cued) - per_group["cued"]
    per_group["share"] = per_group["quotes"] / per_group["cued"]
    per_group["share_rest"] = (rest_quotes / rest_cued.where(rest_cued > 0)).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_group["ratio"] = per_group["share"] / per_group["share_rest"].where(per_group["share_rest"] > 0)
    rank = {g: i for i, g in enumerate(group_order(groups["group"]))}
    per_group = per_group.assign(_rank=per_group["group"].map(rank)).sort_values(
        ["_rank", "quotes", "verb"], ascending=[True, False, True], kind="stable")
    top = per_group.groupby("group", sort=False).head(n).copy()
    top["rank"] = top.groupby("group", sort=False).cumcount() + 1
    return top[columns].reset_index(drop=True)


def adjust_p_values(p_values, method: str = "bh") -> np.ndarray:
    """p-values corrected for the number of tests: `bh` (Benjamini–Hochberg, controls the false
    discovery rate: the expected share of false findings among those called significant) or
    `bonferroni` (controls the chance of any false finding: p × the number of tests). Adjusted
    values are capped at 1; NaN stays NaN and is not counted as a test."""
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    m = int(tested.sum())
    if m == 0:
        return adjusted
    values = p[tested]
    if method == "bonferroni":
        adjusted[tested] = np.minimum(values * m, 1.0)
    elif method == "bh":
        order = np.argsort(values, kind="stable")
        scaled = values[order] * m / np.arange(1, m + 1)
        # Each value is the smallest scaled p at its rank or above: monotone in p.
        monotone = np.minimum.accumulate(scaled[::-1])[::-1]
        result = np.empty(m)
        result[order] = np.minimum(monotone, 1.0)
        adjusted[tested] = result
    else:
        raise ValueError(f"method {method!r}: use 'bh' or 'bonferroni'")
    return adjusted


GROUP_KEYNESS_COLUMNS = [
    "group", "rank", "term", "form", "kind", "count_subset", "count_rest", "per_1000_subset", "per_1000_rest",
    "g2", "p_value", "p_adjusted", "log_ratio", "significant",
]


def group_keyness(
    counts: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    totals: pd.DataFrame | None = None,
    kinds: Sequence[str] | None = CONTENT_KINDS,
    min_count: int = 3,
    alpha: float = 0.05,
    method: str = "bh",
    n: int = 10,
) -> pd.DataFrame:
    """The terms most over-represented in each group's articles against all the others.

    Each group is a subset for :func:`analysis.summarise.terms.keyness` (Dunning's G² and
    Hardie's log ratio, terms seen at least `min_count` times). The p-values of every term
    tested, in every group, are adjusted together with :func:`adjust_p_values` (`method`);
    `significant` is `p_adjusted < alpha`. Returns, per group in :func:`group_order`, its `n`
    over-represented terms with the largest G²: columns :data:`GROUP_KEYNESS_COLUMNS`. Its
    `attrs["tests"]` is the number of tests corrected for.
    """
    tables = []
    for group in group_order(groups["group"]):
        ids = groups.loc[groups["group"] == group, "doc_id"]
        key = keyness(counts, ids, kinds=kinds, min_count=min_count, alpha=alpha, totals=totals)
        if len(key):
            tables.append(key.assign(group=group))
    if not tables:
        empty = pd.DataFrame(columns=GROUP_KEYNESS_COLUMNS)
        empty.attrs["tests"] = 0
        return empty
    tested = pd.concat(tables, ignore_index=True)
    tested["p_adjusted"] = adjust_p_values(tested["p_value"], method)
    tested["significant"] = tested["p_adjusted"] < alpha
    over = tested[tested["key_for"] == "subset"]
    top = over.groupby("group", sort=False).head(n).copy()
    top["rank"] = top.groupby("group", sort=False).cumcount() + 1
    top = top[GROUP_KEYNESS_COLUMNS].reset_index(drop=True)
    top.attrs["tests"] = len(tested)
    return top


def tone_by_group_period(
    article_tone: pd.DataFrame, groups: pd.DataFrame, period: str | None = None, *, min_articles: int = 3
) -> pd.DataFrame:
    """Mean article tone of each group per time bin, with the number of articles it rests on.

    `article_tone` is :func:`analysis.summarise.sentiment.article_sentiment` with the articles
    given (columns `doc_id`, `date`, `tone`). Columns: `group`, `period`, `n_articles`, `tone`
    (mean of the articles' tones; NaN without articles) and `few` (fewer than `min_articles`
    articles: a mean to read with care). Every bin between the first and last date is present."""
    columns = ["group", "period", "n_articles", "tone", "few"]
    dated = _with_groups(article_tone[["doc_id", "date", "tone"]], groups).dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "period" else object) for c in columns})
    period = period or choose_period(dated["date"])
    dated = dated.assign(period=period_start(dated["date"], period).to_numpy())
    grid = _period_grid(group_order(groups["group"]), dated["period"], period)
    grouped = dated.groupby(["group", "period"])
    table = pd.DataFrame({"n_articles": grouped["doc_id"].size(), "tone": grouped["tone"].mean()}).reindex(grid)
    table["n_articles"] = table["n_articles"].fillna(0).astype("int64")
    table = table.reset_index()
    table["period"] = table["period"].astype("datetime64[ns]")
    table["few"] = table["n_articles"] < min_articles
    return table[columns]


#: Where a placed expression falls in :func:`referred_periods_by_group`, in table order.
REFERENCE_PLACES = ("earlier", "within", "later", "longer")


def _spread(
    placed: pd.DataFrame, bins: pd.DatetimeIndex, period: str, max_bins: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each expression of `placed` (`group`, `earliest`, `latest`, whose middle lies within the
    `bins`) spread over the bins its interval covers, in proportion to the days in each (only the
    bins of the window count): columns `group`, `period`, `references` (a weight, summing to 1
    per expression); and the expressions covering more than `max_bins` bins, as `longer`."""
    edges = period_range(bins[0], bins[-1] + pd.Timedelta(days=400), period)[: len(bins) + 1].to_numpy("datetime64[ns]")
    first_day = placed["earliest"].dt.normalize().to_numpy("datetime64[ns]")
    end_day = (placed["latest"].dt.normalize() + pd.Timedelta(days=1)).to_numpy("datetime64[ns]")  # exclusive
    first = np.searchsorted(edges, first_day, side="right") - 1
    last = np.searchsorted(edges, end_day - np.timedelta64(1, "ns"), side="right") - 1
    n_bins = last - first + 1
    longer = n_bins > max_bins
    keep = ~longer
    repeat = n_bins[keep]
    rows = np.repeat(np.arange(keep.sum()), repeat)
    index = np.repeat(first[keep], repeat) + (np.arange(len(rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat))
    inside = (index >= 0) & (index < len(bins))
    rows, index = rows[inside], index[inside]
    lows = np.maximum(first_day[keep][rows], edges[index])
    highs = np.minimum(end_day[keep][rows], edges[index + 1])
    days = (highs - lows) / np.timedelta64(1, "D")
    spread = pd.DataFrame({"row": rows, "group": placed["group"].to_numpy()[keep][rows], "period": bins[index],
                           "days": days})
    spread["references"] = spread["days"] / spread.groupby("row")["days"].transform("sum")
    apart = placed.loc[longer, ["group"]].assign(where="longer")
    return spread[["group", "period", "references"]], apart


def referred_periods_by_group(
    timexes: pd.DataFrame, articles: pd.DataFrame, groups: pd.DataFrame, period: str | None = None,
    *, margin_days: int | None = None, max_bins: int = 8
) -> pd.DataFrame:
    """The periods each group's articles refer to: expressions placed on a calendar (`earliest`
    set, `PRESENT_REF` left out), each spread over the bins its interval covers, in proportion to
    its days in each ("March 1987" in weekly bins counts a little under a quarter in each of
    its weeks).

    The bins are those :func:`analysis.summarise.periods.choose_period` picks for a window
    running from `margin_days` (by default the publication span, at least 31 days) before the
    first publication day to as many after the last (or `period`; the code is in
    `attrs["period"]`). Counted apart: an expression whose middle falls before or after the
    window (`earlier`, `later`) and one covering more than `max_bins` bins (`longer`: "1987"
    in weekly bins). Columns: `group`, `period` (NaT on the rows counted apart), `where`
    (:data:`REFERENCE_PLACES`), `references` (expressions, fractions for a spread one), `share`
    (of all the group's placed expressions). Every bin of the window is present for every group.
    """
    columns = ["group", "period", "where", "references", "share"]
    placed = timexes[timexes["earliest"].notna() & timexes["latest"].notna() & (timexes["value"] != "PRESENT_REF")]
    placed = _with_groups(placed[["doc_id", "earliest", "latest"]], groups)
    published = pd.to_datetime(articles["date"], errors="coerce").dropna()
    if placed.empty or published.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "period" else object) for c in columns})
    first, last = published.min().normalize(), published.max().normalize()
    margin = pd.Timedelta(days=margin_days if margin_days is not None else max(31, (last - first).days))
    start, end = first - margin, last + margin
    period = period or choose_period(pd.Series([start, end]))
    bins = period_range(start, end, period)
    middle = placed["earliest"] + (placed["latest"] - placed["earliest"]) / 2
    where = np.where(middle < start, "earlier", np.where(middle > end, "later", "within"))
    spread, longer = _spread(placed[where == "within"], bins, period, max_bins)
    order = group_order(groups["group"])
    grid = pd.MultiIndex.from_product([order, bins], names=["group", "period"])
    within = (spread.groupby(["group", "period"])["references"].sum().reindex(grid, fill_value=0.0)
              .reset_index().assign(where="within"))
    outside = placed.loc[where != "within", ["group"]].assign(where=where[where != "within"])
    apart = pd.concat([outside, longer]).groupby(["group", "where"]).size().rename("references").reset_index()
    table = pd.concat([within, apart.assign(period=pd.NaT)], ignore_index=True)
    table["period"] = table["period"].astype("datetime64[ns]")
    table["references"] = table["references"].astype(float)
    totals = table.groupby("group")["references"].transform("sum")
    table["share"] = (table["references"] / totals.where(totals > 0)).astype(float)
    rank = {g: i for i, g in enumerate(order)}
    place = {w: i for i, w in enumerate(REFERENCE_PLACES)}
    table = table.assign(_rank=table["group"].map(rank), _where=table["where"].map(place))
    table = table.sort_values(["_rank", "_where", "period"], kind="stable")[columns].reset_index(drop=True)
    table.attrs["period"] = period
    return table
