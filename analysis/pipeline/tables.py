"""The notebooks' front door to the corpus tables.

`load_tables()` returns every per-article table of the corpus from the pipeline's cache, building
what is missing first, so re-opening a notebook is instant. See `analysis.pipeline.Tables` for
the tables and the README's data dictionary for their columns.
"""

import pandas as pd

from analysis.pipeline import Tables, load_tables

__all__ = ["Tables", "load_tables", "doc_ids_within"]


def doc_ids_within(table: pd.DataFrame, articles: pd.DataFrame) -> bool:
    """Whether every `doc_id` of `table` is one of `articles`' (or of a report's). Compares the
    distinct values, which stays quick on the millions of rows of a large corpus's tables."""
    return set(table["doc_id"].unique().tolist()) <= set(articles["doc_id"].unique().tolist())
