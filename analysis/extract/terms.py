"""Which words and names dominate: term counts, TF-IDF, n-grams, collocations, keyness, trends.

Two layers, so the same code runs on one article or on 100,000:

* Per article, pure functions of the text (run them in worker processes, store the tables):
  :func:`article_terms` (term counts, names counted as units) and :func:`article_ngrams`
  (bigram / trigram counts within sentences); :func:`article_terms_many` and
  :func:`article_ngrams_many` give the same rows for many texts as one table.
* Corpus level, computed only from those count tables (plus the articles table for dates), never
  by re-tokenising: :func:`top_terms`, :func:`document_frequency`, :func:`tfidf`,
  :func:`keyness`, :func:`term_trends`, :func:`top_ngrams`. :func:`corpus_term_counts` and
  :func:`corpus_ngram_counts` build the count tables for a loaded corpus.

Counting rules. Tokens come from :func:`analysis.load.text.word_spans`, which keeps `U.S.`, `F-16`,
`50,000`, `3.5%` and `’70s` whole. A term's key (`term`) is lower case, with typographic
apostrophes written `'` and a possessive `’s` removed (`Pentagon’s` counts as `pentagon`); its
`form` is the most common way the text writes it. Proper-noun phrases found by
:func:`analysis.extract.names.proper_noun_spans` (`Nicolás Maduro`, `State Department`) are counted as
one term of kind `name` and their words are not counted again on their own. Stop words
(:data:`TERM_STOPWORDS` unless `stopwords=` replaces it, plus `extra_stopwords=`)
and one-letter words are not counted; numbers are counted with kind `number`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.report.figures import RANDOM_STATE
from analysis.extract.names import spans_from_tokens, tokenize
from analysis.load.nlp_data import STOPWORDS
from analysis.load.text import _TOKEN

TERM_COLUMNS = ["term", "form", "kind", "entity", "count"]
COUNT_COLUMNS = ["doc_id", *TERM_COLUMNS]
NGRAM_COLUMNS = ["ngram", "form", "n", "count"]
NGRAM_COUNT_COLUMNS = ["doc_id", *NGRAM_COLUMNS]
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

_POSSESSIVE = ("’s", "'s", "’S", "'S")
_SPACES = re.compile(r"\s+")
_APOSTROPHE = re.compile(r"\\?['’]")


# --------------------------------------------------------------------------------------------
# Per article


#: Function words that wordcloud's list lacks (quantifiers, adverbs, prepositions) and title
#: abbreviations left over when a title is cut from a name (`Col.`, `Sen.`). They are
#: added to :data:`~analysis.load.nlp_data.STOPWORDS` for counting terms, so rankings show content.
FUNCTION_WORDS = frozenset(
    """
    much many even yet still across anything something nothing everything everyone someone
    anyone nobody another whether without within among amid upon via per rather almost already
    although though unless onto toward towards around perhaps now well back ago either neither
    whose us every several less least lot lots thing things way really quite enough
    col gen lt sen rep gov maj capt sgt cmdr adm dr jr sr
    """.split()
)
#: The default stop words of the term functions.
TERM_STOPWORDS: frozenset[str] = STOPWORDS | FUNCTION_WORDS


def stopword_set(stopwords: Iterable[str] | None = None, extra_stopwords: Iterable[str] = ()) -> frozenset[str]:
    """The stop words used by the counting functions: `stopwords` (default
    :data:`TERM_STOPWORDS`, the project's :data:`~analysis.load.nlp_data.STOPWORDS` plus
    :data:`FUNCTION_WORDS`) plus `extra_stopwords`; lower case, `’` written `'`."""
    if stopwords is None and not extra_stopwords:
        return TERM_STOPWORDS
    base = TERM_STOPWORDS if stopwords is None else frozenset(_key(w) for w in stopwords)
    return base | frozenset(_key(w) for w in extra_stopwords)


def _key(form: str) -> str:
    return form.lower().replace("’", "'")


def _strip_possessive(token: str) -> str:
    if token.endswith(_POSSESSIVE) and len(token) > 2:
        return token[:-2]
    return token


def _word_kind(key: str) -> str:
    first = key[0]
    return "number" if first.isdigit() or first in "$'" else "word"


def _counted(key: str, stop: frozenset[str]) -> bool:
    return key not in stop and not (len(key) == 1 and not key.isdigit())


def article_terms(
    text: str,
    *,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    full_names: bool = True,
) -> pd.DataFrame:
    """Term counts for one article: names counted as units, stop words left out.

    With `full_names` (the default) a person named by surname alone (`Maduro`) is counted under
    the full name the same article uses (`Nicolás Maduro`), when it uses exactly one.

    Returns one row per term, most frequent first, with columns:

    - `term`: the lower-case key (`u.s.`, `nicolás maduro`, `'70s`);
    - `form`: the most common written form in this text (`U.S.`, `Nicolás Maduro`, `’70s`);
    - `kind`: `word`, `name` (a proper-noun phrase) or `number`;
    - `entity`: for names, `person`, `place`, `organization` or None (see
      :func:`analysis.extract.names.proper_noun_spans`); None for words and numbers;
    - `count`: occurrences in the text.

    Empty text gives an empty table with these columns.
    """
    stop = stopword_set(stopwords, extra_stopwords)
    return _frame(_term_rows(text, stop, full_names), TERM_COLUMNS)


def article_terms_many(
    texts: Sequence[str],
    *,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    full_names: bool = True,
) -> tuple[pd.DataFrame, list[int]]:
    """:func:`article_terms` of each text, as one table: (the rows of every text, in order,
    and each text's number of rows).

    The table is exactly the per-text tables concatenated (``pd.concat(..., ignore_index=True)``)
    but built once, which saves most of the cost of counting a short article.
    """
    stop = stopword_set(stopwords, extra_stopwords)
    parts = [_term_rows(text, stop, full_names) for text in texts]
    return _joined_frame(parts, TERM_COLUMNS), [len(part) for part in parts]


def _term_rows(text: str, stop: frozenset[str], full_names: bool) -> list[tuple]:
    """The rows of :func:`article_terms` (term, form, kind, entity, count), in table order."""
    if not text:
        return []
    # One counter over (key, written form, kind, entity); folded into one row per key below.
    seen: Counter[tuple[str, str, str, str | None]] = Counter()
    words: list[str] = []  # the tokens outside names, looked at once per distinct token below
    tokens = tokenize(text)
    spans = spans_from_tokens(text, tokens)
    n_spans = len(spans)
    s = 0
    next_start = spans[0][0] if spans else len(text) + 1
    for token, start, _end in tokens:
        if start >= next_start:
            while s < n_spans and spans[s][1] <= start:
                s += 1
            next_start = spans[s][0] if s < n_spans else len(text) + 1
            if start >= next_start:
                if start == next_start:  # the first token of a name stands for the whole name
                    name_start, name_end, entity = spans[s]
                    form = " ".join(text[name_start:name_end].split())
                    key = _key(form)
                    if _counted(key, stop):
                        seen[(key, form, "name", entity)] += 1
                continue
        words.append(token)
    # Words are counted after the names, which changes no row: the order in which `_fold` sees
    # variants only breaks ties between the entities of names.
    for token, count in Counter(words).items():
        lowered = token.lower()
        if "’" in lowered:
            lowered = lowered.replace("’", "'")
        if lowered in stop:
            continue
        if lowered.endswith("'s") and len(lowered) > 2:
            token, key = token[:-2], lowered[:-2]
        else:
            key = lowered
        if key in stop or (len(key) == 1 and not key.isdigit()):
            continue
        first = key[0]
        seen[(key, token, "number" if first.isdigit() or first in "$'" else "word", None)] += count
    if full_names:
        seen = _merge_surnames(seen)
    return _fold(seen)


def _merge_surnames(seen: Counter) -> Counter:
    """Count `Maduro` as `Nicolás Maduro` when the article names exactly one person so."""
    by_surname: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for key, form, kind, entity in seen:
        if kind == "name" and entity == "person" and " " in key:
            by_surname[key.rsplit(" ", 1)[1]].add((key, form))
    if not by_surname:
        return seen
    merged: Counter = Counter()
    for (key, form, kind, entity), count in seen.items():
        full = by_surname.get(key) if kind == "name" and entity == "person" and " " not in key else None
        if full and len({k for k, _ in full}) == 1:
            full_key = next(iter(full))[0]
            best_form = max((f for k, f in full), key=lambda f: seen[(full_key, f, "name", "person")])
            merged[(full_key, best_form, "name", "person")] += count
        else:
            merged[(key, form, kind, entity)] += count
    return merged


def _fold(seen: Counter) -> list[tuple]:
    """One row (key, form, *labels, count) per key from counts of (key, form, *labels): the
    total, the most common form and the most common labels; most frequent first."""
    groups: dict[str, list] = {}  # key -> its ((key, form, *labels), count) items, in order
    for item in seen.items():
        key = item[0][0]
        if key in groups:
            groups[key].append(item)
        else:
            groups[key] = [item]
    rows = []
    for key, group in groups.items():
        if len(group) == 1:  # most keys: one form, one set of labels
            variant, count = group[0]
            rows.append((*variant, count))
            continue
        options = [(count, form, labels) for (_, form, *labels), count in group]
        count = sum(option[0] for option in options)
        by_label: Counter = Counter()
        for c, _, labels_ in options:
            by_label[tuple(labels_)] += c
        # Most frequent labels; a tie goes to `name`, then to the first seen.
        labels = list(max(by_label.items(), key=lambda item: (item[1], item[0][0] == "name"))[0])
        if labels[0] == "word":
            # A word capitalised only at the start of sentences is shown as written inside them.
            lower = [option for option in options if option[1] == option[1].lower()]
            options = lower or options
        else:
            options = [option for option in options if option[2] == labels] or options
        form = _sum_forms(options)
        rows.append((key, form, *labels, count))
    return _by_count(rows)


def _by_count(rows: list[tuple]) -> list[tuple]:
    """`rows` (key first, count last; keys unique) most frequent first, then by key."""
    # Two stable sorts instead of one on (-count, key): no key tuple per row.
    rows.sort(key=itemgetter(0))
    rows.sort(key=itemgetter(-1), reverse=True)
    return rows


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """The table of `rows`: `count` and `n` as int64, text columns as pandas infers them."""
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("count", "n") else "object") for c in columns})
    data = dict(zip(columns, map(list, zip(*rows))))
    for column in ("count", "n"):
        if column in data:
            data[column] = np.array(data[column], dtype="int64")
    return pd.DataFrame(data, columns=columns)


def _joined_frame(parts: list[list[tuple]], columns: list[str]) -> pd.DataFrame:
    """The rows of several texts as one table, equal to their `_frame` tables concatenated.

    Built once from all rows, so pandas infers a text column as `str` wherever some text has a
    value. Concatenating per-text tables gives object instead when one text's column holds only
    None (`entity` of an article without names), with NaN for the other texts' missing values;
    that column is rebuilt the same way here, so both paths store the same Parquet types.
    """
    parts = [part for part in parts if part]
    table = _frame([row for part in parts for row in part], columns)
    for c, column in enumerate(columns):
        if not isinstance(table[column].dtype, pd.StringDtype):
            continue
        has_text = [any(row[c] is not None for row in part) for part in parts]
        if all(has_text):
            continue
        values: list = []
        for part, text in zip(parts, has_text):
            values += [np.nan if row[c] is None else row[c] for row in part] if text else [row[c] for row in part]
        table[column] = pd.Series(values, dtype=object)
    return table


def _sum_forms(options: list) -> str:
    forms: Counter[str] = Counter()
    for count, form, _ in options:
        forms[form] += count
    return _most_common_form(forms)


def _most_common_form(forms: Counter) -> str:
    # Ties go to the form with fewer capitals (`military officials`, not the sentence-initial
    # `Military officials`), then alphabetical, so the choice never depends on word order.
    return min(forms.items(), key=lambda item: (-item[1], sum(ch.isupper() for ch in item[0]), item[0]))[0]


def _segments(text: str) -> list[list[str]]:
    """Runs of word tokens (as written) that no punctuation mark or blank
    line interrupts: `officials said, as a standoff` gives two runs. Sentences end with
    punctuation, so no run crosses a sentence boundary; this needs no sentence splitter, which
    keeps it linear on any input."""
    segments: list[list[str]] = []
    current: list[str] = []
    prev_end = -1
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        # A single space (the usual gap) continues the run without looking at the gap.
        if current and (start != prev_end + 1 or text[prev_end] != " "):
            gap = text[prev_end:start]
            if not gap.isspace() or "\n\n" in gap or "\n \n" in gap:
                segments.append(current)
                current = []
        current.append(match.group())
        prev_end = end
    if current:
        segments.append(current)
    return segments


def article_ngrams(
    text: str,
    n: int | Sequence[int] = 2,
    *,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """Counts of word n-grams (n = 2 bigrams, 3 trigrams; several at once with `n=(1, 2, 3)`)
    in one article.

    N-grams never cross a sentence boundary or a punctuation mark, and never start or end with a
    stop word or a number (a stop word inside a trigram is kept: `tug of war`); sentences end
    with punctuation, so breaking at every punctuation mark keeps n-grams inside sentences.
    Tokens are those of :func:`article_terms`, but names are not merged (`state department` is a
    bigram) and possessives are kept (`pentagon's negligible`). Rows with n = 1 count every
    token, stop words included: they are the word totals that :func:`collocations` needs to
    score pairs from stored counts.

    Returns columns `ngram` (lower-case key, words joined by a space), `form` (most common
    written form), `n`, `count`; most frequent first. Empty text gives an empty table.
    """
    sizes = _ngram_sizes(n)
    stop = stopword_set(stopwords, extra_stopwords)
    return _frame(_ngram_rows(text, sizes, stop), NGRAM_COLUMNS)


def article_ngrams_many(
    texts: Sequence[str],
    n: int | Sequence[int] = 2,
    *,
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
) -> tuple[pd.DataFrame, list[int]]:
    """:func:`article_ngrams` of each text, as one table: (the rows of every text, in order,
    and each text's number of rows).

    The table is exactly the per-text tables concatenated (``pd.concat(..., ignore_index=True)``)
    but built once, which saves most of the cost of counting a short article.
    """
    sizes = _ngram_sizes(n)
    stop = stopword_set(stopwords, extra_stopwords)
    parts = [_ngram_rows(text, sizes, stop) for text in texts]
    return _joined_frame(parts, NGRAM_COLUMNS), [len(part) for part in parts]


def _ngram_sizes(n: int | Sequence[int]) -> tuple[int, ...]:
    sizes = (n,) if isinstance(n, int) else tuple(n)
    if not sizes or min(sizes) < 1:
        raise ValueError("n must be at least 1")
    return sizes


def _ngram_rows(text: str, sizes: tuple[int, ...], stop: frozenset[str]) -> list[tuple]:
    """The rows of :func:`article_ngrams` (ngram, form, n, count), in table order."""
    if not text or not text.strip():
        return []
    # Counted as written; an n-gram's key is its tokens' keys joined by spaces. Tokens hold no
    # space, so the written form fixes the tokens, and `_key` of the joined form equals that
    # join (lower-casing never looks across a space, not even for a final sigma).
    forms: Counter[str] = Counter()
    # Per distinct token: whether it may end an n-gram (not a stop word or a number, more than
    # one letter) and whether it may stand inside one (more than one letter).
    edge_ok: dict[str, bool] = {}
    inner_ok: dict[str, bool] = {}
    for segment in _segments(text):
        for token in segment:
            if token not in inner_ok:
                key = _key(token)
                inner_ok[token] = len(key) != 1
                edge_ok[token] = len(key) != 1 and key not in stop and _word_kind(key) != "number"
        edges = [edge_ok[token] for token in segment]
        inner = [inner_ok[token] for token in segment]
        for size in sizes:
            if size == 1:
                forms.update(segment)
                continue
            for i in range(len(segment) - size + 1):
                if edges[i] and edges[i + size - 1] and all(inner[i + 1:i + size - 1]):
                    forms[" ".join(segment[i:i + size])] += 1
    by_key: dict[str, list[tuple[str, int]]] = {}
    for form, count in forms.items():
        key = _key(form)
        if key in by_key:
            by_key[key].append((form, count))
        else:
            by_key[key] = [(form, count)]
    rows = []
    for key, variants in by_key.items():
        if len(variants) == 1:
            form, count = variants[0]
        else:
            form = _most_common_form(Counter(dict(variants)))
            count = sum(count for _, count in variants)
        rows.append((key, form, key.count(" ") + 1, count))
    return _by_count(rows)


# --------------------------------------------------------------------------------------------
# Corpus tables


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
    in_subset = counts["doc_id"].isin(subset_ids)
    if totals is not None:  # the rest is the totals minus the subset: only the subset's rows are needed
        subset = counts[in_subset]
        size_subset = subset["count"].sum()
        size_rest = totals["count"].sum() - size_subset
    else:
        size_subset = counts.loc[in_subset, "count"].sum()
        size_rest = counts.loc[~in_subset, "count"].sum()
    if size_subset == 0 or size_rest == 0:
        return _empty(KEYNESS_COLUMNS)
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
    table = table[table["count_subset"] + table["count_rest"] >= min_count]
    if len(table) == 0:
        return _empty(KEYNESS_COLUMNS)
    a = table["count_subset"].to_numpy(float)
    b = table["count_rest"].to_numpy(float)
    c, d = float(size_subset), float(size_rest)
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
    table = table.join(_labels(labelled[labelled["term"].isin(table.index)])).reset_index(names="term")
    table["_order"] = table["key_for"] != "subset"
    table = table.sort_values(["_order", "g2", "term"], ascending=[True, False, True])
    return table[KEYNESS_COLUMNS].reset_index(drop=True)


def period_doc_ids(articles: pd.DataFrame, period: str | pd.Period, freq: str = "M") -> list[str]:
    """The doc_ids of articles dated within `period` (`"2019-03"` with freq "M", a week, a day)."""
    period = pd.Period(period, freq=freq)
    dated = articles.dropna(subset=["date"])
    inside = dated["date"].dt.to_period(freq) == period
    return dated.loc[inside, "doc_id"].tolist()


def term_trends(
    counts: pd.DataFrame,
    articles: pd.DataFrame,
    terms: Sequence[str] | None = None,
    *,
    freq: str = "W",
    n: int = 5,
    kinds: Sequence[str] | None = CONTENT_KINDS,
) -> pd.DataFrame:
    """How often chosen terms are used per day ("D"), week ("W") or month ("M").

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
        terms = [_key(" ".join(t.split())) for t in terms]
    # Sum per article first: the period totals then need one row per article, not per term.
    doc_totals = dated.groupby("doc_id")["count"].sum()
    doc_periods = dates.reindex(doc_totals.index).dt.to_period(freq)
    all_periods = pd.period_range(doc_periods.min(), doc_periods.max(), freq=freq)
    totals = doc_totals.groupby(doc_periods).sum().reindex(all_periods, fill_value=0)
    chosen = dated[dated["term"].isin(terms)]
    periods = chosen["doc_id"].map(doc_periods)
    labels = _labels(chosen)
    rows = []
    for term in terms:
        mask = chosen["term"] == term
        per_period = chosen[mask].groupby(periods[mask])["count"].sum().reindex(all_periods, fill_value=0)
        form = labels["form"].get(term, term)
        for period, count in per_period.items():
            total = int(totals[period])
            rows.append((period.start_time, term, form, int(count), total, 1000 * count / total if total else np.nan))
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


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
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    if measure not in _MEASURES:
        raise ValueError(f"measure {measure!r}: choose one of {sorted(_MEASURES)}")
    stop = stopword_set(stopwords, extra_stopwords)

    def runs() -> Iterable[list[str]]:
        for item in source:
            if isinstance(item, str):
                if item.strip():
                    for segment in _segments(item):
                        yield [_key(token) for token in segment]
            else:
                yield [_key(str(token)) for token in item]

    def excluded(word: str) -> bool:
        return word in stop or len(word) < 2 or _word_kind(word) == "number"

    if isinstance(source, pd.DataFrame):
        from nltk.probability import FreqDist

        if not {1, 2} <= set(source["n"].unique().tolist()):
            raise ValueError("collocations from counts need rows with n = 1 and n = 2: use n=(1, 2)")
        unigrams = source[source["n"] == 1].groupby("ngram")["count"].sum()
        bigrams = source[source["n"] == 2].groupby("ngram")["count"].sum()
        # The frequency and word filters below would drop these pairs; dropping them first
        # spares NLTK a dict of every pair (the scores use the word counts, which stay complete).
        bigrams = bigrams[bigrams >= min_freq]
        pairs = {}
        for key, count in zip(bigrams.index.tolist(), bigrams.tolist()):
            w1, w2 = key.split(" ", 1)
            if not (excluded(w1) or excluded(w2)):
                pairs[(w1, w2)] = count
        word_fd = FreqDist(dict(zip(unigrams.index.tolist(), unigrams.tolist())))
        finder = BigramCollocationFinder(word_fd, FreqDist(pairs))
    else:
        finder = BigramCollocationFinder.from_documents(runs())
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


# --------------------------------------------------------------------------------------------
# Word cloud


def cloud_font_path() -> Path:
    """DejaVu Sans, shipped with matplotlib (covers accents), so no system font is looked up."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def chart_label(form: str) -> str:
    """`form` if the chart font (DejaVu Sans, matplotlib's default) can draw it, else the name of
    its script in brackets (`[Devanagari]`), so a chart never shows empty boxes."""
    drawable = _font_characters()
    for ch in form:
        if ord(ch) not in drawable and not ch.isspace():
            script = unicodedata.name(ch, "UNKNOWN").split()[0].title()
            return f"[{script}]"
    return form


@functools.cache
def _font_characters() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(cloud_font_path())).get_charmap())


def word_cloud_image(
    frequencies: dict[str, float],
    *,
    width: int = 900,
    height: int = 450,
    max_words: int = 100,
) -> np.ndarray:
    """An RGB image (height × width × 3) of a word cloud drawn from {shown text: weight}.

    Uses `wordcloud.WordCloud.generate_from_frequencies` with the project's `RANDOM_STATE`, so
    the picture is the same on every run; keys are drawn as given, so names stay whole. Words
    the font cannot draw (scripts DejaVu Sans lacks, such as Devanagari) are left out rather
    than drawn as boxes. No frequencies gives a blank white image.
    """
    from wordcloud import WordCloud

    drawable = _font_characters()
    frequencies = {
        word: float(weight) for word, weight in frequencies.items()
        if weight > 0 and all(ord(ch) in drawable or ch.isspace() for ch in word)
    }
    if not frequencies:
        return np.full((height, width, 3), 255, dtype=np.uint8)
    cloud = WordCloud(
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        random_state=RANDOM_STATE,
        font_path=str(cloud_font_path()),
        colormap="viridis",
        prefer_horizontal=0.9,
        collocations=False,
        normalize_plurals=False,
    )
    return cloud.generate_from_frequencies(frequencies).to_array()
