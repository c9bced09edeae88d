"""The main job: every notebook runs headless on the seed and on a multi-article corpus, writes
figures that are not blank, and writes the same bytes when run again.

The notebooks are their own source (none is generated): the quick tests here check how they are
committed; the tests that execute them are marked `slow` (`make test-fast` leaves them out)."""

from __future__ import annotations

import ast
import json
import os
import re
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


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_have_unique_readable_cell_ids(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    ids = [cell.get("id") for cell in nb["cells"]]
    assert all(ids), "every cell has an id"
    assert len(ids) == len(set(ids)), f"duplicate cell ids: {sorted(i for i in ids if ids.count(i) > 1)}"
    for cell_id in ids:
        # Named for what the cell does (`load`, `top-speakers`), not numbered by a generator.
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", cell_id), cell_id
        assert not re.fullmatch(r"cell-\d+", cell_id), f"{cell_id}: a generator's numbering"


def test_no_notebook_is_generated():
    tools = paths.PROJECT_ROOT / "tools"
    assert not (tools / "nbgen.py").exists() and not (tools / "make_corpus_notebook.py").exists()


PARAMETERS = ["CORPUS", "FIGURES", "CACHE", "GROUP_BY", "DATE_FROM", "DATE_TO", "QUERY", "OUTLETS", "KEEP_DUPLICATES"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_open_with_a_parameters_cell(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "parameters" in first_code["metadata"].get("tags", []), "papermill finds the cell by its tag"
    tree = ast.parse("".join(first_code["source"]))
    assigned = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets]
    assert assigned == PARAMETERS
    values = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
    assert all(isinstance(values[n], ast.Constant) and values[n].value is None
               for n in ["GROUP_BY", "DATE_FROM", "DATE_TO", "QUERY", "OUTLETS"])
    assert isinstance(values["KEEP_DUPLICATES"], ast.Constant) and values["KEEP_DUPLICATES"].value is False
    # The folder defaults come from analysis.paths, so $ANALYSIS_* and any working directory work.
    for name, function in [("CORPUS", "seeds_dir"), ("FIGURES", "figures_dir"), ("CACHE", "cache_dir")]:
        assert ast.unparse(values[name]) == f"paths.{function}()", name
    assert "To change the corpus, set CORPUS here" in "".join(first_code["source"])


def _names_imported_and_used(source: str) -> tuple[dict[str, int], set[str]]:
    tree = ast.parse(source)
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                imported[(alias.asname or alias.name).split(".")[0]] = node.lineno
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return imported, used


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_import_only_what_they_use(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    source = "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    imported, used = _names_imported_and_used(source)
    assert not sorted(set(imported) - used), "unused imports"


def test_the_unused_import_check_sees_an_unused_import():
    imported, used = _names_imported_and_used("import os\nimport matplotlib.pyplot as plt\nfrom x import y\nplt.show(y)")
    assert set(imported) - used == {"os"}


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


@pytest.mark.slow
def test_every_notebook_writes_figures_on_the_seed(seed_runs):
    first, _ = seed_runs
    index = _assert_figures_complete(first["figures"])
    prefixes = {name.split("-")[0] for name in index["figure"]}
    assert {"corpus", "quotes", "terms", "sentiment", "timeline"} <= prefixes


@pytest.mark.slow
def test_every_notebook_writes_figures_on_several_articles(mini_run):
    _assert_figures_complete(mini_run["figures"])


@pytest.mark.slow
def test_a_rerun_gives_byte_identical_pngs_and_csvs(seed_runs):
    first, second = seed_runs
    compared = 0
    for path in sorted(first["figures"].iterdir()):
        if path.suffix in {".png", ".csv", ".svg"}:
            assert path.read_bytes() == (second["figures"] / path.name).read_bytes(), path.name
            compared += 1
    assert compared >= 6


@pytest.mark.slow
def test_the_html_report_has_no_code_cells(seed_runs):
    first, _ = seed_runs
    pages = sorted(first["report"].glob("*.html"))
    assert {p.stem for p in pages} >= {"index", "0-corpus"}
    corpus_page = (first["report"] / "0-corpus.html").read_text(encoding="utf-8")
    assert "What was loaded" in corpus_page
    assert "from analysis import paths" not in corpus_page


@pytest.mark.slow
def test_committed_seed_figures_match_a_fresh_run(seed_runs):
    first, _ = seed_runs
    committed = paths.PROJECT_ROOT / "figures"
    fresh_csvs = sorted(p.name for p in first["figures"].glob("*.csv"))
    assert fresh_csvs == sorted(p.name for p in committed.glob("*.csv")), "run `make run` and commit figures/"
    for name in fresh_csvs:
        assert (committed / name).read_bytes() == (first["figures"] / name).read_bytes(), name


@pytest.mark.slow
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


def _output_texts(executed: Path):
    """Every text a reader sees in an executed notebook: streams, Markdown, HTML, plain text."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if "text" in output:
                yield "".join(output["text"])
            for mime in ("text/markdown", "text/html", "text/plain"):
                if mime in output.get("data", {}):
                    yield "".join(output["data"][mime])


@pytest.mark.slow
def test_the_notebooks_show_no_absolute_paths(seed_runs, tmp_path_factory):
    first, _ = seed_runs
    for executed in sorted(first["report"].glob("*.ipynb")):
        for text in _output_texts(executed):
            for folder in (str(paths.PROJECT_ROOT), str(first["figures"].parent), str(tmp_path_factory.getbasetemp())):
                assert folder not in text, f"{executed.name} shows {folder}"


@pytest.mark.slow
def test_date_parameters_narrow_the_articles(tmp_path):
    """DATE_FROM/DATE_TO, set after the parameters cell as papermill does, keep only the articles
    published in those days."""
    import nbformat

    from analysis.pipeline import build_for_run
    from analysis.run import execute_notebook, notebook_environment

    cache, figures = tmp_path / "cache", tmp_path / "figures"
    build_for_run(MINI_CORPUS, cache)
    nb = nbformat.read(paths.notebooks_dir() / "0-corpus.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell('DATE_FROM = "2021-03-09"\nDATE_TO = "2021-04-12"'))
    source = tmp_path / "0-corpus.ipynb"
    nbformat.write(nb, source)
    result = execute_notebook(source, tmp_path / "out.ipynb", notebook_environment(MINI_CORPUS, figures, cache))
    assert result.ok, result.error
    per_week = pd.read_csv(figures / "corpus-articles-per-week.csv")
    # 9 March, 22 March and 12 April 2021: the fixture's articles from the 1st of March and the
    # 3rd of May fall outside.
    assert per_week["articles"].sum() == 3
    assert per_week["week_starting"].iloc[0] == "2021-03-08" and per_week["week_starting"].iloc[-1] == "2021-04-12"
    lengths = pd.read_csv(figures / "corpus-article-length.csv")
    assert sorted(lengths["doc_id"]) == ["2021-03-09-bridge-detours", "2021-03-22-bridge-budget", "2021-04-12-bridge-delay"]
