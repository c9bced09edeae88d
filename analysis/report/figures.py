"""Saving figures the same way in every notebook.

`save_figure(fig, table, "top-speakers", caption=...)` writes, under the figures folder:

- `top-speakers.png` and `top-speakers.svg`: the chart, byte-for-byte the same on every re-run
  (no timestamps, fixed SVG ids, fixed software tag);
- `top-speakers.csv`: the table the chart plots, so every number in a figure can be checked;
- a line in `index.csv` (name, caption, the notebook that wrote it), from which
  `figures/README.md` and the report's front page are written.

Under each chart goes a source line (corpus, number of articles, dates) when one is known: set
by `set_source(...)`, or handed over by `python -m analysis run` in $ANALYSIS_SOURCE. A notebook
run by hand without either simply gets no source line.

Each file is written to a temporary name and renamed, so an interrupted run never leaves a
half-written figure behind.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from analysis import paths
from analysis.files import write_atomic, write_csv
from analysis.settings import RANDOM_STATE  # noqa: F401  (the one random seed; notebooks import it from here)

#: Set by `python -m analysis run` for the kernels it starts: the source line under every chart,
#: and the notebook that is running (recorded in the figures index).
ENV_SOURCE = "ANALYSIS_SOURCE"
ENV_NOTEBOOK = "ANALYSIS_NOTEBOOK"
SOURCE_GID = "source-line"

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}$")
INDEX_NAME = "index.csv"
INDEX_COLUMNS = ["figure", "caption", "notebook"]

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


@dataclass(frozen=True)
class Source:
    """What a chart was made from: the corpus folder's name, its articles and their dates."""

    corpus: str
    n_articles: int
    first: date | None = None
    last: date | None = None

    def articles(self) -> str:
        """'1 article', '1,293 articles'."""
        return f"{self.n_articles:,} article{'' if self.n_articles == 1 else 's'}"

    def dates(self) -> str:
        """'25 Jan 2019', '1 Mar 2021 to 3 May 2021', or '' when no article is dated."""
        if self.first is None or self.last is None:
            return ""
        first, last = (f"{d.day} {d:%b %Y}" for d in (self.first, self.last))
        return first if first == last else f"{first} to {last}"

    def line(self) -> str:
        """The line printed under each chart: 'Source: seeds (1 article, 25 Jan 2019)'."""
        return f"Source: {self.corpus} ({', '.join(p for p in (self.articles(), self.dates()) if p)})"


_source_line: str | None = None


def set_source(source: Source | str | None) -> None:
    """Print `source` (a :class:`Source` or a line of text) under every chart saved from now on;
    `None` goes back to $ANALYSIS_SOURCE (set by `python -m analysis run`), `""` to no line."""
    global _source_line
    _source_line = source.line() if isinstance(source, Source) else source


def source_line() -> str:
    """The line under each chart: the one given to `set_source`, else $ANALYSIS_SOURCE, else ''."""
    if _source_line is not None:
        return _source_line
    return " ".join(os.environ.get(ENV_SOURCE, "").split())


def _draw_source_line(fig: matplotlib.figure.Figure, text: str) -> None:
    """Put `text` in small grey type under everything else in `fig`, aligned with its left edge
    (replacing the line of an earlier save of the same figure)."""
    for artist in [t for t in fig.texts if t.get_gid() == SOURCE_GID]:
        artist.remove()
    if not text:
        return
    fig.draw_without_rendering()  # lays out labels and ticks, so the box below is the final one
    box = fig.get_tightbbox(fig.canvas.get_renderer())  # in inches
    width, height = fig.get_size_inches()
    # In figure fractions (below 0 when the labels reach below the figure), which is what
    # `savefig(bbox_inches="tight")` shifts along with everything else when it crops.
    fig.text(box.x0 / width, (box.y0 - 0.08) / height, text, ha="left", va="top",
             fontsize=7.5, color="#555555", gid=SOURCE_GID, parse_math=False)


def is_figure_name(name: str) -> bool:
    """Whether `name` is a valid figure name (lower case letters, digits, dots and dashes)."""
    return bool(_NAME.match(name))


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
    if not is_figure_name(name):
        raise ValueError(f"figure name {name!r}: use lower case letters, digits and dashes")
    out = paths.figures_dir(folder)
    _draw_source_line(fig, source_line())
    written = {}
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=ext, metadata=metadata)
        written[ext] = out / f"{name}.{ext}"
        write_atomic(written[ext], buffer.getvalue())
    written["csv"] = out / f"{name}.csv"
    write_csv(pd.DataFrame(table), written["csv"])
    _record_caption(out, name, caption, os.environ.get(ENV_NOTEBOOK, ""))
    return written


def _record_caption(folder: Path, name: str, caption: str, notebook: str = "") -> None:
    """Add or replace `name`'s row in the index; a save outside `run` keeps the notebook known."""
    rows = {row["figure"]: row for row in read_index(folder).to_dict("records")}
    notebook = notebook or rows.get(name, {}).get("notebook", "")
    rows[name] = {"figure": name, "caption": " ".join(caption.split()), "notebook": notebook}
    write_index(folder, pd.DataFrame(list(rows.values()), columns=INDEX_COLUMNS))


def write_index(folder: str | os.PathLike | None, index: pd.DataFrame) -> Path:
    """Write the figures index (`figure`, `caption`, `notebook`), sorted by figure name."""
    index_path = paths.figures_dir(folder) / INDEX_NAME
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(INDEX_COLUMNS)
    for row in sorted(index[INDEX_COLUMNS].itertuples(index=False)):
        writer.writerow(row)
    write_atomic(index_path, buffer.getvalue().encode("utf-8"))
    return index_path


def read_index(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The figures index: one row per saved figure, columns `figure`, `caption` and `notebook`
    (the notebook that saved it, '' when unknown, as in an index written before it was kept)."""
    index_path = paths.figures_dir(folder) / INDEX_NAME
    if not index_path.exists():
        return pd.DataFrame(columns=INDEX_COLUMNS)
    index = pd.read_csv(index_path, keep_default_na=False, dtype=str)
    return index.reindex(columns=INDEX_COLUMNS, fill_value="")
