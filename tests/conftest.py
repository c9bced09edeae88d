"""Shared test helpers: where the optional ../shared data lives, and small corpora."""

from __future__ import annotations

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
