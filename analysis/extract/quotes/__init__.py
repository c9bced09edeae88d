"""Quote attribution (being split into modules)."""

from analysis.extract.quotes.frames import *  # noqa: F401,F403
from analysis.extract.quotes.frames import _FORM_TO_BASE  # noqa: F401
