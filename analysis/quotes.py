"""Moved: quote attribution lives in `analysis.extract.quotes`. This module re-exports it so that existing
notebooks and scripts keep working."""

from analysis.extract.quotes import *  # noqa: F401,F403
