"""What a temporal expression's surroundings say: its sentence and clause, the tense of the clause
(a past clause points a weekday back, a future one forward), a short label for the event it dates,
and the document state that anaphoric expressions ("that day", "a year earlier") read."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from analysis.extract.timex.vocab import FUTURE_BEFORE_TO, FUTURE_WORDS, NO_SENTENCE_END, NOT_PAST_ED, PAST_WORDS, compile_rule

WORD_TOKEN = re.compile(r"[^\W_]+")

_CUES_PER_SIDE = 4
_WEAK_CUE_PENALTY = 25  # characters of extra distance for an -ed word
_CUE_PENALTY = {1: 0, -1: 0, -2: _WEAK_CUE_PENALTY}
_BREAK_PENALTY = 60  # characters of extra distance for a cue beyond a comma or dash

_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%”\"’'])[.!?](?=[\"”’']?\s+[\"“‘']?[A-Z])|\n")
_WORD_BEFORE = re.compile(r"(?<![\w.])[A-Za-z](?:[A-Za-z.]*[A-Za-z])?$")  # "vs", "Ala", "U.S" before a period
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s|[“”\"]|\s(?=but\s|while\s|whereas\s)")
_WINDOW = 280  # characters searched either side of an expression for its sentence

_DEADLINE_AFTER = re.compile(r"[’']?s?\s*(?:as\s+(?:the|a|its)\s+)?(?:deadline|meeting\s+deadline)\b", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:next|this\s+coming|as\s+soon\s+as)\s+(?:on\s+)?$", re.I)
_PAST_BEFORE = re.compile(r"\b(?:last|this\s+past|since|as\s+of)\s+(?:on\s+)?$", re.I)
_WHEN_CLAUSE = re.compile(r"\s*(?:when|where|as|after|before|while)\s+", re.I)
_LEADING_FILLER = re.compile(r"^(?:and|but|which|who|that|while|so)\s+", re.I)
_DANGLING_WORDS = re.compile(r"(?:\s+(?:a|an|the|in|of|on|at|to|for|from|with|by|and|or|but|its|their|his|her))+$", re.I)
_PREPOSITION_AT_END = re.compile(r"\b(?:on|in|at|since|by|for|during|until|from|of|last|this|as\s+of|over|through)\s*$", re.I)

_ADJECTIVE_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|still|recently|newly)\s+$", re.I)
_BE_BEFORE = re.compile(r"\bbe\s+$", re.I)
_AUXILIARY_BEFORE_FUTURE = compile_rule(
    r"(?:was|were)\s+(?:" + "|".join(sorted(FUTURE_WORDS - {"next", "ll"})) + r")\b")
_PAST_OR_LAST = re.compile(r"(?:the\s+)?(?:past|last)\b")
_PERFECT = compile_rule(r"\b(?:has|have|had|has\s+been|have\s+been|[’']s\s+been|[’']ve)\b")
_LEADS_TO_NOW = re.compile(r"(?:\b(?:for|over|in|during|the\s+past|the\s+last|past|last)\s+(?:(?:about|nearly|almost|some|more\s+than|over|roughly|the\s+past|the\s+last)\s+)?)$", re.I)


def cue_sign(word: str, text: str, end: int) -> int:
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
        if lower.startswith("un") or _ADJECTIVE_BEFORE.search(text, max(0, end - len(word) - 12), end - len(word)):
            return 0  # "unspecified", "a still undisclosed", "the recently passed": adjectives
        return -2  # a weak cue: a lower-case -ed word ("United", "Ted" are names) may be an adjective
    return 0


class Context:
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
                if m.group() == "." and self._after_abbreviation(m.start()):
                    continue
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

    def _after_abbreviation(self, period: int) -> bool:
        """Whether the period at `period` closes an abbreviation such as "vs." or "Ala."."""
        word = _WORD_BEFORE.search(self.text, max(0, period - 12), period)
        return bool(word) and word.group().lower() in NO_SENTENCE_END

    def breaks(self) -> list[int]:
        """Offsets of the clause breaks (commas, dashes, quote marks, "but", ...)."""
        if self._breaks is None:
            self._breaks = [m.start() for m in _CLAUSE_BREAK.finditer(self.text)]
        return self._breaks

    def has_break(self, left: int, right: int) -> bool:
        """Whether a clause break lies in [left, right)."""
        breaks = self.breaks()
        i = bisect_left(breaks, left)
        return i < len(breaks) and breaks[i] < right

    def cues(self) -> tuple[list[int], list[int], list[int]]:
        """(starts, ends, signs) of the tense cue words of the text, in text order."""
        if self._cues is None:
            cue_list = []
            for token in WORD_TOKEN.finditer(self.text):
                sign = cue_sign(token.group(), self.text, token.end())
                if sign < 0 and _BE_BEFORE.search(self.text[max(0, token.start() - 4):token.start()]):
                    sign = 0  # a participle after "be" ("will be paid", "to be held") is no past
                elif sign < 0 and _AUXILIARY_BEFORE_FUTURE.match(self.text, token.start()):
                    sign = 0  # "was scheduled", "were planning": the plan's word decides, not "was"
                if sign:
                    cue_list.append((token.start(), token.end(), sign))
            self._cues = ([c[0] for c in cue_list], [c[1] for c in cue_list], [c[2] for c in cue_list])
        return self._cues

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
        cue_starts, cue_ends, signs = self.cues()
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
            distance = start - cue_ends[k] + (_BREAK_PENALTY if self.has_break(cue_ends[k], start) else 0) + _CUE_PENALTY[signs[k]]
            if distance < best_distance:
                best_distance, best = distance, signs[k]
        j = bisect_left(cue_starts, end)
        for k in range(j, min(j + _CUES_PER_SIDE, len(cue_starts))):
            if cue_ends[k] > s_end:
                break
            distance = cue_starts[k] - end + (_BREAK_PENALTY if self.has_break(end, cue_starts[k]) else 0) + _CUE_PENALTY[signs[k]]
            if distance < best_distance:
                best_distance, best = distance, signs[k]
        return 1 if best > 0 else (-1 if best < 0 else 0)

    def _clause_words(self, start: int, end: int, s_start: int, s_end: int) -> list[str]:
        """The words of the clause around [start, end) without the expression itself; the
        when-clause that follows instead when the expression ends its clause."""
        text = self.text
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
        return words

    def event(self, start: int, end: int) -> str:
        """A short label for the clause the expression dates: the clause without the expression."""
        s_start, s_end = self.sentence_bounds(start, end)
        words = self._clause_words(start, end, s_start, s_end)
        label = " ".join(" ".join(w.strip("“”\"'‘’") for w in words).strip(" ,.;:").split())
        label = _LEADING_FILLER.sub("", label)
        if len(label) > 60:
            cut = label[:58].rsplit(" ", 1)[0]
            # no dangling "in", "of the" before the ellipsis
            label = _DANGLING_WORDS.sub("", cut).rstrip(" ,;:") + "…"
        return label

    def ends_at_reference(self, start: int, end: int) -> bool:
        """A duration that runs up to the article's date: "the past three years", "has ... for two decades"."""
        text = self.text
        span = text[start:end].lower()
        if _PAST_OR_LAST.match(span):
            return True
        before = text[max(0, start - 20):start]
        if not _LEADS_TO_NOW.search(before):
            return False
        s_start, _ = self.sentence_bounds(start, end)
        return bool(_PERFECT.search(text, s_start, start))


@dataclass
class State:
    """What the expressions read so far say (the anchor of `that day`, `a year earlier`)."""

    reference: dt.date | None
    context: Context
    last_day: dt.date | None = None
    last_quarter: tuple[int, int] | None = None
    last_year: int | None = None
    last_day_end: int = -1  # where the expression that set `last_day` ends
    last_month: tuple[int, int] | None = None  # (year, month) of the last month named alone ("In March")
    last_month_end: int = -1  # where that month's name ends

    def day_in_sentence(self, start: int, end: int) -> bool:
        """Whether the day in view (`last_day`) was named in the sentence of [start, end)."""
        return self.last_day is not None and self.last_day_end >= self.context.sentence_bounds(start, end)[0]

    def remember_quarter(self, year: int, quarter: int, reported: bool = False) -> None:
        """Keep a quarter as the anchor of "a year earlier", "the latest period": only one that
        has ended by the article's date (reports compare finished quarters), or the article's own
        quarter when a past clause reports it (a fiscal quarter may end before the calendar's)."""
        if self.reference is None:
            self.last_quarter = (year, quarter)
            return
        current = (self.reference.year, (self.reference.month - 1) // 3 + 1)
        if (year, quarter) < current or (reported and (year, quarter) == current):
            self.last_quarter = (year, quarter)

    def current_quarter(self) -> tuple[int, int] | None:
        """The quarter "the quarter" refers to: the last one the text named, else the one before
        the article's (earnings reports describe the quarter just ended); None without either."""
        if self.last_quarter is not None:
            return self.last_quarter
        ref = self.reference
        if ref is None:
            return None
        index = ref.year * 4 + (ref.month - 1) // 3 - 1
        return index // 4, index % 4 + 1
