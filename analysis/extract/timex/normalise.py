"""The normalisers: one short function per rule, turning a match into a TIMEX3 type and value.

Each takes the rule's match, the whole text and the document `State` (the article's date, the
sentence/tense `Context`, and the day, year and quarter the text named last) and returns
`(type, value, start, end)` (the span may be trimmed: TimeML leaves "on" out of "on Friday") or
None to drop the match. A normaliser may update the state for the expressions after it.
The registry in `analysis.extract.timex.rules` pairs each rule's pattern with its normaliser.
"""

from __future__ import annotations

import datetime as dt
import re

from analysis.extract.timex.context import State
from analysis.extract.timex.dates import (
    UNKNOWN,
    date_value,
    duration_value,
    format_at,
    holiday as holiday_date,
    number as number_value,
    season_value,
    shift as shift_date,
    shift_year,
    two_digit_year,
    unit_key,
    weekday_date,
    year_of,
)
from analysis.extract.timex.vocab import (
    MONTH,
    compile_rule,
    DECADE_WORDS,
    DURATION_LICENSORS,
    GRAIN,
    MONTH_ABBREVIATIONS,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    UNITS,
    WEEKDAYS,
)

Result = tuple[str, str, int, int] | None

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
# "recent months": a stretch of units, not a vague reference ("recent days" and "recent decades"
# stay PAST_REF, as the seed's gold has them; "the coming weeks" stays FUTURE_REF)
_RECENT_UNITS = re.compile(r"\brecent\s+(weeks|months|years)$", re.I)
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
# "May" is a month only after these (else it is the verb): "in May", "since May", "early May"
_MAY_AS_MONTH_BEFORE = re.compile(r"\b(?:in|since|until|by|of|from|through|during|early|late|mid|last|this|next|before|after)\s+$")
_YEAR_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|by|of|from|until|for|during|year|before|after)\s+$")
_FISCAL_BEFORE = re.compile(r"fiscal[\s-]+$", re.I)
_DOLLAR_BEFORE = re.compile(r"[$£€]\s?$")


def _words(text: str | None) -> str:
    """Lower case, single spaces ("" for a group that did not match)."""
    return " ".join((text or "").lower().split())


def month_number(text: str) -> int:
    """The number of a month name or abbreviation as written ("Jan.", "March")."""
    return MONTHS[text.lower().rstrip(".")]


def mentions_quarter(text: str, start: int) -> bool:
    """Whether "quarter" or "period" is written near `start` (an earnings report's context)."""
    window = text[max(0, start - 200):start + 60].lower()
    return "quarter" in window or "period" in window


_FIGURES = re.compile(r"[$£€#%]|\b(?:cents|a\s+share|million|billion)\b", re.I)


def compares_figures(text: str, start: int) -> bool:
    """Whether amounts are written just before `start` ("up from $10 million a year ago"): a
    report comparing results, whose "a year ago" is the year-ago quarter when one is in view."""
    return bool(_FIGURES.search(text, max(0, start - 60), start))


def _century_of_decade(decade: int, ref: dt.date | None) -> int:
    """The century of a decade written without one (’70s, the sixties): the latest not after the article."""
    if ref is not None and (ref.year // 100) * 100 + decade * 10 <= ref.year:
        return ref.year // 100
    return 19


# ---------------------------------------------------------------------------------------------
# Explicit dates, months and years


def iso_date(m: re.Match, text: str, state: State) -> Result:
    """2019-01-25 (with an optional time: 2019-01-25T10:30)."""
    g = m.groupdict()
    value, date = date_value(int(g["y"]), int(g["m"]), int(g["d"]))
    if not value:
        return None
    state.last_day = date
    if g["H"]:
        return "TIME", f"{value}T{g['H']}:{g['M']}", m.start(), m.end()
    return "DATE", value, m.start(), m.end()


def slash_date(m: re.Match, text: str, state: State) -> Result:
    """1/25/19, 01/25/2019 (month first, as in US news)."""
    g = m.groupdict()
    year = two_digit_year(g["y"], state.reference)
    value, date = date_value(year, int(g["m"]), int(g["d"]))
    if not value:
        return None
    state.last_day = date
    return "DATE", value, m.start(), m.end()


def month_and_day(m: re.Match, text: str, state: State) -> Result:
    """Jan. 25, January 25, 2019, 25 January: a missing year from the article's date and the tense."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    month, day = month_number(g["mon"]), int(g["d"])
    if not 1 <= day <= 31:
        return None
    if g["y"]:
        year = int(g["y"])
    else:
        year = year_of(month, day, state.reference, state.context.tense(start, end))
    value, date = date_value(year, month, day)
    if not value:
        return None
    state.last_day = date or state.last_day
    return "DATE", value, start, end


def _month_year(g: dict, month: int, mod: str, state: State, start: int, end: int) -> int | None:
    """The year of a month name: written, "this/last/next year", "last February", or the tense's."""
    ref = state.reference
    if g["y"]:
        return int(g["y"])
    if g["rel"] and ref:
        return ref.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
    if ref is None:
        return None
    if mod in ("last", "this past"):
        # "last February" said in March is the February of last year, as in TimeBank
        return ref.year if month < ref.month - 1 else ref.year - 1
    if mod in ("next", "this coming"):
        return ref.year if month > ref.month else ref.year + 1
    if mod == "this":
        return ref.year
    return year_of(month, 15, ref, state.context.tense(start, end))


def month(m: re.Match, text: str, state: State) -> Result:
    """March, March 1996, early May, last February, December of this year. "May" alone must follow
    a preposition ("in May"; else it is the verb), an abbreviation its dot ("Mar." not "Mar")."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    number = month_number(g["mon"])
    mod = _words(g["mod"])
    if g["mon"] == "May" and not (g["y"] or g["rel"] or mod):
        before = text[max(0, start - 12):start].lower()
        if not _MAY_AS_MONTH_BEFORE.search(before):
            return None
    if g["mon"].rstrip(".").lower() in MONTH_ABBREVIATIONS and not g["y"]:
        if not g["mon"].endswith(".") and not mod:
            return None
    year = _month_year(g, number, mod, state, start, end)
    value = f"{year:04d}-{number:02d}" if year is not None else f"XXXX-{number:02d}"
    if year is not None:
        state.last_year = year
        state.last_month, state.last_month_end = (year, number), end
    return "DATE", value, start, end


def year(m: re.Match, text: str, state: State) -> Result:
    """1998, fiscal 1989, mid-1996, 1998-99; not a count ("1990 shares", "some 2000 people") or money."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    number = int(g["y"])
    mod = _words(g["mod"])
    after = text[end:end + 25]
    before = text[max(0, start - 3):start]
    if _DOLLAR_BEFORE.search(before):
        return None
    # "1990 shares", "2000 people": a count, unless a preposition or "fiscal" marks a year
    if not mod and (_COUNT_AFTER.match(after) or _COUNT_BEFORE.search(text, max(0, start - 20), start)):
        prior = text[max(0, start - 12):start].lower()
        if not _YEAR_PREPOSITION_BEFORE.search(prior):
            return None
    if g["y2"] or mod in ("post", "pre"):
        return "DATE", f"{number:04d}", start, end
    state.last_year = number
    return "DATE", f"{number:04d}", start, end


def spoken_year(m: re.Match, text: str, state: State) -> Result:
    """nineteen ninety-one, two thousand and two (broadcast transcripts)."""
    g = m.groupdict()
    if g["hi"]:
        low_part = number_value(g["lo"])
        if not isinstance(low_part, float) and not isinstance(low_part, int):
            return None
        number = (19 if g["hi"].lower() == "nineteen" else 18) * 100 + int(low_part)
    else:
        number = 2000 + int(number_value(g["lo2"]) or 0) if g["lo2"] else 2000
    state.last_year = number
    return "DATE", f"{number:04d}", m.start(), m.end()


def year_adjective(m: re.Match, text: str, state: State) -> Result:
    """year-earlier, year-ago: the year before the one in view (a quarter's, in a quarterly report)."""
    ref = state.reference
    start, end = m.start(), m.end()
    if state.last_quarter is not None and mentions_quarter(text, start):
        number, q = state.last_quarter
        return "DATE", f"{number - 1:04d}-Q{q}", start, end
    if ref is None:
        return "DATE", "XXXX", start, end
    return "DATE", f"{(state.last_year or ref.year) - 1:04d}" if state.last_year == ref.year else f"{ref.year - 1:04d}", start, end


def the_year(m: re.Match, text: str, state: State) -> Result:
    """for the year, the fiscal year ended (a duration), year-end, the end of the year."""
    g = m.groupdict()
    ref = state.reference
    end = m.end()
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
    number = ref.year if ref else state.last_year
    if number is None:
        return "DATE", "XXXX", start, end
    return "DATE", f"{number:04d}", start, end


def decade(m: re.Match, text: str, state: State) -> Result:
    """the 1960s, the early 1990s, ’70s (in the latest century that does not put it after the article)."""
    g = m.groupdict()
    if g["full"]:
        value = f"{g['full']}{g['dec']}"
    else:
        digit = int(g["short"])
        value = f"{_century_of_decade(digit, state.reference)}{digit}"
    return "DATE", value, m.start(), m.end()


def decade_word(m: re.Match, text: str, state: State) -> Result:
    """the sixties, the late seventies."""
    digit = DECADE_WORDS[m.group("word").lower()]
    return "DATE", f"{_century_of_decade(digit, state.reference)}{digit}", m.start(), m.end()


def century(m: re.Match, text: str, state: State) -> Result:
    """the 19th century, the twenty-first century (value: the first two digits of its years)."""
    g = m.groupdict()
    number = int(g["n"]) if g["n"] else ORDINALS[_words(g["ord"])]
    if not 1 <= number <= 22:
        return None
    return "DATE", f"{number - 1:02d}", m.start(), m.end()


# ---------------------------------------------------------------------------------------------
# Days and times relative to the article


def relative_day(m: re.Match, text: str, state: State) -> Result:
    """yesterday, today, tonight, tomorrow (morning), the day before yesterday."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1,
              "the day before yesterday": -2, "the day after tomorrow": 2}[_words(g["w"])]
    part = (g["part"] or "").lower()
    if state.reference is None:
        return "DATE", "XXXX-XX-XX", start, end
    day = state.reference + dt.timedelta(days=offset)
    state.last_day = day
    if part:
        return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", start, end
    return "DATE", day.isoformat(), start, end


def part_of_day(m: re.Match, text: str, state: State) -> Result:
    """this morning, last night, tomorrow evening."""
    rel, part = m.group("rel").lower(), m.group("part").lower()
    offset = {"this": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
    if state.reference is None:
        return "TIME", f"XXXX-XX-XXT{PARTS_OF_DAY[part]}", m.start(), m.end()
    day = state.reference + dt.timedelta(days=offset)
    state.last_day = day
    return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", m.start(), m.end()


def _weekday_direction(rel: str, state: State, start: int, end: int) -> int:
    """-1/+1 for last/next; for a bare weekday (or "this Friday") ±2: the tense's way, where the
    article's own weekday is the article's day."""
    if rel in ("last", "this past", "the previous"):
        return -1
    if rel in ("next", "this coming", "the following"):
        return 1
    if rel == "this":
        return 2 * (state.context.tense(start, end) or 1)
    return 2 * (state.context.tense(start, end) or -1)


def weekday(m: re.Match, text: str, state: State) -> Result:
    """Friday, on Friday, last Wednesday, next Monday, Thursday morning: the clause's tense decides."""
    ref = state.reference
    start, end = m.start(), m.end()
    rel = _words(m.group("rel"))
    number = WEEKDAYS[m.group("wd").lower()]
    if rel in ("on", "early", "late", "past", "coming"):
        # keep the preposition out of the span ("on Friday"), as TimeML does
        if rel in ("on", "past", "coming"):
            start = m.start("wd")
        rel = {"past": "last", "coming": "next"}.get(rel, "")
    if ref is None:
        return "DATE", f"XXXX-WXX-{number}", start, end
    direction = _weekday_direction(rel, state, start, end)
    if abs(direction) == 2:
        day = ref if number == ref.isoweekday() else weekday_date(ref, number, direction // 2)
    else:
        day = weekday_date(ref, number, direction)
    state.last_day = day
    # "Friday night" keeps the day's value: TimeBank and AQUAINT write 2019-01-25 far more often
    # than TimeML's 2019-01-25TNI
    return "DATE", day.isoformat(), start, end


def weekday_set(m: re.Match, text: str, state: State) -> Result:
    """every Monday, Fridays, Sunday mornings: a SET."""
    g = m.groupdict()
    name = (g["wd"] or g["wds"][:-1]).lower()
    part = (g["part"] or "").lower()
    value = f"XXXX-WXX-{WEEKDAYS[name]}" + (f"T{PARTS_OF_DAY[part]}" if part else "")
    return "SET", value, m.start(), m.end()


def _clock(g: dict) -> tuple[int, int] | None:
    """(hour, minute) of a clock time: 3 p.m., 15:30 (only beside a day), noon, 7 o'clock."""
    if g["word"]:
        return {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[g["word"].lower()]
    if g["h24"]:
        if not g["day1"] and not g["day2"]:
            return None  # "13:30" alone is too often a score or a ratio
        return int(g["h24"]), int(g["min24"])
    if g["oc"]:
        return int(g["oc"]), 0
    hour, minute = int(g["h"]), int(g["min"] or 0)
    if hour > 12:
        return None
    if "p" in g["ampm"].lower() and hour < 12:
        hour += 12
    elif "a" in g["ampm"].lower() and hour == 12:
        hour = 0
    return hour, minute


def _time_day(g: dict, state: State, start: int, end: int) -> dt.date | None:
    """The day of a clock time: the weekday or relative day beside it, a date after it, else the
    day the text named last (or the article's)."""
    ref = state.reference
    day_word = (g["day1"] or g["day2"] or "").lower()
    day: dt.date | None
    if ref is None:
        day = None
    elif day_word in WEEKDAYS:
        direction = state.context.tense(start, end) or -1
        day = ref if WEEKDAYS[day_word] == ref.isoweekday() else weekday_date(ref, WEEKDAYS[day_word], direction)
    elif day_word:
        day = ref + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[day_word])
    else:
        day = state.last_day or ref
    if g["mon"] and day is not None:
        try:
            day = dt.date(day.year, month_number(g["mon"]), int(g["d"]))
        except ValueError:
            pass
    elif g["mon2"]:
        number, mday = month_number(g["mon2"]), int(g["d2"])
        value, date = date_value(year_of(number, mday, ref, state.context.tense(start, end)), number, mday)
        day = date if date is not None else day
    return day


def clock_time(m: re.Match, text: str, state: State) -> Result:
    """3 p.m. today, 5 p.m. EST Tuesday, noon, 10:30 Friday: a TIME on the day beside it."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    clock = _clock(g)
    if clock is None:
        return None
    hour, minute = clock
    day = _time_day(g, state, start, end)
    if day is not None:
        state.last_day = day
    prefix = day.isoformat() if day is not None else "XXXX-XX-XX"
    if hour == 24:
        return "TIME", f"{prefix}T24:00", start, end
    return "TIME", f"{prefix}T{hour:02d}:{minute:02d}", start, end


# ---------------------------------------------------------------------------------------------
# last / this / next units, seasons, weekends


_STEPS = {"last": -1, "this": 0, "next": 1, "the coming": 1, "the current": 0, "this coming": 1,
          "this past": -1, "the previous": -1, "the following": 1, "the same": 0, "that": 0, "the prior": -1}


def _anaphoric_unit(rel: str, unit: str, state: State, start: int, end: int) -> Result:
    """the same week, that month, the following year, the prior quarter: from the text's last date."""
    anchor = state.last_day or (dt.date(state.last_year, 7, 1) if state.last_year else None)
    if unit == "year" and state.last_year:
        anchor = dt.date(state.last_year, 7, 1)
    elif unit == "month" and state.last_month and state.last_month_end > state.last_day_end:
        # "In March, ... The following month": the month named last, not an older day
        anchor = dt.date(*state.last_month, 15)
    if anchor is None:
        return None
    step = {"the same": 0, "that": 0, "the following": 1, "the prior": -1}[rel]
    if unit == "quarter" and state.last_quarter:
        number, q = state.last_quarter
        index = number * 4 + q - 1 + step
        return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", start, end
    target = shift_date(anchor, unit, step)
    if target is None:
        return None
    return "DATE", format_at(target, GRAIN[unit]), start, end


def _relative_quarter(rel: str, step: int, state: State, start: int, end: int) -> Result:
    """this quarter, last quarter, next quarter (this one in a past clause: the quarter just reported)."""
    ref = state.reference
    if rel == "this" and state.context.tense(start, end) < 0:
        step = -1  # "this quarter's loss included...": the quarter just reported
    index = ref.year * 4 + (ref.month - 1) // 3 + step
    state.remember_quarter(index // 4, index % 4 + 1)
    return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", start, end


def _relative_weekend(step: int, ref: dt.date, start: int, end: int) -> Result:
    anchor = ref + dt.timedelta(days=7 * step)
    if step == 0 and ref.isoweekday() <= 2:
        anchor = ref - dt.timedelta(days=7)
    return "DATE", format_at(anchor, "week") + "-WE", start, end


def relative_unit(m: re.Match, text: str, state: State) -> Result:
    """last week, this year, next month, the past year (the year before), the past month (a duration), last fall, the same quarter."""
    ref = state.reference
    start, end = m.start(), m.end()
    rel = _words(m.group("rel"))
    if m.group("unit")[0].isupper() and not m.group("unit").isupper():
        return None  # "This Week", a programme's title
    unit = m.group("unit").lower()
    if unit == "autumn":
        unit = "fall"
    if rel in ("the past", "past") and unit == "year" and ref is not None:
        # "over the past year": TimeBank and AQUAINT write the year before, as for "last year"
        state.last_year = ref.year - 1
        return "DATE", f"{ref.year - 1:04d}", start, end
    if rel in ("the past", "past") and unit in ("week", "month", "year", "decade", "century", "quarter"):
        return "DURATION", duration_value(1, unit), start, end
    if rel in ("the same", "that", "the following", "the prior") and unit in ("week", "month", "year", "quarter"):
        return _anaphoric_unit(rel, unit, state, start, end)
    step = _STEPS.get(rel, 0)
    if unit in SEASONS:
        if ref is None:
            return "DATE", f"XXXX-{SEASONS[unit]}", start, end
        return "DATE", season_value(SEASONS[unit], step, ref), start, end
    if unit == "season":
        return None
    if ref is None:
        grain = "week" if unit == "weekend" else GRAIN[unit]
        return "DATE", UNKNOWN[grain] + ("-WE" if unit == "weekend" else ""), start, end
    if unit == "weekend":
        return _relative_weekend(step, ref, start, end)
    if unit == "quarter":
        return _relative_quarter(rel, step, state, start, end)
    if unit == "year" and rel == "last" and state.last_quarter is not None and compares_figures(text, start) and mentions_quarter(text, start):
        # "compared with a loss of $3 million last year" in a quarterly report: the year-ago quarter
        number, q = state.last_quarter
        return "DATE", f"{number - 1:04d}-Q{q}", start, end
    target = shift_date(ref, unit, step)
    if target is None:
        return None
    if unit == "year":
        state.last_year = target.year
    return "DATE", format_at(target, GRAIN[unit]), start, end


def end_of(m: re.Match, text: str, state: State) -> Result:
    """the end of the month, the beginning of the year: the unit the article's date is in."""
    unit = m.group("unit").lower()
    if state.reference is None:
        return "DATE", UNKNOWN[GRAIN[unit]], m.start(), m.end()
    return "DATE", format_at(state.reference, GRAIN[unit]), m.start(), m.end()


def season(m: re.Match, text: str, state: State) -> Result:
    """the spring, in the summer, early winter, fall 1998: the nearest one the tense allows."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    rel = _words(g["rel"])
    code = SEASONS[g["s"].lower()]
    if g["y"]:
        return "DATE", f"{g['y']}-{code}", start, end
    if not rel and not g["mod"]:
        return None
    if rel == "in the":
        start = m.start("rel") + 3
    if state.reference is None:
        return "DATE", f"XXXX-{code}", start, end
    tense = state.context.tense(start, end)
    return "DATE", season_value(code, -1 if tense < 0 else (1 if tense > 0 else 0), state.reference, nearest=True), start, end


def weekend(m: re.Match, text: str, state: State) -> Result:
    """the weekend, last weekend, over the weekend, that weekend."""
    ref = state.reference
    start, end = m.start(), m.end()
    rel = _words(m.group("rel"))
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
    return "DATE", format_at(anchor, "week") + "-WE", start, end


# ---------------------------------------------------------------------------------------------
# N units ago, durations, vague references, sets


_MONTHS_PERIOD = re.compile(r"\b(?:nine|six|eight|ten|11|eleven|9|6)\s+months\b|\byear\s+to\s+date\b", re.I)


def _covers_months(text: str, start: int, state: State) -> bool:
    """Whether the sentence before `start` reports a period of several months ("the first nine
    months"), which a following "a year earlier" compares with, rather than a quarter."""
    s_start, _ = state.context.sentence_bounds(start, start)
    return bool(_MONTHS_PERIOD.search(text, s_start, start))


def _ago_target(number: float | int, unit: str, direction: str, sign: int, m: re.Match, text: str, state: State) -> Result:
    """The value of "N units ago/earlier/later" with a known N: from the article's date, or for
    earlier/later from the text's last date (a year from its last quarter)."""
    start, end = m.start(), m.end()
    anchor = state.reference
    if direction in ("earlier", "later", "previously"):
        if unit == "year" and sign < 0 and state.reference is not None and _covers_months(text, start, state):
            # "for the nine months, ... compared with $1.1 million a year earlier": the year before
            return "DATE", f"{state.reference.year - int(number):04d}", start, end
        if unit in ("year",) and state.last_quarter is not None:
            number_year, q = state.last_quarter
            return "DATE", f"{number_year + sign * int(number):04d}-Q{q}", start, end
        anchor = state.last_day or state.reference
    elif unit == "year" and state.last_quarter is not None and (mentions_quarter(text, start) or compares_figures(text, start)):
        number_year, q = state.last_quarter
        return "DATE", f"{number_year - int(number):04d}-Q{q}", start, end
    if anchor is None:
        return "DATE", UNKNOWN[GRAIN[unit]], start, end
    amount = int(number) if float(number) == int(number) else None
    if amount is None:
        return None
    if unit not in ("year", "decade", "century"):
        target = shift_date(anchor, unit, sign * amount)
    else:
        target = shift_year(anchor, unit, sign * amount)
    if target is None:
        return None
    return "DATE", format_at(target, GRAIN[unit]), start, end


def ago(m: re.Match, text: str, state: State) -> Result:
    """two years ago, three days later, several weeks ago (PAST_REF); "two days after" is a duration."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    number = number_value(g["num"])
    unit = unit_key(g["unit"])
    direction = _words(g["dir"])
    if number is None or unit not in UNITS:
        return None
    if direction in ("before", "after"):
        # "two days after the vote" is a duration in TimeML
        return "DURATION", duration_value(number, unit), start, m.end("unit")
    sign = 1 if direction in ("later", "from now", "hence") else -1
    if direction in ("earlier", "later") and (number == "X" or (unit != "year" and not state.day_in_sentence(start, end))):
        # "three days later", "a few weeks earlier": unless a date of the same sentence anchors
        # it ("hired on Jan. 3 and fired two days later"), TimeBank tags the length of time only
        # (the point it counts from is an event); "a year earlier" in a report is a date
        return "DURATION", duration_value(number, unit), start, m.end("unit")
    if number == "X":
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", start, end
    return _ago_target(number, unit, direction, sign, m, text, state)


def _a_unit_as_rate(text: str, start: int) -> Result | bool:
    """For "a year" with no determiner: None to drop it ("24 hours a day"), True when it is a rate
    ("$50,000 a year", "ten CDs a year"), False when it is a length of time ("for a year")."""
    before = text[max(0, start - 30):start]
    previous = _LAST_WORD.search(before)
    if previous and previous.group(1).lower() in ("hours", "days"):
        return None  # "24 hours a day"
    return bool(_QUANTITY_BEFORE_SET.search(before) or (previous and previous.group(1).lower() not in DURATION_LICENSORS))


def _not_a_duration(g: dict, number, unit: str, det: str, num_text: str, text: str, end: int) -> bool:
    """Numbers before a unit that are no length of time: ages, titles, fractions, manners."""
    if num_text in ("a", "an") and det in ("the", "the first", "the last", "the past", "the next"):
        return True
    if num_text in ("some", "many", "few") and not det and not g["approx"]:
        return True
    if isinstance(number, float) and g["num"][0].isdigit() and number > 1000 and unit != "year":
        return True
    if g["adj"] and "old" in g["adj"].lower():
        return True
    if g["unit"][0].isupper() and g["num"][0].isdigit():
        return True  # "60 Minutes", a title
    if unit == "quarter" and _OF_AFTER.match(text, end):
        return True  # "three-quarters of its food": a fraction
    if _AROUND_THE_CLOCK.match(text, end):
        return True  # "24 hours a day, seven days a week": a manner, not a span of time
    return False


_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|may|might|can|should|shall)\s+$", re.I)


def duration(m: re.Match, text: str, state: State) -> Result:
    """three years, nearly two decades, 48 hours, a five-year low, the past three years; "a year"
    after an amount is a rate (a SET: "$50,000 a year")."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    number = number_value(g["num"])
    unit = unit_key(g["unit"])
    if number is None or unit not in UNITS:
        return None
    num_text = g["num"].lower()
    det = _words(g["det"])
    if num_text in ("a", "an") and not det and not g["approx"] and "-" not in g["sep"]:
        rate = _a_unit_as_rate(text, start)
        if rate is None:
            return None
        if rate:
            return "SET", duration_value(1, unit), start, end
    if _not_a_duration(g, number, unit, det, num_text, text, end):
        return None
    if num_text == "one" and unit == "day" and not det and _MODAL_BEFORE.search(text, max(0, start - 12), start):
        return "DATE", "FUTURE_REF", start, end  # "Islam will one day be ...": some day, not a length
    if det == "the" and "-" in g["sep"]:
        start = m.start("num")  # "the 14-day period": TimeML tags "14-day"
    if num_text in ("a", "an") and unit in ("second", "minute") and not det:
        return None
    if g["num2"]:
        return "DURATION", duration_value("X", unit), start, end  # "12 to 18 months": one span, its length unknown
    return "DURATION", duration_value(number, unit), start, end


def bare_units(m: re.Match, text: str, state: State) -> Result:
    """for years, took months, decades-long: a duration of unknown length (PXY)."""
    word = (m.group("unit") or m.group("unit2")).lower()
    start, end = m.start(), m.end()
    if m.group("unit"):
        start = m.start("unit")
    else:
        end = m.start("unit2") + len(word)
    return "DURATION", duration_value("X", unit_key(word)), start, end


def vague(m: re.Match, text: str, state: State) -> Result:
    """now, currently (PRESENT_REF); recently, in recent days (PAST_REF); the coming weeks (FUTURE_REF)."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    if g["now"]:
        return "DATE", "PRESENT_REF", m.start("now"), m.end("now")
    if g["present"]:
        if _words(g["present"]) == "at this time":
            return "DATE", "PRESENT_REF", start + 3, end
        return "DATE", "PRESENT_REF", start, end
    for group, value in (("past", "PAST_REF"), ("future", "FUTURE_REF")):
        if g[group]:
            if _words(g[group]).startswith("in "):
                start += 3
            stretch = _RECENT_UNITS.search(g[group])
            if stretch:
                # "in recent years": TimeBank and AQUAINT mostly code a stretch of an unknown number
                # of units (DURATION PXY), not PAST_REF (4 of 6 "recent weeks/months/years" on the
                # dev half)
                return "DURATION", duration_value("X", unit_key(stretch.group(1))), start, end
            return "DATE", value, start, end
    return None


_ADVERB_SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
                "nightly": "P1D", "biweekly": "P2W", "semiannually": "P6M"}


def frequency(m: re.Match, text: str, state: State) -> Result:
    """daily, weekly, every day, each July, every other week, twice a month, every morning, each summer: a SET."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    if g["adv"]:
        return "SET", _ADVERB_SETS[g["adv"].lower()], start, end
    if g["mon"]:
        return "SET", f"XXXX-{month_number(g['mon']):02d}", start, end  # each July
    unit_word = (g["unit"] or g["unit2"]).lower()
    if unit_word in ("morning", "evening", "night"):
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit_word]}", start, end
    if unit_word in SEASONS:
        return "SET", f"XXXX-{SEASONS[unit_word]}", start, end
    if unit_word == "weekend":
        return "SET", "XXXX-WXX-WE", start, end
    amount = 1
    if g["n"]:
        amount = 2 if g["n"].lower() == "other" else int(number_value(g["n"]) or 1)
    return "SET", duration_value(amount, unit_word), start, end


# ---------------------------------------------------------------------------------------------
# Quarters and halves (earnings reports)


def _quarter_by_year(m: re.Match, g: dict, text: str, state: State) -> Result:
    """the 1988 period, last year's quarter, the year-ago third quarter: a quarter of an earlier year."""
    start, end = m.start(), m.end()
    if g["qp"].lower() == "period" and not mentions_quarter(text, start) and state.last_quarter is None:
        return None
    current = state.current_quarter()
    if current is None:
        return "DATE", "XXXX-QX", start, end
    number, q = current
    if g["ord2"]:
        q = ORDINALS[g["ord2"].lower()]
    number = int(g["yq"]) if g["yq"] else number - 1
    return "DATE", f"{number:04d}-Q{q}", start, end


def _half(g: dict, word: str, state: State, start: int, end: int) -> Result:
    """the first half, the second half of 1999, this year's second half: H1 or H2."""
    ref = state.reference
    if word not in ("first", "second", "1st", "2nd"):
        return None
    half = 1 if word in ("first", "1st") else 2
    number = int(g["y"] or g["y2"] or 0) or (ref.year if ref else None)
    if g["yr"] and ref and not g["y"]:
        number = ref.year + (-1 if g["yr"].lower().startswith("last") else (1 if g["yr"].lower().startswith("next") else 0))
    if number is None:
        return "DATE", f"XXXX-H{half}", start, end
    if ref is not None and not (g["y"] or g["y2"] or g["yr"]) and half == 2 and ref.month <= 6:
        number -= 1
    return "DATE", f"{number:04d}-H{half}", start, end


def _numbered_quarter(g: dict, ordinal: int, state: State, start: int, end: int) -> Result:
    """the third quarter, 1989's first quarter, next year's second quarter: without a year, the
    nearest such quarter not after the article's (looking back on a tie)."""
    ref = state.reference
    if g["y"] or g["y2"]:
        number = int(g["y"] or g["y2"])
    elif g["yr"] and ref is not None:
        number = ref.year + (-1 if g["yr"].lower().startswith("last") else (1 if g["yr"].lower().startswith("next") else 0))
    elif ref is not None:
        current = (ref.month - 1) // 3 + 1
        number = ref.year
        if ordinal > current and (ordinal - current) >= (current + 4 - ordinal):
            number -= 1
    elif state.last_quarter is not None:
        number = state.last_quarter[0]
    else:
        return "DATE", f"XXXX-Q{ordinal}", start, end
    state.remember_quarter(number, ordinal, reported=state.context.tense(start, end) < 0)
    return "DATE", f"{number:04d}-Q{ordinal}", start, end


def _relative_quarter_word(g: dict, word: str, state: State, start: int, end: int) -> Result:
    """the latest quarter, the year-earlier period, the previous quarter: from the text's last
    quarter, else the one before the article's."""
    ref = state.reference
    if state.last_quarter is not None:
        number, q = state.last_quarter
    elif ref is not None:
        index = ref.year * 4 + (ref.month - 1) // 3 - 1
        number, q = index // 4, index % 4 + 1
    else:
        return "DATE", "XXXX-QX", start, end
    index = number * 4 + q - 1
    if word in ("year-earlier", "year-ago", "comparable"):
        index -= 4
    elif word in ("previous", "prior", "last") and g["q"]:
        index -= 1
    elif word in ("next", "coming"):
        index += 1
    if word in ("latest", "current", "recent", "just-ended", "just ended", "past", "last") and state.last_quarter is None:
        state.remember_quarter(index // 4, index % 4 + 1)
    return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", start, end


_PERIOD_WORDS = ("year-earlier", "year-ago", "same", "comparable", "latest", "current", "just-ended", "just ended",
                 "recent", "past", "previous", "prior")
_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}


_QUARTER_ENDED = compile_rule(r"\s+(?:that\s+)?end(?:ed|ing|s)\s+(?:on\s+)?(?P<mon>" + MONTH + r")")


def _quarter_ended(month: int, state: State, start: int, end: int) -> Result:
    """"the quarter ended July 31": the quarter most of whose months are named (May to July: the
    second), in the year that puts its end at most a few months after the article's date."""
    ref = state.reference
    year = ref.year if month <= ref.month + 2 else ref.year - 1
    middle = (month - 2) % 12 + 1  # the middle month of the three that end with `month`
    if middle > month:
        year -= 1  # a quarter ended in January or February began the year before
    q = (middle - 1) // 3 + 1
    state.remember_quarter(year, q, reported=True)
    return "DATE", f"{year:04d}-Q{q}", start, end


def quarter(m: re.Match, text: str, state: State) -> Result:
    """the third quarter, Third-quarter, the first half, the year-ago period, the quarter."""
    g = m.groupdict()
    start, end = m.start(), m.end()
    if g["qp"]:
        return _quarter_by_year(m, g, text, state)
    if g["the"]:
        ended = _QUARTER_ENDED.match(text, end)
        if ended and state.reference is not None and state.last_quarter is None:
            # with a quarter named before ("its fiscal first quarter"), that one is meant
            return _quarter_ended(month_number(ended.group("mon")), state, start, end)
        current = state.current_quarter()
        if current is None:
            return "DATE", "XXXX-QX", start, end
        return "DATE", f"{current[0]:04d}-Q{current[1]}", start, end
    word = _words(g["ord"])
    if text[m.end("ord"):m.end("ord") + 1] == "-" and m.group().lower().startswith("the ") and not g["yr"]:
        # "the third-quarter loss": TimeML tags "third-quarter" ("fiscal second-quarter" keeps "fiscal")
        fiscal = _FISCAL_BEFORE.search(text[max(start, m.start("ord") - 12):m.start("ord")])
        start = m.start("ord") - (len(fiscal.group()) if fiscal else 0)
    if g["half"]:
        return _half(g, word, state, start, end)
    if g["period"] and word not in _PERIOD_WORDS:
        return None
    ordinal = _QUARTER_ORDINALS.get(word)
    if g["period"] and state.last_quarter is None and not mentions_quarter(text, start):
        return None
    if ordinal is not None:
        return _numbered_quarter(g, ordinal, state, start, end)
    return _relative_quarter_word(g, word, state, start, end)


# ---------------------------------------------------------------------------------------------
# Holidays and anaphora


def holiday(m: re.Match, text: str, state: State) -> Result:
    """Christmas Day, last Thanksgiving, Easter week: this year's, or last year's in a past clause."""
    ref = state.reference
    start, end = m.start(), m.end()
    if ref is None:
        return "DATE", "XXXX-XX-XX", start, end
    rel = (m.group("rel") or "").lower()
    name = m.group("h")
    date = holiday_date(name, ref.year)
    if date is None:
        return None
    if rel == "last" or (not rel and date > ref + dt.timedelta(days=30) and state.context.tense(start, end) < 0):
        if date >= ref:
            date = holiday_date(name, ref.year - 1)
    elif rel == "next" and date <= ref:
        date = holiday_date(name, ref.year + 1)
    if date is None:
        return None
    state.last_day = date
    if m.group("week"):
        return "DATE", format_at(date, "week"), start, end
    return "DATE", date.isoformat(), start, end


# a word after "the day before" that starts its object or clause ("the day before the vote")
_OBJECT_AFTER = re.compile(r"\s+(?!(?:and|or|but|that|then|yesterday)\b)[A-Za-z]")
_APPOSITION = re.compile(r",\s*")


def same_day(m: re.Match, text: str, state: State) -> Result:
    """that day, the next day, the day before, later that year: from the day or year the text named last."""
    start, end = m.start(), m.end()
    phrase = _words(m.group())
    if phrase.endswith("before") and _OBJECT_AFTER.match(text, end):
        # "the day before the plunge": before an event, not the day before the last date; after a
        # date ("Oct. 12, the day before the plunge") it names that date again
        if phrase == "the day before" and state.last_day is not None and _APPOSITION.fullmatch(text, state.last_day_end, start):
            return "DATE", state.last_day.isoformat(), start, start + len("the day")
        return None
    if phrase.endswith("year") or phrase.endswith("year before"):
        base = state.last_year or (state.last_day.year if state.last_day else None)
        if base is None:
            return None
        step = 1 if ("following" in phrase or "next" in phrase) else (-1 if ("previous" in phrase or "before" in phrase) else 0)
        return "DATE", f"{base + step:04d}", start, end
    anchor = state.last_day or state.reference
    if anchor is None:
        return "DATE", "XXXX-XX-XX", start, end
    step = 1 if ("next" in phrase or "following" in phrase) else (-1 if ("before" in phrase or "previous" in phrase) else 0)
    return "DATE", (anchor + dt.timedelta(days=step)).isoformat(), start, end
