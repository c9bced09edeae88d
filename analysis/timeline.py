"""Moved: temporal expressions lives in `analysis.extract.timex`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.extract.timex import *  # noqa: F401,F403
