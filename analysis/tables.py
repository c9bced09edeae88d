"""The notebooks' front door to the corpus tables.

`load_tables()` returns every per-article table of the corpus from the pipeline's cache, building
what is missing first, so re-opening a notebook is instant. See `analysis.pipeline.Tables` for
the tables and the README's data dictionary for their columns.
"""

from .pipeline import Tables, load_tables

__all__ = ["Tables", "load_tables"]
