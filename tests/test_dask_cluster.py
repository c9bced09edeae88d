"""The Dask engine on a real cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, one of which is killed in the middle of a build. The build must still store every
article, with exactly the tables a local build stores.

The build runs in a child process (with a time limit), so a build that hangs fails this test
instead of hanging the test run. Chunks are made small (`CHUNK_ARTICLES`) so that the 100
articles are many tasks and the kill lands while work is in flight.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.paths import PROJECT_ROOT
from conftest import MINI_CORPUS, distinct_copies

pytest.importorskip("dask")
pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

COPIES = 20
CHUNK = 2  # articles per Dask task in the dask build
BUILD_TIMEOUT_S = 600
TABLES = ("articles", "paragraphs", "sentences", "quotes", "timexes", "sentiment", "terms", "ngrams", "report", "errors")

# Run in the child process: the build on the cluster, with small chunks.
_DRIVER = """
import json, sys
from analysis import pipeline
from analysis.pipeline import engines
engines.CHUNK_ARTICLES = int(sys.argv[4])  # where the chunking reads it
result = pipeline.build(sys.argv[1], sys.argv[2], engine="dask", scheduler=sys.argv[3], progress=False)
print(json.dumps({"analysed": result.analysed, "loaded": result.loaded, "failed": len(result.failed),
                  "errors": len(result.errors)}))
"""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = "0"
    env["MPLBACKEND"] = "Agg"
    return env


def _start(args: list[str], log: Path) -> subprocess.Popen:
    """A `python -m dask ...` process in its own session, so it and its children can be killed."""
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=out, stderr=subprocess.STDOUT,
                                env=_environment(), start_new_session=True, cwd=log.parent)


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture()
def cluster(tmp_path):
    """(scheduler address, [worker processes]): a scheduler and two single-thread workers."""
    from distributed import Client

    folder = tmp_path / "cluster"
    folder.mkdir()
    scheduler_file = folder / "scheduler.json"
    processes = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(scheduler_file)], folder / "scheduler.log")]
    try:
        _wait_for(scheduler_file.exists, 60, "the scheduler")
        address = json.loads(scheduler_file.read_text())["address"]
        workers = [
            _start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                    "--name", f"w{i}", "--death-timeout", "60"], folder / f"worker-{i}.log")
            for i in range(2)
        ]
        processes += workers
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers
    finally:
        for process in reversed(processes):
            _kill(process)


@pytest.fixture()
def corpus(tmp_path):
    """The mini corpus 20 times, each copy made distinct (so none is skipped as a duplicate)."""
    return distinct_copies(tmp_path / "corpus", COPIES)


def test_a_build_survives_a_worker_killed_mid_build(cluster, corpus, tmp_path):
    from analysis.pipeline import build, load_tables

    address, workers = cluster
    local_cache, dask_cache = tmp_path / "local-cache", tmp_path / "dask-cache"
    local = build(corpus, local_cache, engine="local", workers=1, progress=False)
    n_files = COPIES * len(list(MINI_CORPUS.glob("*.txt")))
    assert local.loaded == n_files and not local.failed

    driver = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(corpus), str(dask_cache), address, str(CHUNK)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment(), start_new_session=True,
    )
    try:
        # Kill one worker (and its nanny) as soon as the first chunk is stored.
        _wait_for(lambda: any(dask_cache.rglob("*.parquet")) or driver.poll() is not None, BUILD_TIMEOUT_S,
                  "the first stored chunk")
        assert driver.poll() is None, "the build ended before a worker could be killed mid-build"
        _kill(workers[0])
        out, err = driver.communicate(timeout=BUILD_TIMEOUT_S)
    except (TimeoutError, subprocess.TimeoutExpired):
        _kill(driver)
        pytest.fail(f"the Dask build did not finish within {BUILD_TIMEOUT_S} s after a worker was killed")
    assert driver.returncode == 0, err.decode(errors="replace")[-3000:]
    outcome = json.loads(out.decode().strip().splitlines()[-1])
    assert outcome == {"analysed": n_files, "loaded": n_files, "failed": 0, "errors": 0}, outcome

    expected = load_tables(corpus, local_cache, build=False)
    got = load_tables(corpus, dask_cache, build=False)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), obj=name)
