"""The scale pipeline: run every per-article analysis over a corpus once and keep the tables.

    python -m analysis build --corpus DIR [--cache DIR] [--engine local|dask]

    >>> from analysis.pipeline import load_tables
    >>> tables = load_tables()            # builds what is missing, then reads the cache
    >>> tables.quotes                     # one row per quote, with doc_id

The package, one concern per module:

* :mod:`~analysis.pipeline.stages`: the analysis stages (:data:`STAGES`), each a pure function
  from an article dict to a table, adapting a function of `analysis.extract`;
* :mod:`~analysis.pipeline.versions`: each stage's code version, the hash of the extraction and
  loading code it imports and of the lexicon files that code reads (its cache key);
* :mod:`~analysis.pipeline.chunks`: the chunk function the workers run (load, then every stage);
* :mod:`~analysis.pipeline.store`: the Parquet shards of one stage at one version;
* :mod:`~analysis.pipeline.manifest`: the corpus's file list with each file's hash;
* :mod:`~analysis.pipeline.engines`: local worker processes or a Dask cluster;
* :mod:`~analysis.pipeline.builder`: :func:`build`, which ties them together;
* :mod:`~analysis.pipeline.derived`: corpus totals and quote scores, kept once per corpus;
* :mod:`~analysis.pipeline.tables`: :func:`load_tables` and :class:`Tables`, the notebooks' reader;
* :mod:`~analysis.pipeline.cli`: the `build` subcommand.

Editing a chart, a corpus summary or a notebook never changes a stage's version, so the next
build re-reads the cache; editing an extraction module or a lexicon it reads re-runs the stages
that use it, and only those.
"""

from analysis.pipeline.builder import ERROR_COLUMNS, BuildResult, LostArticlesError, build, build_for_run
from analysis.pipeline.chunks import Job, analyse_chunk
from analysis.pipeline.cli import add_subcommands
from analysis.pipeline.derived import TOTALS, corpus_quote_scores, corpus_totals, weights_digest
from analysis.pipeline.engines import CHUNK_ARTICLES, CHUNK_BYTES
from analysis.pipeline.manifest import MANIFEST_COLUMNS, folders_signature, manifest_path, scan_corpus
from analysis.pipeline.stages import NGRAM_LENGTHS, STAGE_BY_NAME, STAGES, Article, Stage
from analysis.pipeline.store import COMPACT_ABOVE, KEY, LOAD_TABLES, CorruptShard, Store
from analysis.pipeline.tables import TABLE_NAMES, Tables, built_token, doc_ids_within, load_tables, take_runs
from analysis.pipeline.versions import CACHE_FORMAT, LOAD, article_key, module_closure, stage_version

__all__ = [
    "Article", "BuildResult", "CACHE_FORMAT", "CHUNK_ARTICLES", "CHUNK_BYTES", "COMPACT_ABOVE", "CorruptShard",
    "ERROR_COLUMNS", "Job", "KEY", "LOAD", "LOAD_TABLES", "MANIFEST_COLUMNS", "NGRAM_LENGTHS", "STAGES",
    "STAGE_BY_NAME", "Stage", "Store", "TABLE_NAMES", "TOTALS", "Tables", "add_subcommands", "analyse_chunk",
    "LostArticlesError", "article_key", "build", "build_for_run", "built_token", "corpus_quote_scores", "corpus_totals",
    "doc_ids_within", "folders_signature", "load_tables", "manifest_path", "module_closure", "scan_corpus",
    "stage_version", "take_runs", "weights_digest",
]
