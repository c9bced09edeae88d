"""Charts of who gets quoted: shares by gender, role or kind of source, overall, per group of
articles and over time. The tables come from `analysis.summarise.sources` (one row per value, or
per group or period and value, with `quote_share` and `source_share`). Each function returns the
figure and its axes; the caller titles the chart with its finding and saves it."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

__all__ = ["GENDER_COLOURS", "colours_for", "plot_share_lines", "plot_shares"]

GENDER_COLOURS = {"female": "#DD8452", "male": "#4C72B0", "unknown": "#BBBBBB"}
_PALETTE = ["#4C72B0", "#C44E52", "#55A868", "#8172B3", "#DD8452", "#937860", "#DA8BC3", "#CCB974", "#64B5CD",
            "#8C8C8C", "#2F4B7C", "#A05195"]
_QUIET = {"unknown": "#BBBBBB", "(none)": "#DDDDDD"}


def colours_for(values: list[str]) -> dict[str, str]:
    """A colour per value: the gender colours for genders, grey for `unknown` and `(none)`, else the
    palette in order."""
    out, rest = {}, iter(_PALETTE * 2)
    for value in values:
        out[value] = GENDER_COLOURS.get(value) or _QUIET.get(value) or next(rest)
    return out


def plot_shares(table: pd.DataFrame, column: str, *, by: str | None = None, share: str = "quote_share",
                colours: dict[str, str] | None = None, xlabel: str = "% of quotes", ylabel: str | None = None,
                always: tuple[str, ...] = ()):
    """Horizontal bars for each value of `column`: without `by`, two per value, its share of the
    quotes and (hatched) of the distinct sources; with `by`, one stacked bar of `share` per group
    (each adds up to 100%). In %. Values with no quotes anywhere are left out of bars and legend,
    except those in `always` (pass `("unknown",)` to show the unknown gender even at 0%)."""
    values = [v for v in pd.unique(table[column])
              if v in always or table.loc[table[column] == v, "quotes"].sum() > 0]
    colours = colours or colours_for(values)
    if by is None:
        shown = table.set_index(column).loc[values[::-1]]
        fig, ax = plt.subplots(figsize=(7, max(2.5, 0.6 * len(values) + 1.2)))
        rows = range(len(shown))
        ax.barh([y + 0.2 for y in rows], shown["quote_share"].fillna(0) * 100, height=0.4,
                color=[colours[v] for v in shown.index], label="quotes")
        ax.barh([y - 0.2 for y in rows], shown["source_share"].fillna(0) * 100, height=0.4,
                color=[colours[v] for v in shown.index], alpha=0.45, hatch="//", label="distinct sources")
        ax.set_yticks(list(rows), [str(v) for v in shown.index])
        ax.set_ylabel(column.replace("_", " "))
        key = [Patch(facecolor="#777777", label="quotes"),
               Patch(facecolor="#777777", alpha=0.45, hatch="//", label="distinct sources")]
        ax.legend(handles=key, fontsize=8, loc="lower left", bbox_to_anchor=(1.01, 0))
        if xlabel == "% of quotes":
            xlabel = "% of quotes (solid) and of distinct sources (hatched)"
    else:
        wide = table.pivot(index=by, columns=column, values=share).reindex(columns=values).fillna(0) * 100
        wide = wide.iloc[::-1]
        fig, ax = plt.subplots(figsize=(9, max(2.5, 0.4 * len(wide) + 1.4)))
        left = pd.Series(0.0, index=wide.index)
        for value in values:
            ax.barh([str(g) for g in wide.index], wide[value], left=left, color=colours[value], label=str(value))
            left = left + wide[value]
        ax.set_ylabel(ylabel or str(by).replace("_", " "))
        ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(1.01, 0), title=column.replace("_", " "))
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    return fig, ax


def plot_share_lines(table: pd.DataFrame, column: str, *, share: str = "quote_share", unit: str = "period",
                     colours: dict[str, str] | None = None):
    """One line per value of `column` over `period`: its `share` (as %) of each period's quotes."""
    values = [v for v in pd.unique(table[column]) if table.loc[table[column] == v, "quotes"].sum() > 0]
    colours = colours or colours_for(values)
    fig, ax = plt.subplots(figsize=(9, 4))
    for value in values:
        rows = table[table[column] == value].sort_values("period")
        ax.plot(rows["period"], rows[share] * 100, marker="o", label=str(value), color=colours[value])
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_ylim(0, 100)
    ax.set_ylabel(f"% of the {unit}'s quotes")
    ax.set_xlabel(f"{unit} of publication")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), title=column.replace("_", " "))
    return fig, ax
