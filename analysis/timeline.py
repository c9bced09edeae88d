"""Moved: temporal expressions live in `analysis.extract.timex` (the extractor),
`analysis.summarise.timeline` (corpus tables) and `analysis.report.timeline` (charts). This module
re-exports them so that existing notebooks and scripts (`from analysis import timeline as T`) keep
working."""

from analysis.extract.timex import *  # noqa: F401,F403
from analysis.extract.timex.anchor import ANCHOR_WORDS  # noqa: F401
from analysis.extract.timex.vocab import (  # noqa: F401
    APPROX,
    DECADE_WORDS,
    FUTURE_BEFORE_TO,
    FUTURE_WORDS,
    GRAIN,
    MONTH,
    MONTHS,
    NOT_PAST_ED,
    NUMBER,
    ORDINALS,
    PARTS_OF_DAY,
    PAST_WORDS,
    SEASON_MONTHS,
    SEASONS,
    TIMEZONE,
    UNIT,
    UNITS,
    WEEKDAY,
    WEEKDAYS,
)
from analysis.report.timeline import *  # noqa: F401,F403
from analysis.summarise.timeline import *  # noqa: F401,F403
