"""News analysis toolkit: load articles, then find who is quoted, what words dominate, what the
tone is and what happened when.

The package does the work; the notebooks in `notebooks/` tell the story. The layers, and what each
may import, are described in ARCHITECTURE.md.

    >>> from analysis import load_corpus, extract_quotes, extract_timexes, score_texts, score_targets, article_terms
"""

from analysis import paths
from analysis.load.corpus import Corpus, EmptyCorpusError, load_corpus

#: The per-article functions, imported on first use so that `import analysis` stays light.
_LAZY = {
    "extract_quotes": "analysis.extract.quotes",
    "extract_timexes": "analysis.extract.timex",
    "score_texts": "analysis.extract.sentiment",
    "score_targets": "analysis.extract.sentiment.targets",
    "article_terms": "analysis.extract.terms",
}

__all__ = ["Corpus", "EmptyCorpusError", "load_corpus", "paths", *_LAZY]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
