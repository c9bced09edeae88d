"""Charts that compare groups of articles, drawn from the tables of
:mod:`analysis.summarise.groups`.

One colour per group in every chart: :func:`group_palette` gives it from the group's place in
:func:`analysis.summarise.groups.group_order` (most articles first), so the Herald keeps its
colour from the corpus notebook to the timeline notebook. `other` is mid grey, `(none)` light grey.

- :func:`small_multiples`: one panel per group on shared axes (bars or lines over time);
- :func:`side_by_side_bars`: one panel of horizontal bars per group (speakers, verbs, key terms);
- :func:`interval_bars`: shares with their intervals, groups side by side within each category;
- :func:`lines_by_group`: one line per group on one axes, sparse points drawn hollow;
- :func:`figure_title`: a title and a one-line finding over a whole figure; :func:`period_label`
  names a time bin in a finding.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis.summarise.groups import NO_GROUP, OTHER

#: The colours of the named groups, in order (colour-blind safe, as the other notebooks' charts).
GROUP_COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#CCB974")
FIXED_COLOURS = {OTHER: "#8C8C8C", NO_GROUP: "#C8C8C8"}
DATE_FORMATS = {"D": "%d %b %Y", "W": "%d %b %Y", "M": "%b %Y", "Y": "%Y"}


def group_palette(order: Sequence[str]) -> dict[str, str]:
    """A colour for each group of `order` (as :func:`analysis.summarise.groups.group_order`
    gives it): the named groups take :data:`GROUP_COLOURS` in turn, `other` and `(none)` grey."""
    palette, named = {}, 0
    for group in order:
        if group in FIXED_COLOURS:
            palette[group] = FIXED_COLOURS[group]
        else:
            palette[group] = GROUP_COLOURS[named % len(GROUP_COLOURS)]
            named += 1
    return palette


def short(text: str, width: int = 32) -> str:
    """`text` cut to `width` characters with an ellipsis (chart labels, never the CSVs)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def period_label(start, period: str) -> str:
    """A time bin in words from its first day: `4 Jan 2019` (day), `the week of 4 Jan 2019`,
    `January 2019`, `2019`."""
    start = pd.Timestamp(start)
    if period == "W":
        return f"the week of {start.day} {start:%b %Y}"
    if period == "M":
        return f"{start:%B %Y}"
    if period == "Y":
        return f"{start:%Y}"
    return f"{start.day} {start:%b %Y}"


def figure_title(fig, title: str, finding: str) -> None:
    """Put `title` (bold) and `finding` (grey, wrapped) above everything in `fig`, aligned left."""
    width, height = fig.get_size_inches()
    lines = textwrap.wrap(finding, int(width * 11)) or [""]
    top = max([ax.get_position().y1 for ax in fig.axes] or [0.9])
    fig.text(0.01, top + 0.35 / height, "\n".join(lines), ha="left", va="bottom", fontsize=9, color="#555555")
    fig.text(0.01, top + (0.45 + 0.16 * len(lines)) / height, title, ha="left", va="bottom",
             fontsize=12, fontweight="bold")


def _panels(n: int, ncols: int, panel_size: tuple[float, float], sharex: bool, sharey: bool):
    """A grid of `n` panels (the unused ones hidden)."""
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
                             sharex=sharex, sharey=sharey, squeeze=False)
    flat = axes.ravel()
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _date_axis(ax, period: str | None) -> None:
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=5))
    ax.xaxis.set_major_formatter(mdates.DateFormatter(DATE_FORMATS.get(period, "%d %b %Y")))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_ha("right")


def small_multiples(
    table: pd.DataFrame, x: str, y: str, *, order: Sequence[str], palette: dict[str, str],
    xlabel: str, ylabel: str, kind: str = "bar", period: str | None = None, ncols: int = 3,
    panel_size: tuple[float, float] = (3.4, 2.3),
):
    """One panel per group of `order` (rows of `table` with that `group`), `y` against `x` as
    bars (`kind="bar"`, `x` dates binned by `period`) or a line, on shared axes so that the
    panels compare at a glance. Returns the figure."""
    fig, axes = _panels(len(order), ncols, panel_size, sharex=True, sharey=True)
    step = {"D": 0.8, "W": 5.5, "M": 25, "Y": 300}.get(period, 0.8)
    for ax, group in zip(axes, order):
        rows = table[table["group"] == group]
        colour = palette[group]
        if kind == "bar":
            ax.bar(rows[x], rows[y], width=step, align="edge", color=colour)
        else:
            ax.plot(rows[x], rows[y], marker="o", ms=3, color=colour)
        ax.set_title(short(group, 30), fontsize=10, color=colour, loc="left")
        ax.yaxis.set_major_locator(MaxNLocator(integer=kind == "bar", nbins=4))
        if np.issubdtype(np.asarray(rows[x]).dtype, np.datetime64):
            _date_axis(ax, period)
    columns = axes[0].get_subplotspec().get_gridspec().ncols
    for i, ax in enumerate(axes):
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(ylabel)
        if i + columns >= len(axes):  # no panel below: this one carries the dates
            ax.set_xlabel(xlabel)
            ax.tick_params(labelbottom=True)
    fig.tight_layout()
    return fig


def side_by_side_bars(
    table: pd.DataFrame, label: str, value: str, *, order: Sequence[str], palette: dict[str, str],
    xlabel: str, note: str | None = None, ncols: int = 3, label_width: int = 26, faded: str | None = None,
    integer: bool = False,
):
    """One panel per group: horizontal bars of `value` for each row's `label`, the table's first
    row of a group on top. `note` names a column printed at the end of each bar; rows where the
    boolean column `faded` is True are drawn pale (e.g. not significant); `integer` keeps the
    ticks on whole numbers (counts). Returns the figure."""
    longest = max([len(table[table["group"] == g]) for g in order] or [1])
    fig, axes = _panels(len(order), ncols, (3.6, 0.28 * max(longest, 3) + 1.0), sharex=False, sharey=False)
    for ax, group in zip(axes, order):
        rows = table[table["group"] == group].iloc[::-1]
        colour = palette[group]
        if rows.empty:
            ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes, color="#777777")
            ax.set_yticks([])
        else:
            alphas = np.where(rows[faded].astype(bool), 0.35, 1.0) if faded else np.ones(len(rows))
            positions = np.arange(len(rows))
            for pos, width, alpha in zip(positions, rows[value], alphas):
                ax.barh(pos, width, color=colour, alpha=alpha)
            ax.set_yticks(positions, [short(v, label_width) for v in rows[label]], fontsize=8)
            if note:
                for pos, width, text in zip(positions, rows[value], rows[note]):
                    ax.text(width, pos, f" {text}", va="center", fontsize=7, color="#333333")
            ax.margins(x=0.25)
        ax.set_title(short(group, 30), fontsize=10, color=colour, loc="left")
        ax.set_xlabel(xlabel, fontsize=9)
        if integer:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig


def interval_bars(
    table: pd.DataFrame, category: str, *, order: Sequence[str], palette: dict[str, str], categories: Sequence[str],
    ylabel: str, xlabel: str, share: str = "share", low: str = "low", high: str = "high", n: str = "total",
):
    """Shares with their intervals: for each of `categories` (a cluster), one bar per group in
    its colour, with the interval (`low`-`high`) as an error bar. Groups with no rows (`n` 0)
    are left out of the legend. Values are drawn in percent. Returns the figure."""
    shown = [g for g in order if (table.loc[table["group"] == g, n] > 0).any()]
    fig, ax = plt.subplots(figsize=(max(6, 1.2 + 0.55 * len(shown) * len(categories)), 4))
    width = 0.8 / max(len(shown), 1)
    for i, group in enumerate(shown):
        rows = table[table["group"] == group].set_index(category).reindex(categories)
        xs = np.arange(len(categories)) + (i - (len(shown) - 1) / 2) * width
        values = rows[share].to_numpy(float) * 100
        errors = np.vstack([values - rows[low].to_numpy(float) * 100, rows[high].to_numpy(float) * 100 - values])
        ax.bar(xs, values, width=width * 0.92, color=palette[group],
               label=f"{short(group, 24)} ({int(rows[n].max()):,})")
        ax.errorbar(xs, values, yerr=errors, fmt="none", ecolor="#333333", elinewidth=1, capsize=2)
    ax.set_xticks(np.arange(len(categories)), list(categories))
    ax.set_ylim(0, 100)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8, title="group (quotes)", title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def lines_by_group(
    ax, table: pd.DataFrame, x: str, y: str, *, order: Sequence[str], palette: dict[str, str], few: str | None = None,
) -> None:
    """One line per group of `order` on `ax`. Where the boolean column `few` is True the point is
    drawn hollow and the line does not pass through it; NaN values leave gaps."""
    for group in order:
        rows = table[table["group"] == group]
        if rows[y].notna().sum() == 0:
            continue
        colour = palette[group]
        sparse = rows[few].astype(bool) if few else pd.Series(False, index=rows.index)
        ax.plot(rows[x], rows[y].where(~sparse), marker="o", ms=3.5, color=colour, label=short(group, 24))
        if sparse.any():
            ax.plot(rows.loc[sparse, x], rows.loc[sparse, y], linestyle="none", marker="o", ms=4.5,
                    markerfacecolor="white", markeredgecolor=colour)
