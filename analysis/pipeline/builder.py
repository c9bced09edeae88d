"""The build: analyse every article of a corpus that the cache does not hold yet, and store it.

    python -m analysis build --corpus DIR [--cache DIR] [--engine local|dask]

A build scans the corpus (:mod:`analysis.pipeline.manifest`), plans one job per file whose load
stage or some analysis stage is missing from the cache, runs the jobs in chunks on an engine
(:mod:`analysis.pipeline.engines`), commits each chunk's shards (:mod:`analysis.pipeline.store`),
compacts, and stores the derived tables (:mod:`analysis.pipeline.derived`). Adding 100 articles
to 100,000 analyses only the 100; editing one stage's code re-runs that stage only.
(Named `builder` rather than `build` so that the module and the function `build` the package
exports never shadow each other.)
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from analysis import paths
from analysis.load.clean import MAX_FILE_BYTES
from analysis.load.corpus import EmptyCorpusError
from analysis.pipeline import engines
from analysis.load.fields import detect_fields
from analysis.pipeline.chunks import Job, attach_rows
from analysis.pipeline.derived import refresh_derived
from analysis.pipeline.manifest import _columns, _read_manifest, manifest_path, save_manifest, scan_corpus
from analysis.pipeline.stages import STAGES, Stage
from analysis.pipeline.store import KEY, Store, _describe
from analysis.pipeline.versions import LOAD

log = logging.getLogger(__name__)

ERROR_COLUMNS = ["doc_id", "path", "stage", "error"]


@dataclass
class BuildResult:
    """What a build did. `errors` has columns doc_id, path, stage, error (cached ones included)."""

    corpus: Path
    cache: Path
    manifest: pd.DataFrame
    stages: list[str]
    files: int = 0
    rows: int = 0  # rows of table and JSON files (each an article to load)
    loaded: int = 0
    analysed: int = 0
    from_cache: int = 0
    duplicates: int = 0  # files byte-identical to another file of the corpus (analysed once)
    retried: int = 0  # files the previous build could not read or analyse, tried again
    words: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    #: (raw_hash, "read" or "chunk", error): files lost to the machine (unreadable, a dead
    #: worker), not to their content; nothing is cached for them and the next build retries them.
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    #: path, doc_id, reason of every file or row that gave no article (also in the load report).
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["path", "doc_id", "reason"]))
    #: The open stores (load stage and every analysis stage), for reading the tables next.
    stores: dict[str, Store] = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        rate = self.analysed / self.seconds if self.seconds else 0.0
        lines = [
            f"Corpus {self.corpus}: {self.files:,} file{'' if self.files == 1 else 's'}"
            + (f" ({self.rows:,} table/JSON rows)" if self.rows else "")
            + f", {self.loaded:,} articles; {self.analysed:,} analysed, "
            f"{self.from_cache:,} already in the cache"
            + (f", {self.duplicates:,} byte-identical copies of another file" if self.duplicates else "")
            + f" ({self.seconds:.1f} s, {rate:,.1f} articles/s).",
            f"Stages: load, {', '.join(self.stages) or '(none)'}; cache {self.cache}",
        ]
        if len(self.skipped):
            lines.append(f"{len(self.skipped):,} file(s) or row(s) gave no article (see the load report):")
            for row in self.skipped.head(10).itertuples(index=False):
                lines.append(f"  {row.path}: {row.reason}")
            if len(self.skipped) > 10:
                lines.append(f"  ... and {len(self.skipped) - 10:,} more")
        if self.retried:
            lines.append(f"Retried {self.retried:,} file(s) the last build could not read or analyse.")
        if len(self.errors):
            lines.append(f"{len(self.errors):,} article(s) failed in a stage (the rest completed):")
            for row in self.errors.head(20).itertuples(index=False):
                lines.append(f"  {row.doc_id} [{row.stage}] {row.error}")
        if self.failed:
            lines.append(f"{len(self.failed):,} file(s) could not be read or analysed because of the machine, not "
                         "their content ([read] or [chunk] above): nothing is cached for them and they will be "
                         "retried by the next build.")
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
    follow_links: bool = False,
    worker_timeout: float = engines.WORKER_TIMEOUT_S,
    fields: dict[str, str] | None = None,
    dayfirst: bool | None = None,
) -> BuildResult:
    """Analyse every article of `corpus_dir` that the cache does not hold yet, and store it.

    `engine` is "local" (worker processes on this machine, `workers` of them, default: every
    core) or "dask" (a dask.distributed cluster at `scheduler`, or a LocalCluster of `workers`).
    Symbolic links leading outside the corpus folder are listed as skipped unless `follow_links`.
    Every row of a CSV/TSV/JSON/JSONL/Parquet file (or `.gz` of one) is an article, cached by the
    hash of its fields; `fields` (role -> column) and `dayfirst` are as for
    :func:`analysis.load.corpus.load_corpus` (when None: $ANALYSIS_FIELDS, such as
    `text=content,date=scraped_at`, and $ANALYSIS_DAYFIRST=1, so that notebooks build with the
    options of the command that started them).
    With the Dask engine, a cluster that has no worker for `worker_timeout` seconds (at the start
    or mid-build) raises :class:`~analysis.pipeline.engines.NoDaskWorkersError`.

    Ctrl-C (KeyboardInterrupt) or SIGTERM (:class:`BuildTerminated`, when called from the main
    thread) stops the build and its worker processes; what was stored so far stays in the cache
    and the next build resumes from it. Returns a :class:`BuildResult`.
    """
    started = time.perf_counter()
    corpus, cache = paths.seeds_dir(corpus_dir), paths.cache_dir(cache_dir)
    if not corpus.exists() and not corpus.is_symlink():
        raise EmptyCorpusError(f"No corpus at {corpus}: the path does not exist.")
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    progress = sys.stderr.isatty() if progress is None else progress
    fields, dayfirst = load_options_from_env(fields, dayfirst)
    detect_fields((), fields)  # an unknown role fails here, not in every worker
    ready = tuple(STAGES if stages is None else stages)
    names = tuple(s.name for s in ready)

    manifest_file = manifest_path(corpus, cache)
    previous = _read_manifest(manifest_file)
    manifest = scan_corpus(corpus, previous, max_bytes, progress, follow_links, fields, dayfirst)
    load_store = Store(cache, LOAD)
    stores = {stage.name: Store(cache, stage) for stage in ready}
    jobs = plan_jobs(manifest, load_store, stores)
    log.info("%d files; %d to analyse (%d new or changed, %d for a new stage version)", len(manifest),
             len(jobs), sum(j.store_load for j in jobs), sum(not j.store_load for j in jobs))

    n_rows = int((manifest["kind"] == "row").sum())
    result = BuildResult(corpus, cache, manifest, list(names), files=len(set(_columns(manifest, "path")[0])), rows=n_rows)
    result.stage_seconds = dict.fromkeys([LOAD, *names, "store"], 0.0)
    hashed = manifest["raw_hash"].dropna()
    result.duplicates = len(hashed) - hashed.nunique()
    result.from_cache = hashed.nunique() - len(jobs)
    retry = set(previous.attrs.get("retry") or ()) if previous is not None else set()
    result.retried = sum(job.raw_hash in retry for job in jobs)
    if jobs:
        with _terminate_raises(), contextlib.closing(_outcomes(jobs, ready, engine, workers or os.cpu_count() or 1,
                                                               scheduler, dask_processes, worker_timeout)) as outcomes:
            _collect(outcomes, result, load_store, stores, progress, len(jobs))
    _tidy_stores(cache, load_store, stores, keep_older=bool(result.failed))
    manifest.attrs["retry"] = sorted({raw_hash for raw_hash, _, _ in result.failed})
    save_manifest(manifest_file, manifest)
    result.errors = errors_table(manifest, load_store, stores, result.failed)
    result.loaded = refresh_derived(corpus, cache, manifest, load_store, stores)
    result.skipped = skipped_table(manifest, load_store)
    result.stores = {LOAD: load_store, **stores}
    result.seconds = time.perf_counter() - started
    return result


ENV_FIELDS = "ANALYSIS_FIELDS"
ENV_DAYFIRST = "ANALYSIS_DAYFIRST"


def load_options_from_env(fields: dict[str, str] | None, dayfirst: bool | None) -> tuple[dict[str, str] | None, bool]:
    """`fields` and `dayfirst`, or when not given, those of $ANALYSIS_FIELDS and $ANALYSIS_DAYFIRST."""
    if fields is None and os.environ.get(ENV_FIELDS):
        pairs = [item.partition("=") for item in os.environ[ENV_FIELDS].split(",") if item.strip()]
        bad = [role for role, sep, column in pairs if not sep or not column.strip()]
        if bad:
            raise ValueError(f"${ENV_FIELDS} must read ROLE=COLUMN,ROLE=COLUMN (such as text=content), not "
                             f"{os.environ[ENV_FIELDS]!r}")
        fields = {role.strip(): column.strip() for role, _, column in pairs}
    if dayfirst is None:
        dayfirst = os.environ.get(ENV_DAYFIRST, "").strip().lower() in ("1", "true", "yes")
    return fields, bool(dayfirst)


def plan_jobs(manifest: pd.DataFrame, load_store: Store, stores: dict[str, Store]) -> list[Job]:
    """One job per distinct file content the cache lacks: new or changed files run every stage
    (and store their load tables); known files run only the stages missing their article."""
    names = tuple(stores)
    jobs, planned = [], set()
    done_everywhere = set.intersection(*(set(store.owner) for store in stores.values())) if stores else set()
    options = manifest.attrs.get("options")
    columns = _columns(manifest, "order", "doc_id", "path", "raw_hash", "kind", "row", "sidecar")
    for order, doc_id, path, raw_hash, kind, row, sidecar in zip(*columns):
        if raw_hash is None or raw_hash in planned:
            continue
        source = {"kind": kind, "row": row, "sidecar": sidecar, "options": options}
        if raw_hash in load_store.owner:
            akey = load_store.article_keys.get(raw_hash)
            if akey is None or akey in done_everywhere:
                continue
            todo = tuple(n for n in names if akey not in stores[n].owner)
            if todo:
                jobs.append(Job(order, path, doc_id, raw_hash, False, todo, **source))
                planned.add(raw_hash)
        else:
            jobs.append(Job(order, path, doc_id, raw_hash, True, names, **source))
            planned.add(raw_hash)
    return jobs


class BuildTerminated(KeyboardInterrupt):
    """The build received SIGTERM. A KeyboardInterrupt, so that whatever handles Ctrl-C handles
    it too (and `except Exception` does not swallow it); `signum` is the signal's number."""

    def __init__(self, signum: int = signal.SIGTERM):
        super().__init__(f"the build received {signal.Signals(signum).name}")
        self.signum = signum


def _raise_terminated(signum: int, frame) -> None:
    raise BuildTerminated(signum)


@contextlib.contextmanager
def _terminate_raises() -> Iterator[None]:
    """While the chunks run: SIGTERM raises :class:`BuildTerminated` in the build (which stops the
    worker processes on its way out) instead of ending this process and orphaning them. Only the
    main thread can set a signal handler; elsewhere SIGTERM is left as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _outcomes(jobs: list[Job], stages: tuple[Stage, ...], engine: str, workers: int, scheduler: str | None,
              dask_processes: bool, worker_timeout: float = engines.WORKER_TIMEOUT_S) -> Iterator[dict]:
    """The jobs in chunks through the chosen engine: one outcome per chunk."""
    chunks = engines.chunks(attach_rows(jobs), ship_data=engine == "dask")
    if engine == "dask":
        return engines.dask_engine(chunks, stages, workers, scheduler, dask_processes, worker_timeout)
    return engines.local_engine(chunks, stages, min(workers, max(1, -(-len(jobs) // engines.CHUNK_ARTICLES))))


def _collect(outcomes: Iterator[dict], result: BuildResult, load_store: Store, stores: dict[str, Store],
             progress: bool, total: int) -> None:
    """Commit each chunk's shards as it arrives and add up its figures in `result`."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, desc="analysing", unit="article", mininterval=1.0, smoothing=0.1)
    try:
        for outcome in outcomes:
            if "failed" in outcome:
                for job in outcome["failed"]:
                    result.failed.append((job.raw_hash, "chunk", outcome["error"]))
                done = len(outcome["failed"])
            else:
                commit(outcome, load_store, stores)
                for raw_hash, why in outcome.get("unread", ()):
                    result.failed.append((raw_hash, "read", f"could not read the file ({why})"))
                for name, value in outcome["seconds"].items():
                    result.stage_seconds[name] = result.stage_seconds.get(name, 0.0) + value
                result.words += outcome["words"]
                result.analysed += len(outcome["articles"])
                done = len(outcome["articles"]) + len(outcome.get("unread", ()))
            if bar is not None:
                bar.update(done)
    finally:
        if bar is not None:
            bar.close()


def commit(outcome: dict, load_store: Store, stores: dict[str, Store]) -> None:
    """Write one chunk's shards: analysis stages first, the load stage (the marker) last."""
    by_stage: dict[str, dict[str, bytes]] = {}
    for (stage, table), data in outcome["shards"].items():
        by_stage.setdefault(stage, {})[table] = data
    for stage, files in by_stage.items():
        if stage != LOAD:
            stores[stage].add(files)
    if LOAD in by_stage:
        load_store.add(by_stage[LOAD])


def _tidy_stores(cache: Path, load_store: Store, stores: dict[str, Store], keep_older: bool) -> None:
    """Compact every store; unless `keep_older` (this version is incomplete), remove the folders
    of older code versions."""
    for store in (load_store, *stores.values()):
        try:
            store.compact()
            if not keep_older:
                _prune_other_versions(cache, store)
        except OSError as exc:  # e.g. another build compacted the same folder meanwhile
            log.warning("could not compact %s (%s); it stays as it is", store.folder, _describe(exc))
            store.scan()


def _prune_other_versions(cache: Path, store: Store) -> None:
    """Remove the folders a stage's older code versions left (they can never be read again)."""
    if not cache.is_dir():  # nothing was ever stored (an empty corpus)
        return
    pattern = re.compile(rf"{re.escape(store.stage)}-[0-9a-f]{{12}}")
    for folder in cache.iterdir():
        if folder.is_dir() and pattern.fullmatch(folder.name) and folder != store.folder:
            shutil.rmtree(folder, ignore_errors=True)


class LostArticlesError(RuntimeError):
    """The build lost files to the machine (unreadable files, dead workers), not to their content."""


def build_for_run(corpus: Path, cache: Path, follow_links: bool = False, **options) -> BuildResult:
    """The build step of `python -m analysis run`: build, print the summary, and raise
    :class:`EmptyCorpusError` when no article could be loaded, :class:`LostArticlesError` when
    files were lost to the machine (the notebooks would show a partial corpus)."""
    result = build(corpus, cache, follow_links=follow_links, **options)
    print(result.summary())
    if not result.loaded:
        raise EmptyCorpusError(f"Nothing could be loaded from {corpus} ({result.files} files found"
                               + (f", {result.rows} table/JSON rows" if result.rows else "") + ").")
    if result.failed:
        raise LostArticlesError(
            f"{len(result.failed)} file(s) were lost to the machine (unreadable, or a worker process died), "
            "not to their content; the notebooks were not run on a partial corpus. Nothing is cached for "
            "those files: run the same command again to resume (the rest comes from the cache).")
    return result


def skipped_table(manifest: pd.DataFrame, load_store: Store) -> pd.DataFrame:
    """path, doc_id, reason of every file or row the scan or the load stage skipped, in order."""
    statuses = {}
    hashed = [h for h in _columns(manifest, "raw_hash")[0] if h is not None]
    stored = load_store.read("articles", hashed, columns=["status", "reason"]) if hashed else None
    if stored is not None:
        statuses = {k: r for k, st, r in zip(*(stored[c].to_pylist() for c in (KEY, "status", "reason"))) if st == "skipped"}
    rows = []
    for path, doc_id, raw_hash, status, reason, where in zip(*_columns(manifest, "path", "doc_id", "raw_hash", "status",
                                                                       "reason", "where")):
        if raw_hash is None and status == "skipped":
            rows.append((path, doc_id, reason))
        elif raw_hash in statuses:
            rows.append((path, doc_id, f"{where}: {statuses[raw_hash]}" if where else statuses[raw_hash]))
    return pd.DataFrame(rows, columns=["path", "doc_id", "reason"])


def errors_table(manifest: pd.DataFrame, load_store: Store, stores, failed: list[tuple[str, str, str]]) -> pd.DataFrame:
    """doc_id, path, stage, error of every article a stage failed on (cached failures included)
    and of every file a chunk lost (`failed`), in corpus order."""
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
