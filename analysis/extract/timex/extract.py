"""The extractor: candidates from the rules, overlaps resolved, each kept one normalised and
placed on the calendar, as a table."""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.extract.timex.anchor import Candidate, candidates
from analysis.extract.timex.context import Context, State
from analysis.extract.timex.dates import parse_reference
from analysis.extract.timex.intervals import MIN_YEAR, bounds, duration_days
from analysis.extract.timex.modifiers import modifier, narrowed
from analysis.extract.timex.rules import RULE_BY_NAME, RULE_ORDER

#: The columns of the table `extract_timexes` returns, in order.
COLUMNS = ["text", "start", "end", "type", "value", "earliest", "latest", "event", "mod"]

_DTYPES = {"text": str, "start": "int64", "end": "int64", "type": str, "value": str, "event": str, "mod": str}
_NAT = np.datetime64("NaT", "ns")
_LONGEST_DURATION_DAYS = 365.25 * 300  # a longer duration is not placed before the article's date


def _clusters(found: list[Candidate]) -> list[list[Candidate]]:
    """Groups of overlapping candidates, in text order; each group in order of preference
    (longest first, then rule order). Pathological groups (> 64) keep text order."""
    found.sort(key=lambda c: (c.start, -c.end))
    groups: list[list[Candidate]] = []
    cluster: list[Candidate] = []
    cluster_end = -1
    for c in found:
        if c.start >= cluster_end:
            if cluster:
                groups.append(cluster)
            cluster = [c]
            cluster_end = c.end
        else:
            cluster.append(c)
            cluster_end = max(cluster_end, c.end)
    if cluster:
        groups.append(cluster)
    for group in groups:
        if len(group) <= 64:
            group.sort(key=lambda c: (-(c.end - c.start), RULE_ORDER[c.rule], c.start))
    return groups


def _normalised(text: str, state: State) -> list[tuple[str, str, int, int]]:
    """(type, value, start, end) of the expressions kept: in each group of overlapping
    candidates the most preferred that its rule accepts, then the next ones that fit beside it."""
    results: list[tuple[str, str, int, int]] = []
    for group in _clusters(candidates(text)):
        picked: list[tuple[str, str, int, int]] = []
        for candidate in group:
            if any(candidate.start < p[3] and candidate.end > p[2] for p in picked):
                continue
            day_before = state.last_day
            result = RULE_BY_NAME[candidate.rule].normalise(candidate.match, text, state)
            if result is None or not result[1] or result[3] <= result[2]:
                continue
            if state.last_day is not day_before:
                state.last_day_end = result[3]
            if any(result[2] < p[3] and result[3] > p[2] for p in picked):
                continue
            picked.append(_or_so(result, text))
        results.extend(sorted(picked, key=lambda r: r[2]))
    return results


_OR_SO = re.compile(r"\s+or\s+so\b", re.I)


def _or_so(result: tuple[str, str, int, int], text: str) -> tuple[str, str, int, int]:
    """`the next year or so`: TimeML keeps an approximating "or so" inside the span."""
    kind, value, start, end = result
    after = _OR_SO.match(text, end)
    return (kind, value, start, after.end()) if after and kind in ("DATE", "DURATION") else result


def _table(rows: list[tuple]) -> pd.DataFrame:
    """The result table with the same dtypes whether it has rows or not (built column by column:
    pandas' row-wise constructor costs more than the whole extraction)."""
    if not rows:
        table = pd.DataFrame(rows, columns=COLUMNS).astype(_DTYPES)
        for column in ("earliest", "latest"):
            table[column] = table[column].astype("datetime64[ns]")
        return table
    columns = list(zip(*rows))
    data = {}
    for name, values in zip(COLUMNS, columns):
        if name in ("start", "end"):
            data[name] = np.array(values, dtype=np.int64)
        elif name in ("earliest", "latest"):
            data[name] = np.array([_NAT if v is None else np.datetime64(v, "ns") for v in values], dtype="datetime64[ns]")
        else:
            data[name] = list(values)
    return pd.DataFrame(data)


def empty_table() -> pd.DataFrame:
    """The table of a text without temporal expressions: the columns and dtypes, no rows."""
    return _table([])


def extract_timexes(text: str, reference_date=None) -> pd.DataFrame:
    """Temporal expressions in `text`, normalized against the article's date.

    `reference_date`: the article's date (a `date`, `datetime`, `Timestamp`, an ISO string such
    as `"2019-01-25"`, or None/NaT, in which case only absolute expressions get calendar values
    and relative ones get TimeML's unknown forms such as `XXXX-WXX-5`).

    Returns one row per expression, in text order, with columns:

    - `text`: the expression as written, `text[start:end]`;
    - `start`, `end`: character offsets into `text` (end exclusive);
    - `type`: `DATE`, `TIME`, `DURATION` or `SET`;
    - `value`: the TIMEX3 value (`2019-01-26`, `2019-01`, `2018-FA`, `196`, `2019-W04`, `P20Y`,
      `PAST_REF`, `PRESENT_REF`, `FUTURE_REF`, `XXXX-WXX-1`, `2019-01-25T15:00`, ...);
    - `earliest`, `latest`: the calendar interval the expression denotes, both ends inclusive
      (a day: that day twice; a month: its first and last day); a duration that ends at the
      article's date ("for nearly two decades", "the past three years") runs up to that date;
      `PRESENT_REF` is the article's date; NaT where it cannot be placed;
    - `event`: a short label for the clause the expression dates;
    - `mod`: TimeML's modifier, read off the expression's words: `START`, `MID`, `END` (`early`,
      `mid-`, `late`, `the end of`; the value stays `2018` for `mid-2018`, and `earliest`/`latest`
      keep the first, middle or last third of the interval), `APPROX` (`about`, `or so`),
      `LESS_THAN` (`nearly`), `MORE_THAN`, `EQUAL_OR_LESS` (`up to`), `EQUAL_OR_MORE` (`at least`),
      or "" for none.
    """
    return _table(_timex_rows(text, reference_date))


def extract_timexes_many(texts: Sequence[str], reference_dates: Sequence) -> tuple[pd.DataFrame, list[int]]:
    """:func:`extract_timexes` of each text with its reference date, as one table: (the rows of
    every text, in order, and each text's number of rows).

    The table is exactly the per-text tables concatenated (``pd.concat(..., ignore_index=True)``)
    but built once: building a table costs about as much as finding the expressions.
    """
    parts = [_timex_rows(text, date) for text, date in zip(texts, reference_dates, strict=True)]
    return _table([row for part in parts for row in part]), [len(part) for part in parts]


def _placed(kind: str, value: str, start: int, end: int, reference: dt.date | None, context: Context) -> tuple:
    """(earliest, latest) of one expression: its value's interval; the article's date for
    PRESENT_REF; for a duration that ends at the article's date, the span up to it."""
    earliest, latest = bounds(value) if kind in ("DATE", "TIME") else (None, None)
    if reference is not None:
        if value == "PRESENT_REF":
            earliest = latest = dt.datetime.combine(reference, dt.time())
        elif kind == "DURATION" and context.ends_at_reference(start, end):
            days = duration_days(value)
            if days is not None and days < _LONGEST_DURATION_DAYS:
                latest = dt.datetime.combine(reference, dt.time())
                earliest = latest - dt.timedelta(days=round(days))
                if earliest.year < MIN_YEAR:
                    earliest = latest = None
    return earliest, latest


def _timex_rows(text: str, reference_date) -> list[tuple]:
    """The rows of :func:`extract_timexes` as tuples in its column order."""
    if not isinstance(text, str) or not text.strip():
        return []
    reference = parse_reference(reference_date)
    context = Context(text)
    state = State(reference=reference, context=context)
    rows = []
    for kind, value, start, end in _normalised(text, state):
        mod = modifier(text[start:end], text[max(0, start - 16):start])
        earliest, latest = _placed(kind, value, start, end, reference, context)
        if kind in ("DATE", "TIME"):
            earliest, latest = narrowed(earliest, latest, mod, text[start:end])
        rows.append((text[start:end], start, end, kind, value, earliest, latest, context.event(start, end), mod))
    return rows
