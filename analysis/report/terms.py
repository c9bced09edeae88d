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

from analysis.settings import RANDOM_STATE


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
        colormap="viridis",
        prefer_horizontal=0.9,
        collocations=False,
        normalize_plurals=False,
    )
    return cloud.generate_from_frequencies(frequencies).to_array()
