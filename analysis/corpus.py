"""Moved: loading lives in `analysis.load.corpus`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.load.corpus import *  # noqa: F401,F403
