"""Moved: the notebooks' table reader lives in `analysis.pipeline.tables`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.pipeline.tables import *  # noqa: F401,F403
