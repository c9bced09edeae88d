"""Moved: quote attribution lives in `analysis.extract.quotes`, its corpus summaries in
`analysis.summarise.quotes` and its HTML highlighting in `analysis.report.quotes`. This module
re-exports all three so that existing notebooks and scripts keep working."""

from analysis.extract.quotes import *  # noqa: F401,F403
from analysis.report.quotes import *  # noqa: F401,F403
from analysis.summarise.quotes import *  # noqa: F401,F403
