"""Corpus-level tables of temporal expressions, for the timeline notebook: every article's
expressions in one table, one article's expressions ready to chart, articles per period, the
days the articles refer to, and how far from its article's date each expression points.

No plotting here: the charts of these tables are in `analysis.report.timeline`.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.extract.timex import COLUMNS, empty_table, extract_timexes
from analysis.summarise.periods import choose_period, count_per_period

__all__ = ["CORPUS_COLUMNS", "OFFSET_BUCKETS", "TIMELINE_ROW_COLUMNS", "corpus_timexes", "coverage", "reference_offsets",
           "referenced_days", "short_label", "timeline_rows"]

#: The columns of `corpus_timexes`: `doc_id`, then those of `extract_timexes`.
CORPUS_COLUMNS = ["doc_id", *COLUMNS]
TIMELINE_ROW_COLUMNS = ["label", "text", "type", "value", "earliest", "latest", "kind", "event"]
OFFSET_BUCKETS = ["more than a year before", "a month to a year before", "a week to a month before",
                  "within the week before", "the article's day", "after the article's day"]
# `coverage(freq=...)`: the period codes of `analysis.summarise.periods`, and the older pandas names.
_FREQ_ALIASES = {"W-MON": "W", "MS": "M", "YS": "Y"}

# Scripts the default chart font (DejaVu Sans) lacks would print as empty boxes in a label.
_UNPRINTABLE_IN_CHARTS = re.compile(r"[^\u0000-\u052f\u1e00-\u1fff\u2000-\u206f\u20a0-\u20bf\u2100-\u214f]+")


def short_label(text: str, width: int) -> str:
    """`text` on one line, without characters the chart font cannot draw, cut at a word to
    at most `width` characters (an ellipsis marks a cut)."""
    text = " ".join(_UNPRINTABLE_IN_CHARTS.sub(" ", str(text)).split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def corpus_timexes(articles: pd.DataFrame) -> pd.DataFrame:
    """`extract_timexes` over a corpus: `articles` has `doc_id`, `date` and `text`.

    Returns the columns of `extract_timexes` with `doc_id` first, articles in the given order.
    """
    tables = []
    for doc_id, date, text in zip(articles["doc_id"], articles["date"], articles["text"]):
        table = extract_timexes(text, date)
        if len(table):
            table.insert(0, "doc_id", doc_id)
            tables.append(table)
    if not tables:
        empty = empty_table()
        empty.insert(0, "doc_id", pd.Series(dtype=str))
        return empty
    return pd.concat(tables, ignore_index=True)


def timeline_rows(timexes: pd.DataFrame, max_rows: int = 30, label_width: int = 58) -> pd.DataFrame:
    """The expressions of ONE article that sit on a calendar, ready to chart, earliest first.

    `timexes` is `extract_timexes` output (or one article's rows of `corpus_timexes`). Vague
    `PRESENT_REF` ("now") is left out (the article's date stands for it), and repeats of the same
    value and event are kept once. Columns: `label` ("last fall: hospital ship dispatched…"),
    `text`, `type`, `value`, `earliest`, `latest`, `kind` (`day` for a single day or moment,
    `span` for anything longer), `event`. At most `max_rows` rows, the first ones in the text.
    """
    placed = timexes[timexes["earliest"].notna() & timexes["latest"].notna() & (timexes["value"] != "PRESENT_REF")]
    placed = placed.drop_duplicates(subset=["value", "event"]).head(max_rows)
    if placed.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("earliest", "latest") else str)
                             for c in TIMELINE_ROW_COLUMNS})
    single_day = placed["earliest"].dt.normalize() == placed["latest"].dt.normalize()
    rows = pd.DataFrame({
        "label": [short_label(f"{t}: {e}" if e else t, label_width) for t, e in zip(placed["text"], placed["event"])],
        "text": placed["text"].to_numpy(),
        "type": placed["type"].to_numpy(),
        "value": placed["value"].to_numpy(),
        "earliest": placed["earliest"].to_numpy(),
        "latest": placed["latest"].to_numpy(),
        "kind": ["day" if one else "span" for one in single_day],
        "event": placed["event"].to_numpy(),
    })
    return rows.sort_values(["earliest", "latest"], kind="stable").reset_index(drop=True)


def coverage(articles: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """Articles per period, the period chosen by the shared rule of `analysis.summarise.periods`
    (by day for a corpus spanning at most a month, by week starting Monday up to a year, then by
    month, then by year), or `freq` (`D`, `W`, `M` or `Y`; `W-MON` is read as `W`).

    Columns: `period` (the period's first day), `articles`; periods without articles count 0.
    Undated articles are left out.
    """
    dates = pd.to_datetime(articles["date"], errors="coerce").dropna().dt.normalize()
    period = _FREQ_ALIASES.get(freq, freq) if freq else choose_period(dates)
    counts = count_per_period(dates, period)
    return counts.rename(columns={"count": "articles"})[["period", "articles"]]


def referenced_days(timexes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The single days the articles' expressions point to ("Thursday", "Jan. 25", "yesterday").

    `timexes` is `corpus_timexes` output. Columns: `day`, `mentions`, `articles` (how many
    articles mention it), `before_article` (mentions from articles published after that day),
    `event` (the label of the first mention), `text` (how it was first written). Most mentioned first.
    """
    columns = ["day", "mentions", "articles", "before_article", "event", "text"]
    placed = timexes[timexes["earliest"].notna() & (timexes["value"] != "PRESENT_REF")]
    placed = placed[placed["earliest"].dt.normalize() == placed["latest"].dt.normalize()]
    if placed.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "day" else ("int64" if c in ("mentions", "articles", "before_article") else str)) for c in columns})
    dates = articles.set_index("doc_id")["date"]
    day = placed["earliest"].dt.normalize()
    published = pd.to_datetime(placed["doc_id"].map(dates), errors="coerce").dt.normalize()
    placed = placed.assign(day=day, looking_back=(published > day).astype("int64"))
    grouped = placed.groupby("day", sort=True)
    table = pd.DataFrame({
        "mentions": grouped.size(),
        "articles": grouped["doc_id"].nunique(),
        "before_article": grouped["looking_back"].sum(),
        "event": grouped["event"].first(),
        "text": grouped["text"].first(),
    }).reset_index()
    table["day"] = table["day"].astype("datetime64[ns]")
    return table.sort_values(["mentions", "day"], ascending=[False, True], kind="stable").reset_index(drop=True)[columns]


def reference_offsets(timexes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """How far from its article's date each placed expression points, in buckets.

    The distance is from the article's date to the middle of the expression's interval. Columns:
    `bucket` (:data:`OFFSET_BUCKETS`, oldest first), `expressions`, `share`.
    """
    placed = timexes[timexes["earliest"].notna() & (timexes["value"] != "PRESENT_REF")]
    dates = pd.to_datetime(placed["doc_id"].map(articles.set_index("doc_id")["date"]), errors="coerce")
    middle = placed["earliest"] + (placed["latest"] - placed["earliest"]) / 2
    # in whole days (datetime64[D]): nanosecond timestamps overflow across three centuries
    delta = middle.to_numpy().astype("datetime64[D]") - dates.to_numpy().astype("datetime64[D]")
    days = pd.Series(delta.astype("float64") if len(delta) else [], dtype="float64")
    days[pd.isna(delta)] = float("nan")
    days = days.dropna()
    bucket = pd.cut(days, bins=[-float("inf"), -366, -31, -8, -1, 0, float("inf")], labels=OFFSET_BUCKETS)
    counts = bucket.value_counts().reindex(OFFSET_BUCKETS, fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({"bucket": OFFSET_BUCKETS, "expressions": counts.to_numpy(dtype="int64"),
                         "share": (counts / total).to_numpy() if total else [0.0] * len(OFFSET_BUCKETS)})
