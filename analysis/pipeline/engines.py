"""Engines: how chunks of work reach the chunk function.

* local worker processes (the default; streaming, a bounded number of chunks in flight);
* Dask (`--engine dask [--scheduler tcp://host:8786]`), which runs the same chunk function on a
  `dask.distributed` cluster; the client sends the files' bytes, so workers need no shared disk.

Each engine yields one outcome per chunk: the chunk function's result, or {"failed": jobs,
"error": message} when the chunk could not be analysed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Iterator

from analysis.pipeline.chunks import Job, analyse_chunk
from analysis.pipeline.stages import Stage
from analysis.pipeline.store import _describe

log = logging.getLogger(__name__)

#: Articles per chunk of work (and per shard file before compaction); a chunk is also closed
#: when its files add up to CHUNK_BYTES, so a folder of very long articles still streams.
CHUNK_ARTICLES = 200
CHUNK_BYTES = 4 * 2**20


def chunks(jobs: list[Job], ship_data: bool) -> Iterator[list[Job]]:
    chunk, size = [], 0
    for job in jobs:
        if ship_data:
            try:
                data, problem = Path(job.path).read_bytes(), None
            except OSError as exc:  # the worker reports it as a file to retry, not as its content
                data, problem = b"", _describe(exc)
            job = Job(job.order, job.path, job.doc_id, job.raw_hash, job.store_load, job.stages, data, problem)
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


def local_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int) -> Iterator[dict]:
    """Chunks through a pool of `workers` processes, a bounded number in flight at a time."""
    if workers <= 1:
        for chunk in chunks:
            try:
                yield analyse_chunk(chunk, stages)
            except Exception as exc:  # noqa: BLE001
                yield _failed(chunk, exc)
        return
    pool = _RenewingPool(workers, stages)
    try:
        for chunk in chunks:
            while len(pool.pending) >= 2 * workers:
                yield from pool.finished()
            pool.submit(chunk)
        while pool.pending:
            yield from pool.finished()
    finally:
        pool.close()


class _RenewingPool:
    """Worker processes for the chunks, replaced by fresh ones when a worker dies.

    A dead worker (killed for memory, say) breaks its whole pool: every chunk in flight on it
    fails with BrokenProcessPool, through no fault of its articles. The pool is then replaced
    and each chunk so lost is submitted once more; one lost a second time is reported failed
    (not cached: the next build retries it).
    """

    def __init__(self, workers: int, stages: tuple[Stage, ...]):
        self.workers, self.stages = workers, stages
        # fork is cheapest and works from any script; a process with threads (a Jupyter kernel, a
        # memory sampler) forks unsafely, so it gets workers from a fork server instead.
        self.context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
        self.pool = self._new_pool()
        self.pending: dict = {}  # future -> (chunk, attempt, the pool it runs on)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context)

    def _renew(self, broken: ProcessPoolExecutor) -> None:
        if broken is self.pool:  # the first chunk to report the dead worker replaces the pool
            log.warning("a worker process died; its chunks are retried once on fresh worker processes")
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()

    def submit(self, chunk: list[Job], attempt: int = 0) -> None:
        try:
            future = self.pool.submit(analyse_chunk, chunk, self.stages)
        except BrokenProcessPool:
            self._renew(self.pool)
            future = self.pool.submit(analyse_chunk, chunk, self.stages)
        self.pending[future] = (chunk, attempt, self.pool)

    def finished(self) -> Iterator[dict]:
        """Wait for a chunk to finish; the outcome of each finished chunk, except those lost to a
        dead worker for the first time, which are submitted again."""
        done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
        for future in done:
            chunk, attempt, pool = self.pending.pop(future)
            try:
                error = future.exception()
            except CancelledError as exc:
                error = exc
            if isinstance(error, (BrokenProcessPool, CancelledError)) and attempt == 0:
                self._renew(pool)
                self.submit(chunk, attempt + 1)
            elif error is not None:
                yield _failed(chunk, error)
            else:
                yield future.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def dask_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int,
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
