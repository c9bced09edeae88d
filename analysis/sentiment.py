"""Moved: sentiment lives in `analysis.extract.sentiment` (scoring one text: VADER, news senses,
name masking) and `analysis.summarise.sentiment` (sentences, articles, quotes, speakers, voices,
arcs, timelines). This module re-exports both, so `from analysis import sentiment as S` in the
notebooks and scripts keeps working."""

from analysis.extract.sentiment import *  # noqa: F401,F403
from analysis.summarise.sentiment import *  # noqa: F401,F403
