"""Temporal expressions in news text, normalized to TimeML TIMEX3 values and placed on a calendar.

    >>> from analysis.extract.timex import extract_timexes
    >>> extract_timexes("Officials left on Thursday, a week after the 1960s-era treaty lapsed.", "2019-01-25")

`extract_timexes(text, reference_date)` is a pure function (text in, table out): rule based,
pure Python, every regular expression compiled once at import and free of nested repetition, so
its running time grows linearly with the text. `corpus_timexes(articles)` runs it over a corpus.

How an expression is read, relative to the article's date (`reference_date`):

- weekdays take the tense of their clause: a past clause points back, a deadline or future clause
  forward, and the article's own weekday is the article's day;
- `yesterday`, `today`, `tonight`, `tomorrow`; `last`/`this`/`next` week, month, year, quarter,
  season (`last fall` -> `2018-FA`); `N units ago`/`earlier`/`later`;
- explicit dates (`Jan. 25`, `January 25, 2019`, `25 January`, `2019-01-25`, `1/25/19`), months,
  years, fiscal years and quarters, decades (`the 1960s`, `’70s`, `the sixties`) and centuries;
- times of day (`3 p.m.`, `noon`, `this morning`); durations (`nearly two decades` -> `P20Y`);
  vague references (`recently` -> `PAST_REF`, `now` -> `PRESENT_REF`, `the coming weeks` ->
  `FUTURE_REF`); sets (`every Monday` -> `XXXX-WXX-1`, `weekly` -> `P1W`).

Spans follow the TimeML (TimeBank) annotation habits: `the past three years` is one expression,
the preposition in `for three years` is not part of it, and numbers that are not times
(`20 Marine guards`, `F-16`, `50,000`) are left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd

#: The columns of the table `extract_timexes` returns, in order.
COLUMNS = ["text", "start", "end", "type", "value", "earliest", "latest", "event"]
CORPUS_COLUMNS = ["doc_id", *COLUMNS]

# ---------------------------------------------------------------------------------------------
# Vocabulary

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "febr": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_VAGUE_NUMBERS = ("a few", "several", "few", "many", "some", "a number of")
_FIXED_NUMBERS = {"a": 1, "an": 1, "one": 1, "a dozen": 12, "dozen": 12, "half a dozen": 6, "a hundred": 100,
                  "hundred": 100, "a half": 0.5, "half a": 0.5, "a couple of": 2, "a couple": 2}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}

# Duration units: (TIMEX3 letter, multiplier, is a time unit written after `T`).
UNITS = {
    "second": ("S", 1, True), "minute": ("M", 1, True), "hour": ("H", 1, True),
    "day": ("D", 1, False), "night": ("D", 1, False), "week": ("W", 1, False), "fortnight": ("W", 2, False),
    "month": ("M", 1, False), "quarter": ("Q", 1, False), "year": ("Y", 1, False),
    "decade": ("Y", 10, False), "century": ("Y", 100, False),
}
# Calendar granularity of "N units ago" / "last unit".
GRAIN = {"day": "day", "night": "day", "week": "week", "fortnight": "week", "month": "month", "quarter": "quarter",
         "year": "year", "decade": "decade", "century": "century", "hour": "day", "minute": "day", "second": "day"}


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_MONTH_FULL = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_MONTH_ABBR = [m for m in MONTHS if m not in _MONTH_FULL]
# Month and weekday names must be capitalised (`May`, not `may`; `March`, not `march`).
MONTH = (
    r"(?-i:(?:" + "|".join(m.capitalize() for m in _MONTH_FULL) + "|" + "|".join(m.upper() for m in _MONTH_FULL)
    + r")\b|(?:" + "|".join(m.capitalize() for m in _MONTH_ABBR) + r")\b\.?)"
)
WEEKDAY = r"(?-i:(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + "|" + "|".join(w.upper() for w in WEEKDAYS) + r")\b)"
_NUMBER_WORDS = (
    r"(?:" + _alternation(_TENS) + r")(?:[-\s]+(?:one|two|three|four|five|six|seven|eight|nine)\b)?"
    r"|" + _alternation(list(_SMALL) + list(_FIXED_NUMBERS) + list(_VAGUE_NUMBERS))
)
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s1/2|½)?|(?:" + _NUMBER_WORDS + r"))"
UNIT = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?|decades?|century|centuries)"
# Modifiers TimeML keeps inside a duration's span ("nearly two decades", "at least 72 hours");
# "about", "only", "within" and "over" stay outside, as in TimeBank.
APPROX = (
    r"(?:nearly|almost|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|at\s+least|at\s+most|up\s+to|"
    r"the\s+better\s+part\s+of|well\s+over)"
)
TIMEZONE = r"(?-i:\s+(?:[ECMP][SD]?T|GMT|UTC|BST|CES?T))?"



def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


# ---------------------------------------------------------------------------------------------
# Patterns. Each rule is (name, pattern); overlaps are resolved longest first, then by rule order.

RULES: list[tuple[str, re.Pattern]] = [
    ("iso", _compile(r"\b(?P<y>1[6-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
                     r"(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d))?\b(?!-)")),
    ("slash", _compile(r"(?<![\d/.])(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>\d{4}|\d\d)\b(?![/.]\d)")),
    ("month_day", _compile(
        r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?(?P<mon>" + MONTH + r")\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?![,.]?\d|:\d|\s*(?:%|percent|million|billion))"
        r"(?:(?:,\s*|\s+)(?P<y>1[6-9]\d\d|20\d\d)\b(?![,.]?\d))?")),
    ("day_month", _compile(
        r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + MONTH + r")"
        r"(?:,?\s+(?P<y>1[6-9]\d\d|20\d\d)\b(?![,.]?\d))?")),
    ("month", _compile(
        r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|"
        r"earlier\s+in|later\s+in|last|this|next|this\s+past|this\s+coming)(?:\s+|-))?(?P<mon>" + MONTH + r")"
        r"(?:(?:,\s*|\s+|\s+of\s+)(?P<y>1[6-9]\d\d|20\d\d)\b(?![,.]?\d)|\s+(?P<rel>this|last|next)\s+year\b|(?!\.?\s*[0-3]?\d\b))")),
    ("year", _compile(
        r"(?:(?P<mod>fiscal(?:\s+year)?|the\s+year|calendar|mid|early|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
        r"the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|post|pre)(?:\s+|-))?"
        r"(?<![\d$£€.,/:#])(?<!\d-)(?P<y>1[1-9]\d\d|20\d\d)(?:[-–](?P<y2>\d\d(?:\d\d)?))?\b(?![,.:/]?\d|\s*(?:%|percent)|-\w)")),
    ("spoken_year", _compile(
        r"\b(?:(?P<the>the\s+year)\s+)?(?:(?P<hi>nineteen|eighteen)[-\s]+(?P<lo>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|two\s+thousand(?:\s+and)?(?:[-\s]+(?P<lo2>one|two|three|four|five|six|seven|eight|nine|ten))?)\b")),
    ("year_adj", _compile(r"\b(?P<w>year-earlier|year-ago|prior-year|year-before)\b(?![\s-]+(?:quarter|period|third|second|first|fourth|month|week|levels?)\b)")),
    ("the_year", _compile(
        r"\b(?:(?P<for>for|in|during)\s+)?(?P<span>the\s+(?:(?P<full>full|whole|entire)\s+)?(?P<fiscal>fiscal\s+|calendar\s+)?year)(?P<ended>\s+(?:ended|ending|to|through))?\b"
        r"|\b(?:by\s+)?(?P<end>year[’']s\s+end|year[-\s]end|the\s+end\s+of\s+the\s+year)\b")),
    ("decade", _compile(
        r"(?:\bthe\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?<![\d$£€.,])(?P<full>1[0-9]|20)(?P<dec>\d)0[’']?s\b|(?<!\w)[’'‘](?P<short>\d)0s\b)")),
    ("decade_word", _compile(
        r"\bthe\s+(?:(?P<mod>early|mid|late)[-\s]+)?(?P<word>" + _alternation(DECADE_WORDS) + r")\b")),
    ("century", _compile(
        r"(?:\bthe\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<ord>" + _alternation(ORDINALS) + r"))[-\s]+century\b")),
    ("relday", _compile(
        r"\b(?:(?P<mod>early|late)\s+)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow)"
        r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b")),
    ("partofday", _compile(
        r"\b(?P<rel>this|last|tomorrow|yesterday)\s+(?P<part>morning|afternoon|evening|night)\b")),
    ("weekday", _compile(
        r"(?:\b(?P<rel>last|next|this\s+past|this\s+coming|this|past|coming|the\s+following|the\s+previous|on)\s+)?"
        r"(?P<wd>" + WEEKDAY + r")(?!\s*,?\s*" + MONTH + r")(?:\s+(?P<part>morning|afternoon|evening|night)\b)?")),
    ("weekday_set", _compile(
        r"(?:\b(?:every|each)\s+(?P<wd>" + WEEKDAY + r")|(?P<wds>(?-i:Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays))\b)"
        r"(?:\s+(?P<part>morning|afternoon|evening|night)s?\b)?")),
    ("time", _compile(
        r"(?:\b(?P<day1>" + WEEKDAY + r"|yesterday|today|tomorrow)(?:,\s*|\s+)(?:at\s+)?)?"
        r"(?:(?<![\d.,:$])\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b)|(?P<h24>[01]\d|2[0-3]):(?P<min24>[0-5]\d)\b(?!:?\d)|(?P<word>noon|midnight|midday)\b|(?P<oc>[01]?\d)\s+o[’']clock\b)"
        + TIMEZONE +
        r"(?:(?:,\s*|\s+)(?:on\s+)?(?P<day2>" + WEEKDAY + r"|yesterday|today|tomorrow)(?:\s*,?\s*(?P<mon>" + MONTH + r")\s*(?P<d>[0-3]?\d)\b)?"
        r"|,\s*(?P<mon2>" + MONTH + r")\s*(?P<d2>[0-3]?\d)\b(?![,.]?\d))?")),
    ("relunit", _compile(
        r"\b(?:(?P<mod>early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of)(?:\s+in|\s+|-))?"
        r"(?P<rel>last|this|next|the\s+coming|the\s+current|this\s+coming|this\s+past|the\s+previous|the\s+following|the\s+same|that|the\s+prior|the\s+past|past)"
        r"\s+(?:fiscal\s+)?(?P<unit>week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter|season)\b")),
    ("end_of", _compile(
        r"\b(?:the\s+)?(?P<part>end|beginning|start|middle|rest)\s+of\s+the\s+(?P<unit>week|month|year|decade|century)\b")),
    ("season", _compile(
        r"\b(?:(?P<rel>the|in\s+the)\s+)?(?:(?P<mod>early|late|mid)[-\s]+)?(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>1[6-9]\d\d|20\d\d)\b)?")),
    ("weekend", _compile(r"\b(?P<rel>the|this|last|next|over\s+the|that)\s+weekend\b")),
    ("ago", _compile(
        r"\b(?:(?P<approx>" + APPROX + r"|about|around|some|roughly|just|only|approximately)\s+)?(?P<num>" + NUMBER + r")(?:\s+more)?[\s-]+(?P<unit>" + UNIT + r")"
        r"\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence|previously)\b")),
    ("duration", _compile(
        r"(?:\b(?P<approx>" + APPROX + r")\s+)?(?:\b(?P<det>the(?:\s+(?:past|last|next|first|previous|coming|final|remaining|same|following|latest|initial))?|(?:past|last|next|first|previous|coming|final|another))\s+)?"
        r"\b(?P<num>" + NUMBER + r")(?:\s+(?:more|additional|full|consecutive|straight|other|long))?(?P<sep>[\s-]+)(?P<unit>" + UNIT + r")"
        r"(?P<adj>-long|-old|\s+long|\s+old)?\b(?!-old|[-\s]+of\s+age)")),
    ("bare_units", _compile(
        r"(?:\b(?P<pre>for|in|over|within|take|takes|took|taken|taking|spent|last|lasted)\s+)(?P<unit>(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries))\b(?!\s+(?:ago|of|earlier|later|before|after))"
        r"|\b(?P<unit2>decades|years|months|weeks)-long\b")),
    ("vague", _compile(
        r"\b(?:(?P<now>now)(?![-’']|\s+that\b)|(?P<present>currently|at\s+present|presently|nowadays|these\s+days|at\s+the\s+moment|at\s+this\s+time)"
        r"|(?P<past>(?:more\s+)?recently|lately|(?:days|weeks|months|years|decades)\s+ago|in\s+the\s+past|in\s+recent\s+(?:days|weeks|months|years|decades|quarters|times)|(?:recent|past)\s+(?:days|weeks|months|years|decades|quarters))"
        r"|(?P<future>in\s+the\s+(?:near\s+|distant\s+)?future|the\s+(?:near\s+|distant\s+)?future|in\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks|months|years|decades)|(?:the\s+)?coming\s+(?:days|weeks|months|years|decades|quarters)))\b")),
    ("set", _compile(
        r"\b(?:(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually)"
        r"|(?:every|each)\s+(?:(?P<n>other|two|three|four|five|six|seven|ten|\d+)\s+)?(?P<unit>day|night|morning|evening|week|weekend|month|year|hour|minute|summer|winter|spring|fall|quarter)s?"
        r"|(?P<freq>once|twice|three\s+times|four\s+times|\d+\s+times|times)\s+(?P<per>a|an|per|each|every)\s+(?P<unit2>day|week|month|year|hour|minute|decade|quarter))\b")),
    ("quarter", _compile(
        r"(?:\bthe\s+)?(?:(?P<yr>this\s+year[’']s|last\s+year[’']s|next\s+year[’']s|(?P<y>1[6-9]\d\d|20\d\d)(?:[’']s)?)\s+)?(?:fiscal[\s-]+)?"
        r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|previous|prior|year-earlier|year-ago|same|comparable|recent|past|just-ended|just\s+ended|next|coming)"
        r"[\s-]+(?:fiscal[\s-]+)?(?:(?P<q>quarter)|(?P<half>half)|(?P<period>period))\b(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>1[6-9]\d\d|20\d\d)\b)?"
        r"|\bthe\s+(?:fiscal\s+)?(?P<the>quarter)\b(?!\s+(?:of\s+)?(?:a|an|the|century|mile|point|percent)\b|-)"
        r"|\b(?:the\s+)?(?:(?P<yq>1[6-9]\d\d|20\d\d)|(?P<lyq>last\s+year[’']s|the\s+year-ago|the\s+year-earlier|the\s+prior-year))\s+(?:(?P<ord2>first|second|third|fourth)\s+)?(?P<qp>quarter|period)\b")),
    ("holiday", _compile(
        r"\b(?:(?P<rel>last|this|next)\s+)?(?P<h>(?-i:Christmas(?:\s+Day|\s+Eve)?|Thanksgiving(?:\s+Day)?|New\s+Year[’']s(?:\s+Day|\s+Eve)?|Easter(?:\s+Sunday)?|Election\s+Day|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day|Valentine[’']s\s+Day|Halloween|Boxing\s+Day))(?P<week>\s+week)?\b")),
    ("sameday", _compile(
        r"\b(?:the\s+same\s+day|that\s+same\s+day|that\s+day|the\s+next\s+day|the\s+following\s+day|the\s+day\s+before|the\s+previous\s+day|the\s+next\s+morning|earlier\s+that\s+day|later\s+that\s+day|the\s+night\s+before|later\s+that\s+year|earlier\s+that\s+year|that\s+year|the\s+same\s+year|the\s+following\s+year|the\s+next\s+year|the\s+previous\s+year|the\s+year\s+before)\b")),
]
RULE_ORDER = {name: i for i, (name, _) in enumerate(RULES)}

# Speed: most rules start with optional words, which the regex engine would try at every
# character. Instead one pass over the words finds each rule's obligatory words (its anchors);
# a rule then runs only in the merged windows around them, reaching `back` characters before an
# anchor and `forward` after it.
REACH: dict[str, tuple[int, int]] = {
    "iso": (2, 20), "slash": (6, 8), "month_day": (25, 16), "day_month": (25, 10), "month": (25, 20),
    "year": (30, 12), "spoken_year": (25, 40), "year_adj": (8, 40), "the_year": (40, 20), "decade": (20, 4),
    "decade_word": (20, 2), "century": (30, 2), "relday": (30, 14), "partofday": (12, 2), "weekday": (20, 40),
    "weekday_set": (8, 16), "time": (30, 50), "relunit": (60, 2), "season": (25, 12), "weekend": (12, 2),
    "ago": (70, 12), "duration": (70, 12), "bare_units": (12, 8), "vague": (20, 40), "set": (20, 30),
    "quarter": (50, 25), "holiday": (10, 16), "sameday": (25, 10), "end_of": (30, 2),
}

# Rules whose every match holds a telltale piece: a window without one cannot match, so it is
# not searched (a number anchors `time`, a unit `ago`, and news text is full of both). Each
# pattern here is a necessary part of its rule's pattern: `time` needs a.m./p.m. after a
# digit, hh:mm, noon/midnight/midday or o'clock; `ago` needs its direction word.
REQUIRED: dict[str, re.Pattern] = {
    "time": _compile(r"\d\s*[ap](?:\.\s?)?m|\d:\d|noon|midnight|midday|clock"),
    "ago": _compile(r"ago|earlier|later|before|after|from|hence|previously"),
}


def _anchor_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = {}

    def add(words, *rules):
        for word in words:
            table.setdefault(word, set()).update(rules)

    add(MONTHS, "month_day", "day_month", "month")
    add(WEEKDAYS, "weekday", "weekday_set", "time")
    add([w + "s" for w in WEEKDAYS], "weekday_set")
    units = ["second", "minute", "hour", "day", "night", "week", "fortnight", "month", "quarter", "year", "decade"]
    add(units + [u + "s" for u in units] + ["century", "centuries"], "duration", "bare_units", "ago")
    add(["week", "weekend", "month", "year", "quarter", "decade", "century", "season"], "relunit")
    add(["year", "years"], "the_year", "year_adj", "holiday")
    add(["prior", "earlier", "ago", "before"], "year_adj")
    add(["end"], "the_year")
    add(["week", "month", "year", "decade", "century"], "end_of")
    add(["day", "year", "night", "morning"], "sameday")
    add(["ago", "earlier", "later", "before", "after", "now", "hence", "previously"], "ago")
    add(["yesterday", "today", "tonight", "tomorrow"], "relday", "time", "partofday")
    add(["morning", "afternoon", "evening", "night", "mornings", "evenings", "nights"], "partofday", "weekday", "relday", "set", "weekday_set")
    add(list(SEASONS) + ["season"], "relunit", "season", "set")
    add(["weekend"], "weekend", "set")
    add(["now", "currently", "present", "presently", "nowadays", "days", "moment", "time", "recently", "lately",
         "past", "recent", "future", "soon", "coming", "next", "ago"], "vague")
    add(["daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly", "biweekly", "semiannually",
         "every", "each", "times", "once", "twice"], "set")
    add(["quarter", "quarters", "half", "period"], "quarter")
    add(["christmas", "thanksgiving", "easter", "election", "independence", "labor", "memorial", "veterans",
         "valentine", "halloween", "boxing"], "holiday")
    add(["nineteen", "eighteen", "thousand"], "spoken_year")
    add(DECADE_WORDS, "decade_word")
    add(["century", "centuries"], "century")
    add(["am", "pm", "noon", "midnight", "midday", "clock"], "time")
    return {word: tuple(sorted(rules)) for word, rules in table.items()}


ANCHOR_WORDS = _anchor_table()
_WORD_TOKEN = re.compile(r"[^\W_]+")

# ---------------------------------------------------------------------------------------------
# Tense cues for weekdays and bare months (a clause in the past points back, a future one forward).

# Tense cues are read off the word tokens (one pass shared with the anchors), not by a regex.
FUTURE_WORDS = frozenset(
    "will shall would scheduled expected expects expect due deadline payable upcoming intends intend "
    "next coming ll expire expires begins starts opens closes meets resumes".split()
)
# ... and these only when "to" follows: "plans to", "is set to", "hopes to", "going to"
FUTURE_BEFORE_TO = frozenset("going plans plan planned planning set hopes hope aims aim is are".split())
PAST_WORDS = frozenset(
    "was were had did said told ago last earlier went came took made met began saw gave left sent held fell rose "
    "won lost spoke ran got found became kept brought bought paid sold struck led fled shot flew wrote heard knew "
    "thought felt stood broke chose drove ate fought".split()
)
NOT_PAST_ED = frozenset("need speed seed feed indeed exceed proceed succeed bed red hundred shed breed creed deed greed weed".split())


_CUES_PER_SIDE = 4
_WEAK_CUE_PENALTY = 25  # characters of extra distance for an -ed word
_CUE_PENALTY = {1: 0, -1: 0, -2: _WEAK_CUE_PENALTY}


def _cue_sign(word: str, text: str, end: int) -> int:
    """+1 for a future cue word, -1 for a past one, -2 for a weak past one, 0 otherwise."""
    lower = word.lower()
    if lower in FUTURE_WORDS:
        if lower == "next" and text.startswith(" to ", end):
            return 0  # "next to the embassy"
        return 1
    if lower in FUTURE_BEFORE_TO and text.startswith(" to ", end):
        return 1
    if lower in PAST_WORDS:
        return -1
    if len(lower) > 3 and lower.endswith("ed") and word[0].islower() and lower not in NOT_PAST_ED:
        return -2  # a weak cue: a lower-case -ed word ("United", "Ted" are names) may be an adjective
    return 0


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%”\"’'])[.!?](?=[\"”’']?\s+[\"“‘']?[A-Z])|\n")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s|[“”\"]|\s(?=but\s|while\s|whereas\s)")
_WINDOW = 280  # characters searched either side of an expression for its sentence

# Words that tell a number before a unit is a quantity of something else: "20 Marine guards".
_QUANTITY_BEFORE_SET = re.compile(r"(?:\$\s?[\d,.]+(?:\s+(?:million|billion|trillion))?|\d[\d,.]*\s*%|percent|dollars?|cents?|times|twice|once|\d)\s*$", re.I)
# "1990 shares", "some 2000 people": a count, not a year
_COUNT_AFTER = re.compile(
    r"\s+(?:(?!(?:and|or|to|through|at|in|on|for|the|when|with|was|were|is|are|as|after|before|from|season|"
    r"election|campaign|budget|levels?|figures?|census|results?|model|elections?|olympics|games|series|"
    r"finals?|playoffs|crisis|years?|yields?|sales|earnings|profits?)\b)[a-z]+s\b|(?:people|men|women|children|police|staff|"
    r"personnel|feet|miles|tons|barrels|metres|meters|yards|pounds|dollars|euros|copies|delegates|members|"
    r"residents|refugees|migrants|troops|soldiers|workers|jobs|votes|cattle|sheep|fish|head)\b)")
_COUNT_BEFORE = re.compile(r"\b(?:some|about|nearly|almost|approximately|roughly|than|only|estimated|another|all|"
                           r"least|around|over|up\s+to)\s+$", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_AROUND_THE_CLOCK = re.compile(r"\s+a\s+(?:day|week)\b", re.I)
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
# Words after which "a year", "a week" is a length of time, not a rate ("ten CDs a year").
_DURATION_LICENSORS = frozenset(
    "for in within about over than nearly almost after before of take takes took taken taking last lasts lasted "
    "spent spend spends least to just only half once around by under during barely is was be been are were "
    "another nearly roughly some up till until from since like following past next first".split()
)
_ISO_PREFIX = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
# "May" is a month only after these (else it is the verb): "in May", "since May", "early May"
_MAY_AS_MONTH_BEFORE = re.compile(r"\b(?:in|since|until|by|of|from|through|during|early|late|mid|last|this|next|before|after)\s+$")
_YEAR_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|by|of|from|until|for|during|year|before|after)\s+$")
_FISCAL_BEFORE = re.compile(r"fiscal[\s-]+$", re.I)
_PAST_OR_LAST = re.compile(r"(?:the\s+)?(?:past|last)\b")
_DOLLAR_BEFORE = re.compile(r"[$£€]\s?$")
_PERFECT = _compile(r"\b(?:has|have|had|has\s+been|have\s+been|[’']s\s+been|[’']ve)\b")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rule: str
    match: re.Match


# ---------------------------------------------------------------------------------------------
# Calendar helpers


def _parse_reference(reference_date) -> dt.date | None:
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


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def _shift(day: dt.date, unit: str, n: int) -> dt.date | None:
    """`day` moved by `n` calendar units (negative = back); None when out of range."""
    try:
        if unit in ("day", "night", "hour", "minute", "second"):
            return day + dt.timedelta(days=n)
        if unit == "week":
            return day + dt.timedelta(weeks=n)
        if unit == "fortnight":
            return day + dt.timedelta(weeks=2 * n)
        if unit == "month":
            return _add_months(day, n)
        if unit == "quarter":
            return _add_months(day, 3 * n)
        if unit == "year":
            return dt.date(day.year + n, 1, 1)
        if unit == "decade":
            return dt.date(day.year + 10 * n, 1, 1)
        if unit == "century":
            return dt.date(day.year + 100 * n, 1, 1)
    except (ValueError, OverflowError):
        return None
    return None


def _format(day: dt.date, grain: str) -> str:
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


_UNKNOWN = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX",
            "year": "XXXX", "decade": "XXX", "century": "XX"}


def _weekday_date(reference: dt.date, weekday: int, direction: int) -> dt.date:
    """The `weekday` (1 = Monday) nearest `reference` in `direction` (-1 back, +1 forward, 0 = this week)."""
    today = reference.isoweekday()
    if weekday == today and direction in (0, -2, 2):
        return reference
    if direction > 0:
        return reference + dt.timedelta(days=(weekday - today) % 7 or 7)
    if direction < 0:
        return reference - dt.timedelta(days=(today - weekday) % 7 or 7)
    return reference + dt.timedelta(days=weekday - today)


def _easter(year: int) -> dt.date:
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


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th `weekday` (1 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def _holiday(name: str, year: int) -> dt.date | None:
    key = " ".join(name.lower().replace("’", "'").split())
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's": (1, 1),
             "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
             "veterans day": (11, 11), "valentine's day": (2, 14), "halloween": (10, 31), "boxing day": (12, 26)}
    try:
        if key in fixed:
            return dt.date(year, *fixed[key])
        if key.startswith("thanksgiving"):
            return _nth_weekday(year, 11, 4, 4)
        if key.startswith("easter"):
            return _easter(year)
        if key == "labor day":
            return _nth_weekday(year, 9, 1, 1)
        if key == "memorial day":
            return _nth_weekday(year, 5, 1, -1)
        if key == "election day":
            first_monday = _nth_weekday(year, 11, 1, 1)
            return first_monday + dt.timedelta(days=1)
    except ValueError:
        return None
    return None


@lru_cache(maxsize=4096)
def _number(text: str) -> float | str | None:
    """The value of a number written in digits or words; `"X"` for vague ones (`several`)."""
    words = " ".join(text.lower().replace("-", " ").split())
    if words in _VAGUE_NUMBERS or words == "a number of":
        return "X"
    if words in _FIXED_NUMBERS:
        return _FIXED_NUMBERS[words]
    if words in _SMALL:
        return _SMALL[words]
    parts = words.split()
    if parts and parts[0] in _TENS:
        return _TENS[parts[0]] + (_SMALL.get(parts[1], 0) if len(parts) > 1 else 0)
    digits = words.replace(",", "")
    half = 0.5 if digits.endswith("1/2") or digits.endswith("½") else 0.0
    digits = digits.replace("1/2", "").replace("½", "").strip()
    try:
        return float(digits) + half
    except ValueError:
        return None


def _unit_key(unit: str) -> str:
    word = unit.lower()
    if word == "centuries":
        return "century"
    return word[:-1] if word.endswith("s") else word


def _duration_value(number: float | str, unit: str) -> str:
    letter, multiplier, is_time = UNITS[unit]
    prefix = "PT" if is_time else "P"
    if number == "X":
        return f"{prefix}X{'DE' if unit == 'decade' else ('CE' if unit == 'century' else letter)}"
    amount = float(number) * multiplier
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


# ---------------------------------------------------------------------------------------------
# Context: sentence, clause and tense


_DEADLINE_AFTER = re.compile(r"[’']?s?\s*(?:as\s+(?:the|a|its)\s+)?(?:deadline|meeting\s+deadline)\b", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:next|this\s+coming|as\s+soon\s+as)\s+(?:on\s+)?$", re.I)
_PAST_BEFORE = re.compile(r"\b(?:last|this\s+past|since|as\s+of)\s+(?:on\s+)?$", re.I)
_WHEN_CLAUSE = re.compile(r"\s*(?:when|where|as|after|before|while)\s+", re.I)
_LEADING_FILLER = re.compile(r"^(?:and|but|which|who|that|while|so)\s+", re.I)
_DANGLING_WORDS = re.compile(r"(?:\s+(?:a|an|the|in|of|on|at|to|for|from|with|by|and|or|but|its|their|his|her))+$", re.I)
_PREPOSITION_AT_END = re.compile(r"\b(?:on|in|at|since|by|for|during|until|from|of|last|this|as\s+of|over|through)\s*$", re.I)


class _Context:
    """Sentence ends, clause breaks and tense cues of one text, found once (lazily) and looked
    up by bisection, so that each expression costs the same however long the text is."""

    def __init__(self, text: str):
        self.text = text
        self._sentences: tuple[list[int], list[int]] | None = None
        self._breaks: list[int] | None = None
        self._cues: tuple[list[int], list[int], list[int]] | None = None

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end), clipped to _WINDOW characters on either side."""
        if self._sentences is None:
            starts, ends = [], []
            for m in _SENTENCE_END.finditer(self.text):
                # a sentence starts after the mark and ends after it ("." kept, "\n" not)
                starts.append(m.end())
                ends.append(m.start() + (0 if m.group() == "\n" else 1))
            self._sentences = (starts, ends)
        starts, ends = self._sentences
        i = bisect_right(starts, start) - 1
        s_start = starts[i] if i >= 0 else 0
        j = bisect_left(ends, end)
        while j < len(ends) and starts[j] <= end - 1 and ends[j] < end:
            j += 1
        s_end = ends[j] if j < len(ends) else len(self.text)
        return max(s_start, start - _WINDOW), min(s_end, end + _WINDOW)

    def breaks(self) -> list[int]:
        if self._breaks is None:
            self._breaks = [m.start() for m in _CLAUSE_BREAK.finditer(self.text)]
        return self._breaks

    def has_break(self, left: int, right: int) -> bool:
        breaks = self.breaks()
        i = bisect_left(breaks, left)
        return i < len(breaks) and breaks[i] < right

    def tense(self, start: int, end: int) -> int:
        """+1 when the clause around [start, end) speaks of the future, -1 of the past, 0 unknown.

        A deadline or "by"/"next" right before points forward, "last"/"since" back; otherwise the
        nearest tense cue in the sentence decides, a cue beyond a comma or dash counting less.
        """
        text = self.text
        if _DEADLINE_AFTER.match(text, end, min(len(text), end + 30)):
            return 1
        preceding = text[max(0, start - 25):start]
        if _FUTURE_BEFORE.search(preceding):
            return 1
        if _PAST_BEFORE.search(preceding):
            return -1
        if self._cues is None:
            cue_list = []
            for token in _WORD_TOKEN.finditer(text):
                sign = _cue_sign(token.group(), text, token.end())
                if sign:
                    cue_list.append((token.start(), token.end(), sign))
            self._cues = ([c[0] for c in cue_list], [c[1] for c in cue_list], [c[2] for c in cue_list])
        cue_starts, cue_ends, signs = self._cues
        s_start, s_end = self.sentence_bounds(start, end)
        best_distance, best = 10**9, 0
        # the few nearest cues on either side; a clause break or a weak cue (an -ed word, which
        # may be an adjective) counts as extra distance
        i = bisect_right(cue_starts, start) - 1
        while i >= 0 and cue_ends[i] > start:
            i -= 1
        for k in range(i, max(i - _CUES_PER_SIDE, -1), -1):
            if cue_starts[k] < s_start:
                break
            distance = start - cue_ends[k] + (60 if self.has_break(cue_ends[k], start) else 0) + _CUE_PENALTY[signs[k]]
            if distance < best_distance:
                best_distance, best = distance, signs[k]
        j = bisect_left(cue_starts, end)
        for k in range(j, min(j + _CUES_PER_SIDE, len(cue_starts))):
            if cue_ends[k] > s_end:
                break
            distance = cue_starts[k] - end + (60 if self.has_break(end, cue_starts[k]) else 0) + _CUE_PENALTY[signs[k]]
            if distance < best_distance:
                best_distance, best = distance, signs[k]
        return 1 if best > 0 else (-1 if best < 0 else 0)

    def event(self, start: int, end: int) -> str:
        """A short label for the clause the expression dates: the clause without the expression."""
        text = self.text
        s_start, s_end = self.sentence_bounds(start, end)
        breaks = self.breaks()
        i = bisect_left(breaks, start) - 1
        c_start = breaks[i] + 1 if i >= 0 and breaks[i] >= s_start else s_start
        j = bisect_left(breaks, end)
        c_end = breaks[j] if j < len(breaks) and breaks[j] < s_end else s_end
        # the label keeps at most 60 characters: never look at more than 80 on either side
        if start - c_start > 80:
            before = text[c_start:c_start + 80].rsplit(" ", 1)[0]
        else:
            before = text[c_start:start]
            before = before[:-25] + _PREPOSITION_AT_END.sub("", before[-25:])
        after = text[end:min(c_end, end + 80)]
        if c_end > end + 80:
            after = after.rsplit(" ", 1)[0]
        words = (before.strip() + " " + after.strip()).split()
        # "... in the 1960s and ’70s, when the nation was a partner": the when-clause is the event
        if len(after.split()) <= 2 and c_end < s_end:
            following = _WHEN_CLAUSE.match(text, c_end + 1, min(s_end, c_end + 200))
            if following:
                next_break = bisect_left(breaks, following.end())
                stop = breaks[next_break] if next_break < len(breaks) and breaks[next_break] < s_end else s_end
                candidate = text[following.end():min(stop, following.end() + 80)].split()
                if len(candidate) >= 3:
                    words = candidate
        if len(words) < 4:
            # too short to say anything: take the neighbouring clause as well
            more_after = text[c_end:min(s_end, c_end + 120)]
            if len(more_after.split()) >= 3:
                words += _CLAUSE_BREAK.sub(" ", more_after).split()
            else:
                more_before = text[max(s_start, c_start - 120):c_start]
                words = _CLAUSE_BREAK.sub(" ", more_before).split()[-8:] + words
        label = " ".join(" ".join(w.strip("“”\"'‘’") for w in words).strip(" ,.;:").split())
        label = _LEADING_FILLER.sub("", label)
        if len(label) > 60:
            cut = label[:58].rsplit(" ", 1)[0]
            # no dangling "in", "of the" before the ellipsis
            label = _DANGLING_WORDS.sub("", cut).rstrip(" ,;:") + "…"
        return label


# ---------------------------------------------------------------------------------------------
# Normalizers: each takes the match and the document state, returns (type, value) or None.


@dataclass
class _State:
    """What the expressions read so far say (the anchor of `that day`, `a year earlier`)."""

    reference: dt.date | None
    context: _Context
    last_day: dt.date | None = None
    last_quarter: tuple[int, int] | None = None
    last_year: int | None = None

    def remember_quarter(self, year: int, quarter: int) -> None:
        """Keep a quarter as the anchor of "a year earlier", "the latest period": only one that
        has ended by the article's date (reports compare finished quarters)."""
        if self.reference is None or (year, quarter) < (self.reference.year, (self.reference.month - 1) // 3 + 1):
            self.last_quarter = (year, quarter)


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _year_of(month: int, day: int, reference: dt.date | None, tense: int = 0) -> int | None:
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


def _two_digit_year(y: str, reference: dt.date | None) -> int:
    year = int(y)
    if len(y) == 4:
        return year
    pivot = (reference.year if reference else 2000) + 10
    century = pivot // 100 * 100
    year += century
    return year - 100 if year > pivot else year


def _date_value(year: int | None, month: int, day: int) -> tuple[str, dt.date | None]:
    if year is None:
        return f"XXXX-{month:02d}-{day:02d}", None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return "", None
    return date.isoformat(), date


def _norm(c: _Candidate, text: str, state: _State) -> tuple[str, str, int, int] | None:
    """(type, value, start, end) for a candidate, or None to drop it."""
    m, ref = c.match, state.reference
    g = m.groupdict()
    start, end = c.start, c.end
    rule = c.rule
    low = m.group().lower()

    if rule == "iso":
        value, date = _date_value(int(g["y"]), int(g["m"]), int(g["d"]))
        if not value:
            return None
        state.last_day = date
        if g["H"]:
            return "TIME", f"{value}T{g['H']}:{g['M']}", start, end
        return "DATE", value, start, end

    if rule == "slash":
        year = _two_digit_year(g["y"], ref)
        value, date = _date_value(year, int(g["m"]), int(g["d"]))
        if not value:
            return None
        state.last_day = date
        return "DATE", value, start, end

    if rule in ("month_day", "day_month"):
        month, day = _month_number(g["mon"]), int(g["d"])
        if not 1 <= day <= 31:
            return None
        if g["y"]:
            year = int(g["y"])
        else:
            year = _year_of(month, day, ref, state.context.tense(start, end))
        value, date = _date_value(year, month, day)
        if not value:
            return None
        state.last_day = date or state.last_day
        return "DATE", value, start, end

    if rule == "month":
        month = _month_number(g["mon"])
        mod = " ".join((g["mod"] or "").lower().split())
        if g["mon"] == "May" and not (g["y"] or g["rel"] or mod):
            before = text[max(0, start - 12):start].lower()
            if not _MAY_AS_MONTH_BEFORE.search(before):
                return None
        if g["mon"].rstrip(".").lower() in ("mar", "jun", "jul", "sep", "oct", "nov", "dec", "jan", "feb", "apr", "aug", "sept", "febr") and not g["y"]:
            if not g["mon"].endswith(".") and not mod:
                return None
        if g["y"]:
            year = int(g["y"])
        elif g["rel"] and ref:
            year = ref.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        elif ref is None:
            year = None
        elif mod in ("last", "this past"):
            # "last February" said in March is the February of last year, as in TimeBank
            year = ref.year if month < ref.month - 1 else ref.year - 1
        elif mod in ("next", "this coming"):
            year = ref.year if month > ref.month else ref.year + 1
        elif mod == "this":
            year = ref.year
        else:
            year = _year_of(month, 15, ref, state.context.tense(start, end))
        if mod in ("last", "this", "next", "this past", "this coming") and not g["y"]:
            pass
        value = f"{year:04d}-{month:02d}" if year is not None else f"XXXX-{month:02d}"
        if year is not None:
            state.last_year = year
        return "DATE", value, start, end

    if rule == "year":
        year = int(g["y"])
        mod = " ".join((g["mod"] or "").lower().split())
        after = text[end:end + 25]
        before = text[max(0, start - 3):start]
        if _DOLLAR_BEFORE.search(before):
            return None
        # "1990 shares", "2000 people": a count, unless a preposition or "fiscal" marks a year
        if not mod and (_COUNT_AFTER.match(after) or _COUNT_BEFORE.search(text, max(0, start - 20), start)):
            prior = text[max(0, start - 12):start].lower()
            if not _YEAR_PREPOSITION_BEFORE.search(prior):
                return None
        if g["y2"]:
            return "DATE", f"{year:04d}", start, end
        if mod in ("post", "pre"):
            return "DATE", f"{year:04d}", start, end
        state.last_year = year
        return "DATE", f"{year:04d}", start, end

    if rule == "spoken_year":
        if g["hi"]:
            low_part = _number(g["lo"])
            if not isinstance(low_part, float) and not isinstance(low_part, int):
                return None
            year = (19 if g["hi"].lower() == "nineteen" else 18) * 100 + int(low_part)
        else:
            year = 2000 + int(_number(g["lo2"]) or 0) if g["lo2"] else 2000
        state.last_year = year
        return "DATE", f"{year:04d}", start, end

    if rule == "year_adj":
        if state.last_quarter is not None and _mentions_quarter(text, start):
            year, q = state.last_quarter
            return "DATE", f"{year - 1:04d}-Q{q}", start, end
        if ref is None:
            return "DATE", "XXXX", start, end
        return "DATE", f"{(state.last_year or ref.year) - 1:04d}" if state.last_year == ref.year else f"{ref.year - 1:04d}", start, end

    if rule == "the_year":
        if g["end"]:
            start = m.start("end")
            if ref is None:
                return "DATE", "XXXX", start, end
            return "DATE", f"{ref.year:04d}", start, end
        start, end = m.start("span"), m.end("span")
        if g["ended"] or (g["fiscal"] and "fiscal" in g["fiscal"].lower() and not g["full"]):
            return "DURATION", "P1Y", start, end
        if not (g["for"] or g["full"]):
            return None
        year = ref.year if ref else state.last_year
        if year is None:
            return "DATE", "XXXX", start, end
        return "DATE", f"{year:04d}", start, end

    if rule == "decade":
        if g["full"]:
            value = f"{g['full']}{g['dec']}"
        else:
            decade = int(g["short"])
            century = 19
            if ref is not None and (ref.year // 100) * 100 + decade * 10 <= ref.year:
                century = ref.year // 100
            value = f"{century}{decade}"
        return "DATE", value, start, end

    if rule == "decade_word":
        decade = DECADE_WORDS[g["word"].lower()]
        century = 19
        if ref is not None and (ref.year // 100) * 100 + decade * 10 <= ref.year:
            century = ref.year // 100
        return "DATE", f"{century}{decade}", start, end

    if rule == "century":
        number = int(g["n"]) if g["n"] else ORDINALS[" ".join(g["ord"].lower().split())]
        if not 1 <= number <= 22:
            return None
        return "DATE", f"{number - 1:02d}", start, end

    if rule == "relday":
        word = " ".join(g["w"].lower().split())
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1,
                  "the day before yesterday": -2, "the day after tomorrow": 2}[word]
        part = (g["part"] or "").lower()
        if ref is None:
            return "DATE", "XXXX-XX-XX", start, end
        day = ref + dt.timedelta(days=offset)
        state.last_day = day
        if part:
            return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", start, end
        return "DATE", day.isoformat(), start, end

    if rule == "partofday":
        rel, part = g["rel"].lower(), g["part"].lower()
        offset = {"this": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
        if rel == "last" and part != "night":
            offset = -1
        if ref is None:
            return "TIME", f"XXXX-XX-XXT{PARTS_OF_DAY[part]}", start, end
        day = ref + dt.timedelta(days=offset)
        state.last_day = day
        return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", start, end

    if rule == "weekday":
        rel = " ".join((g["rel"] or "").lower().split())
        weekday = WEEKDAYS[g["wd"].lower()]
        if rel in ("on", "early", "late", "past", "coming"):
            # keep the preposition out of the span ("on Friday"), as TimeML does
            if rel in ("on", "past", "coming"):
                start = m.start("wd")
            rel = {"past": "last", "coming": "next"}.get(rel, "")
        if ref is None:
            value = f"XXXX-WXX-{weekday}"
            return "DATE", value, start, end
        if rel in ("last", "this past", "the previous"):
            direction = -1
        elif rel in ("next", "this coming", "the following"):
            direction = 1
        elif rel == "this":
            direction = state.context.tense(start, end) or 1
            direction = 2 * direction
        else:
            direction = state.context.tense(start, end) or -1
            direction = 2 * direction  # the article's own weekday is the article's day
        if abs(direction) == 2:
            day = ref if weekday == ref.isoweekday() else _weekday_date(ref, weekday, direction // 2)
        else:
            day = _weekday_date(ref, weekday, direction)
        state.last_day = day
        return "DATE", day.isoformat(), start, end

    if rule == "weekday_set":
        name = (g["wd"] or g["wds"][:-1]).lower()
        part = (g["part"] or "").lower()
        value = f"XXXX-WXX-{WEEKDAYS[name]}" + (f"T{PARTS_OF_DAY[part]}" if part else "")
        return "SET", value, start, end

    if rule == "time":
        if g["word"]:
            hour, minute = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[g["word"].lower()]
        elif g["h24"]:
            hour, minute = int(g["h24"]), int(g["min24"])
            if not g["day1"] and not g["day2"]:
                return None  # "13:30" alone is too often a score or a ratio
        elif g["oc"]:
            hour, minute = int(g["oc"]), 0
        else:
            hour, minute = int(g["h"]), int(g["min"] or 0)
            if hour > 12:
                return None
            if "p" in g["ampm"].lower() and hour < 12:
                hour += 12
            elif "a" in g["ampm"].lower() and hour == 12:
                hour = 0
        day_word = (g["day1"] or g["day2"] or "").lower()
        day: dt.date | None
        if ref is None:
            day = None
        elif day_word in WEEKDAYS:
            direction = state.context.tense(start, end) or -1
            day = ref if WEEKDAYS[day_word] == ref.isoweekday() else _weekday_date(ref, WEEKDAYS[day_word], direction)
        elif day_word:
            day = ref + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[day_word])
        else:
            day = state.last_day or ref
        if g["mon"] and day is not None:
            try:
                day = dt.date(day.year, _month_number(g["mon"]), int(g["d"]))
            except ValueError:
                pass
        elif g["mon2"]:
            month, mday = _month_number(g["mon2"]), int(g["d2"])
            year = _year_of(month, mday, ref, state.context.tense(start, end))
            value, date = _date_value(year, month, mday)
            day = date if date is not None else day
        if day is not None:
            state.last_day = day
        prefix = day.isoformat() if day is not None else "XXXX-XX-XX"
        if hour == 24:
            return "TIME", f"{prefix}T24:00", start, end
        return "TIME", f"{prefix}T{hour:02d}:{minute:02d}", start, end

    if rule == "relunit":
        rel = " ".join(g["rel"].lower().split())
        if g["unit"][0].isupper() and not g["unit"].isupper():
            return None  # "This Week", a programme's title
        unit = g["unit"].lower()
        mod = " ".join((g["mod"] or "").lower().split())
        if unit == "autumn":
            unit = "fall"
        if rel in ("the past", "past") and unit in ("week", "month", "year", "decade", "century", "quarter"):
            return "DURATION", _duration_value(1, unit), start, end
        if rel in ("the same", "that", "the following", "the prior") and unit in ("week", "month", "year", "quarter"):
            anchor = state.last_day or (dt.date(state.last_year, 7, 1) if state.last_year else None)
            if unit == "year" and state.last_year:
                anchor = dt.date(state.last_year, 7, 1)
            if anchor is None:
                return None
            shift = {"the same": 0, "that": 0, "the following": 1, "the prior": -1}[rel]
            if unit == "quarter" and state.last_quarter:
                year, q = state.last_quarter
                index = year * 4 + q - 1 + shift
                return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", start, end
            target = _shift(anchor, unit, shift)
            if target is None:
                return None
            return "DATE", _format(target, GRAIN[unit]), start, end
        step = {"last": -1, "this": 0, "next": 1, "the coming": 1, "the current": 0, "this coming": 1,
                "this past": -1, "the previous": -1, "the following": 1, "the same": 0, "that": 0,
                "the prior": -1}.get(rel, 0)
        if unit in SEASONS or unit == "fall":
            code = SEASONS[unit]
            if ref is None:
                return "DATE", f"XXXX-{code}", start, end
            return "DATE", _season_value(code, step, ref), start, end
        if unit == "season":
            return None
        if ref is None:
            grain = "week" if unit == "weekend" else GRAIN[unit]
            return "DATE", _UNKNOWN[grain] + ("-WE" if unit == "weekend" else ""), start, end
        if unit == "weekend":
            anchor = ref + dt.timedelta(days=7 * step)
            if step == 0 and ref.isoweekday() <= 2:
                anchor = ref - dt.timedelta(days=7)
            return "DATE", _format(anchor, "week") + "-WE", start, end
        if unit == "quarter":
            if rel == "this" and state.context.tense(start, end) < 0:
                step = -1  # "this quarter's loss included...": the quarter just reported
            q = (ref.month - 1) // 3 + step
            index = ref.year * 4 + q
            if rel == "this" and state.last_quarter is None:
                pass
            value = f"{index // 4:04d}-Q{index % 4 + 1}"
            state.remember_quarter(index // 4, index % 4 + 1)
            return "DATE", value, start, end
        target = _shift(ref, unit, step)
        if target is None:
            return None
        if unit == "year":
            state.last_year = target.year
        return "DATE", _format(target, GRAIN[unit]), start, end

    if rule == "end_of":
        unit = g["unit"].lower()
        if ref is None:
            return "DATE", _UNKNOWN[GRAIN[unit]], start, end
        return "DATE", _format(ref, GRAIN[unit]), start, end

    if rule == "season":
        rel = " ".join((g["rel"] or "").lower().split())
        code = SEASONS[g["s"].lower()]
        if g["y"]:
            return "DATE", f"{g['y']}-{code}", start, end
        if not rel and not g["mod"]:
            return None
        if rel == "in the":
            start = m.start("rel") + 3
        if ref is None:
            return "DATE", f"XXXX-{code}", start, end
        tense = state.context.tense(start, end)
        return "DATE", _season_value(code, -1 if tense < 0 else (1 if tense > 0 else 0), ref, nearest=True), start, end

    if rule == "weekend":
        rel = " ".join(g["rel"].lower().split())
        if rel == "over the":
            start = m.start() + len(m.group()) - len("the weekend")
        if ref is None:
            return "DATE", "XXXX-WXX-WE", start, end
        if rel == "last":
            anchor = ref - dt.timedelta(days=7)
        elif rel == "next":
            anchor = ref + dt.timedelta(days=7)
        elif rel == "that":
            anchor = state.last_day or ref
        else:
            tense = state.context.tense(start, end)
            anchor = ref - dt.timedelta(days=7) if (tense < 0 and ref.isoweekday() < 6) else ref
        return "DATE", _format(anchor, "week") + "-WE", start, end

    if rule == "ago":
        number = _number(g["num"])
        unit = _unit_key(g["unit"])
        direction = " ".join(g["dir"].lower().split())
        if number is None or unit not in UNITS:
            return None
        if direction in ("before", "after"):
            # "two days after the vote" is a duration in TimeML
            end = m.end("unit")
            return "DURATION", _duration_value(number, unit), start, end
        sign = 1 if direction in ("later", "from now", "hence") else -1
        if number == "X":
            if direction in ("earlier", "later"):
                return "DURATION", _duration_value("X", unit), start, m.end("unit")
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", start, end
        anchor = ref
        if direction in ("earlier", "later", "previously"):
            if unit in ("year",) and state.last_quarter is not None:
                year, q = state.last_quarter
                return "DATE", f"{year + sign * int(number):04d}-Q{q}", start, end
            anchor = state.last_day or ref
        elif unit == "year" and state.last_quarter is not None and _mentions_quarter(text, start):
            year, q = state.last_quarter
            return "DATE", f"{year - int(number):04d}-Q{q}", start, end
        if anchor is None:
            return "DATE", _UNKNOWN[GRAIN[unit]], start, end
        amount = int(number) if float(number) == int(number) else None
        if amount is None:
            return None
        target = _shift(anchor, unit, sign * amount) if unit not in ("year", "decade", "century") else _shift_year(anchor, unit, sign * amount)
        if target is None:
            return None
        return "DATE", _format(target, GRAIN[unit]), start, end

    if rule == "duration":
        number = _number(g["num"])
        unit = _unit_key(g["unit"])
        if number is None or unit not in UNITS:
            return None
        num_text = g["num"].lower()
        det = " ".join((g["det"] or "").lower().split())
        if num_text in ("a", "an") and not det and not g["approx"] and "-" not in g["sep"]:
            before = text[max(0, start - 30):start]
            previous = _LAST_WORD.search(before)
            if previous and previous.group(1).lower() in ("hours", "days"):
                return None  # "24 hours a day"
            if _QUANTITY_BEFORE_SET.search(before) or (previous and previous.group(1).lower() not in _DURATION_LICENSORS):
                return "SET", _duration_value(1, unit), start, end
        if num_text in ("a", "an") and det in ("the", "the first", "the last", "the past", "the next"):
            return None
        if num_text in ("some", "many", "few") and not det and not g["approx"]:
            return None
        if isinstance(number, float) and g["num"][0].isdigit() and number > 1000 and unit != "year":
            return None
        if g["adj"] and "old" in g["adj"].lower():
            return None
        if g["unit"][0].isupper() and g["num"][0].isdigit():
            return None  # "60 Minutes", a title
        if unit == "quarter" and _OF_AFTER.match(text, end):
            return None  # "three-quarters of its food": a fraction
        if _AROUND_THE_CLOCK.match(text, end):
            return None  # "24 hours a day, seven days a week": a manner, not a span of time
        if det == "the" and "-" in g["sep"]:
            start = m.start("num")  # "the 14-day period": TimeML tags "14-day"
        if num_text in ("a", "an") and unit in ("second", "minute") and not det:
            return None
        return "DURATION", _duration_value(number, unit), start, end

    if rule == "bare_units":
        word = (g["unit"] or g["unit2"]).lower()
        if g["unit"]:
            start = m.start("unit")
        else:
            end = m.start("unit2") + len(word)
        unit = _unit_key(word)
        return "DURATION", _duration_value("X", unit), start, end

    if rule == "vague":
        if g["now"]:
            return "DATE", "PRESENT_REF", m.start("now"), m.end("now")
        if g["present"]:
            phrase = " ".join(g["present"].lower().split())
            if phrase == "at this time":
                return "DATE", "PRESENT_REF", start + 3, end
            return "DATE", "PRESENT_REF", start, end
        if g["past"]:
            phrase = " ".join(g["past"].lower().split())
            if phrase.startswith("in "):
                start += 3
            return "DATE", "PAST_REF", start, end
        if g["future"]:
            phrase = " ".join(g["future"].lower().split())
            if phrase.startswith("in "):
                start += 3
            return "DATE", "FUTURE_REF", start, end
        return None

    if rule == "set":
        if g["adv"]:
            adv = g["adv"].lower()
            unit = {"daily": "D", "weekly": "W", "monthly": "M", "annually": "Y", "yearly": "Y", "hourly": "TH",
                    "nightly": "D", "biweekly": "W", "semiannually": "M"}[adv]
            amount = {"biweekly": 2, "semiannually": 6}.get(adv, 1)
            return "SET", (f"PT{amount}H" if unit == "TH" else f"P{amount}{unit}"), start, end
        unit_word = (g["unit"] or g["unit2"]).lower()
        if unit_word in ("morning", "evening", "night"):
            return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit_word]}", start, end
        if unit_word in SEASONS:
            return "SET", f"XXXX-{SEASONS[unit_word]}", start, end
        if unit_word == "weekend":
            return "SET", "XXXX-WXX-WE", start, end
        amount = 1
        if g["n"]:
            amount = 2 if g["n"].lower() == "other" else int(_number(g["n"]) or 1)
        return "SET", _duration_value(amount, unit_word), start, end

    if rule == "quarter":
        return _quarter(m, g, start, end, state, text)

    if rule == "holiday":
        if ref is None:
            return "DATE", "XXXX-XX-XX", start, end
        rel = (g["rel"] or "").lower()
        name = g["h"]
        date = _holiday(name, ref.year)
        if date is None:
            return None
        if rel == "last" or (not rel and date > ref + dt.timedelta(days=30) and state.context.tense(start, end) < 0):
            if date >= ref:
                date = _holiday(name, ref.year - 1)
        elif rel == "next" and date <= ref:
            date = _holiday(name, ref.year + 1)
        if date is None:
            return None
        state.last_day = date
        if g["week"]:
            return "DATE", _format(date, "week"), start, end
        return "DATE", date.isoformat(), start, end

    if rule == "sameday":
        phrase = " ".join(low.split())
        if phrase.endswith("year") or phrase.endswith("year before"):
            base = state.last_year or (state.last_day.year if state.last_day else None)
            if base is None:
                return None
            shift = 1 if ("following" in phrase or "next" in phrase) else (-1 if ("previous" in phrase or "before" in phrase) else 0)
            return "DATE", f"{base + shift:04d}", start, end
        anchor = state.last_day or ref
        if anchor is None:
            return "DATE", "XXXX-XX-XX", start, end
        shift = 1 if ("next" in phrase or "following" in phrase) else (-1 if ("before" in phrase or "previous" in phrase) else 0)
        day = anchor + dt.timedelta(days=shift)
        return "DATE", day.isoformat(), start, end
    return None


def _mentions_quarter(text: str, start: int) -> bool:
    window = text[max(0, start - 200):start + 60].lower()
    return "quarter" in window or "period" in window


def _shift_year(anchor: dt.date, unit: str, n: int) -> dt.date | None:
    years = n * {"year": 1, "decade": 10, "century": 100}[unit]
    try:
        return dt.date(anchor.year + years, 1, 1)
    except ValueError:
        return None


def _season_value(code: str, step: int, ref: dt.date, nearest: bool = False) -> str:
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


def _current_quarter(state: _State) -> tuple[int, int] | None:
    """The quarter "the quarter" refers to: the last one the text named, else the one before the
    article's (earnings reports describe the quarter just ended); None without either."""
    if state.last_quarter is not None:
        return state.last_quarter
    ref = state.reference
    if ref is None:
        return None
    index = ref.year * 4 + (ref.month - 1) // 3 - 1
    return index // 4, index % 4 + 1


def _quarter(m: re.Match, g: dict, start: int, end: int, state: _State, text: str):
    ref = state.reference
    if g["qp"]:
        # "the 1988 period", "last year's quarter", "the year-ago third quarter"
        if g["qp"].lower() == "period" and not _mentions_quarter(text, start) and state.last_quarter is None:
            return None
        current = _current_quarter(state)
        if current is None:
            return "DATE", "XXXX-QX", start, end
        year, q = current
        if g["ord2"]:
            q = ORDINALS[g["ord2"].lower()]
        year = int(g["yq"]) if g["yq"] else year - 1
        return "DATE", f"{year:04d}-Q{q}", start, end
    if g["the"]:
        current = _current_quarter(state)
        if current is None:
            return "DATE", "XXXX-QX", start, end
        year, q = current
        return "DATE", f"{year:04d}-Q{q}", start, end
    word = " ".join(g["ord"].lower().split())
    if text[m.end("ord"):m.end("ord") + 1] == "-" and m.group().lower().startswith("the ") and not g["yr"]:
        # "the third-quarter loss": TimeML tags "third-quarter" ("fiscal second-quarter" keeps "fiscal")
        fiscal = _FISCAL_BEFORE.search(text[max(start, m.start("ord") - 12):m.start("ord")])
        start = m.start("ord") - (len(fiscal.group()) if fiscal else 0)
    if g["half"]:
        if word not in ("first", "second", "1st", "2nd"):
            return None
        half = 1 if word in ("first", "1st") else 2
        year = int(g["y"] or g["y2"] or 0) or (ref.year if ref else None)
        if g["yr"] and ref and not g["y"]:
            year = ref.year + (-1 if g["yr"].lower().startswith("last") else (1 if g["yr"].lower().startswith("next") else 0))
        if year is None:
            return "DATE", f"XXXX-H{half}", start, end
        if ref is not None and not (g["y"] or g["y2"] or g["yr"]) and half == 2 and ref.month <= 6:
            year -= 1
        return "DATE", f"{year:04d}-H{half}", start, end
    if g["period"] and word not in ("year-earlier", "year-ago", "same", "comparable", "latest", "current", "just-ended", "just ended", "recent", "past", "previous", "prior"):
        return None
    ordinal = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}.get(word)
    if g["period"] and state.last_quarter is None and not _mentions_quarter(text, start):
        return None
    if ordinal is not None:
        if g["y"] or g["y2"]:
            year = int(g["y"] or g["y2"])
        elif g["yr"] and ref is not None:
            year = ref.year + (-1 if g["yr"].lower().startswith("last") else (1 if g["yr"].lower().startswith("next") else 0))
        elif ref is not None:
            current = (ref.month - 1) // 3 + 1
            year = ref.year
            if ordinal > current and (ordinal - current) >= (current + 4 - ordinal):
                year -= 1
        elif state.last_quarter is not None:
            year = state.last_quarter[0]
        else:
            return "DATE", f"XXXX-Q{ordinal}", start, end
        state.remember_quarter(year, ordinal)
        return "DATE", f"{year:04d}-Q{ordinal}", start, end
    # relative quarters: latest, current, previous, year-earlier, ...
    if state.last_quarter is not None:
        year, q = state.last_quarter
    elif ref is not None:
        index = ref.year * 4 + (ref.month - 1) // 3 - 1
        year, q = index // 4, index % 4 + 1
    else:
        return "DATE", "XXXX-QX", start, end
    index = year * 4 + q - 1
    if word in ("year-earlier", "year-ago", "comparable"):
        index -= 4
    elif word in ("previous", "prior", "last") and g["q"]:
        index -= 1
    elif word in ("next", "coming"):
        index += 1
    if word in ("latest", "current", "recent", "just-ended", "just ended", "past", "last") and state.last_quarter is None:
        state.remember_quarter(index // 4, index % 4 + 1)
    return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", start, end


# ---------------------------------------------------------------------------------------------
# Intervals


_VALUE_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})|T(MO|AF|EV|NI))?$")
_VALUE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_VALUE_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_VALUE_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$")
_VALUE_YEARS = re.compile(r"^(\d{2,4})$")
_DURATION_PARTS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


_MIN_YEAR, _MAX_YEAR = 1678, 2261  # what a pandas Timestamp can hold


def _moment(year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0) -> dt.datetime | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _bounds(value: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(earliest, latest) of a TIMEX3 date value as datetimes, both inclusive; None when unplaced."""
    none = (None, None)
    match = _VALUE_DAY.match(value)
    if match:
        y, mo, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if match.group(4):
            moment = _moment(y, mo, d, int(match.group(4)) % 24, int(match.group(5)))
        else:
            moment = _moment(y, mo, d)
        return moment, moment
    match = _VALUE_MONTH.match(value)
    if match:
        first = _moment(int(match.group(1)), int(match.group(2)))
        if first is None:
            return none
        return first, _add_months_dt(first, 1) - dt.timedelta(days=1)
    match = _VALUE_WEEK.match(value)
    if match:
        try:
            monday = dt.datetime.combine(dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1), dt.time())
        except ValueError:
            return none
        if not _MIN_YEAR <= monday.year <= _MAX_YEAR:
            return none
        if match.group(3):
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    match = _VALUE_QUARTER.match(value)
    if match:
        year, part = int(match.group(1)), match.group(2)
        first_month, months = {
            "Q1": (1, 3), "Q2": (4, 3), "Q3": (7, 3), "Q4": (10, 3), "H1": (1, 6), "H2": (7, 6),
            "SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3),
        }[part]
        first = _moment(year, first_month)
        if first is None:
            return none
        return first, _add_months_dt(first, months) - dt.timedelta(days=1)
    match = _VALUE_YEARS.match(value)
    if match:
        digits = match.group(1)
        span = {4: 1, 3: 10, 2: 100}[len(digits)]
        first_year = int(digits) * {4: 1, 3: 10, 2: 100}[len(digits)]
        first, last = _moment(first_year), _moment(first_year + span - 1, 12, 31)
        return (none if first is None or last is None else (first, last))
    return none


def _add_months_dt(moment: dt.datetime, months: int) -> dt.datetime:
    day = _add_months(moment.date(), months)
    return dt.datetime(day.year, day.month, 1)


def interval(value: str) -> tuple:
    """(earliest, latest) calendar bounds of a TIMEX3 date value, both inclusive, as Timestamps.

    A day gives that day twice; `2019-01` gives Jan 1 and Jan 31; `196` gives 1960-01-01 and
    1969-12-31; a time gives the same instant twice. NaT for values that are not on a calendar.
    """
    return tuple(pd.NaT if moment is None else pd.Timestamp(moment) for moment in _bounds(value))


def _duration_days(value: str) -> float | None:
    match = _DURATION_PARTS.match(value)
    if not match or value in ("P", "PT"):
        return None
    y, mo, w, d, h, mi, s = (int(x) if x else 0 for x in match.groups())
    return y * 365.25 + mo * 30.44 + w * 7 + d + h / 24 + mi / 1440 + s / 86400


# ---------------------------------------------------------------------------------------------
# The extractor


def _anchor_hits(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each rule, the (start, end) of the words in `text` that can anchor it."""
    hits: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    anchor_rules = ANCHOR_WORDS.get
    for token in _WORD_TOKEN.finditer(text):
        word = token.group()
        if not word[0].isdigit():
            # most words anchor nothing: look them up before asking where they are
            lower = word.lower()
            rules = anchor_rules(lower)
            if rules is None:
                if lower == "a" or lower == "p":
                    end = token.end()
                    if end + 2 <= n and text[end] == "." and text[end + 1:end + 2] in "mM":
                        rules = ("time",)
                elif lower == "s":
                    start = token.start()
                    if start >= 3 and text[start - 1] == "0":
                        rules = ("decade",)
                if rules is None:
                    continue
            start, end = token.span()
        else:
            start, end = token.span()
            following = text[end:end + 1]
            rules = []
            if len(word) == 4 and word.isdigit() and "1100" <= word <= "2099":
                rules += ["year", "iso"] if following == "-" else ["year"]
            if word.endswith("0s") and word[:-1].isdigit():
                rules.append("decade")
            if word.isdigit() and following in ("/", ":", "."):
                rules += ["slash", "time"]
            elif word.isdigit() and len(word) <= 2:
                rules.append("time")
        for rule in rules:
            hits.setdefault(rule, []).append((start, end))
    return hits


def _windows(text: str, spans: list[tuple[int, int]], back: int, forward: int) -> list[tuple[int, int]]:
    """Merged (start, end) windows around anchor spans, never cutting a word at the end."""
    windows: list[tuple[int, int]] = []
    n = len(text)
    for hit_start, hit_end in spans:
        start = max(0, hit_start - back)
        end = min(n, hit_end + forward)
        stop = min(n, end + 30)
        while end < stop and text[end].isalnum():
            end += 1
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def _candidates(text: str) -> list[_Candidate]:
    found = []
    seen: set[tuple[int, int, str]] = set()
    hits = _anchor_hits(text)
    for name, pattern in RULES:
        spans = hits.get(name)
        if not spans:
            continue
        required = REQUIRED.get(name)
        for w_start, w_end in _windows(text, spans, *REACH[name]):
            if required is not None and not required.search(text, w_start, w_end):
                continue
            for match in pattern.finditer(text, w_start, w_end):
                key = (match.start(), match.end(), name)
                if match.end() > match.start() and key not in seen:
                    seen.add(key)
                    found.append(_Candidate(match.start(), match.end(), name, match))
    return found


def _clusters(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Groups of overlapping candidates, in text order; each group in order of preference
    (longest first, then rule order). Pathological groups (> 64) keep text order."""
    candidates.sort(key=lambda c: (c.start, -c.end))
    groups: list[list[_Candidate]] = []
    cluster: list[_Candidate] = []
    cluster_end = -1
    for c in candidates:
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


def _normalized(text: str, state: "_State") -> list[tuple[str, str, int, int]]:
    """(type, value, start, end) of the expressions kept: in each group of overlapping
    candidates the most preferred that its rule accepts, then the next ones that fit beside it."""
    results: list[tuple[str, str, int, int]] = []
    for group in _clusters(_candidates(text)):
        picked: list[tuple[str, str, int, int]] = []
        for candidate in group:
            if any(candidate.start < p[3] and candidate.end > p[2] for p in picked):
                continue
            result = _norm(candidate, text, state)
            if result is None or not result[1] or result[3] <= result[2]:
                continue
            if any(result[2] < p[3] and result[3] > p[2] for p in picked):
                continue
            picked.append(result)
        results.extend(sorted(picked, key=lambda r: r[2]))
    return results


_DTYPES = {"text": str, "start": "int64", "end": "int64", "type": str, "value": str, "event": str}


_NAT = np.datetime64("NaT", "ns")


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


def _empty() -> pd.DataFrame:
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
    - `event`: a short label for the clause the expression dates.
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


def _timex_rows(text: str, reference_date) -> list[tuple]:
    """The rows of :func:`extract_timexes` as tuples in its column order."""
    if not isinstance(text, str) or not text.strip():
        return []
    reference = _parse_reference(reference_date)
    context = _Context(text)
    state = _State(reference=reference, context=context)
    rows = []
    for kind, value, start, end in _normalized(text, state):
        earliest, latest = _bounds(value) if kind in ("DATE", "TIME") else (None, None)
        if reference is not None:
            if value == "PRESENT_REF":
                earliest = latest = dt.datetime.combine(reference, dt.time())
            elif kind == "DURATION" and _ends_at_reference(context, start, end):
                days = _duration_days(value)
                if days is not None and days < 365.25 * 300:
                    latest = dt.datetime.combine(reference, dt.time())
                    earliest = latest - dt.timedelta(days=round(days))
                    if earliest.year < _MIN_YEAR:
                        earliest = latest = None
        rows.append((text[start:end], start, end, kind, value, earliest, latest, context.event(start, end)))
    return rows


_LEADS_TO_NOW = re.compile(r"(?:\b(?:for|over|in|during|the\s+past|the\s+last|past|last)\s+(?:(?:about|nearly|almost|some|more\s+than|over|roughly|the\s+past|the\s+last)\s+)?)$", re.I)


def _ends_at_reference(context: _Context, start: int, end: int) -> bool:
    """A duration that runs up to the article's date: "the past three years", "has ... for two decades"."""
    text = context.text
    span = text[start:end].lower()
    if _PAST_OR_LAST.match(span):
        return True
    before = text[max(0, start - 20):start]
    if not _LEADS_TO_NOW.search(before):
        return False
    s_start, _ = context.sentence_bounds(start, end)
    return bool(_PERFECT.search(text, s_start, start))


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
        empty = _empty()
        empty.insert(0, "doc_id", pd.Series(dtype=str))
        return empty
    return pd.concat(tables, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Corpus-level views for the timeline notebook (charts import matplotlib only when called)

TIMELINE_ROW_COLUMNS = ["label", "text", "type", "value", "earliest", "latest", "kind", "event"]


# Scripts the default chart font (DejaVu Sans) lacks would print as empty boxes in a label.
_UNPRINTABLE_IN_CHARTS = re.compile(r"[^\u0000-\u052f\u1e00-\u1fff\u2000-\u206f\u20a0-\u20bf\u2100-\u214f]+")


def _short(text: str, width: int) -> str:
    text = " ".join(_UNPRINTABLE_IN_CHARTS.sub(" ", str(text)).split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


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
        "label": [_short(f"{t}: {e}" if e else t, label_width) for t, e in zip(placed["text"], placed["event"])],
        "text": placed["text"].to_numpy(),
        "type": placed["type"].to_numpy(),
        "value": placed["value"].to_numpy(),
        "earliest": placed["earliest"].to_numpy(),
        "latest": placed["latest"].to_numpy(),
        "kind": ["day" if one else "span" for one in single_day],
        "event": placed["event"].to_numpy(),
    })
    return rows.sort_values(["earliest", "latest"], kind="stable").reset_index(drop=True)


def plot_article_timeline(rows: pd.DataFrame, reference_date, title: str = "", near_days: tuple[int, int] = (75, 10)):
    """Two panels sharing the rows of `timeline_rows`: the long view (years) and the weeks around
    the article's date, where days are points and longer expressions bars; the article's date is a
    dashed line. Returns the matplotlib figure."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    reference = pd.Timestamp(_parse_reference(reference_date))
    n = len(rows)
    fig, (ax_long, ax_near) = plt.subplots(
        1, 2, sharey=True, figsize=(12, max(3.0, 0.34 * n + 1.6)), gridspec_kw={"width_ratios": [3, 2], "wspace": 0.12})
    one_day = pd.Timedelta(days=1)
    near_start = reference - pd.Timedelta(days=near_days[0])
    near_end = max(reference + pd.Timedelta(days=near_days[1]),
                   min(rows["latest"].max() + pd.Timedelta(days=3), reference + pd.Timedelta(days=60)) if n else reference)
    for y, row in enumerate(rows.itertuples(index=False)):
        for ax in (ax_long, ax_near):
            if row.kind == "day":
                ax.plot([row.earliest], [y], "o", color="#C44E52", markersize=6, zorder=3)
            else:
                ax.barh(y, (row.latest + one_day) - row.earliest, left=row.earliest, height=0.55,
                        color="#4C72B0", alpha=0.85, zorder=2)
        if row.latest < near_start:
            # off the left edge of the near view: say where it is
            ax_near.annotate(f"◂ {row.earliest.year}", xy=(0, y), xycoords=("axes fraction", "data"),
                             xytext=(3, 0), textcoords="offset points", va="center", fontsize=8, color="#555555")
    first = rows["earliest"].min() if n else reference - pd.Timedelta(days=365)
    long_start = pd.Timestamp(year=max(first.year - 2, 1678), month=1, day=1)
    long_end = reference + pd.Timedelta(days=365)
    ax_long.set_xlim(long_start, long_end)
    span_years = max(1, long_end.year - long_start.year)
    step = next(b for b in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if span_years / b <= 8)
    ax_near.set_xlim(near_start, near_end)
    for ax in (ax_long, ax_near):
        ax.axvline(reference, color="#333333", linestyle="--", linewidth=1, zorder=1)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    ax_long.xaxis.set_major_locator(mdates.YearLocator(base=step))  # whole years only, never "2019 2019"
    ax_long.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax_near.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=5))
    ax_near.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    ax_long.set_yticks(range(n))
    ax_long.set_yticklabels(rows["label"], fontsize=8.5)
    ax_long.set_ylim(n - 0.4, -0.6)
    ax_long.set_xlabel("year (the long view)")
    ax_near.set_xlabel(f"date (the weeks around {reference:%b %d, %Y})")
    ax_long.set_ylabel("expression: the clause it dates")
    ax_near.tick_params(axis="y", length=0)
    ax_near.text(reference, -0.9, " article date", fontsize=8, color="#333333", va="bottom")
    ax_near.spines["left"].set_visible(False)
    fig.suptitle(title or "What the article dates, and when", x=0.01, ha="left", fontweight="bold", fontsize=12)
    return fig


def coverage(articles: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """Articles per day (when the corpus spans at most 120 days) or per week starting Monday.

    Columns: `period` (the day or the week's Monday), `articles`; periods without articles count 0.
    Undated articles are left out.
    """
    dates = pd.to_datetime(articles["date"], errors="coerce").dropna().dt.normalize()
    if dates.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "articles": pd.Series(dtype="int64")})
    if freq is None:
        freq = "D" if (dates.max() - dates.min()).days <= 120 else "W-MON"
    periods = dates if freq == "D" else dates.dt.to_period("W-SUN").dt.start_time
    counts = periods.value_counts().sort_index()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq="D" if freq == "D" else "7D")
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"period": counts.index.astype("datetime64[ns]"), "articles": counts.to_numpy(dtype="int64")})


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


OFFSET_BUCKETS = ["more than a year before", "a month to a year before", "a week to a month before",
                  "within the week before", "the article's day", "after the article's day"]


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


def plot_coverage(cover: pd.DataFrame, days: pd.DataFrame, labels: int = 5, title: str = ""):
    """Two panels on one time axis: articles per period (bars), and below, the single days the
    articles date (stems, height = mentions), the `labels` most mentioned labelled with their
    event. Days outside the coverage period (±2 weeks) are left out. Returns the figure."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, (ax_top, ax_bottom) = plt.subplots(2, 1, sharex=True, figsize=(11, 6.5), gridspec_kw={"height_ratios": [1, 1.3]})
    step = (cover["period"].iloc[1] - cover["period"].iloc[0]) if len(cover) > 1 else pd.Timedelta(days=1)
    ax_top.bar(cover["period"], cover["articles"], width=step * 0.85, align="edge", color="#4C72B0")
    ax_top.set_ylabel("articles per " + ("day" if step <= pd.Timedelta(days=1) else "week"))
    start = cover["period"].min() - pd.Timedelta(days=14)
    end = cover["period"].max() + step + pd.Timedelta(days=14)
    shown = days[(days["day"] >= start) & (days["day"] <= end)]
    ax_bottom.vlines(shown["day"], 0, shown["mentions"], color="#C44E52", linewidth=1.5)
    ax_bottom.plot(shown["day"], shown["mentions"], "o", color="#C44E52", markersize=4)
    top = shown.nlargest(labels, "mentions") if len(shown) else shown
    height = max(int(shown["mentions"].max()) if len(shown) else 1, 1)
    for i, row in enumerate(top.sort_values("day").itertuples(index=False)):
        # staggered heights keep neighbouring labels apart
        ax_bottom.annotate(_short(f"{row.day:%b %d}: {row.event}", 42), xy=(row.day, row.mentions),
                           xytext=(row.day, height * (1.15 + 0.22 * (i % 4))), fontsize=8, ha="center",
                           arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6})
    ax_bottom.set_ylim(0, height * 2.1)
    from matplotlib.ticker import MaxNLocator

    for ax in (ax_top, ax_bottom):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
    ax_bottom.set_ylabel("mentions of the day")
    ax_bottom.set_xlabel("date")
    ax_bottom.set_xlim(start, end)
    ax_bottom.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))
    ax_bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax_bottom.xaxis.get_major_locator()))
    ax_top.set_title(title or "When the articles were published, and which days they date")
    ax_bottom.set_title("Days the articles refer to", fontsize=10, fontweight="normal")
    fig.tight_layout()
    return fig
