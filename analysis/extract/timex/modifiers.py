"""The TIMEX3 `mod` of an expression, read off the words it begins (or ends) with, and the part of
its calendar interval that `early`, `mid-` and `late` leave.

TimeML keeps such words inside the span and the value unchanged: `mid-2018` has the value `2018`
and the mod `MID`, `nearly two decades` the value `P20Y` and the mod `LESS_THAN`. The table keeps
that convention and narrows `earliest`/`latest` instead: `early 1990` runs from January to about
April, `late November` from the 21st to the 30th (the first, middle or last third).
"""

from __future__ import annotations

import datetime as dt
import re

# (leading words, mod), tried in order on the lower-case expression
_LEADING = (
    (re.compile(r"(?:the\s+)?(?:early\b|beginning\s+of\b|start\s+of\b|earlier\b)"), "START"),
    (re.compile(r"(?:the\s+)?(?:mid\b|middle\s+of\b)"), "MID"),
    (re.compile(r"(?:the\s+)?(?:late\b|end\s+of\b|later\b|year[’']?s?[\s-]+end\b)"), "END"),
    (re.compile(r"(?:at\s+least|no\s+less\s+than|no\s+fewer\s+than)\b"), "EQUAL_OR_MORE"),
    (re.compile(r"(?:at\s+most|no\s+more\s+than|up\s+to)\b"), "EQUAL_OR_LESS"),
    (re.compile(r"(?:nearly|almost|less\s+than|fewer\s+than|under|the\s+better\s+part\s+of)\b"), "LESS_THAN"),
    (re.compile(r"(?:more\s+than|well\s+over|over)\b"), "MORE_THAN"),
    (re.compile(r"(?:about|around|approximately|roughly|some)\b"), "APPROX"),
)
_OR_SO = re.compile(r"\bor\s+so$")
# TimeBank leaves these outside the span ("about [three years]"); they still make it approximate
_APPROX_BEFORE = re.compile(r"\b(?:about|around|approximately|roughly)\s+$", re.I)
_THIRD = {"START": 0, "MID": 1, "END": 2}
# "earlier this year" is START in TimeBank, but it means "before now", not "in the first third"
_NOT_A_THIRD = re.compile(r"(?:earlier|later)\b", re.I)


def modifier(text: str, before: str = "") -> str:
    """TimeML's `mod` for an expression as written ("" when it has none); `before` is the text
    just before it (an `about` there is outside the span but still counts)."""
    lower = " ".join(text.lower().split())
    for pattern, mod in _LEADING:
        if pattern.match(lower):
            return mod
    return "APPROX" if _OR_SO.search(lower) or _APPROX_BEFORE.search(before) else ""


def narrowed(earliest: dt.datetime | None, latest: dt.datetime | None, mod: str, text: str = "") -> tuple:
    """(earliest, latest) cut to the first, middle or last third for START, MID and END; as they
    are for any other mod, for `earlier`/`later` (`text` is the expression), for a missing end,
    and for an interval of a day or less."""
    if mod not in _THIRD or earliest is None or latest is None or (latest - earliest).days < 2 or _NOT_A_THIRD.match(text):
        return earliest, latest
    # both ends are inclusive days: a third of the days, rounded to whole days
    days = (latest - earliest).days + 1
    third = _THIRD[mod]
    first = earliest + dt.timedelta(days=round(days * third / 3))
    last = earliest + dt.timedelta(days=round(days * (third + 1) / 3) - 1)
    return first, last
