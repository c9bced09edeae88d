"""Moved: term counting per article lives in `analysis.extract.terms`, corpus-level term
statistics (rankings, TF-IDF, keyness, collocations, KWIC, trends) in `analysis.summarise.terms`,
and the word cloud and chart labels in `analysis.report.terms`. This module re-exports all three
so that existing notebooks and scripts (`from analysis import terms`) keep working."""

from analysis.extract.terms import *  # noqa: F401,F403
from analysis.report.terms import *  # noqa: F401,F403
from analysis.settings import RANDOM_STATE  # noqa: F401
from analysis.summarise.terms import *  # noqa: F401,F403
