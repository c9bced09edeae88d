"""One rule for the time bin of every chart and table over time.

A corpus spanning at most a month is counted by day, at most a year by week (weeks start on
Monday), at most ten years by month, and beyond that by year: a chart over time then has at most
about 120 bins, whatever the corpus.
"""

from __future__ import annotations

import pandas as pd

#: The bins, from the finest: (code, name, the longest span in days counted with that bin).
PERIODS = (("D", "day", 31), ("W", "week", 366), ("M", "month", 3660), ("Y", "year", None))
PERIOD_NAMES = {code: name for code, name, _ in PERIODS}


def choose_period(dates) -> str:
    """The bin for `dates` (anything `pd.to_datetime` reads; missing dates are ignored):
    `D`, `W`, `M` or `Y` by the span from the earliest to the latest date."""
    dates = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    span = (dates.max() - dates.min()).days if len(dates) else 0
    for code, _, longest in PERIODS:
        if longest is None or span <= longest:
            return code
    raise AssertionError("unreachable: the last period has no limit")


def period_start(dates, period: str) -> pd.Series:
    """The first day of the `period` bin each date falls in (NaT stays NaT)."""
    dates = pd.to_datetime(pd.Series(dates), errors="coerce").dt.normalize()
    if period == "D":
        return dates
    if period == "W":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    if period == "M":
        return dates.dt.to_period("M").dt.start_time
    if period == "Y":
        return dates.dt.to_period("Y").dt.start_time
    raise ValueError(f"unknown period {period!r}: use one of {', '.join(PERIOD_NAMES)}")


def period_range(first, last, period: str) -> pd.DatetimeIndex:
    """Every bin start from the bin of `first` to the bin of `last`, so that empty bins show."""
    starts = period_start([first, last], period)
    step = {"D": "D", "W": "7D", "M": "MS", "Y": "YS"}[period]
    return pd.date_range(starts.iloc[0], starts.iloc[1], freq=step)


def count_per_period(dates, period: str | None = None) -> pd.DataFrame:
    """How many of `dates` fall in each bin, empty bins included: columns `period` (the bin's
    first day) and `count`. `period` defaults to :func:`choose_period`."""
    dates = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    if dates.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "count": pd.Series(dtype="int64")})
    period = period or choose_period(dates)
    counts = period_start(dates, period).value_counts()
    full = period_range(dates.min(), dates.max(), period)
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"period": full.astype("datetime64[ns]"), "count": counts.to_numpy(dtype="int64")})
