"""Preparing news text for VADER: plain typography, names masked, non-evaluative senses set aside.

Names are not sentiment: `Best Buy`, `Liberty University`, `Hope, Arkansas` and `the Bank of
America` say nothing about the tone of a sentence. The names are found by the project's one
proper-noun detector, :func:`analysis.extract.names.proper_noun_spans`, with its masking options
(:data:`analysis.extract.names.MASKING`): titles stay part of the name (`Chief Justice Roberts`),
a lone sentence-initial word is not a name, a run of ALL-CAPS words is emphasis, and no entity
guess is made.
"""

from __future__ import annotations

import re
from typing import Iterable

from analysis.extract.names import MASKING, proper_noun_spans
from analysis.extract.sentiment.senses import neutral_sense_spans
from analysis.extract.sentiment.vader import BOOSTERS, _vader_words, vader_lexicon

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "″": '"', "…": "..."})
# A dash joining two words (`good—and`) would make one VADER token of both.
_DASH = re.compile(r"\s*[—–]\s*")
PLACEHOLDER = "_"


def normalize_typography(text: str) -> str:
    """Plain apostrophes, quotation marks and spaced dashes, so VADER's tokens are words."""
    if text.isascii():  # nothing to change, and the common case in some corpora
        return text
    text = text.translate(_TYPOGRAPHY)
    return _DASH.sub(" - ", text) if ("—" in text or "–" in text) else text


def name_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each proper-noun phrase masked in `text` (:data:`MASKING` options)."""
    return [(start, end) for start, end, _ in proper_noun_spans(text, MASKING)]


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(PLACEHOLDER)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def mask_proper_nouns(text: str) -> tuple[str, list[str]]:
    """`text` with each proper-noun phrase replaced by a neutral placeholder, and the phrases."""
    spans = name_spans(text)
    if not spans:
        return text, []
    return _replace_spans(text, spans), [text[start:end] for start, end in spans]


def prepare_news_text(text: str) -> tuple[str, list[str]]:
    """The text VADER sees by default, and the proper-noun phrases masked in it.

    Typography is normalised, proper-noun phrases are masked (:func:`mask_proper_nouns`), then
    lexicon words in a non-evaluative news sense are masked too
    (:func:`analysis.extract.sentiment.senses.neutral_sense_spans`).
    """
    masked, phrases = mask_proper_nouns(normalize_typography(text))
    senses = neutral_sense_spans(masked)
    return (_replace_spans(masked, senses) if senses else masked), phrases


def masked_sentiment_words(text: str) -> list[str]:
    """The lexicon words inside the phrases masked in `text`: why its score changed."""
    _, phrases = prepare_news_text(text)
    return sentiment_words(phrases)


def sentiment_words(phrases: Iterable[str]) -> list[str]:
    """The words of `phrases` that VADER's lexicon (or its boosters) scores."""
    lexicon = vader_lexicon()
    found = []
    for phrase in phrases:
        for word in _vader_words(phrase):
            if word.lower() in lexicon or word.lower() in BOOSTERS:
                found.append(word)
    return found
