"""Shared test helpers: where the optional ../shared data lives, small corpora, and worker processes
that start with the heavy imports done."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_CORPUS = FIXTURES / "mini-corpus"
SHARED = Path(os.environ.get("NEWS_SHARED", PROJECT_ROOT.parent / "shared"))


def shared_path(env_name: str, relative: str) -> Path:
    """A folder under ../shared (or the path in $env_name); skips the test when it is absent."""
    path = Path(os.environ.get(env_name) or SHARED / relative)
    if not path.exists():
        pytest.skip(f"{path} is not available (set {env_name} to run this test)")
    return path


def distinct_copies(folder: Path, copies: int) -> Path:
    """`folder` filled with the mini corpus `copies` times, each copy's texts made distinct (so no
    file is skipped as a duplicate of another)."""
    folder.mkdir()
    for copy in range(copies):
        for file in sorted(MINI_CORPUS.glob("*.txt")):
            text = file.read_text(encoding="utf-8").rstrip("\n")
            (folder / f"{copy:02d}-{file.name}").write_text(f"{text}\n\nCopy {copy} of this article.\n", encoding="utf-8")
    return folder


# Modules every build worker needs; importing nltk alone takes seconds (it imports scipy.stats).
_WORKER_MODULES = ["analysis.pipeline.chunks", "analysis.pipeline.stages", "analysis.load.nlp_data", "nltk",
                   "analysis.extract.quotes", "analysis.extract.sentiment", "analysis.extract.terms",
                   "analysis.extract.timex"]


@pytest.fixture(scope="session", autouse=True)
def warm_build_workers():
    """Let the builds under test start their worker processes with nltk and the pipeline already
    imported, as they are after the first article: otherwise each fresh worker imports them itself
    (3 to 10 s on a loaded machine), and the tests that start several pools wait for it.

    A `fork` worker copies this process, so the sentence splitter is loaded here once. Once a test
    has left a thread running (the Dask engine's test does), builds take their workers from a fork
    server instead, which imports the same modules once, here listed before it starts. What the
    workers compute is unchanged: they run the same code, only imported earlier.
    """
    from analysis.load.nlp_data import MissingResourceError, punkt_tokenizer

    try:
        punkt_tokenizer()
    except MissingResourceError:  # the tests that split sentences report it themselves
        pass
    multiprocessing.set_forkserver_preload(_WORKER_MODULES)
