"""The notebooks run under papermill, the tool researchers use to re-run a notebook with other
parameters: every notebook, a JSON-lines corpus of two outlets, GROUP_BY and QUERY set from the
command line's point of view (`papermill -p`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.run import list_notebooks
from conftest import MINI_CORPUS

papermill = pytest.importorskip("papermill")

OUTLETS = ("Harbor Herald", "City Wire")


def _two_outlet_corpus(file: Path) -> dict[str, int]:
    """The mini corpus as JSON lines, its articles alternating between two outlets; the number
    of articles per outlet."""
    from analysis import load_corpus

    articles = load_corpus(MINI_CORPUS).articles
    counts: dict[str, int] = {}
    with file.open("w", encoding="utf-8") as out:
        for i, article in enumerate(articles.itertuples()):
            outlet = OUTLETS[i % 2]
            counts[outlet] = counts.get(outlet, 0) + 1
            out.write(json.dumps({"id": article.doc_id, "date": f"{article.date:%Y-%m-%d}", "outlet": outlet,
                                  "title": article.doc_id, "text": article.text}) + "\n")
    return counts


@pytest.mark.slow
def test_every_notebook_runs_under_papermill_with_group_by_and_query(tmp_path):
    corpus, figures, cache = tmp_path / "news.jsonl", tmp_path / "figures", tmp_path / "cache"
    counts = _two_outlet_corpus(corpus)
    parameters = {"CORPUS": str(corpus), "FIGURES": str(figures), "CACHE": str(cache),
                  "GROUP_BY": "outlet", "QUERY": "bridge AND (closure OR repairs OR reopen*)"}
    for notebook in list_notebooks():
        out = tmp_path / f"{notebook.stem}.out.ipynb"
        papermill.execute_notebook(str(notebook), str(out), parameters=parameters, cwd=str(tmp_path),
                                   kernel_name="python3", progress_bar=False)
        injected = [c for c in json.loads(out.read_text())["cells"]
                    if "injected-parameters" in c["metadata"].get("tags", [])]
        assert len(injected) == 1 and "GROUP_BY" in "".join(injected[0]["source"]), notebook.stem
    groups = pd.read_csv(figures / "groups-articles.csv")
    chosen = dict(zip(groups["group"], groups["articles"]))
    assert set(chosen) <= set(OUTLETS) and sum(chosen.values()) <= sum(counts.values())
    assert (figures / "groups-source-mix.png").exists() and (figures / "groups-keyness.csv").exists()
    assert paths.figures_dir() != figures  # nothing written into the project's own figures
