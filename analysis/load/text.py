"""Splitting cleaned text into paragraphs, sentences and word tokens, with character offsets.

Every function here is pure: text in, spans out. Offsets index the string passed in (end
exclusive), so a span can always be cut back out of the article with `text[start:end]`.
"""

from __future__ import annotations

import re
from typing import Iterator

from analysis.load.nlp_data import punkt_tokenizer

Span = tuple[int, int]

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")

# A closing quote mark that punkt may leave at the start of the next sentence.
_LEADING_CLOSERS = "”’\"'»)]"


def paragraph_spans(text: str) -> list[Span]:
    """(start, end) of each paragraph: runs of text separated by one or more blank lines."""
    spans = []
    start = 0
    for gap in _BLANK_LINES.finditer(text):
        if text[start:gap.start()].strip():
            spans.append(_strip_span(text, start, gap.start()))
        start = gap.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """(start, end) of each sentence; sentences never run across a paragraph break.

    NLTK's English punkt model decides the boundaries, with common news abbreviations (U.S.,
    Col., Gen., Sen., Jan., Mr.) added to its list, so "Army Col. Amanda Azubuike" stays whole.
    """
    tokenizer = punkt_tokenizer()
    spans: list[Span] = []
    for p_start, p_end in paragraphs if paragraphs is not None else paragraph_spans(text):
        for c_start, c_end in _chunks(text, p_start, p_end):
            for s_start, s_end in tokenizer.span_tokenize(text[c_start:c_end]):
                spans.append((c_start + s_start, c_start + s_end))
    return _merge_orphans(text, spans)


#: Paragraphs longer than this are cut at likely sentence ends before punkt sees them: punkt's
#: work per call grows with its input, and NLTK stops a regex that runs over 5 seconds.
MAX_PUNKT_CHARS = 20_000
_LIKELY_END = re.compile(r"(?<=[a-z]{3})[.!?][\"”’')\]]*\s+")


def _chunks(text: str, start: int, end: int) -> Iterator[Span]:
    while end - start > MAX_PUNKT_CHARS:
        target = start + MAX_PUNKT_CHARS // 2
        match = _LIKELY_END.search(text, target, start + MAX_PUNKT_CHARS)
        if match:
            cut = match.end()
        else:
            space = text.rfind(" ", target, start + MAX_PUNKT_CHARS)
            cut = space + 1 if space > start else start + MAX_PUNKT_CHARS
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _merge_orphans(text: str, spans: list[Span]) -> list[Span]:
    """Join a 'sentence' that is only closing punctuation onto the one before it."""
    merged: list[Span] = []
    for start, end in spans:
        piece = text[start:end]
        if merged and piece.strip(_LEADING_CLOSERS + " .") == "" and "\n\n" not in text[merged[-1][1]:start]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# Tokens keep abbreviations (U.S.), hyphenated and alphanumeric forms (F-16, COVID-19), numbers
# with separators (50,000, 3.5), decades with an apostrophe (’70s) and possessives whole.
# A word character: `\w`, plus the combining marks `\w` leaves out, so words in scripts such as
# Devanagari (vowel signs) or decomposed Latin stay whole; Indic danda punctuation is excluded.
_WORD_CHAR = "[\\w\u0300-\u036f\u0900-\u0963\u0966-\u0dff]"
_TOKEN = re.compile(
    r"""
      (?:[^\W\d_]\.){2,}                         # U.S., U.N., D.C.
    | [’']\d\d?s\b                               # ’70s
    | \$?\d+(?:[.,:/]\d+)*(?:%|(?:s|st|nd|rd|th)?\b)(?:-[^\W\d_]\w*)*
                                                 # 50,000  1960s  19th  3.5%  16-year-old
    | {W}+(?:[-’'.&]{W}+)*                         # words, F-16, Maduro’s, AT&T
    """.replace("{W}", _WORD_CHAR),
    re.VERBOSE,
)


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (token, start, end) for each word token in `text`."""
    for match in _TOKEN.finditer(text):
        yield match.group(), match.start(), match.end()


def words(text: str) -> list[str]:
    """The word tokens of `text`, as written."""
    return _TOKEN.findall(text)
