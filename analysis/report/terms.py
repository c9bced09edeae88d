"""Term charts: the word cloud and the labels a chart's font can draw.

Both use DejaVu Sans, the font shipped with matplotlib, so no system font is looked up and a
picture is the same on every machine. matplotlib and wordcloud are imported only when a function
here needs them.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import numpy as np

from analysis.lexicons import words
from analysis.settings import RANDOM_STATE

#: The word cloud's colours: dark enough to read on white (each has a contrast ratio of at least
#: 4.5 against white, WCAG's level for text), distinct from each other, no pale yellow.
CLOUD_COLOURS = ("#1F4E79", "#8B1E3F", "#2E6B30", "#5B3A8C", "#9A4A00", "#00656E", "#444444")


def cloud_font_path() -> Path:
    """DejaVu Sans, shipped with matplotlib (covers accents), so no system font is looked up."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def chart_label(form: str) -> str:
    """`form` if the chart font (DejaVu Sans, matplotlib's default) can draw it, else the name of
    its script in brackets (`[Devanagari]`), so a chart never shows empty boxes."""
    drawable = _font_characters()
    for ch in form:
        if ord(ch) not in drawable and not ch.isspace():
            script = unicodedata.name(ch, "UNKNOWN").split()[0].title()
            return f"[{script}]"
    return form


@functools.cache
def _font_characters() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(cloud_font_path())).get_charmap())


@functools.cache
def calendar_words() -> frozenset[str]:
    """Words that date a story rather than say what it is about (`year`, `last`, `week`,
    `today`, month and weekday names), lower case: the word cloud leaves them out."""
    return words("calendar_words") | words("months") | words("weekdays")


def is_calendar_term(term: str) -> bool:
    """Whether every word of `term` (lower-cased, a trailing dot dropped) is a calendar word or a
    number: `week`, `Jan.`, `January 25`, but not `Super Bowl Sunday`'s `bowl`."""
    parts = [p.rstrip(".").lower() for p in str(term).split()]
    calendar = calendar_words()
    return bool(parts) and any(p in calendar for p in parts) and all(p in calendar or p.isdigit() for p in parts)


def cloud_terms(table, n: int = 100):
    """The first `n` rows of a term ranking (`top_terms`, most frequent first) whose `term` is
    not a calendar word (:func:`is_calendar_term`), ranks kept. Only the cloud drops them: the
    term tables keep every word."""
    return table[~table["term"].map(is_calendar_term)].head(n).reset_index(drop=True)


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of `colour` (`#RRGGBB`) against white: 1 (white) to 21 (black)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def _cloud_colour(word, font_size, position, orientation, random_state=None, **kwargs) -> str:
    """wordcloud's colour function: one of `CLOUD_COLOURS`, chosen with the cloud's random state
    (so the picture is the same on every run)."""
    return CLOUD_COLOURS[random_state.randint(0, len(CLOUD_COLOURS) - 1)]


def word_cloud_image(
    frequencies: dict[str, float],
    *,
    width: int = 900,
    height: int = 450,
    max_words: int = 100,
) -> np.ndarray:
    """An RGB image (height × width × 3) of a word cloud drawn from {shown text: weight}.

    Uses `wordcloud.WordCloud.generate_from_frequencies` with the project's `RANDOM_STATE`, so
    the picture is the same on every run; keys are drawn as given, so names stay whole. Words
    the font cannot draw (scripts DejaVu Sans lacks, such as Devanagari) are left out rather
    than drawn as boxes. No frequencies gives a blank white image.
    """
    from wordcloud import WordCloud

    drawable = _font_characters()
    frequencies = {
        word: float(weight) for word, weight in frequencies.items()
        if weight > 0 and all(ord(ch) in drawable or ch.isspace() for ch in word)
    }
    if not frequencies:
        return np.full((height, width, 3), 255, dtype=np.uint8)
    cloud = WordCloud(
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        random_state=RANDOM_STATE,
        font_path=str(cloud_font_path()),
        color_func=_cloud_colour,  # dark colours only: every word readable on white
        prefer_horizontal=0.9,
        collocations=False,
        normalize_plurals=False,
    )
    return cloud.generate_from_frequencies(frequencies).to_array()
