"""Engines: how chunks of work reach the chunk function.

* local worker processes (the default; streaming, a bounded number of chunks in flight);
* Dask (`--engine dask [--scheduler tcp://host:8786]`), which runs the same chunk function on a
  `dask.distributed` cluster; the client sends the files' bytes, so workers need no shared disk.

Each engine yields one outcome per chunk: the chunk function's result, or {"failed": jobs,
"error": message} when the chunk could not be analysed.

Workers never outlive their build. An exception in the build (Ctrl-C, or SIGTERM, which the build
turns into :class:`~analysis.pipeline.builder.BuildTerminated`) terminates the local worker
processes; a build killed outright (SIGKILL, which nothing can catch) is noticed by the workers
themselves: on Linux the kernel sends them SIGKILL when their parent dies (`PR_SET_PDEATHSIG`),
and everywhere a watchdog thread in each worker exits it once the build's process is gone. A Dask
cluster without a worker fails the build after `worker_timeout` seconds, saying so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, CancelledError, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

from analysis.pipeline.chunks import Job, analyse_chunk
from analysis.pipeline.stages import Stage
from analysis.pipeline.store import _describe

log = logging.getLogger(__name__)

#: Articles per chunk of work (and per shard file before compaction); a chunk is also closed
#: when its files add up to CHUNK_BYTES, so a folder of very long articles still streams.
CHUNK_ARTICLES = 200
CHUNK_BYTES = 4 * 2**20


def chunks(jobs: Iterable[Job], ship_data: bool) -> Iterator[list[Job]]:
    chunk, size = [], 0
    for job in jobs:
        if job.kind == "row":  # its fields are attached already (`attach_rows`)
            size += len(job.data or b"")
        elif ship_data:
            try:
                data, problem = Path(job.path).read_bytes(), None
            except OSError as exc:  # the worker reports it as a file to retry, not as its content
                data, problem = b"", _describe(exc)
            job = replace(job, data=data, read_error=problem)
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


#: How often a local worker checks that its build is still there (seconds).
PARENT_POLL_S = 0.5
#: How long stopped worker processes get to end after SIGTERM before they are killed (seconds).
TERMINATE_GRACE_S = 3.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _process_alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (a killed build its parent has not reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):  # no /proc (macOS): existing is alive
        return True


def _die_with_parent() -> None:
    """Linux: ask the kernel to SIGKILL this process when its parent process ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no usable libc: the watchdog thread still works
        pass


def _watch_build(parent: int, build_pid: int) -> None:
    """A worker's watchdog thread: end the worker once its parent or its build is gone."""
    while os.getppid() == parent and _process_alive(build_pid):
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def _worker_init(build_pid: int) -> None:
    """Run first in each local worker process.

    Ctrl-C reaches every process of the terminal's foreground group; the build handles it (and
    stops its workers), so the workers ignore it rather than each printing a traceback; SIGTERM,
    with which the build stops them, ends them quietly. The worker
    then arranges to end with its build, even one killed with SIGKILL: its parent is the build
    (fork) or the fork server, which ends with the build.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the build's handler
    parent = os.getppid()
    _die_with_parent()
    if not _process_alive(build_pid):  # the build died before the kernel was asked to tell us
        os._exit(1)
    threading.Thread(target=_watch_build, args=(parent, build_pid), name="watch-build", daemon=True).start()


def local_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int) -> Iterator[dict]:
    """Chunks through a pool of `workers` processes, a bounded number in flight at a time.

    If the build stops early (an exception such as Ctrl-C or SIGTERM, or the consumer closes this
    generator), the worker processes are terminated at once rather than left to finish their chunks.
    """
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
    except BaseException:
        pool.terminate()
        raise
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
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context,
                                   initializer=_worker_init, initargs=(os.getpid(),))

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

    def terminate(self) -> None:
        """Stop now: cancel the waiting chunks and end every worker process (SIGTERM, then SIGKILL
        for any still there after TERMINATE_GRACE_S), without waiting for their chunks."""
        pools = {id(pool): pool for pool in (self.pool, *(entry[2] for entry in self.pending.values()))}
        processes = []
        for pool in pools.values():
            # The executor has no public way to stop its workers; its process table is the way.
            processes += list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + TERMINATE_GRACE_S
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
        self.pending.clear()


#: How long a Dask build waits for its cluster to have a worker, at the start or after losing
#: them all (seconds); `--worker-timeout` on the command line.
WORKER_TIMEOUT_S = 60.0
#: How often a Dask build checks its cluster's workers while it waits for a chunk (seconds).
DASK_POLL_S = 1.0


class NoDaskWorkersError(RuntimeError):
    """The Dask cluster had no worker for longer than the build's worker timeout."""


def _no_workers(scheduler: str, waited: float, mid_build: bool) -> NoDaskWorkersError:
    when = "lost every worker mid-build and none came back" if mid_build else "has no worker"
    return NoDaskWorkersError(
        f"The Dask scheduler at {scheduler} {when}: waited {waited:.0f} s. Start workers for it "
        f"(`dask worker {scheduler} --nthreads 1` on each machine), or point --scheduler at a cluster "
        "that has them, then run the same command again: what was stored is kept and the build resumes. "
        "--worker-timeout SECONDS sets how long to wait.")


class _WorkerWatch:
    """Fails the build when the cluster has had no worker for `timeout` seconds."""

    def __init__(self, client, scheduler: str, timeout: float):
        self.client, self.scheduler, self.timeout = client, scheduler, timeout
        self.since: float | None = None

    def check(self) -> None:
        if self.client.scheduler_info().get("workers"):
            self.since = None
            return
        now = time.monotonic()
        if self.since is None:
            self.since = now
            log.warning("the Dask scheduler at %s has no worker; waiting up to %.0f s for one",
                        self.scheduler, self.timeout)
        elif now - self.since >= self.timeout:
            raise _no_workers(self.scheduler, now - self.since, mid_build=True)


def dask_engine(chunks: Iterator[list[Job]], stages: tuple[Stage, ...], workers: int,
                 scheduler: str | None, processes: bool = True,
                 worker_timeout: float = WORKER_TIMEOUT_S) -> Iterator[dict]:
    """The same chunk function on a dask.distributed cluster (a LocalCluster when no address).

    Raises :class:`NoDaskWorkersError` when the cluster has no worker for `worker_timeout`
    seconds, before the first chunk or after losing every worker.
    """
    try:
        from dask.distributed import Client, LocalCluster, wait as dask_wait
        from distributed.client import FuturesCancelledError
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
    address = scheduler or client.scheduler.address
    try:
        started = time.monotonic()
        try:
            client.wait_for_workers(1, timeout=worker_timeout)
        except TimeoutError:
            raise _no_workers(address, time.monotonic() - started, mid_build=False) from None
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * n_workers + 2
        watch = _WorkerWatch(client, address, worker_timeout)
        in_flight: dict = {}  # future -> chunk
        source = iter(chunks)

        def submit() -> None:
            chunk = next(source, None)
            if chunk is not None:
                in_flight[client.submit(analyse_chunk, chunk, stages, pure=False)] = chunk

        for _ in range(window):
            submit()
        while in_flight:
            try:
                dask_wait(list(in_flight), timeout=DASK_POLL_S, return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished meanwhile: is anyone still working?
                watch.check()
                continue
            except FuturesCancelledError:  # a cancelled chunk: reported as failed below
                pass
            watch.since = None
            for future in [f for f in in_flight if f.status != "pending"]:
                chunk = in_flight.pop(future)
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
