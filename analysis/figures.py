"""Moved: the figure writer lives in `analysis.report.figures`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.report.figures import *  # noqa: F401,F403
