"""Tiny helpers for writing notebooks as code: `python tools/make_corpus_notebook.py`.

Notebooks are generated from these scripts so that their source is reviewable as Python and
they are always saved without outputs, with the `python3` kernel.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


def write_notebook(cells, path: str | Path) -> None:
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids: a regenerated notebook diffs cleanly
    nbformat.validate(nb)
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
