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
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
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


def local_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int) -> Iterator[dict]:
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
