"""The notebooks' front door to the corpus tables.

`load_tables()` returns the per-article tables of the corpus. When the pipeline module is present
they come from its cache (built on first use, so re-opening a notebook is instant); otherwise they
are computed here from the loaded corpus.
"""

from __future__ import annotations

import os


def load_tables(corpus_dir: str | os.PathLike | None = None, cache_dir: str | os.PathLike | None = None):
    """The corpus tables: `.articles`, `.paragraphs`, `.sentences`, `.report` and, from the
    pipeline, `.quotes`, `.timexes`, `.sentiment`, `.terms`, `.errors`; `.summary()` describes them."""
    try:
        from .pipeline import load_tables as cached_tables
    except ModuleNotFoundError as exc:
        if exc.name != "analysis.pipeline":
            raise
        from .corpus import load_corpus

        return load_corpus(corpus_dir)
    return cached_tables(corpus_dir, cache_dir)
