"""Saving figures the same way in every notebook.

`save_figure(fig, table, "top-speakers", caption=...)` writes, under the figures folder:

- `top-speakers.png` and `top-speakers.svg`: the chart, byte-for-byte the same on every re-run
  (no timestamps, fixed SVG ids, fixed software tag);
- `top-speakers.csv`: the table the chart plots, so every number in a figure can be checked;
- a line in `index.csv` (name, caption), from which `figures/README.md` is written.

Each file is written to a temporary name and renamed, so an interrupted run never leaves a
half-written figure behind.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from analysis import paths
from analysis.files import write_atomic

#: The one random seed every figure and sample uses.
RANDOM_STATE = 0

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}$")
INDEX_NAME = "index.csv"

STYLE = {
    "svg.hashsalt": "news-analysis",  # stable element ids in SVG output
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
    "figure.figsize": (8, 4.5),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "font.size": 10,
    "text.parse_math": False,  # chart text (article words, "$5") is drawn as written, never as TeX
}


def use_style() -> None:
    """Apply the house chart style (also applied when this module is imported)."""
    plt.rcParams.update(STYLE)


use_style()


def table_to_csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as CSV bytes: no index, `\\n` line ends, floats to 6 significant digits."""
    return table.to_csv(index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")


def save_figure(
    fig: matplotlib.figure.Figure,
    table: pd.DataFrame,
    name: str,
    *,
    caption: str = "",
    folder: str | os.PathLike | None = None,
) -> dict[str, Path]:
    """Save `fig` as PNG and SVG and `table` as CSV under `name` in the figures folder.

    `name` is lower case with dashes (`top-speakers`); `caption` is the one-line takeaway shown
    in the figures index. Returns the paths written, by extension.
    """
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use lower case letters, digits and dashes")
    out = paths.figures_dir(folder)
    written = {}
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=ext, metadata=metadata)
        written[ext] = out / f"{name}.{ext}"
        write_atomic(written[ext], buffer.getvalue())
    written["csv"] = out / f"{name}.csv"
    write_atomic(written["csv"], table_to_csv_bytes(pd.DataFrame(table)))
    _record_caption(out, name, caption)
    return written


def _record_caption(folder: Path, name: str, caption: str) -> None:
    index_path = folder / INDEX_NAME
    entries: dict[str, str] = {}
    if index_path.exists():
        with open(index_path, newline="", encoding="utf-8") as handle:
            entries = {row["figure"]: row["caption"] for row in csv.DictReader(handle)}
    entries[name] = " ".join(caption.split())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "caption"])
    writer.writerows(sorted(entries.items()))
    write_atomic(index_path, buffer.getvalue().encode("utf-8"))


def read_index(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The figures index: one row per saved figure, columns `figure` and `caption`."""
    index_path = paths.figures_dir(folder) / INDEX_NAME
    if not index_path.exists():
        return pd.DataFrame(columns=["figure", "caption"])
    return pd.read_csv(index_path, keep_default_na=False)
