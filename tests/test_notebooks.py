"""The main job: every notebook runs headless on the seed and on a multi-article corpus, writes
figures that are not blank, and writes the same bytes when run again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd
import pytest

from analysis import paths
from analysis.run import list_notebooks, run
from conftest import MINI_CORPUS

NOTEBOOKS = list_notebooks()


def test_the_notebooks_are_numbered_and_start_with_the_corpus():
    names = [nb.stem for nb in NOTEBOOKS]
    assert names[0] == "0-corpus"
    assert [int(n.split("-")[0]) for n in names] == sorted(int(n.split("-")[0]) for n in names)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs_and_with_the_python3_kernel(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code_cells, "a notebook without code"
    for cell in code_cells:
        assert cell.get("outputs") == [] and cell.get("execution_count") is None
        assert "sys.path" not in "".join(cell["source"]), "import the installed package instead"
        assert "../" not in "".join(cell["source"]), "paths come from analysis.paths"
    assert nb["cells"][0]["cell_type"] == "markdown", "a notebook opens by saying what it answers"


def _run_all(corpus: Path, out: Path, cache: Path) -> dict[str, Path]:
    code = run(corpus=corpus, figures=out / "figures", cache=cache, report=out / "report")
    assert code == 0, f"a notebook failed; see {out / 'report'}"
    return {"figures": out / "figures", "report": out / "report"}


@pytest.fixture(scope="module")
def seed_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("seed-runs")
    cache = base / "cache"
    first = _run_all(paths.seeds_dir(), base / "first", cache)
    second = _run_all(paths.seeds_dir(), base / "second", cache)
    return first, second


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("mini-run")
    return _run_all(MINI_CORPUS, base / "out", base / "cache")


def _assert_figures_complete(figures: Path) -> pd.DataFrame:
    index = pd.read_csv(figures / "index.csv", keep_default_na=False)
    assert len(index) >= 2 * len(NOTEBOOKS) - 1, "each analysis notebook saves several figures"
    for row in index.itertuples():
        for ext in ("png", "svg", "csv"):
            assert (figures / f"{row.figure}.{ext}").stat().st_size > 0, (row.figure, ext)
        assert row.caption.strip(), f"{row.figure} has no caption"
        pixels = mpimg.imread(figures / f"{row.figure}.png")
        assert pixels.std() > 0.01, f"{row.figure}.png is blank"
    readme = (figures / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in index["figure"])
    return index


def test_every_notebook_writes_figures_on_the_seed(seed_runs):
    first, _ = seed_runs
    index = _assert_figures_complete(first["figures"])
    prefixes = {name.split("-")[0] for name in index["figure"]}
    assert {"corpus", "quotes", "terms", "sentiment", "timeline"} <= prefixes


def test_every_notebook_writes_figures_on_several_articles(mini_run):
    _assert_figures_complete(mini_run["figures"])


def test_a_rerun_gives_byte_identical_pngs_and_csvs(seed_runs):
    first, second = seed_runs
    compared = 0
    for path in sorted(first["figures"].iterdir()):
        if path.suffix in {".png", ".csv", ".svg"}:
            assert path.read_bytes() == (second["figures"] / path.name).read_bytes(), path.name
            compared += 1
    assert compared >= 6


def test_the_html_report_has_no_code_cells(seed_runs):
    first, _ = seed_runs
    pages = sorted(first["report"].glob("*.html"))
    assert {p.stem for p in pages} >= {"index", "0-corpus"}
    corpus_page = (first["report"] / "0-corpus.html").read_text(encoding="utf-8")
    assert "What was loaded" in corpus_page
    assert "from analysis import paths" not in corpus_page


def test_committed_seed_figures_match_a_fresh_run(seed_runs):
    first, _ = seed_runs
    committed = paths.PROJECT_ROOT / "figures"
    fresh_csvs = sorted(p.name for p in first["figures"].glob("*.csv"))
    assert fresh_csvs == sorted(p.name for p in committed.glob("*.csv")), "run `make run` and commit figures/"
    for name in fresh_csvs:
        assert (committed / name).read_bytes() == (first["figures"] / name).read_bytes(), name


def test_nbconvert_runs_a_notebook_from_any_working_directory(tmp_path):
    env = {**os.environ, paths.ENV_FIGURES: str(tmp_path / "figures"), paths.ENV_CACHE: str(tmp_path / "cache")}
    env.pop(paths.ENV_CORPUS, None)
    jupyter = Path(sys.executable).with_name("jupyter")
    notebook = paths.notebooks_dir() / "0-corpus.ipynb"
    result = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "notebook", "--execute", str(notebook), "--output-dir", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "figures" / "corpus-article-length.png").exists()
