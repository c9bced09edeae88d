"""Generates notebooks/0-corpus.ipynb."""

from pathlib import Path

from nbgen import code, md, write_notebook

cells = [
    md("""
# 0 · The corpus: what did we load?

Before any analysis, a reader should know what it stands on. This notebook answers:

- **How many articles were loaded, and what was skipped or flagged, and why?**
- **Which dates do the articles cover?**
- **How long are they?**

Every input file is accounted for: loaded, loaded with a warning (no date, another encoding, a
duplicate), or skipped with the reason.
"""),
    code("""
# Every input and output path of this notebook, from the package, whatever the working directory.
from analysis import paths
from analysis.report.figures import save_figure

CORPUS_DIR = paths.seeds_dir()      # $ANALYSIS_CORPUS overrides
FIGURES_DIR = paths.figures_dir()   # $ANALYSIS_FIGURES overrides
CACHE_DIR = paths.cache_dir()       # $ANALYSIS_CACHE overrides
print(f"corpus:  {CORPUS_DIR}\\nfigures: {FIGURES_DIR}")
"""),
    code("""
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis.pipeline.tables import doc_ids_within, load_tables

tables = load_tables(CORPUS_DIR, CACHE_DIR)
# The articles without their text, which this notebook never reads (quicker on a large corpus).
articles, report = tables.article_info, tables.report
assert articles["doc_id"].is_unique
assert doc_ids_within(articles, report), "every article comes from a reported file"
print(tables.summary())
"""),
    md("## What was loaded, flagged or skipped?"),
    code("""
status_counts = report["status"].value_counts().reindex(["loaded", "warning", "skipped"], fill_value=0)
problems = report[report["status"] != "loaded"]
print(f"{len(report):,} files found: {status_counts['loaded']:,} loaded cleanly, "
      f"{status_counts['warning']:,} loaded with a warning, {status_counts['skipped']:,} skipped.")
problems.head(50)
"""),
    md("## Which dates do the articles cover?"),
    code("""
dated = articles.dropna(subset=["date"])
per_week = (
    dated.set_index("date").resample("W-MON", label="left", closed="left")["doc_id"].count()
    .rename("articles").rename_axis("week_starting").reset_index()
)
fig, ax = plt.subplots()
if len(per_week):
    ax.bar(per_week["week_starting"], per_week["articles"], width=6, align="edge", color="#4C72B0")
    # A week of margin either side keeps a single week readable as a bar, not a wall.
    ax.set_xlim(per_week["week_starting"].min() - pd.Timedelta(days=7),
                per_week["week_starting"].max() + pd.Timedelta(days=14))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    ax.set_xlabel("week starting (Monday)")
    fig.autofmt_xdate()
else:
    ax.text(0.5, 0.5, "no article carries a date", ha="center", va="center", transform=ax.transAxes)
ax.yaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_ylabel("articles")
ax.set_title("Articles per week")
save_figure(fig, per_week, "corpus-articles-per-week", folder=FIGURES_DIR,
            caption="How many articles the corpus holds for each week, by publication date.")
plt.show()
if len(dated):
    busiest = per_week.loc[per_week["articles"].idxmax()]
    print(f"{len(dated):,} of {len(articles):,} articles carry a date, from {dated['date'].min():%d %B %Y} "
          f"to {dated['date'].max():%d %B %Y}; the busiest week began {busiest['week_starting']:%d %B %Y} "
          f"with {busiest['articles']:,} article(s).")
else:
    print("No article carries a date, so the timeline and trend charts have nothing to place in time.")
"""),
    md("## How long are the articles?"),
    code("""
lengths = articles[["doc_id", "n_words", "n_paragraphs", "n_sentences"]].sort_values("doc_id")
fig, ax = plt.subplots()
bins = min(30, max(1, len(lengths)))
ax.hist(lengths["n_words"], bins=bins, color="#55A868", edgecolor="white")
ax.yaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_xlabel("words in the article body")
ax.set_ylabel("articles")
ax.set_title("Article length")
save_figure(fig, lengths, "corpus-article-length", folder=FIGURES_DIR,
            caption="The distribution of article lengths in words (body only, credits and titles excluded).")
plt.show()
print(f"The median article has {lengths['n_words'].median():,.0f} words in "
      f"{lengths['n_paragraphs'].median():,.0f} paragraphs; the longest has {lengths['n_words'].max():,}.")
"""),
    md("## The articles"),
    code("""
articles[["doc_id", "date", "title", "n_words", "n_sentences", "credits", "duplicate_of"]].head(20)
"""),
]

write_notebook(cells, Path(__file__).resolve().parents[1] / "notebooks" / "0-corpus.ipynb")
