"""The chunk function: the load stage and the analysis stages on a chunk of files.

It runs in worker processes (local or Dask) and is pure: files in, Parquet bytes out.
Each file is read, cleaned and split into sentences by `analysis.load.corpus.read_article` (the
*load* stage), then every analysis stage runs on the article. An article that raises inside a
stage is recorded (its key and the error) and the rest of the chunk completes.
"""

from __future__ import annotations

import functools
import gc
import gzip
import io
import json
import logging
import os
import stat
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from analysis.load.clean import MAX_FILE_BYTES, too_large_reason
from analysis.load.corpus import SKIPPED, ArticleRecord, article_from_bytes, read_article
from analysis.load.fields import FieldMap, detect_fields
from analysis.load.formats import iter_rows
from analysis.load.records import apply_sidecar, metadata_of, row_article
from analysis.pipeline.manifest import row_hash, row_json
from analysis.pipeline.stages import Article, Stage
from analysis.pipeline.store import (
    KEY,
    LOAD_ARTICLE_COLUMNS,
    LOAD_PARAGRAPH_COLUMNS,
    LOAD_SENTENCE_COLUMNS,
    _describe,
    _parquet_bytes,
    load_articles_table,
)
from analysis.pipeline.versions import LOAD, article_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One file to analyse: which stages to run, whether to store its load tables, and (for
    engines without a shared disk) the file's bytes, or why they could not be read."""

    order: int
    path: str
    doc_id: str
    raw_hash: str
    store_load: bool
    stages: tuple[str, ...]
    data: bytes | None = None
    read_error: str | None = None
    #: "txt" (a file), "txt+gz" (a compressed one) or "row" (a table or JSON row: `data` holds
    #: its fields as JSON, attached by :func:`attach_rows`); `sidecar` a `.txt` file's
    #: `metadata.csv` row (JSON, with the load options); `options` a row's load options (JSON).
    kind: str = "txt"
    row: int = 0
    sidecar: str | None = None
    options: str | None = None


class UnreadableFile(Exception):
    """A listed file could not be read at all (it vanished, became a folder or unreadable since
    the scan hashed it): a fault of the machine, not of the file's content, so nothing is cached
    under its content hash and the next build tries again."""


def _check_readable(path: str) -> None:
    """Raise :class:`UnreadableFile` unless `path` is still a regular file that opens."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UnreadableFile("it is no longer a regular file")
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise UnreadableFile(_describe(exc)) from exc


def _read(job: Job) -> ArticleRecord:
    """The loader's record of the job's file or row. Raises :class:`UnreadableFile` when the file
    cannot be read at all (the loader would record that as a skipped file, which is a fact about
    the machine at that moment, not about the bytes the scan hashed)."""
    if job.read_error is not None:
        raise UnreadableFile(job.read_error)
    if job.kind == "row":
        record = json.loads(job.data or b"{}")
        fmap, dayfirst = _field_map(tuple(record), job.options or "{}")
        return row_article(record, fmap, dayfirst, job.path, job.doc_id)[0]
    record = _read_file(job)
    if job.sidecar is not None and record.article is not None:
        given = json.loads(job.sidecar)
        fmap, dayfirst = _field_map(tuple(given["row"]), json.dumps(given.get("options") or {}))
        apply_sidecar(record.article, given["row"], fmap, dayfirst)
    return record


@functools.lru_cache(maxsize=256)
def _field_map(columns: tuple[str, ...], options: str) -> tuple[FieldMap, bool]:
    """The field map of records with these columns under the load options (JSON), and dayfirst:
    computed once per distinct set of columns, not per row."""
    given = json.loads(options)
    return detect_fields(columns, given.get("fields")), bool(given.get("dayfirst"))


def _read_file(job: Job) -> ArticleRecord:
    if job.data is None:
        _check_readable(job.path)
        if job.kind == "txt+gz":
            with open(job.path, "rb") as handle:
                return _gzip_article(job, handle)
        return read_article(job.path, job.doc_id)
    if job.kind == "txt+gz":
        return _gzip_article(job, io.BytesIO(job.data))
    # Shipped bytes go through the very same reader, from a private temporary file.
    with tempfile.TemporaryDirectory(prefix="analysis-") as folder:
        file = Path(folder) / "article.txt"
        file.write_bytes(job.data)
        record = read_article(file, job.doc_id)
    record.path = job.path
    if record.article is not None:
        record.article["path"] = job.path
    return record


def _gzip_article(job: Job, handle) -> ArticleRecord:
    """A `.txt.gz`: one article, read like a `.txt` once decompressed (at most MAX_FILE_BYTES)."""
    try:
        with gzip.GzipFile(fileobj=handle) as unzipped:
            data = unzipped.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError) as exc:
        return ArticleRecord(job.path, job.doc_id, SKIPPED, f"could not be read: {_describe(exc)}")
    if len(data) > MAX_FILE_BYTES:
        return ArticleRecord(job.path, job.doc_id, SKIPPED, too_large_reason(len(data), MAX_FILE_BYTES))
    return article_from_bytes(job.path, job.doc_id, data)


def attach_rows(jobs: Iterable[Job], max_bytes: int = MAX_FILE_BYTES) -> Iterator[Job]:
    """The jobs, each row job with its row's fields as `data`: each table file is read once, in
    step with its jobs (which come in row order), so only the rows of the chunks being analysed
    are in memory. A row that is no longer what the scan hashed (the file changed since) is a
    row to retry (`read_error`), not a content to cache."""
    path, rows = None, iter(())
    for job in jobs:
        if job.kind != "row":
            yield job
            continue
        if job.path != path:
            path, rows = job.path, iter_rows(Path(job.path), max_bytes)
        data, problem = None, f"row {job.row} is no longer in the file"
        try:
            for row in rows:
                if row.number == job.row:
                    if row.record is not None and row_hash(row.record, job.options or "") == job.raw_hash:
                        data, problem = row_json(row.record).encode("utf-8", "surrogatepass"), None
                    else:
                        problem = "the row changed since the corpus was scanned"
                    break
        except Exception as exc:  # noqa: BLE001 - retried by the next build
            path, rows, problem = None, iter(()), f"could not read the file: {_describe(exc)}"
        yield replace(job, data=data, read_error=problem)


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
    raw_hash, article_key or None); `unread` lists (raw_hash, why) of the files that could not be
    read (:class:`UnreadableFile`; nothing is stored for them); `seconds` (CPU time per stage)
    and `words` feed the bench.
    """
    with _COLLECTOR_PAUSE:
        return _analyse_chunk(jobs, stages)


def _analyse_chunk(jobs: list[Job], stages: tuple[Stage, ...]) -> dict:
    """:func:`analyse_chunk` with the garbage collector paused."""
    load_articles, load_paragraphs, load_sentences = [], [], []
    seconds = dict.fromkeys([LOAD, *(s.name for s in stages), "store"], 0.0)
    articles_seen, unread, words = [], [], 0
    todo: dict[str, list[tuple[str, Article]]] = {s.name: [] for s in stages}
    planned: dict[str, set[str]] = {s.name: set() for s in stages}
    for job in jobs:
        started = time.process_time()
        try:
            record = _read(job)
        except UnreadableFile as exc:
            unread.append((job.raw_hash, str(exc)))
            continue
        article = record.article
        akey = article_key(article["content_hash"], article["date"]) if article else None
        if job.store_load:
            row = {KEY: job.raw_hash, "status": record.status, "reason": record.reason}
            if article:
                row.update({c: article.get(c) for c in LOAD_ARTICLE_COLUMNS[3:-2]}, article_key=akey)
                meta = metadata_of(article)
                row["meta"] = row_json(meta) if meta else None
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
        shards[(LOAD, "articles")] = _parquet_bytes(load_articles_table(frame), meta)
    seconds["store"] += time.process_time() - started
    return {"shards": shards, "articles": articles_seen, "unread": unread, "seconds": seconds, "words": words}


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


