"""Term counts per article: the pure, per-article half of term frequency.

* :func:`article_terms`: term counts, names counted as units;
* :func:`article_ngrams`: bigram / trigram counts within sentences;
* :func:`article_terms_many` and :func:`article_ngrams_many`: the same rows for many texts as one
  table (the pipeline's batch functions).

These run in the pipeline's worker processes and are all the pipeline's cache key of the `terms`
and `ngrams` stages covers, so this module imports no plotting and no corpus-level code.
Rankings, TF-IDF, keyness, collocations, KWIC and trends, computed from the count tables, are
in :mod:`analysis.summarise.terms`; the word cloud is in :mod:`analysis.report.terms`.

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

from collections import Counter, defaultdict
from operator import itemgetter
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.extract.names import spans_from_tokens, tokenize
from analysis.lexicons import words
from analysis.load.nlp_data import STOPWORDS
from analysis.load.text import word_spans

TERM_COLUMNS = ["term", "form", "kind", "entity", "count"]
COUNT_COLUMNS = ["doc_id", *TERM_COLUMNS]
NGRAM_COLUMNS = ["ngram", "form", "n", "count"]
NGRAM_COUNT_COLUMNS = ["doc_id", *NGRAM_COLUMNS]


#: Function words that wordcloud's list lacks (quantifiers, adverbs, prepositions) and title
#: abbreviations left over when a title is cut from a name (`Col.`, `Sen.`), from the lexicon
#: file `function_words`. They are added to :data:`~analysis.load.nlp_data.STOPWORDS` for
#: counting terms, so rankings show content.
FUNCTION_WORDS: frozenset[str] = words("function_words")
#: The default stop words of the term functions.
TERM_STOPWORDS: frozenset[str] = STOPWORDS | FUNCTION_WORDS


def stopword_set(stopwords: Iterable[str] | None = None, extra_stopwords: Iterable[str] = ()) -> frozenset[str]:
    """The stop words used by the counting functions: `stopwords` (default
    :data:`TERM_STOPWORDS`, the project's :data:`~analysis.load.nlp_data.STOPWORDS` plus
    :data:`FUNCTION_WORDS`) plus `extra_stopwords`; lower case, `’` written `'`."""
    if stopwords is None and not extra_stopwords:
        return TERM_STOPWORDS
    base = TERM_STOPWORDS if stopwords is None else frozenset(term_key(w) for w in stopwords)
    return base | frozenset(term_key(w) for w in extra_stopwords)


def term_key(form: str) -> str:
    """The key a written form is counted under: lower case, `’` written `'`."""
    return form.lower().replace("’", "'")


def word_kind(key: str) -> str:
    """`number` for a key starting with a digit, `$` or an apostrophe (`'70s`), else `word`."""
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
                    key = term_key(form)
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


def word_runs(text: str) -> list[list[str]]:
    """Runs of word tokens (as written) that no punctuation mark or blank
    line interrupts: `officials said, as a standoff` gives two runs. Sentences end with
    punctuation, so no run crosses a sentence boundary; this needs no sentence splitter, which
    keeps it linear on any input."""
    segments: list[list[str]] = []
    current: list[str] = []
    prev_end = -1
    for token, start, end in word_spans(text):
        # A single space (the usual gap) continues the run without looking at the gap.
        if current and (start != prev_end + 1 or text[prev_end] != " "):
            gap = text[prev_end:start]
            if not gap.isspace() or "\n\n" in gap or "\n \n" in gap:
                segments.append(current)
                current = []
        current.append(token)
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
    token, stop words included: they are the word totals that
    :func:`analysis.summarise.terms.collocations` needs to score pairs from stored counts.

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
    # space, so the written form fixes the tokens, and `term_key` of the joined form equals that
    # join (lower-casing never looks across a space, not even for a final sigma).
    forms: Counter[str] = Counter()
    # Per distinct token: whether it may end an n-gram (not a stop word or a number, more than
    # one letter) and whether it may stand inside one (more than one letter).
    edge_ok: dict[str, bool] = {}
    inner_ok: dict[str, bool] = {}
    for segment in word_runs(text):
        for token in segment:
            if token not in inner_ok:
                key = term_key(token)
                inner_ok[token] = len(key) != 1
                edge_ok[token] = len(key) != 1 and key not in stop and word_kind(key) != "number"
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
        key = term_key(form)
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
