"""The calendar interval a TIMEX3 value denotes (`2019-01` runs from Jan 1 to Jan 31), and the
length in days of a duration value."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from analysis.extract.timex.dates import add_months

_VALUE_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})|T(MO|AF|EV|NI))?$")
_VALUE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_VALUE_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_VALUE_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$")
_VALUE_YEARS = re.compile(r"^(\d{2,4})$")
_DURATION_PARTS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
# (first month, number of months) of the parts of a year
_YEAR_PARTS = {"Q1": (1, 3), "Q2": (4, 3), "Q3": (7, 3), "Q4": (10, 3), "H1": (1, 6), "H2": (7, 6),
               "SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}

MIN_YEAR, MAX_YEAR = 1678, 2261  # what a pandas Timestamp can hold


def _moment(year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0) -> dt.datetime | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _add_months_dt(moment: dt.datetime, months: int) -> dt.datetime:
    day = add_months(moment.date(), months)
    return dt.datetime(day.year, day.month, 1)


def _day_bounds(match: re.Match) -> tuple[dt.datetime | None, dt.datetime | None]:
    y, mo, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if match.group(4):
        moment = _moment(y, mo, d, int(match.group(4)) % 24, int(match.group(5)))
    else:
        moment = _moment(y, mo, d)
    return moment, moment


def _week_bounds(match: re.Match) -> tuple[dt.datetime | None, dt.datetime | None]:
    try:
        monday = dt.datetime.combine(dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1), dt.time())
    except ValueError:
        return None, None
    if not MIN_YEAR <= monday.year <= MAX_YEAR:
        return None, None
    if match.group(3):
        return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
    return monday, monday + dt.timedelta(days=6)


def bounds(value: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(earliest, latest) of a TIMEX3 date value as datetimes, both inclusive; None when unplaced."""
    none = (None, None)
    match = _VALUE_DAY.match(value)
    if match:
        return _day_bounds(match)
    match = _VALUE_MONTH.match(value)
    if match:
        first = _moment(int(match.group(1)), int(match.group(2)))
        if first is None:
            return none
        return first, _add_months_dt(first, 1) - dt.timedelta(days=1)
    match = _VALUE_WEEK.match(value)
    if match:
        return _week_bounds(match)
    match = _VALUE_QUARTER.match(value)
    if match:
        first_month, months = _YEAR_PARTS[match.group(2)]
        first = _moment(int(match.group(1)), first_month)
        if first is None:
            return none
        return first, _add_months_dt(first, months) - dt.timedelta(days=1)
    match = _VALUE_YEARS.match(value)
    if match:
        digits = match.group(1)
        span = {4: 1, 3: 10, 2: 100}[len(digits)]
        first_year = int(digits) * span
        first, last = _moment(first_year), _moment(first_year + span - 1, 12, 31)
        return (none if first is None or last is None else (first, last))
    return none


def interval(value: str) -> tuple:
    """(earliest, latest) calendar bounds of a TIMEX3 date value, both inclusive, as Timestamps.

    A day gives that day twice; `2019-01` gives Jan 1 and Jan 31; `196` gives 1960-01-01 and
    1969-12-31; a time gives the same instant twice. NaT for values that are not on a calendar.
    """
    return tuple(pd.NaT if moment is None else pd.Timestamp(moment) for moment in bounds(value))


def duration_days(value: str) -> float | None:
    """The length of a TIMEX3 duration in days (a year is 365.25 days, a month 30.44); None if not one."""
    match = _DURATION_PARTS.match(value)
    if not match or value in ("P", "PT"):
        return None
    y, mo, w, d, h, mi, s = (int(x) if x else 0 for x in match.groups())
    return y * 365.25 + mo * 30.44 + w * 7 + d + h / 24 + mi / 1440 + s / 86400
