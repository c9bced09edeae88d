"""Moved: sentiment lives in `analysis.extract.sentiment`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.extract.sentiment import *  # noqa: F401,F403
