"""Calendar arithmetic for the normalisers: reading the article's date, moving a day by calendar
units, formatting TIMEX3 values at a grain, holidays, seasons, numbers and durations."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

from analysis.extract.timex.vocab import FIXED_NUMBERS, SEASON_MONTHS, SMALL_NUMBERS, TENS, UNITS, VAGUE_NUMBERS

_ISO_PREFIX = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")

#: TimeML's unknown value at each grain ("last month" without an article date is `XXXX-XX`).
UNKNOWN = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX",
           "year": "XXXX", "decade": "XXX", "century": "XX"}

# Holidays on a fixed day of the year (keys: lower case, straight apostrophe, single spaces).
_FIXED_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's": (1, 1),
                   "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
                   "veterans day": (11, 11), "valentine's day": (2, 14), "halloween": (10, 31), "boxing day": (12, 26)}


def parse_reference(reference_date) -> dt.date | None:
    """The article's date as a `date` (from a date, datetime, Timestamp or string); None if missing."""
    if reference_date is None:
        return None
    try:
        if pd.isna(reference_date):  # NaT, NaN, numpy's NaT
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(reference_date, pd.Timestamp):
        return None if pd.isna(reference_date) else reference_date.date()
    if isinstance(reference_date, dt.datetime):
        return reference_date.date()
    if isinstance(reference_date, dt.date):
        return reference_date
    text = str(reference_date).strip()
    match = _ISO_PREFIX.match(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def shift(day: dt.date, unit: str, n: int) -> dt.date | None:
    """`day` moved by `n` calendar units (negative = back); None when out of range."""
    try:
        if unit in ("day", "night", "hour", "minute", "second"):
            return day + dt.timedelta(days=n)
        if unit == "week":
            return day + dt.timedelta(weeks=n)
        if unit == "fortnight":
            return day + dt.timedelta(weeks=2 * n)
        if unit == "month":
            return add_months(day, n)
        if unit == "quarter":
            return add_months(day, 3 * n)
        if unit == "year":
            return dt.date(day.year + n, 1, 1)
        if unit == "decade":
            return dt.date(day.year + 10 * n, 1, 1)
        if unit == "century":
            return dt.date(day.year + 100 * n, 1, 1)
    except (ValueError, OverflowError):
        return None
    return None


def shift_year(anchor: dt.date, unit: str, n: int) -> dt.date | None:
    """January 1 of the year `n` years, decades or centuries from `anchor`'s; None out of range."""
    years = n * {"year": 1, "decade": 10, "century": 100}[unit]
    try:
        return dt.date(anchor.year + years, 1, 1)
    except ValueError:
        return None


def format_at(day: dt.date, grain: str) -> str:
    """The TIMEX3 value of the `grain` (day, week, month, ... century) that holds `day`."""
    if grain == "day":
        return day.isoformat()
    if grain == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if grain == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if grain == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if grain == "year":
        return f"{day.year:04d}"
    if grain == "decade":
        return f"{day.year // 10:03d}"
    if grain == "century":
        return f"{day.year // 100:02d}"
    return day.isoformat()


def weekday_date(reference: dt.date, weekday: int, direction: int) -> dt.date:
    """The `weekday` (1 = Monday) nearest `reference` in `direction` (-1 back, +1 forward, 0 = this week)."""
    today = reference.isoweekday()
    if weekday == today and direction in (0, -2, 2):
        return reference
    if direction > 0:
        return reference + dt.timedelta(days=(weekday - today) % 7 or 7)
    if direction < 0:
        return reference - dt.timedelta(days=(today - weekday) % 7 or 7)
    return reference + dt.timedelta(days=weekday - today)


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th `weekday` (1 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def holiday(name: str, year: int) -> dt.date | None:
    """The day of holiday `name` ("Christmas Eve", "Thanksgiving", "Labor Day") in `year`."""
    key = " ".join(name.lower().replace("’", "'").split())
    try:
        if key in _FIXED_HOLIDAYS:
            return dt.date(year, *_FIXED_HOLIDAYS[key])
        if key.startswith("thanksgiving"):
            return nth_weekday(year, 11, 4, 4)
        if key.startswith("easter"):
            return easter(year)
        if key == "labor day":
            return nth_weekday(year, 9, 1, 1)
        if key == "memorial day":
            return nth_weekday(year, 5, 1, -1)
        if key == "election day":
            first_monday = nth_weekday(year, 11, 1, 1)
            return first_monday + dt.timedelta(days=1)
    except ValueError:
        return None
    return None


def season_value(code: str, step: int, ref: dt.date, nearest: bool = False) -> str:
    """The season `code` last (-1), this (0) or next (+1) relative to `ref`."""
    start_month = SEASON_MONTHS[code]
    # the season instance containing ref, if any: winter of year Y runs Dec Y .. Feb Y+1
    months_since = (ref.month - start_month) % 12
    current_year = ref.year if ref.month >= start_month else ref.year - 1
    in_season = months_since < 3
    if step == 0:
        if in_season:
            return f"{current_year}-{code}"
        if nearest:
            # the nearer of the last and the next instance
            return f"{current_year if months_since < 6 else current_year + 1}-{code}"
        return f"{ref.year}-{code}" if code != "WI" or ref.month >= 3 else f"{ref.year - 1}-{code}"
    if step < 0:
        year = current_year - 1 if in_season else current_year
        return f"{year}-{code}"
    year = current_year + 1
    return f"{year}-{code}"


@lru_cache(maxsize=4096)
def number(text: str) -> float | str | None:
    """The value of a number written in digits or words; `"X"` for vague ones (`several`)."""
    words = " ".join(text.lower().replace("-", " ").split())
    if words in VAGUE_NUMBERS or words == "a number of":
        return "X"
    if words in FIXED_NUMBERS:
        return FIXED_NUMBERS[words]
    if words in SMALL_NUMBERS:
        return SMALL_NUMBERS[words]
    parts = words.split()
    if parts and parts[0] in TENS:
        return TENS[parts[0]] + (SMALL_NUMBERS.get(parts[1], 0) if len(parts) > 1 else 0)
    digits = words.replace(",", "")
    half = 0.5 if digits.endswith("1/2") or digits.endswith("½") else 0.0
    digits = digits.replace("1/2", "").replace("½", "").strip()
    try:
        return float(digits) + half
    except ValueError:
        return None


def unit_key(unit: str) -> str:
    """A unit as written ("Years", "centuries") to its key in `UNITS` ("year", "century")."""
    word = unit.lower()
    if word == "centuries":
        return "century"
    return word[:-1] if word.endswith("s") else word


def duration_value(amount_of: float | str, unit: str) -> str:
    """The TIMEX3 duration of `amount_of` units (`"X"` = an unknown number): P3Y, PT1H30M, PXDE."""
    letter, multiplier, is_time = UNITS[unit]
    prefix = "PT" if is_time else "P"
    if amount_of == "X":
        return f"{prefix}X{'DE' if unit == 'decade' else ('CE' if unit == 'century' else letter)}"
    amount = float(amount_of) * multiplier
    if amount != int(amount):
        # 1.5 hours -> PT1H30M, 2.5 years -> P30M
        smaller = {"H": ("M", 60, True), "M": ("D", 30, False) if not is_time else ("S", 60, True),
                   "Y": ("M", 12, False), "D": ("H", 24, True), "W": ("D", 7, False), "Q": ("M", 3, False)}
        if letter == "M" and not is_time:
            return f"P{int(round(amount * 30))}D"
        if letter in smaller:
            sub_letter, factor, sub_time = smaller[letter]
            whole = int(amount)
            rest = int(round((amount - whole) * factor))
            if letter == "H":
                return f"PT{whole}H{rest}M" if whole else f"PT{rest}M"
            if sub_time and not is_time:
                return f"P{whole}{letter}T{rest}{sub_letter}" if whole else f"PT{rest}{sub_letter}"
            return f"P{int(round(amount * factor))}{sub_letter}"
    return f"{prefix}{int(amount)}{letter}"


def year_of(month: int, day: int, reference: dt.date | None, tense: int = 0) -> int | None:
    """The year of a month (and day) written without one, from the article's date and the tense."""
    if reference is None:
        return None
    try:
        candidate = dt.date(reference.year, month, min(day, 28))
    except ValueError:
        return reference.year
    # The tense decides when the date is more than two months off (a past clause about a later
    # month means last year's). With no tense, the past occurrence wins unless the next one is
    # within four months: news looks back far more often than forward.
    delta = (candidate - reference).days
    if tense < 0 and delta > 60:
        return reference.year - 1
    if tense > 0 and delta < -60:
        return reference.year + 1
    if tense == 0 and delta > 120:
        return reference.year - 1
    if tense == 0 and delta < -245:
        return reference.year + 1
    return reference.year


def two_digit_year(y: str, reference: dt.date | None) -> int:
    """A year written with two digits ("1/25/19"), in the century that puts it at most ten years
    after the article's date."""
    year = int(y)
    if len(y) == 4:
        return year
    pivot = (reference.year if reference else 2000) + 10
    century = pivot // 100 * 100
    year += century
    return year - 100 if year > pivot else year


def date_value(year: int | None, month: int, day: int) -> tuple[str, dt.date | None]:
    """(TIMEX3 value, date) of a day; `XXXX-MM-DD` without a year, ("", None) if no such day."""
    if year is None:
        return f"XXXX-{month:02d}-{day:02d}", None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return "", None
    return date.isoformat(), date
