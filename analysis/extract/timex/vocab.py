"""The words the temporal-expression rules know, read from the lexicon files, and the regular
expression fragments built from them (months, weekdays, numbers, units, ...).

The lists themselves live in `analysis/lexicons/` (`months.tsv`, `weekdays.tsv`, `time_units.tsv`,
`timex_*.txt`, ...): adding a month abbreviation or a tense cue word is one line in one file.
"""

from __future__ import annotations

import re

from analysis.lexicons import entries, table, words


def _numbers(rows: dict[str, str]) -> dict[str, int | float]:
    """A lexicon table's values as numbers: whole ones as int, the others as float."""
    out: dict[str, int | float] = {}
    for key, value in rows.items():
        out[key] = int(value) if value.lstrip("-").isdigit() else float(value)
    return out


def _units(rows: dict[str, str]) -> tuple[dict[str, tuple[str, int, bool]], dict[str, str]]:
    """`time_units`: each unit's (TIMEX3 letter, multiplier, is a clock unit) and its calendar grain."""
    units, grains = {}, {}
    for unit, value in rows.items():
        letter, multiplier, kind, grain = value.split()
        units[unit] = (letter, int(multiplier), kind == "clock")
        grains[unit] = grain
    return units, grains


# ---------------------------------------------------------------------------------------------
# Vocabulary

MONTH_NAMES: tuple[str, ...] = entries("months")  # january .. december
MONTH_ABBREVIATIONS: dict[str, int] = _numbers(table("timex_month_abbreviations"))  # jan, sept, ...
MONTHS: dict[str, int] = {**{name: i for i, name in enumerate(MONTH_NAMES, 1)}, **MONTH_ABBREVIATIONS}
WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(entries("weekdays"), 1)}  # ISO: Monday = 1
SEASONS: dict[str, str] = table("seasons")
SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # the first month of each season
PARTS_OF_DAY: dict[str, str] = table("parts_of_day")

_CARDINALS = _numbers(table("number_words"))
SMALL_NUMBERS = {word: n for word, n in _CARDINALS.items() if n < 20}  # zero .. nineteen
TENS = {word: n for word, n in _CARDINALS.items() if n >= 20}  # twenty .. ninety
VAGUE_NUMBERS: tuple[str, ...] = entries("timex_vague_numbers")
FIXED_NUMBERS = _numbers(table("timex_fixed_numbers"))
ORDINALS: dict[str, int] = _numbers(table("ordinals"))
DECADE_WORDS: dict[str, int] = _numbers(table("decade_words"))

# Duration units: (TIMEX3 letter, multiplier, is a time unit written after `T`), and the calendar
# granularity of "N units ago" / "last unit".
UNITS, GRAIN = _units(table("time_units"))

# Tense cues, read off the word tokens of a text.
FUTURE_WORDS = words("timex_future_words")
# ... and these only when "to" follows: "plans to", "is set to", "hopes to", "going to"
FUTURE_BEFORE_TO = words("timex_future_before_to")
PAST_WORDS = words("timex_past_words")
NOT_PAST_ED = words("timex_not_past_ed")
# Abbreviations whose period does not end a sentence ("Roe vs. Wade", "Birmingham, Ala., killed"),
# from the project's news list; a company's "Inc." or "Co." and "a.m." often do end one.
NO_SENTENCE_END = words("abbreviations") - {"inc", "corp", "co", "ltd", "bros", "etc", "a.m", "p.m", "est", "no", "nos", "jr", "sr"}
# Words after which "a year", "a week" is a length of time, not a rate ("ten CDs a year").
DURATION_LICENSORS = words("timex_duration_licensors")


# ---------------------------------------------------------------------------------------------
# Regular-expression fragments


def alternation(options) -> str:
    """A regex alternation of `options`, longest first, a space matching any run of spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(options, key=len, reverse=True))


def compile_rule(pattern: str) -> re.Pattern:
    """Every rule's pattern is case-insensitive and verbose."""
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _plural(unit: str) -> str:
    return unit[:-1] + "ies" if unit.endswith("y") and unit[-2:-1] not in ("a", "e", "o", "u") else unit + "s"


MONTH_FULL = list(MONTH_NAMES)
MONTH_ABBR = list(MONTH_ABBREVIATIONS)
# Month and weekday names must be capitalised (`May`, not `may`; `March`, not `march`).
MONTH = (
    r"(?-i:(?:" + "|".join(m.capitalize() for m in MONTH_FULL) + "|" + "|".join(m.upper() for m in MONTH_FULL)
    + r")\b|(?:" + "|".join(m.capitalize() for m in MONTH_ABBR) + r")\b\.?)"
)
WEEKDAY = r"(?-i:(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + "|" + "|".join(w.upper() for w in WEEKDAYS) + r")\b)"
WEEKDAYS_PLURAL = r"(?-i:" + "|".join(w.capitalize() + "s" for w in WEEKDAYS) + r")"  # "Mondays": a set
PART_OF_DAY = "|".join(PARTS_OF_DAY)
SEASON = "|".join(SEASONS)
_UNITS_1_9 = "|".join(w for w, n in SMALL_NUMBERS.items() if 1 <= n <= 9)
NUMBER_WORDS = (
    r"(?:" + alternation(TENS) + r")(?:[-\s]+(?:" + _UNITS_1_9 + r")\b)?"
    r"|" + alternation(list(SMALL_NUMBERS) + list(FIXED_NUMBERS) + list(VAGUE_NUMBERS))
)
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s1/2|½)?|(?:" + NUMBER_WORDS + r"))"
UNIT = r"(?:" + "|".join(f"{u}s?" if _plural(u) == u + "s" else f"{u}|{_plural(u)}" for u in UNITS) + ")"
# Modifiers TimeML keeps inside a duration's span ("nearly two decades", "at least 72 hours");
# "about", "only", "within" and "over" stay outside, as in TimeBank.
APPROX = (
    r"(?:nearly|almost|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|at\s+least|at\s+most|up\s+to|"
    r"the\s+better\s+part\s+of|well\s+over)"
)
TIMEZONE = r"(?-i:\s+(?:[ECMP][SD]?T|GMT|UTC|BST|CES?T))?"
YEAR = r"(?P<y>1[6-9]\d\d|20\d\d)"  # a four-digit year a date may carry


def unit_words(plural: bool = True) -> list[str]:
    """Every unit of `time_units`, and (by default) its plural."""
    return list(UNITS) + ([_plural(u) for u in UNITS] if plural else [])
