"""Charts of temporal expressions: one article's timeline, and the corpus's coverage over time
with the days its articles refer to. The tables they draw come from `analysis.summarise.timeline`."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from analysis.extract.timex.dates import parse_reference
from analysis.summarise.timeline import short_label

__all__ = ["period_name", "plot_article_timeline", "plot_coverage"]

_DAY_COLOUR, _SPAN_COLOUR, _LINE_COLOUR = "#C44E52", "#4C72B0", "#333333"


def _draw_rows(ax_long, ax_near, rows: pd.DataFrame, near_start: pd.Timestamp) -> None:
    """Each row on both panels: a point for a day, a bar for a longer span; a row that ends
    before the near view starts gets its year written at the near view's left edge."""
    one_day = pd.Timedelta(days=1)
    for y, row in enumerate(rows.itertuples(index=False)):
        for ax in (ax_long, ax_near):
            if row.kind == "day":
                ax.plot([row.earliest], [y], "o", color=_DAY_COLOUR, markersize=6, zorder=3)
            else:
                ax.barh(y, (row.latest + one_day) - row.earliest, left=row.earliest, height=0.55,
                        color=_SPAN_COLOUR, alpha=0.85, zorder=2)
        if row.latest < near_start:
            # off the left edge of the near view: say where it is
            ax_near.annotate(f"◂ {row.earliest.year}", xy=(0, y), xycoords=("axes fraction", "data"),
                             xytext=(3, 0), textcoords="offset points", va="center", fontsize=8, color="#555555")


def _label_article_axes(ax_long, ax_near, rows: pd.DataFrame, reference: pd.Timestamp, step: int) -> None:
    n = len(rows)
    for ax in (ax_long, ax_near):
        ax.axvline(reference, color=_LINE_COLOUR, linestyle="--", linewidth=1, zorder=1)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    ax_long.xaxis.set_major_locator(mdates.YearLocator(base=step))  # whole years only, never "2019 2019"
    ax_long.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax_near.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=5))
    ax_near.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    ax_long.set_yticks(range(n))
    ax_long.set_yticklabels(rows["label"], fontsize=8.5)
    ax_long.set_ylim(n - 0.4, -0.6)
    ax_long.set_xlabel("year (the long view)")
    ax_near.set_xlabel(f"date (the weeks around {reference:%b %d, %Y})")
    ax_long.set_ylabel("expression: the clause it dates")
    ax_near.tick_params(axis="y", length=0)
    ax_near.text(reference, -0.9, " article date", fontsize=8, color=_LINE_COLOUR, va="bottom")
    ax_near.spines["left"].set_visible(False)


def plot_article_timeline(rows: pd.DataFrame, reference_date, title: str = "", near_days: tuple[int, int] = (75, 10)):
    """Two panels sharing the rows of `timeline_rows`: the long view (years) and the weeks around
    the article's date, where days are points and longer expressions bars; the article's date is a
    dashed line. Returns the matplotlib figure."""
    reference = pd.Timestamp(parse_reference(reference_date))
    n = len(rows)
    fig, (ax_long, ax_near) = plt.subplots(
        1, 2, sharey=True, figsize=(12, max(3.0, 0.34 * n + 1.6)), gridspec_kw={"width_ratios": [3, 2], "wspace": 0.12})
    near_start = reference - pd.Timedelta(days=near_days[0])
    near_end = max(reference + pd.Timedelta(days=near_days[1]),
                   min(rows["latest"].max() + pd.Timedelta(days=3), reference + pd.Timedelta(days=60)) if n else reference)
    _draw_rows(ax_long, ax_near, rows, near_start)
    first = rows["earliest"].min() if n else reference - pd.Timedelta(days=365)
    long_start = pd.Timestamp(year=max(first.year - 2, 1678), month=1, day=1)
    long_end = reference + pd.Timedelta(days=365)
    ax_long.set_xlim(long_start, long_end)
    span_years = max(1, long_end.year - long_start.year)
    step = next(b for b in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if span_years / b <= 8)
    ax_near.set_xlim(near_start, near_end)
    _label_article_axes(ax_long, ax_near, rows, reference, step)
    fig.suptitle(title or "What the article dates, and when", x=0.01, ha="left", fontweight="bold", fontsize=12)
    return fig


def period_name(step: pd.Timedelta) -> str:
    """The name of a period from the distance between two period starts: day, week, month or year."""
    if step <= pd.Timedelta(days=1):
        return "day"
    if step <= pd.Timedelta(days=7):
        return "week"
    return "month" if step <= pd.Timedelta(days=31) else "year"


_LABEL_TIERS = 4  # heights a day's label may take above the stems
_LABEL_GAP = 3  # pixels kept between two labels


def _label_days(ax, shown: pd.DataFrame, labels: int) -> None:
    """The `labels` most mentioned days, labelled with their event above the stems.

    Placed greedily, most mentioned first, in display coordinates: each label takes the lowest of
    `_LABEL_TIERS` heights where its box (from the renderer) meets no label already placed nor
    the line of one down to its day, and whose line crosses no label; a label that fits nowhere is
    left out, so no two labels overlap. Call once the axes' layout is
    final (after `tight_layout`)."""
    top = shown.nlargest(labels, "mentions") if len(shown) else shown
    height = max(int(shown["mentions"].max()) if len(shown) else 1, 1)
    ax.set_ylim(0, height * 2.1)
    renderer = ax.figure.canvas.get_renderer()
    boxes, stems = [], []  # the labels placed so far, and the lines from each down to its day
    for row in top.sort_values(["mentions", "day"], ascending=[False, True], kind="stable").itertuples(index=False):
        text = short_label(f"{row.day:%b %d}: {row.event}", 42)
        for tier in range(_LABEL_TIERS):
            label = ax.annotate(text, xy=(row.day, row.mentions), xytext=(row.day, height * (1.15 + 0.22 * tier)),
                                fontsize=8, ha="center", arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6})
            label.update_positions(renderer)
            box = Text.get_window_extent(label, renderer).padded(_LABEL_GAP)  # the text alone, not its line
            x, y = ax.transData.transform((mdates.date2num(row.day), row.mentions))
            stem = Bbox([[x - 1, y], [x + 1, box.y0]])
            if not any(box.overlaps(other) for other in boxes + stems) and not any(stem.overlaps(b) for b in boxes):
                boxes.append(box)
                stems.append(stem)
                break
            label.remove()


def plot_coverage(cover: pd.DataFrame, days: pd.DataFrame, labels: int = 5, title: str = ""):
    """Two panels on one time axis: articles per period (bars), and below, the single days the
    articles date (stems, height = mentions), the `labels` most mentioned labelled with their
    event. Days outside the coverage period (±2 weeks) are left out. Returns the figure."""
    fig, (ax_top, ax_bottom) = plt.subplots(2, 1, sharex=True, figsize=(11, 6.5), gridspec_kw={"height_ratios": [1, 1.3]})
    step = (cover["period"].iloc[1] - cover["period"].iloc[0]) if len(cover) > 1 else pd.Timedelta(days=1)
    ax_top.bar(cover["period"], cover["articles"], width=step * 0.85, align="edge", color=_SPAN_COLOUR)
    ax_top.set_ylabel("articles per " + period_name(step))
    start = cover["period"].min() - pd.Timedelta(days=14)
    end = cover["period"].max() + step + pd.Timedelta(days=14)
    shown = days[(days["day"] >= start) & (days["day"] <= end)]
    ax_bottom.vlines(shown["day"], 0, shown["mentions"], color=_DAY_COLOUR, linewidth=1.5)
    ax_bottom.plot(shown["day"], shown["mentions"], "o", color=_DAY_COLOUR, markersize=4)
    ax_bottom.set_ylim(0, max(int(shown["mentions"].max()) if len(shown) else 1, 1) * 2.1)
    for ax in (ax_top, ax_bottom):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
    ax_bottom.set_ylabel("mentions of the day")
    ax_bottom.set_xlabel("date")
    ax_bottom.set_xlim(start, end)
    ax_bottom.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))
    ax_bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax_bottom.xaxis.get_major_locator()))
    ax_top.set_title(title or "When the articles were published, and which days they date")
    ax_bottom.set_title("Days the articles refer to", fontsize=10, fontweight="normal")
    fig.tight_layout()
    _label_days(ax_bottom, shown, labels)  # after the layout: labels are placed in display coordinates
    return fig
