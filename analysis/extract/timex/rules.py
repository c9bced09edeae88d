"""The rule registry: one record per kind of temporal expression.

A `Rule` holds everything about one rule: its pattern, its normaliser (in
`analysis.extract.timex.normalise`), the words that anchor it, how far around an anchor its
pattern may reach, and an optional telltale a window must hold. Adding a rule is one `Rule(...)`
in :data:`RULES`, whose order is the order of preference between overlapping matches of equal
length.

Speed: most rules start with optional words, which the regex engine would try at every character.
Instead one pass over the words of a text finds each rule's obligatory words (its `anchors`, or a
token `token_anchor` accepts, such as a four-digit number for `year`); a rule then runs only in
the merged windows around them, reaching `reach[0]` characters before an anchor and `reach[1]`
after it. Every pattern is free of nested repetition, so the running time grows linearly with
the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from analysis.extract.timex import normalise as n
from analysis.extract.timex.vocab import (
    APPROX,
    DECADE_WORDS,
    MONTH,
    MONTHS,
    NUMBER,
    ORDINALS,
    PART_OF_DAY,
    PARTS_OF_DAY,
    SEASON,
    SEASONS,
    TIMEZONE,
    UNIT,
    WEEKDAY,
    WEEKDAYS,
    WEEKDAYS_PLURAL,
    YEAR,
    alternation,
    compile_rule,
    unit_words,
)

# The signature of a token anchor: (token, text, token start, token end) -> whether it anchors the
# rule. Token anchors are asked only about tokens that start with a digit or are one letter long
# (for any other token they must say no), and only when no rule lists the token as an anchor word.
TokenAnchor = Callable[[str, str, int, int], bool]


@dataclass(frozen=True)
class Rule:
    """One kind of temporal expression."""

    name: str
    pattern: re.Pattern
    normalise: Callable  # (match, text, State) -> (type, value, start, end) or None
    reach: tuple[int, int]  # characters searched before and after an anchor
    anchors: frozenset[str] = frozenset()  # lower-case words that anchor the rule
    token_anchor: TokenAnchor | None = None  # digits and one-letter tokens that anchor it
    required: re.Pattern | None = None  # a window without a match of this is not searched


def _four_digit_year(word: str, text: str, start: int, end: int) -> bool:
    return len(word) == 4 and word.isdigit() and "1100" <= word <= "2099"


def _iso_year(word: str, text: str, start: int, end: int) -> bool:
    return _four_digit_year(word, text, start, end) and text[end:end + 1] == "-"


def _decade_digits(word: str, text: str, start: int, end: int) -> bool:
    """1960s, and the `s` of ’70s (a token of its own after the digits)."""
    if word[0].isdigit():
        return word.endswith("0s") and word[:-1].isdigit()
    return word.lower() == "s" and start >= 3 and text[start - 1] == "0"


def _number_before_mark(word: str, text: str, start: int, end: int) -> bool:
    return word.isdigit() and text[end:end + 1] in ("/", ":", ".")


def _clock_digits(word: str, text: str, start: int, end: int) -> bool:
    """A number before / : . or of at most two digits; the `a`/`p` of a.m./p.m."""
    if word[0].isdigit():
        return word.isdigit() and (text[end:end + 1] in ("/", ":", ".") or len(word) <= 2)
    return word.lower() in ("a", "p") and end + 2 <= len(text) and text[end] == "." and text[end + 1:end + 2] in "mM"


_RELATIVE_DAYS = ["yesterday", "today", "tonight", "tomorrow"]
_PARTS = [*PARTS_OF_DAY, "mornings", "evenings", "nights"]
_UNITS = unit_words()

RULES: tuple[Rule, ...] = (
    Rule("iso", compile_rule(r"\b(?P<y>1[6-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
                             r"(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d))?\b(?!-)"),
         n.iso_date, (2, 20), token_anchor=_iso_year),
    Rule("slash", compile_rule(r"(?<![\d/.])(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>\d{4}|\d\d)\b(?![/.]\d)"),
         n.slash_date, (6, 8), token_anchor=_number_before_mark),
    Rule("month_day", compile_rule(
        r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?(?P<mon>" + MONTH + r")\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?![,.]?\d|:\d|\s*(?:%|percent|million|billion))"
        r"(?:(?:,\s*|\s+)" + YEAR + r"\b(?![,.]?\d))?"),
        n.month_and_day, (25, 16), frozenset(MONTHS)),
    Rule("day_month", compile_rule(
        r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + MONTH + r")"
        r"(?:,?\s+" + YEAR + r"\b(?![,.]?\d))?"),
        n.month_and_day, (25, 10), frozenset(MONTHS)),
    Rule("month", compile_rule(
        r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|"
        r"earlier\s+in|later\s+in|last|this|next|this\s+past|this\s+coming)(?:\s+|-))?(?P<mon>" + MONTH + r")"
        r"(?:(?:,\s*|\s+|\s+of\s+)" + YEAR + r"\b(?![,.]?\d)|\s+(?P<rel>this|last|next)\s+year\b|(?!\.?\s*[0-3]?\d\b))"),
        n.month, (25, 20), frozenset(MONTHS)),
    Rule("year", compile_rule(
        r"(?:(?P<mod>fiscal(?:\s+year)?|the\s+year|calendar|mid|early|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
        r"the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|post|pre)(?:\s+|-))?"
        r"(?<![\d$£€.,/:#])(?<!\d-)(?P<y>1[1-9]\d\d|20\d\d)(?:[-–](?P<y2>\d\d(?:\d\d)?))?\b(?![,.:/]?\d|\s*(?:%|percent)|-\w)"),
        n.year, (30, 12), token_anchor=_four_digit_year),
    Rule("spoken_year", compile_rule(
        r"\b(?:(?P<the>the\s+year)\s+)?(?:(?P<hi>nineteen|eighteen)[-\s]+(?P<lo>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|two\s+thousand(?:\s+and)?(?:[-\s]+(?P<lo2>one|two|three|four|five|six|seven|eight|nine|ten))?)\b"),
        n.spoken_year, (25, 40), frozenset(["nineteen", "eighteen", "thousand"])),
    Rule("year_adj", compile_rule(r"\b(?P<w>year-earlier|year-ago|prior-year|year-before)\b(?![\s-]+(?:quarter|period|third|second|first|fourth|month|week|levels?)\b)"),
         n.year_adjective, (8, 40), frozenset(["year", "years", "prior", "earlier", "ago", "before"])),
    Rule("the_year", compile_rule(
        r"\b(?:(?P<for>for|in|during)\s+)?(?P<span>the\s+(?:(?P<full>full|whole|entire)\s+)?(?P<fiscal>fiscal\s+|calendar\s+)?year)(?P<ended>\s+(?:ended|ending|to|through))?\b"
        r"|\b(?:by\s+)?(?P<end>year[’']s\s+end|year[-\s]end|the\s+end\s+of\s+the\s+year)\b"),
        n.the_year, (40, 20), frozenset(["year", "years", "end"])),
    Rule("decade", compile_rule(
        r"(?:\bthe\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?<![\d$£€.,])(?P<full>1[0-9]|20)(?P<dec>\d)0[’']?s\b|(?<!\w)[’'‘](?P<short>\d)0s\b)"),
        n.decade, (20, 4), token_anchor=_decade_digits),
    Rule("decade_word", compile_rule(
        r"\bthe\s+(?:(?P<mod>early|mid|late)[-\s]+)?(?P<word>" + alternation(DECADE_WORDS) + r")\b"),
        n.decade_word, (20, 2), frozenset(DECADE_WORDS)),
    Rule("century", compile_rule(
        r"(?:\bthe\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<ord>" + alternation(ORDINALS) + r"))[-\s]+century\b"),
        n.century, (30, 2), frozenset(["century", "centuries"])),
    Rule("relday", compile_rule(
        r"\b(?:(?P<mod>early|late)\s+)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow)"
        r"(?:\s+(?P<part>" + PART_OF_DAY + r"))?\b"),
        n.relative_day, (30, 14), frozenset(_RELATIVE_DAYS + _PARTS)),
    Rule("partofday", compile_rule(
        r"\b(?P<rel>this|last|tomorrow|yesterday)\s+(?P<part>" + PART_OF_DAY + r")\b"),
        n.part_of_day, (12, 2), frozenset(_RELATIVE_DAYS + _PARTS)),
    Rule("weekday", compile_rule(
        r"(?:\b(?P<rel>last|next|this\s+past|this\s+coming|this|past|coming|the\s+following|the\s+previous|on)\s+)?"
        r"(?P<wd>" + WEEKDAY + r")(?!\s*,?\s*" + MONTH + r")(?:\s+(?P<part>" + PART_OF_DAY + r")\b)?"),
        n.weekday, (20, 40), frozenset([*WEEKDAYS, *_PARTS])),
    Rule("weekday_set", compile_rule(
        r"(?:\b(?:every|each)\s+(?P<wd>" + WEEKDAY + r")|(?P<wds>" + WEEKDAYS_PLURAL + r")\b)"
        r"(?:\s+(?P<part>" + PART_OF_DAY + r")s?\b)?"),
        n.weekday_set, (8, 16), frozenset([*WEEKDAYS, *(w + "s" for w in WEEKDAYS), *_PARTS])),
    Rule("time", compile_rule(
        r"(?:\b(?P<day1>" + WEEKDAY + r"|yesterday|today|tomorrow)(?:,\s*|\s+)(?:at\s+)?)?"
        r"(?:(?<![\d.,:$])\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b)|(?P<h24>[01]\d|2[0-3]):(?P<min24>[0-5]\d)\b(?!:?\d)|\b(?P<word>noon|midnight|midday)\b|(?P<oc>[01]?\d)\s+o[’']clock\b)"
        + TIMEZONE +
        r"(?:(?:,\s*|\s+)(?:on\s+)?(?P<day2>" + WEEKDAY + r"|yesterday|today|tomorrow)(?:\s*,?\s*(?P<mon>" + MONTH + r")\s*(?P<d>[0-3]?\d)\b)?"
        r"|,\s*(?P<mon2>" + MONTH + r")\s*(?P<d2>[0-3]?\d)\b(?![,.]?\d))?"),
        n.clock_time, (30, 50), frozenset([*WEEKDAYS, *_RELATIVE_DAYS, "am", "pm", "noon", "midnight", "midday", "clock"]),
        token_anchor=_clock_digits,
        # a.m./p.m. after a digit, hh:mm, noon/midnight/midday or o'clock
        required=compile_rule(r"\d\s*[ap](?:\.\s?)?m|\d:\d|noon|midnight|midday|clock")),
    Rule("relunit", compile_rule(
        r"\b(?:(?P<mod>early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of)(?:\s+in|\s+|-))?"
        r"(?P<rel>last|this|next|the\s+coming|the\s+current|this\s+coming|this\s+past|the\s+previous|the\s+following|the\s+same|that|the\s+prior|the\s+past|past)"
        r"\s+(?:fiscal\s+)?(?P<unit>week|weekend|month|year|quarter|decade|century|" + SEASON + r"|season)\b"),
        n.relative_unit, (60, 2),
        frozenset(["week", "weekend", "month", "year", "quarter", "decade", "century", "season", *SEASONS])),
    Rule("end_of", compile_rule(
        r"\b(?:the\s+)?(?P<part>end|beginning|start|middle|rest)\s+of\s+the\s+(?P<unit>week|month|year|decade|century)\b"),
        n.end_of, (30, 2), frozenset(["week", "month", "year", "decade", "century"])),
    Rule("season", compile_rule(
        r"\b(?:(?P<rel>the|in\s+the)\s+)?(?:(?P<mod>early|late|mid)[-\s]+)?(?P<s>" + SEASON + r")(?:\s+(?:of\s+)?" + YEAR + r"\b)?"),
        n.season, (25, 12), frozenset([*SEASONS, "season"])),
    Rule("weekend", compile_rule(r"\b(?P<rel>the|this|last|next|over\s+the|that)\s+weekend\b"),
         n.weekend, (12, 2), frozenset(["weekend"])),
    Rule("ago", compile_rule(
        r"\b(?:(?P<approx>" + APPROX + r"|about|around|some|roughly|just|only|approximately)\s+)?(?P<num>" + NUMBER + r")(?:\s+more)?[\s-]+(?P<unit>" + UNIT + r")"
        r"\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence|previously)\b"),
        n.ago, (70, 12), frozenset([*_UNITS, "ago", "earlier", "later", "before", "after", "now", "hence", "previously"]),
        # every match holds its direction word
        required=compile_rule(r"ago|earlier|later|before|after|from|hence|previously")),
    Rule("duration", compile_rule(
        r"(?:\b(?P<approx>" + APPROX + r")\s+)?(?:\b(?P<det>the(?:\s+(?:past|last|next|first|previous|coming|final|remaining|same|following|latest|initial))?|(?:past|last|next|first|previous|coming|final|another))\s+)?"
        r"\b(?P<num>" + NUMBER + r")(?:\s+to\s+(?P<num2>" + NUMBER + r"))?(?:\s+(?:more|additional|full|consecutive|straight|other|long))?(?P<sep>[\s-]+)(?:(?:trading|business|working)\s+)?(?P<unit>" + UNIT + r")"
        r"(?P<adj>-long|-old|\s+long|\s+old)?\b(?!-old|[-\s]+of\s+age)"),
        n.duration, (70, 12), frozenset(_UNITS)),
    Rule("bare_units", compile_rule(
        r"(?:\b(?P<pre>for|in|over|within|take|takes|took|taken|taking|spent|last|lasted)\s+)(?P<unit>(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries))\b(?!\s+(?:ago|of|earlier|later|before|after))"
        r"|\b(?P<unit2>decades|years|months|weeks)-long\b"),
        n.bare_units, (12, 8), frozenset(_UNITS)),
    Rule("vague", compile_rule(
        r"\b(?:(?P<now>now)(?![-’']|\s+that\b)|(?P<present>currently|current(?=\s+[a-z])|at\s+present|presently|nowadays|these\s+days|at\s+the\s+moment|at\s+this\s+time)"
        r"|(?P<past>(?:more\s+)?recently|then[\s-]current(?=\s+[a-z])|lately|(?:days|weeks|months|years|decades)\s+ago|in\s+the\s+past|in\s+recent\s+(?:days|weeks|months|years|decades|quarters|times)|(?:recent|past)\s+(?:days|weeks|months|years|decades|quarters))"
        r"|(?P<future>in\s+the\s+(?:near\s+|distant\s+)?future|the\s+(?:near\s+|distant\s+)?future|in\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks|months|years|decades)|(?:the\s+)?coming\s+(?:days|weeks|months|years|decades|quarters)))\b"),
        n.vague, (20, 40),
        frozenset(["now", "current", "currently", "present", "presently", "nowadays", "days", "moment", "time", "recently", "lately",
                   "past", "recent", "future", "soon", "coming", "next", "ago"])),
    Rule("set", compile_rule(
        r"\b(?:(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually)"
        r"|(?:every|each)\s+(?P<mon>" + MONTH + r")(?!\s*[0-3]?\d\b)"
        r"|(?:every|each)\s+(?:(?P<n>other|two|three|four|five|six|seven|ten|\d+)\s+)?(?P<unit>day|night|morning|evening|week|weekend|month|year|hour|minute|summer|winter|spring|fall|quarter)s?"
        r"|(?P<freq>once|twice|three\s+times|four\s+times|\d+\s+times|times)\s+(?P<per>a|an|per|each|every)\s+(?P<unit2>day|week|month|year|hour|minute|decade|quarter))\b"),
        n.frequency, (20, 30),
        frozenset([*_PARTS, *SEASONS, "season", "weekend", "daily", "weekly", "monthly", "annually", "yearly", "hourly",
                   "nightly", "biweekly", "semiannually", "every", "each", "times", "once", "twice"])),
    Rule("quarter", compile_rule(
        r"(?:\bthe\s+)?(?:(?P<yr>this\s+year[’']s|last\s+year[’']s|next\s+year[’']s|(?P<y>1[6-9]\d\d|20\d\d)(?:[’']s)?)\s+)?(?:fiscal[\s-]+)?"
        r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|previous|prior|year-earlier|year-ago|same|comparable|recent|past|just-ended|just\s+ended|next|coming)"
        r"[\s-]+(?:fiscal[\s-]+)?(?:(?P<q>quarter)|(?P<half>half)|(?P<period>period))\b(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>1[6-9]\d\d|20\d\d)\b)?"
        r"|\bthe\s+(?:fiscal\s+)?(?P<the>quarter)\b(?!\s+(?:of\s+)?(?:a|an|the|century|mile|point|percent)\b|-)"
        r"|\b(?:the\s+)?(?:(?P<yq>1[6-9]\d\d|20\d\d)|(?P<lyq>last\s+year[’']s|the\s+year-ago|the\s+year-earlier|the\s+prior-year))\s+(?:(?P<ord2>first|second|third|fourth)\s+)?(?P<qp>quarter|period)\b"),
        n.quarter, (50, 25), frozenset(["quarter", "quarters", "half", "period"])),
    Rule("holiday", compile_rule(
        r"\b(?:(?P<rel>last|this|next)\s+)?(?P<h>(?-i:Christmas(?:\s+Day|\s+Eve)?|Thanksgiving(?:\s+Day)?|New\s+Year[’']s(?:\s+Day|\s+Eve)?|Easter(?:\s+Sunday)?|Election\s+Day|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day|Valentine[’']s\s+Day|Halloween|Boxing\s+Day))(?P<week>\s+week)?\b"),
        n.holiday, (10, 16),
        frozenset(["year", "years", "christmas", "thanksgiving", "easter", "election", "independence", "labor", "memorial",
                   "veterans", "valentine", "halloween", "boxing"])),
    Rule("sameday", compile_rule(
        r"\b(?:the\s+same\s+day|that\s+same\s+day|that\s+day|the\s+next\s+day|the\s+following\s+day|the\s+day\s+before|the\s+previous\s+day|the\s+next\s+morning|earlier\s+that\s+day|later\s+that\s+day|the\s+night\s+before|later\s+that\s+year|earlier\s+that\s+year|that\s+year|the\s+same\s+year|the\s+following\s+year|the\s+next\s+year|the\s+previous\s+year|the\s+year\s+before)\b"),
        n.same_day, (25, 10), frozenset(["day", "year", "night", "morning"])),
)

RULE_BY_NAME = {rule.name: rule for rule in RULES}
#: Each rule's position: of two overlapping matches of the same length, the earlier rule wins.
RULE_ORDER = {rule.name: i for i, rule in enumerate(RULES)}
