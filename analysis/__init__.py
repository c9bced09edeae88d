"""News analysis toolkit: load articles, then find who is quoted, what words dominate, what the
tone is and what happened when.

The package does the work; the notebooks in `notebooks/` tell the story.
"""

from . import paths
from .corpus import Corpus, EmptyCorpusError, load_corpus

__all__ = ["Corpus", "EmptyCorpusError", "load_corpus", "paths"]
__version__ = "0.1.0"
