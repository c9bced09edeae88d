"""Moved: term frequency lives in `analysis.extract.terms`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.extract.terms import *  # noqa: F401,F403
