"""Corpus summaries of the quotes table: quotes over a corpus, who is quoted and how much, the
kinds of sources per article or period, and the reporting verbs in their base form.

The tables come from `analysis.extract.quotes.extract_quotes` (one article) or the pipeline's
`quotes` table (a corpus, with `doc_id`). No plotting here; the notebook draws the charts.
"""

from __future__ import annotations

import pandas as pd

from analysis.extract.quotes import empty_quotes, extract_quotes
from analysis.extract.quotes.cues import FORM_TO_BASE
from analysis.summarise.speakers import display_name

__all__ = [
    "SPEAKER_KINDS", "SPEAKER_SUMMARY_COLUMNS", "corpus_quotes", "cue_lemma", "source_kind_counts",
    "speaker_summary", "word_counts",
]


def corpus_quotes(articles: pd.DataFrame) -> pd.DataFrame:
    """`extract_quotes` over every article: the same columns with `doc_id` first.

    `articles` needs `doc_id` and `text` (as in `load_corpus(...).articles`).
    """
    tables = []
    for doc_id, text in zip(articles["doc_id"], articles["text"]):
        table = extract_quotes(text)
        if len(table):
            table.insert(0, "doc_id", doc_id)
            tables.append(table)
    if not tables:
        table = empty_quotes()
        table.insert(0, "doc_id", pd.Series(dtype="object"))
        return table
    return pd.concat(tables, ignore_index=True)



def cue_lemma(cue: str | None) -> str | None:
    """The reporting verb of a cue in its base form: `said` -> `say`, `told reporters` -> `tell`,
    `according to` -> `according to`, `:` -> `(colon)`; None for a follow-on quote."""
    if cue is None or (isinstance(cue, float) and cue != cue):
        return None
    low = " ".join(str(cue).lower().split())
    if low.startswith("according"):
        return "according to"
    if low.startswith("in ") and low.endswith("statement"):
        return "in a statement"
    if not any(ch.isalpha() for ch in low):
        return "(colon)"
    return FORM_TO_BASE.get(low, FORM_TO_BASE.get(low.split()[0], low))


SPEAKER_SUMMARY_COLUMNS = ["speaker", "speaker_kind", "quotes", "words", "articles"]


def word_counts(texts: pd.Series) -> pd.Series:
    """Words (whitespace-separated runs) in each text; 0 for a missing one. A plain loop over the
    values: much faster than `.str.split().str.len()` on a corpus's quotes."""
    counts = [len(text.split()) if isinstance(text, str) else 0 for text in texts.tolist()]
    return pd.Series(counts, index=texts.index, dtype="int64")


def speaker_summary(quotes: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted and how much, over a quotes table (one article or a corpus).

    Returns one row per speaker, most quoted first, with columns `speaker`, `speaker_kind`,
    `quotes` (rows), `words` (words inside the quoted or reported content) and `articles`
    (distinct `doc_id`, 1 without that column). Variants of one name (`Donald J. Trump`, `Donald
    Trump`) are counted under the most quoted one, and a speaker known only by surname (`Ellis`)
    under the full name used elsewhere in the table (`Evan Ellis`) when only one full name has
    that surname. Common-noun sources lose their sentence capital (`Officials` and `officials` are
    one source, shown as `officials`). Unresolved pronouns and sources of kind `unknown` (no
    source phrase could be read) are left out: they are not one speaker.
    """
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=SPEAKER_SUMMARY_COLUMNS)
    table = quotes[~quotes["speaker_kind"].isin(("pronoun", "unknown"))].copy()
    table["speaker"] = [display_name(s, k) for s, k in zip(table["speaker"], table["speaker_kind"])]  # officials = Officials
    is_named = table["speaker_kind"] == "named"
    counts = table.loc[is_named, "speaker"].value_counts()
    # "Donald J. Trump" and "Donald Trump" are one person: same first and last word
    variants: dict[tuple[str, str], list[str]] = {}
    for name in counts.index:
        parts = str(name).split()
        if len(parts) >= 2:
            variants.setdefault((parts[0], parts[-1]), []).append(name)
    canonical: dict[str, str] = {}
    by_surname: dict[str, set[tuple[str, str]]] = {}
    for key, names in variants.items():
        main = max(names, key=lambda n: (counts[n], -len(n)))
        canonical.update({n: main for n in names})
        by_surname.setdefault(key[1], set()).add(key)
    # a bare surname ("Ellis") joins the one full name with that surname, if there is only one
    for surname, keys in by_surname.items():
        if len(keys) == 1:
            canonical.setdefault(surname, canonical[variants[next(iter(keys))][0]])
    named = table.loc[is_named, "speaker"]
    table.loc[is_named, "speaker"] = pd.Series([canonical.get(n, n) for n in named.tolist()], index=named.index,
                                               dtype=named.dtype)
    table["words"] = word_counts(table["quote"])
    if "doc_id" not in table.columns:
        table["doc_id"] = "article"
    summary = (
        table.groupby(["speaker", "speaker_kind"], as_index=False)
        .agg(quotes=("quote", "size"), words=("words", "sum"), articles=("doc_id", "nunique"))
        .sort_values(["quotes", "words", "speaker"], ascending=[False, False, True], kind="stable")
        .reset_index(drop=True)
    )
    return summary[SPEAKER_SUMMARY_COLUMNS]


SPEAKER_KINDS = ["named", "anonymous", "organization", "group", "pronoun", "unknown"]


def source_kind_counts(quotes: pd.DataFrame, by: str = "doc_id") -> pd.DataFrame:
    """Quotes per speaker kind for each value of `by` (an article, a month): one row per value,
    one column per kind in :data:`SPEAKER_KINDS` order, plus `total` and `share_anonymous`
    (anonymous quotes over all quotes; generic groups such as `Critics` are kind `group`, not
    anonymous)."""
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=[by, *SPEAKER_KINDS, "total", "share_anonymous"])
    counts = pd.crosstab(quotes[by], quotes["speaker_kind"]).reindex(columns=SPEAKER_KINDS, fill_value=0)
    counts["total"] = counts[SPEAKER_KINDS].sum(axis=1)
    counts["share_anonymous"] = counts["anonymous"] / counts["total"]
    counts.columns.name = None
    return counts.reset_index()
