"""Steps 1 and 2 of quote attribution: pair the quote marks, mask the quotations, split sentences.

A masked text has every quotation (marks included) replaced by `\x01\x02...` of the same length,
so offsets hold, a quotation never breaks a sentence and a verb inside one is never a cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract.quotes.words import ABBREV, SENTENCE_STARTERS

_MARK = re.compile(r"``|''|[“”\"„«»]")
_OPENERS = {"“", "``", "„", "«"}
_CLOSERS = {"”", "»"}
LINE = re.compile(r"[^\n]+")
Q_START, Q_FILL = "\x01", "\x02"
QBLOCK = re.compile("\x01\x02*")
# A sentence ends at . ! ? (with closing marks) or at a quotation ending in one, before a space
# and a capital, a digit or another quotation.
# Possessive quantifiers: a run of 100,000 "!" must not be re-scanned from every position.
_BOUNDARY = re.compile(r"(?:(?<![.!?])[.!?]++[)\]’'\"”]*+|\x02)(\s++)(?=[\x01A-Z0-9(“\"‘'`])")
_STOPS = (".", "!", "?")
_CLOSERS_AFTER_STOP = ")]’'\"”"


# --- step 1: pairing quote marks ------------------------------------------------------------


@dataclass
class _Quote:
    start: int  # opening mark
    inner_start: int
    inner_end: int
    end: int  # after the closing mark (or the paragraph end)


def _is_opening_straight(text: str, pos: int, end: int, line_start: int) -> bool:
    """Whether the straight mark text[pos:end] opens a quotation: after a space or an opening
    punctuation mark, and before a word."""
    before = text[pos - 1] if pos > line_start else " "
    after = text[end] if end < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


def find_quotations(text: str) -> list[tuple[int, int, int, int]]:
    """Pair the quote marks of `text`: (open, inner start, inner end, close end) per quotation.

    Curly marks say which way they face; straight `"` and `''` are read from their neighbours.
    A paragraph that ends inside a quotation continues it into the next paragraph when that one
    starts with a quote mark (the newspaper convention); otherwise the quotation stops at the
    paragraph's end. Stray closing marks are ignored. Linear in the length of the text.
    """
    quotes: list[tuple[int, int, int, int]] = []
    pending: _Quote | None = None  # a quotation carried over from the previous paragraph
    for line in LINE.finditer(text):
        line_start, line_end = line.start(), line.end()
        current: _Quote | None = None
        first_mark = True
        for mark in _MARK.finditer(text, line_start, line_end):
            token, m_start, m_end = mark.group(), mark.start(), mark.end()
            leading = first_mark and not text[line_start:m_start].strip()
            first_mark = False
            if pending is not None:
                if leading and token not in _CLOSERS:
                    current, pending = pending, None  # the quotation goes on in this paragraph
                    continue
                quotes.append((pending.start, pending.inner_start, pending.inner_end, pending.end))
                pending = None
            if current is None:
                if token in _CLOSERS:
                    continue
                if token not in _OPENERS and not _is_opening_straight(text, m_start, m_end, line_start):
                    continue
                current = _Quote(m_start, m_end, -1, -1)
            elif token in _OPENERS and text[m_end:m_end + 1] != " ":
                if token == "``" or token == "“":
                    current = _Quote(m_start, m_end, -1, -1)  # the previous one never closed
            else:
                if m_start > current.inner_start:
                    quotes.append((current.start, current.inner_start, m_start, m_end))
                current = None
        if pending is not None:
            quotes.append((pending.start, pending.inner_start, pending.inner_end, pending.end))
            pending = None
        if current is not None:
            stripped_end = line_end
            while stripped_end > current.inner_start and text[stripped_end - 1].isspace():
                stripped_end -= 1
            current.inner_end = current.end = stripped_end
            if stripped_end > current.inner_start:
                pending = current
    if pending is not None:
        quotes.append((pending.start, pending.inner_start, pending.inner_end, pending.end))
    return quotes


# --- step 2: masking and sentences ----------------------------------------------------------


def mask_quotations(text: str, quotes: list[tuple[int, int, int, int]]) -> str:
    """`text` with each quotation (marks included) replaced by \\x01\\x02..., newlines kept."""
    pieces = []
    last = 0
    for start, _, _, end in quotes:
        pieces.append(text[last:start])
        block = text[start:end]
        # keep paragraph breaks so a multi-paragraph quotation still ends each paragraph
        parts = block.split("\n")
        pieces.append("\n".join(Q_START + Q_FILL * (len(p) - 1) if p else "" for p in parts))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def paragraph_parts(text: str, quotes: list[tuple[int, int, int, int]]) -> dict[int, int]:
    """{start of each later paragraph's piece of a multi-paragraph quotation: its opening offset}."""
    parts = {}
    for start, _, _, end in quotes:
        newline = text.find("\n", start, end)
        while newline != -1:
            piece = newline + 1
            while piece < end and text[piece] == "\n":
                piece += 1
            if piece < end:
                parts[piece] = start
            newline = text.find("\n", piece, end)
    return parts


def sentences(masked: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one masked paragraph [start, end)."""
    spans: list[tuple[int, int]] = []
    append = spans.append
    s = start
    for match in _BOUNDARY.finditer(masked, start, end):
        b = match.start(1)  # the sentence ends here; the next starts after the spaces
        last = masked[b - 1]
        if last == Q_FILL:
            # a quotation ends here: a boundary only if its words end a sentence (`.”`, `.’”`,
            # `.''`), not after a comma (`in the U.S.,”`)
            if text[b - 2:b - 1] not in _STOPS and not (text[b - 2:b - 1] in _CLOSERS_AFTER_STOP
                                                         and text[b - 3:b - 2] in _STOPS):
                continue
        elif last == "." or last in _CLOSERS_AFTER_STOP:
            lo = b - 12 if b - 12 > s else s
            word_start = masked.rfind(" ", lo, b)
            word = masked[(word_start + 1 if word_start >= 0 else lo):b].rstrip(")]’'\"”.!?").lower().lstrip("(“\"‘'")
            if word in ABBREV or (len(word) == 1 and word.isalpha()):
                nxt = masked[match.end(1):match.end(1) + 20].split()
                nxt_word = nxt[0].strip("“\"‘'`") if nxt else ""
                if nxt_word not in SENTENCE_STARTERS:
                    continue
        append((s, b))
        s = match.end(1)
    if s < end:
        append((s, end))
    return spans


def qblocks(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the masked quotation blocks in [start, end)."""
    if masked.find(Q_START, start, end) == -1:
        return []
    return [(m.start(), m.end()) for m in QBLOCK.finditer(masked, start, end)]
