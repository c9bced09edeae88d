"""An article's timeline in the JSON format of TimelineJS (Knight Lab), which newsroom tools read.

`write_timelinejs(timexes)` takes the temporal expressions of one article (the `timexes` table's
columns `text`, `value`, `earliest`, `latest`, `event`) and writes
`figures/timeline-article.timelinejs.json`:

    {"events": [{"start_date": {"year": 2018, "month": 9}, "end_date": {"year": 2018, "month": 11},
                 "text": {"headline": "last fall", "text": "was dispatched to the Colombian port…"}}]}

Each expression placed on a calendar becomes one event, dated as precisely as its interval: a day
(`Friday`), a month, a year, or a span from a start to an end date (`the 1960s` runs from 1960
to 1969). Expressions without a calendar interval (`recent days`) are left out. Texts are HTML
escaped, since TimelineJS renders them as HTML. The file is the same bytes on every re-run.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.files import write_atomic

COLUMNS = ("text", "value", "earliest", "latest", "event")
SUFFIX = ".timelinejs.json"


def _whole_years(first: pd.Timestamp, last: pd.Timestamp) -> bool:
    return (first.month, first.day) == (1, 1) and (last.month, last.day) == (12, 31)


def _whole_months(first: pd.Timestamp, last: pd.Timestamp) -> bool:
    return first.day == 1 and last.is_month_end


def _date(moment: pd.Timestamp, precision: str) -> dict[str, int]:
    """A TimelineJS date: `{"year": ..}`, plus the month and the day as `precision` asks."""
    parts = {"year": int(moment.year)}
    if precision in ("month", "day"):
        parts["month"] = int(moment.month)
    if precision == "day":
        parts["day"] = int(moment.day)
    return parts


def event_dates(earliest: pd.Timestamp, latest: pd.Timestamp) -> dict[str, dict[str, int]]:
    """`start_date` (and `end_date` for an interval longer than its unit) at the interval's precision."""
    precision = "year" if _whole_years(earliest, latest) else "month" if _whole_months(earliest, latest) else "day"
    dates = {"start_date": _date(earliest, precision)}
    end = _date(latest, precision)
    if end != dates["start_date"]:
        dates["end_date"] = end
    return dates


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def timelinejs_events(timexes: pd.DataFrame) -> list[dict]:
    """One TimelineJS event per expression with a calendar interval, earliest first."""
    missing = [c for c in COLUMNS if c not in timexes.columns]
    if missing:
        raise ValueError(f"the timexes table lacks the column(s) {', '.join(missing)}")
    placed = timexes.assign(earliest=pd.to_datetime(timexes["earliest"]), latest=pd.to_datetime(timexes["latest"]))
    placed = placed[placed["earliest"].notna()]
    placed = placed.assign(latest=placed["latest"].fillna(placed["earliest"]))
    placed = placed.sort_values(["earliest", "latest"], kind="stable")
    events = []
    for row in placed.itertuples(index=False):
        value = _text(row.value)
        event = _text(row.event)
        body = html.escape(event) + (f" <small>({html.escape(value)})</small>" if value else "")
        events.append({**event_dates(row.earliest, max(row.latest, row.earliest)),
                       "text": {"headline": html.escape(_text(row.text)), "text": body}})
    return events


def to_timelinejs(timexes: pd.DataFrame, title: str | None = None) -> dict:
    """The TimelineJS document: `{"events": [...]}`, with a title slide when `title` is given."""
    document: dict = {}
    if title:
        document["title"] = {"text": {"headline": html.escape(title), "text": ""}}
    document["events"] = timelinejs_events(timexes)
    return document


def write_timelinejs(timexes: pd.DataFrame, name: str = "timeline-article", *, title: str | None = None,
                     folder: str | os.PathLike | None = None) -> Path:
    """Write the TimelineJS JSON of one article's `timexes` as `<name>.timelinejs.json` in the
    figures folder (`folder`, else $ANALYSIS_FIGURES, else `figures/`); returns its path."""
    target = paths.figures_dir(folder) / f"{name}{SUFFIX}"
    text = json.dumps(to_timelinejs(timexes, title), ensure_ascii=False, indent=1) + "\n"
    write_atomic(target, text.encode("utf-8"))
    return target
