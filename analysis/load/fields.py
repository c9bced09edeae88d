"""Which column of a table (or key of a JSON record) fills which role of an article.

Corpora from scrapers and archives name their fields differently (`maintext`, `body`,
`publish_date`, `headline`, `media_name`...). :data:`FIELD_NAMES` is the table of the names each
role is found by, in order of preference; `fields={"text": "content"}` overrides it for one load.
Every column that fills no role is kept as article metadata.

The value helpers (`text_value`, `authors_value`, `parse_date`, ...) turn a field's value into what
the articles table holds, and never raise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pandas as pd

from analysis.load.clean import _calendar_date, _parse_date, _parse_written_date

#: The names each role is found by (compared without case), best first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article", "story", "full_text"),
    "date": ("date", "publish_date", "date_publish", "published", "pub_date", "publication_date", "datetime"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "media_name", "publisher", "sitename", "source_domain", "domain"),
    "authors": ("authors", "author", "byline", "by"),
    "section": ("section",),
    "url": ("url",),
    "language": ("language", "lang"),
    "id": ("id",),
}
ROLES = tuple(FIELD_NAMES)
#: The roles that become columns of their own in the articles table, besides text, date and title.
EXTRA_ROLES = ("outlet", "authors", "section", "url", "language")


@dataclass(frozen=True)
class FieldMap:
    """The column chosen for each role (None when the record has none) and the other columns."""

    roles: dict[str, str | None]
    others: tuple[str, ...]
    missing_overrides: tuple[str, ...] = ()

    def describe(self) -> str:
        """`text<-content, date<-published, ...`: what the load report shows per file."""
        parts = [f"{role}<-{column}" for role, column in self.roles.items() if column]
        if self.missing_overrides:
            parts.append("override not found: " + ", ".join(self.missing_overrides))
        return ", ".join(parts) or "no known fields"


def detect_fields(columns, overrides: dict[str, str] | None = None) -> FieldMap:
    """The :class:`FieldMap` of a record with these column names; `overrides` (role -> column)
    win over :data:`FIELD_NAMES`. An override naming an absent column leaves the role empty."""
    columns = [str(c) for c in columns]
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(column.lower(), column)
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown field role(s) {unknown}; the roles are {list(ROLES)}")
    roles: dict[str, str | None] = {}
    taken: set[str] = set(overrides.values())
    missing = []
    for role in ROLES:
        if role in overrides:
            column = by_lower.get(str(overrides[role]).lower())
            if column is None:
                missing.append(f"{role}={overrides[role]!r}")
        else:
            column = next((by_lower[n] for n in FIELD_NAMES[role] if n in by_lower and by_lower[n] not in taken), None)
        roles[role] = column
        if column:
            taken.add(column)
    used = {c for c in roles.values() if c}
    return FieldMap(roles, tuple(c for c in columns if c not in used), tuple(missing))


# --- values ------------------------------------------------------------------------------------

def is_empty(value) -> bool:
    """None, NaN, an empty or blank string, or an empty list."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(is_empty(v) for v in value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_list(value):
    """A list for list-like values (lists, tuples, numpy arrays from Parquet), else None."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        listed = value.tolist()
        return listed if isinstance(listed, list) else None
    return None


def text_value(value) -> str:
    """A body as one string: a list of paragraphs is joined with blank lines."""
    if is_empty(value):
        return ""
    items = _as_list(value)
    if items is not None:
        return "\n\n".join(str(v) for v in items if not is_empty(v))
    return str(value)


def authors_value(value) -> str:
    """Authors as one string: a list (or a JSON-looking list in a CSV cell) is joined with `; `."""
    if is_empty(value):
        return ""
    items = _as_list(value)
    if items is None and isinstance(value, str) and value.strip().startswith("["):
        import json

        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        items = parsed if isinstance(parsed, list) else None
    if items is not None:
        return "; ".join(str(v).strip() for v in items if not is_empty(v))
    return str(value).strip()


def plain_value(value) -> str:
    """Any other role's value as a stripped string ('' when empty)."""
    return "" if is_empty(value) else str(value).strip()


def outlet_from_url(url: str) -> str:
    """The host of `url` without `www.` ('' when it has none)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# --- dates -------------------------------------------------------------------------------------

#: `03/04/2024`, `3.4.24`, `03-04-2024`: numeric dates whose day and month order is a convention.
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[T ,].*)?")
#: Epoch seconds from 1973 to 2286 as digits (a bare year or a yyyymmdd is not epoch).
_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?")


@dataclass
class DateResult:
    """A parsed date: (timestamp, `YYYY-MM-DD`) or (None, None); `ambiguous` when day and month
    could be swapped; `problem` when a value was there but could not be read."""

    stamp: pd.Timestamp | None = None
    text: str | None = None
    ambiguous: bool = False
    problem: str | None = None
    notes: list[str] = field(default_factory=list)


def _from_epoch(seconds: float) -> DateResult:
    try:
        moment = datetime.fromtimestamp(float(seconds), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return DateResult(problem=f"unparseable date {seconds!r} (not epoch seconds)")
    stamp, text = _calendar_date(moment.year, moment.month, moment.day)
    return DateResult(stamp, text)


def _numeric(match: re.Match, dayfirst: bool) -> DateResult:
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    if len(match[4]) == 2:
        year += 2000 if year < 70 else 1900
    ambiguous = first != second and first <= 12 and second <= 12
    if first > 12:  # only day-first reads it
        day, month = first, second
    elif second > 12:  # only month-first reads it
        day, month = second, first
    else:
        day, month = (first, second) if dayfirst else (second, first)
    stamp, text = _calendar_date(year, month, day)
    if text is None:
        return DateResult(problem=f"unparseable date {match[0][:40]!r}")
    return DateResult(stamp, text, ambiguous=ambiguous)


def parse_date(value, dayfirst: bool = False) -> DateResult:
    """A record's date: ISO (`2024-03-04`, with any time), numeric day/month (read by `dayfirst`,
    ambiguous ones flagged), written out (`March 4, 2024`), or epoch seconds (a number). The date
    is the calendar day as written (a time zone does not move it)."""
    if is_empty(value):
        return DateResult()
    if isinstance(value, (pd.Timestamp, datetime)):
        stamp, text = _calendar_date(value.year, value.month, value.day)
        return DateResult(stamp, text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(value)
    value = str(value).strip()
    if _EPOCH.fullmatch(value):
        return _from_epoch(float(value))
    stamp, text = _parse_date(value)
    if text is None and (match := _NUMERIC_DATE.fullmatch(value)):
        return _numeric(match, dayfirst)
    if text is None:
        stamp, text = _parse_written_date(re.sub(r"[T ]\d{1,2}:\d{2}.*\Z", "", value))
    if text is None:
        return DateResult(problem=f"unparseable date {value[:40]!r}")
    return DateResult(stamp, text)
