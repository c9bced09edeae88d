"""Corpus-level term statistics, computed only from the per-article count tables of
:mod:`analysis.extract.terms` (plus the articles table for dates and KWIC), never by re-tokenising.

:func:`top_terms`, :func:`document_frequency`, :func:`tfidf`, :func:`keyness`,
:func:`term_trends`, :func:`top_ngrams` and :func:`collocations` accept per-article counts or the
pipeline's corpus totals (`term_totals`, `ngram_totals`); :func:`corpus_term_counts` and
:func:`corpus_ngram_counts` build the count tables for a loaded corpus; :func:`kwic` shows a term
in context. Time bins follow :mod:`analysis.summarise.periods`. No plotting here: the word cloud
and chart labels are in :mod:`analysis.report.terms`.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.extract.terms import (
    COUNT_COLUMNS,
    NGRAM_COUNT_COLUMNS,
    article_ngrams,
    article_terms,
    stopword_set,
    term_key,
    word_kind,
    word_runs,
)
from analysis.summarise.periods import choose_period, period_range, period_start

TOP_COLUMNS = ["rank", "term", "form", "kind", "entity", "count", "n_docs", "per_1000"]
DF_COLUMNS = ["term", "form", "kind", "entity", "count", "n_docs", "df", "idf"]
TFIDF_COLUMNS = ["doc_id", "rank", "term", "form", "kind", "count", "tf", "idf", "tfidf"]
KEYNESS_COLUMNS = [
    "term", "form", "kind", "entity", "count_subset", "count_rest", "per_1000_subset",
    "per_1000_rest", "g2", "p_value", "log_ratio", "key_for", "significant",
]
TREND_COLUMNS = ["period", "term", "form", "count", "total", "per_1000"]
TOP_NGRAM_COLUMNS = ["rank", "ngram", "form", "n", "count", "n_docs"]
COLLOCATION_COLUMNS = ["rank", "bigram", "w1", "w2", "count", "score", "measure"]
KWIC_COLUMNS = ["doc_id", "start", "end", "left", "match", "right"]

#: The kinds of term shown by default in rankings: words and names (numbers are counted too).
CONTENT_KINDS = ("word", "name")

_SPACES = re.compile(r"\s+")
_APOSTROPHE = re.compile(r"\\?['’]")


def corpus_term_counts(
    articles: pd.DataFrame,
    *,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    progress: bool = False,
) -> pd.DataFrame:
    """:func:`article_terms` for every row of `articles` (columns `doc_id`, `text`).

    Returns columns `doc_id`, `term`, `form`, `kind`, `entity`, `count`: the per-article count
    table every corpus-level function here works from.
    """
    return _per_article(articles, article_terms, COUNT_COLUMNS, progress,
                        stopwords=stopwords, extra_stopwords=tuple(extra_stopwords))


def corpus_ngram_counts(
    articles: pd.DataFrame,
    n: int | Sequence[int] = 2,
    *,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    progress: bool = False,
) -> pd.DataFrame:
    """:func:`article_ngrams` for every article: columns `doc_id`, `ngram`, `form`, `n`, `count`."""
    return _per_article(articles, lambda text, **kw: article_ngrams(text, n, **kw), NGRAM_COUNT_COLUMNS,
                        progress, stopwords=stopwords, extra_stopwords=tuple(extra_stopwords))


def _per_article(articles: pd.DataFrame, func, columns: list[str], progress: bool, **kwargs) -> pd.DataFrame:
    rows = zip(articles["doc_id"], articles["text"])
    if progress:
        from tqdm.auto import tqdm

        rows = tqdm(rows, total=len(articles), desc="counting", unit="article")
    tables = []
    for doc_id, text in rows:
        table = func(text if isinstance(text, str) else "", **kwargs)
        if len(table):
            table.insert(0, "doc_id", doc_id)
            tables.append(table)
    if not tables:
        return _empty(columns)
    return pd.concat(tables, ignore_index=True)[columns]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def _labels(counts: pd.DataFrame) -> pd.DataFrame:
    """Per term: the corpus-wide most common form, and the kind and entity seen most often."""
    def most_common(column: str, prefer: pd.Series | None = None) -> pd.Series:
        weights = counts.groupby(["term", column], dropna=False, sort=True)["count"].sum().reset_index()
        order, ascending = ["term", "count"], [True, False]
        if prefer is not None:
            weights["_prefer"] = prefer(weights)
            order, ascending = ["term", "_prefer", "count"], [True, False, False]
        weights = weights.sort_values(order, ascending=ascending, kind="stable")
        return weights.drop_duplicates("term").set_index("term")[column]

    kind = most_common("kind")
    # Words are shown in lower case when the corpus ever writes them so (not `Officials`).
    lower_word = lambda w: (w["term"].map(kind) == "word") & (w["form"] == w["form"].str.lower())
    return pd.concat([most_common("form", lower_word), kind, most_common("entity")], axis=1)


def _filter_kinds(counts: pd.DataFrame, kinds: Sequence[str] | None) -> pd.DataFrame:
    return counts if kinds is None else counts[counts["kind"].isin(list(kinds))]


def _is_totals(table: pd.DataFrame) -> bool:
    """Whether `table` holds corpus totals (a `n_docs` column, as the pipeline's `term_totals`
    and `ngram_totals`) rather than counts per article."""
    return "n_docs" in table.columns and "doc_id" not in table.columns


def _doc_count(table: pd.DataFrame) -> tuple[str, str]:
    """The aggregation giving, per group, the number of articles: summed for totals, else the
    distinct doc_ids (a single article's table, without doc_id, counts as one)."""
    return ("n_docs", "sum") if _is_totals(table) else ("doc_id", "nunique")


def top_terms(counts: pd.DataFrame, n: int = 20, *, kinds: Sequence[str] | None = CONTENT_KINDS) -> pd.DataFrame:
    """The `n` most frequent terms of a count table (one article's or the corpus's).

    `counts` is a table from :func:`article_terms` or :func:`corpus_term_counts`, or corpus
    totals (the pipeline's `term_totals`: the same ranking without reading every article's
    counts). Returns columns
    `rank` (1 = most frequent), `term`, `form`, `kind`, `entity`, `count`, `n_docs` (articles
    using the term) and `per_1000` (occurrences per 1,000 counted terms of every kind). Ties are
    broken by number of articles, then alphabetically.
    """
    if len(counts) == 0:
        return _empty(TOP_COLUMNS)
    total = counts["count"].sum()
    if "doc_id" not in counts and not _is_totals(counts):
        counts = counts.assign(doc_id="")
    chosen = _filter_kinds(counts, kinds)
    if len(chosen) == 0:
        return _empty(TOP_COLUMNS)
    table = chosen.groupby("term").agg(count=("count", "sum"), n_docs=_doc_count(chosen))
    table = table.join(_labels(chosen)).reset_index()
    table = table.sort_values(["count", "n_docs", "term"], ascending=[False, False, True]).head(n)
    table["rank"] = np.arange(1, len(table) + 1)
    table["per_1000"] = 1000 * table["count"] / total
    return table[TOP_COLUMNS].reset_index(drop=True)


def document_frequency(counts: pd.DataFrame, *, n_docs: int | None = None) -> pd.DataFrame:
    """How many articles use each term.

    Returns columns `term`, `form`, `kind`, `entity`, `count` (corpus total), `n_docs`, `df`
    (share of articles, 0-1) and `idf` = ln((1 + N) / (1 + n_docs)) + 1, the smoothed inverse
    document frequency (scikit-learn's default), where N is `n_docs` if given (articles without
    any counted term are absent from `counts`) or the number of articles in `counts`.
    `counts` may be corpus totals (`term_totals`); `n_docs` is then required.
    Sorted by `n_docs`, then `count`, descending.
    """
    if len(counts) == 0:
        return _empty(DF_COLUMNS)
    if n_docs is None and _is_totals(counts):
        raise ValueError("with corpus totals, give n_docs: the number of articles")
    total_docs = n_docs if n_docs is not None else counts["doc_id"].nunique()
    table = counts.groupby("term").agg(count=("count", "sum"), n_docs=_doc_count(counts))
    table = table.join(_labels(counts)).reset_index()
    table["df"] = table["n_docs"] / total_docs
    table["idf"] = np.log((1 + total_docs) / (1 + table["n_docs"])) + 1
    table = table.sort_values(["n_docs", "count", "term"], ascending=[False, False, True])
    return table[DF_COLUMNS].reset_index(drop=True)


def tfidf(
    counts: pd.DataFrame,
    n: int = 10,
    *,
    kinds: Sequence[str] | None = CONTENT_KINDS,
    n_docs: int | None = None,
    totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The `n` terms with the highest TF-IDF in each article: what sets it apart from the rest.

    `tf` is the term's share of the article's counted terms (all kinds), `idf` as in
    :func:`document_frequency`, `tfidf` = tf × idf. With one article idf is 1 everywhere, so the
    ranking is plain frequency. Document frequencies come from `counts` itself, or from corpus
    `totals` (`term_totals`, with `n_docs` the number of articles) when `counts` holds only the
    articles to rank. Returns columns `doc_id`, `rank`, `term`, `form`, `kind`, `count`, `tf`,
    `idf`, `tfidf`, by article then rank.
    """
    if len(counts) == 0:
        return _empty(TFIDF_COLUMNS)
    if totals is not None and n_docs is None:
        raise ValueError("with corpus totals, give n_docs: the number of articles")
    total_docs = n_docs if n_docs is not None else counts["doc_id"].nunique()
    doc_totals = counts.groupby("doc_id")["count"].sum()
    if totals is not None:
        doc_freq = totals.groupby("term")["n_docs"].sum()
    else:
        doc_freq = counts.groupby("term")["doc_id"].nunique()
    table = _filter_kinds(counts, kinds).copy()
    if len(table) == 0:
        return _empty(TFIDF_COLUMNS)
    table["tf"] = table["count"] / table["doc_id"].map(doc_totals)
    table["idf"] = np.log((1 + total_docs) / (1 + table["term"].map(doc_freq))) + 1
    table["tfidf"] = table["tf"] * table["idf"]
    table = table.sort_values(["doc_id", "tfidf", "count", "term"], ascending=[True, False, False, True])
    table = table.groupby("doc_id", sort=False).head(n).copy()
    table["rank"] = table.groupby("doc_id", sort=False).cumcount() + 1
    return table[TFIDF_COLUMNS].reset_index(drop=True)


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Dunning's log-likelihood G2 for a term seen `a` times in a subset of `c` terms and `b`
    times in the rest, of `d` terms (Rayson & Garside's two-cell form)."""
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    g2 = 0.0
    if a > 0:
        g2 += a * math.log(a / expected_a)
    if b > 0:
        g2 += b * math.log(b / expected_b)
    return 2 * g2


def keyness(
    counts: pd.DataFrame,
    subset_doc_ids: Iterable[str],
    *,
    kinds: Sequence[str] | None = CONTENT_KINDS,
    min_count: int = 3,
    alpha: float = 0.01,
    totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Terms used unusually often (or rarely) in a subset of articles compared with the rest.

    Dunning's log-likelihood G2 (1 degree of freedom) measures how sure the difference is;
    Hardie's log ratio, log2 of the ratio of relative frequencies, measures how big it is
    (1 = twice as frequent; a zero count is taken as 0.5). Corpus sizes are the counted terms
    of every kind (stop words excluded). Terms seen fewer than `min_count` times in all are left
    out. Returns columns `term`, `form`, `kind`, `entity`, `count_subset`, `count_rest`,
    `per_1000_subset`, `per_1000_rest`, `g2`, `p_value`, `log_ratio`, `key_for` (`subset` when
    relatively more frequent there, else `rest`) and `significant` (p < `alpha`), the subset's
    key terms first, by G2. An empty subset or rest gives an empty table.

    With corpus `totals` (the pipeline's `term_totals`), the rest is the totals minus the
    subset, so `counts` need only hold the subset's articles.
    """
    subset_ids = set(subset_doc_ids)
    if len(counts) == 0:
        return _empty(KEYNESS_COLUMNS)
    split = _subset_and_rest(counts, subset_ids, kinds, totals)
    if split is None:
        return _empty(KEYNESS_COLUMNS)
    table, size_subset, size_rest, labelled = split
    table = table[table["count_subset"] + table["count_rest"] >= min_count]
    if len(table) == 0:
        return _empty(KEYNESS_COLUMNS)
    table = _keyness_scores(table, size_subset, size_rest, alpha)
    table = table.join(_labels(labelled[labelled["term"].isin(table.index)])).reset_index(names="term")
    table["_order"] = table["key_for"] != "subset"
    table = table.sort_values(["_order", "g2", "term"], ascending=[True, False, True])
    return table[KEYNESS_COLUMNS].reset_index(drop=True)


def _subset_and_rest(
    counts: pd.DataFrame, subset_ids: set, kinds: Sequence[str] | None, totals: pd.DataFrame | None
) -> tuple[pd.DataFrame, float, float, pd.DataFrame] | None:
    """For :func:`keyness`: a table of each term's `count_subset` and `count_rest` (int64,
    indexed by term), the sizes of subset and rest (counted terms of every kind), and the rows
    of the chosen kinds (for the labels); None when the subset or the rest is empty."""
    in_subset = counts["doc_id"].isin(subset_ids)
    if totals is not None:  # the rest is the totals minus the subset: only the subset's rows are needed
        subset = counts[in_subset]
        size_subset = subset["count"].sum()
        size_rest = totals["count"].sum() - size_subset
    else:
        size_subset = counts.loc[in_subset, "count"].sum()
        size_rest = counts.loc[~in_subset, "count"].sum()
    if size_subset == 0 or size_rest == 0:
        return None
    if totals is not None:
        count_subset = _filter_kinds(subset, kinds).groupby("term")["count"].sum()
        labelled = _filter_kinds(totals, kinds)
        count_rest = labelled.groupby("term")["count"].sum().sub(count_subset, fill_value=0)
    else:
        labelled = _filter_kinds(counts, kinds)
        chosen_in = labelled["doc_id"].isin(subset_ids)
        count_subset = labelled[chosen_in].groupby("term")["count"].sum()
        count_rest = labelled[~chosen_in].groupby("term")["count"].sum()
    table = pd.DataFrame({"count_subset": count_subset, "count_rest": count_rest}).fillna(0).astype("int64")
    return table, float(size_subset), float(size_rest), labelled


def _keyness_scores(table: pd.DataFrame, c: float, d: float, alpha: float) -> pd.DataFrame:
    """`table` (`count_subset`, `count_rest`) with the keyness columns added, for a subset of
    `c` counted terms and a rest of `d`: G2 and its p-value, the log ratio, `key_for` and
    `significant` (p < `alpha`); see :func:`log_likelihood` for G2 on one term."""
    a = table["count_subset"].to_numpy(float)
    b = table["count_rest"].to_numpy(float)
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (np.where(a > 0, a * np.log(a / expected_a), 0.0) + np.where(b > 0, b * np.log(b / expected_b), 0.0))
    g2 = np.maximum(g2, 0.0)
    table["per_1000_subset"] = 1000 * a / c
    table["per_1000_rest"] = 1000 * b / d
    table["g2"] = g2
    # Chi-squared survival function with one degree of freedom.
    table["p_value"] = [math.erfc(math.sqrt(x / 2)) for x in g2]
    table["log_ratio"] = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    table["key_for"] = np.where(a / c >= b / d, "subset", "rest")
    table["significant"] = table["p_value"] < alpha
    return table


def period_doc_ids(articles: pd.DataFrame, period: str | pd.Period, freq: str = "M") -> list[str]:
    """The doc_ids of articles dated within `period` (`"2019-03"` with freq "M", a week, a day),
    binned as :func:`analysis.summarise.periods.period_start` bins (`freq` one of its codes)."""
    first = pd.Period(period, freq=freq).start_time  # reads "2019-03", "2019-03-04/2019-03-10", a Period
    dated = articles.dropna(subset=["date"])
    inside = period_start(dated["date"], freq) == period_start([first], freq).iloc[0]
    return dated.loc[inside.to_numpy(), "doc_id"].tolist()


def term_trends(
    counts: pd.DataFrame,
    articles: pd.DataFrame,
    terms: Sequence[str] | None = None,
    *,
    freq: str | None = None,
    n: int = 5,
    kinds: Sequence[str] | None = CONTENT_KINDS,
) -> pd.DataFrame:
    """How often chosen terms are used per day ("D"), week ("W", from Monday), month ("M") or
    year ("Y"); by default the bin :func:`analysis.summarise.periods.choose_period` picks for
    the dates of the counted articles.

    `terms` are keys or written forms (case does not matter); by default the `n` most frequent
    terms. Articles without a date are left out. Returns columns `period` (the period's first
    day, a Timestamp), `term`, `form`, `count`, `total` (counted terms of every kind in the
    period's articles) and `per_1000` (count per 1,000 terms; NaN for a period with no
    articles). Every period between the first and last date is present, so gaps show.
    """
    if len(counts) == 0 or "date" not in articles:
        return _empty(TREND_COLUMNS)
    dates = articles.dropna(subset=["date"]).set_index("doc_id")["date"]
    dated = counts[counts["doc_id"].isin(dates.index)]
    if len(dated) == 0:
        return _empty(TREND_COLUMNS)
    if terms is None:
        terms = top_terms(dated, n, kinds=kinds)["term"].tolist()
    else:
        terms = [term_key(" ".join(t.split())) for t in terms]
    # Sum per article first: the period totals then need one row per article, not per term.
    doc_totals = dated.groupby("doc_id")["count"].sum()
    doc_dates = dates.reindex(doc_totals.index)
    freq = freq or choose_period(doc_dates)
    doc_periods = period_start(doc_dates, freq)
    all_periods = period_range(doc_periods.min(), doc_periods.max(), freq)
    totals = doc_totals.groupby(doc_periods).sum().reindex(all_periods, fill_value=0)
    chosen = dated[dated["term"].isin(terms)]
    periods = chosen["doc_id"].map(doc_periods)
    labels = _labels(chosen)
    rows = []
    for term in terms:
        mask = chosen["term"] == term
        per_period = chosen[mask].groupby(periods[mask])["count"].sum().reindex(all_periods, fill_value=0)
        form = labels["form"].get(term, term)
        for start, count in per_period.items():
            total = int(totals[start])
            rows.append((start, term, form, int(count), total, 1000 * count / total if total else np.nan))
    table = pd.DataFrame(rows, columns=TREND_COLUMNS)
    if rows:  # microseconds, the unit of the tables this function has always returned
        table["period"] = table["period"].astype("datetime64[us]")
    return table


def top_ngrams(
    ngram_counts: pd.DataFrame, n: int = 20, *, length: int | None = None, min_count: int = 1
) -> pd.DataFrame:
    """The `n` most frequent n-grams of a table from :func:`article_ngrams` or
    :func:`corpus_ngram_counts` (or corpus totals, the pipeline's `ngram_totals`), only those of
    `length` words if given. Columns `rank`, `ngram`, `form`, `n`, `count`, `n_docs`."""
    if length is not None:
        ngram_counts = ngram_counts[ngram_counts["n"] == length]
    if len(ngram_counts) == 0:
        return _empty(TOP_NGRAM_COLUMNS)
    if "doc_id" not in ngram_counts and not _is_totals(ngram_counts):
        ngram_counts = ngram_counts.assign(doc_id="")
    table = ngram_counts.groupby("ngram").agg(n=("n", "first"), count=("count", "sum"),
                                              n_docs=_doc_count(ngram_counts))
    forms = ngram_counts.groupby(["ngram", "form"])["count"].sum().reset_index()
    forms = forms.sort_values(["ngram", "count", "form"], ascending=[True, False, True]).drop_duplicates("ngram")
    table = table.join(forms.set_index("ngram")["form"]).reset_index()
    table = table[table["count"] >= min_count]
    table = table.sort_values(["count", "n_docs", "ngram"], ascending=[False, False, True]).head(n)
    table["rank"] = np.arange(1, len(table) + 1)
    return table[TOP_NGRAM_COLUMNS].reset_index(drop=True)


_MEASURES = {
    "likelihood": "likelihood_ratio",
    "pmi": "pmi",
    "chi_sq": "chi_sq",
    "student_t": "student_t",
    "dice": "dice",
    "jaccard": "jaccard",
}


def collocations(
    source: Iterable[str] | Iterable[Sequence[str]] | pd.DataFrame,
    *,
    measure: str = "likelihood",
    min_freq: int = 3,
    n: int = 20,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """Word pairs that occur together more than chance predicts, by an association measure.

    `source` is texts (each split into sentences and punctuation-free runs, lower-cased),
    already tokenised runs (lists of tokens), or a count table from :func:`article_ngrams` /
    :func:`corpus_ngram_counts` or the pipeline's `ngram_totals`, holding rows with n = 1 and
    n = 2 (`n=(1, 2)`), which gives the
    same scores without re-reading any text. Pairs are counted with
    `nltk.collocations.BigramCollocationFinder`, pairs seen fewer than `min_freq` times or
    containing a stop word or a number are dropped, and the rest ranked with
    `BigramAssocMeasures` (`measure`: "likelihood" for Dunning's log-likelihood ratio, "pmi",
    "chi_sq", "student_t", "dice", "jaccard"). Returns columns `rank`, `bigram`, `w1`, `w2`,
    `count`, `score`, `measure`.
    """
    from nltk.collocations import BigramAssocMeasures

    if measure not in _MEASURES:
        raise ValueError(f"measure {measure!r}: choose one of {sorted(_MEASURES)}")
    stop = stopword_set(stopwords, extra_stopwords)

    def excluded(word: str) -> bool:
        return word in stop or len(word) < 2 or word_kind(word) == "number"

    if isinstance(source, pd.DataFrame):
        finder = _pair_finder_from_counts(source, min_freq, excluded)
    else:
        finder = _pair_finder_from_runs(source)
    finder.apply_freq_filter(min_freq)
    finder.apply_word_filter(excluded)
    scored = finder.score_ngrams(getattr(BigramAssocMeasures, _MEASURES[measure]))
    rows = [
        (f"{w1} {w2}", w1, w2, int(finder.ngram_fd[(w1, w2)]), float(score), measure)
        for (w1, w2), score in scored[:n]
    ]
    table = pd.DataFrame(rows, columns=COLLOCATION_COLUMNS[1:])
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def _pair_finder_from_runs(source: Iterable[str] | Iterable[Sequence[str]]):
    """NLTK's bigram finder over texts (split into punctuation-free runs by
    :func:`analysis.extract.terms.word_runs`) or already tokenised runs, keys lower-cased."""
    from nltk.collocations import BigramCollocationFinder

    def runs() -> Iterable[list[str]]:
        for item in source:
            if isinstance(item, str):
                if item.strip():
                    for segment in word_runs(item):
                        yield [term_key(token) for token in segment]
            else:
                yield [term_key(str(token)) for token in item]

    return BigramCollocationFinder.from_documents(runs())


def _pair_finder_from_counts(source: pd.DataFrame, min_freq: int, excluded):
    """NLTK's bigram finder over an n-gram count table holding n = 1 and n = 2 rows."""
    from nltk.collocations import BigramCollocationFinder
    from nltk.probability import FreqDist

    if not {1, 2} <= set(source["n"].unique().tolist()):
        raise ValueError("collocations from counts need rows with n = 1 and n = 2: use n=(1, 2)")
    unigrams = source[source["n"] == 1].groupby("ngram")["count"].sum()
    bigrams = source[source["n"] == 2].groupby("ngram")["count"].sum()
    # The frequency and word filters of `collocations` would drop these pairs; dropping them
    # first spares NLTK a dict of every pair (the scores use the word counts, which stay complete).
    bigrams = bigrams[bigrams >= min_freq]
    pairs = {}
    for key, count in zip(bigrams.index.tolist(), bigrams.tolist()):
        w1, w2 = key.split(" ", 1)
        if not (excluded(w1) or excluded(w2)):
            pairs[(w1, w2)] = count
    word_fd = FreqDist(dict(zip(unigrams.index.tolist(), unigrams.tolist())))
    return BigramCollocationFinder(word_fd, FreqDist(pairs))


def _may_match(texts: pd.Series, pattern: str) -> np.ndarray:
    """Which texts contain `pattern` (case-insensitive), searched in Arrow's C++ regex engine:
    a cheap first pass, so Python's regex (with its look-arounds) reads only those texts. A
    pattern that engine cannot take selects every text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.match_substring_regex(pa.array(texts, from_pandas=True), pattern, ignore_case=True)
    except (pa.ArrowException, TypeError):
        return np.ones(len(texts), dtype=bool)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def kwic(
    articles: pd.DataFrame,
    term: str,
    *,
    width: int = 40,
    max_lines: int | None = None,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of `term` (a word or a name, any case; `’` and `'`
    match each other), with `width` characters either side.

    Returns columns `doc_id`, `start`, `end` (offsets into the article's text), `left`, `match`,
    `right`, with line breaks in the context written as spaces; at most `max_lines` rows.
    """
    words = term.split()
    if not words:
        return _empty(KWIC_COLUMNS)
    pattern = r"\s+".join(_APOSTROPHE.sub("['’]", re.escape(w)) for w in words)
    regex = re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)
    candidates = articles[_may_match(articles["text"], pattern)]
    rows = []
    for doc_id, text in zip(candidates["doc_id"].tolist(), candidates["text"].tolist()):
        if not isinstance(text, str):
            continue
        for match in regex.finditer(text):
            start, end = match.span()
            left = _SPACES.sub(" ", text[max(0, start - width):start])
            right = _SPACES.sub(" ", text[end:end + width])
            rows.append((doc_id, start, end, left, match.group(), right))
            if max_lines is not None and len(rows) >= max_lines:
                return pd.DataFrame(rows, columns=KWIC_COLUMNS)
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def kwic_lines(table: pd.DataFrame, width: int = 40) -> list[str]:
    """KWIC rows as aligned lines of text: `…left context [match] right context…`."""
    return [f"{row.left[-width:]:>{width}} [{row.match}] {row.right[:width]}" for row in table.itertuples()]
