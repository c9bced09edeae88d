"""Tone of a corpus: sentences, paragraphs, articles, quotes, speakers, voices, arcs and timelines.

Each text is scored by :func:`analysis.extract.sentiment.score_texts` (VADER with names masked);
the tables here aggregate those scores. VADER is built for sentences: on a long text its summed
valence saturates near ±1. So paragraphs, multi-sentence snippets and articles are scored sentence
by sentence and aggregated:

* `tone` = the mean of the sentences' `compound`, each weighted by its number of words (a long
  sentence says more than a two-word one; neutral sentences count and pull the tone towards 0);
* `share_negative` / `share_positive` = the share of sentences with compound <= -0.05 / >= 0.05
  (VADER's usual thresholds), so a text that mixes strong praise and strong blame is visible as
  such even when its tone is near 0.

The functions take the corpus tables (`corpus.sentences`, `corpus.paragraphs`, `corpus.articles`,
the quotes table). Time bins follow the project's one rule, `analysis.summarise.periods`.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.extract.sentiment import MASKED_COLUMNS, NEUTRAL_BAND, as_text, score_texts
from analysis.extract.sentiment.masking import sentiment_words
from analysis.summarise.periods import choose_period

# --- sentences, paragraphs, articles -------------------------------------------------------------

AGGREGATE_COLUMNS = ["n_sentences", "n_words", "tone", "tone_unmasked", "share_negative", "share_positive"]
_SENTENCE_KEYS = ["doc_id", "sentence", "paragraph", "start", "end"]


def _word_counts(texts: Iterable[str]) -> list[int]:
    return [len(as_text(t).split()) for t in texts]


def _same_rows(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> bool:
    """Do `left` and `right` hold the same unique `keys`, row by row (same dtypes, none missing)?
    Then a left merge on `keys` is a side-by-side copy."""
    if len(left) != len(right) or left.duplicated(keys).any():
        return False
    for key in keys:
        a, b = left[key], right[key]
        if a.dtype != b.dtype or a.isna().any() or b.isna().any() or not (a.array == b.array).all():
            return False
    return True


def sentence_sentiment(
    sentences: pd.DataFrame, *, mask_names: bool = True, scores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Score each sentence of a sentences table (`corpus.sentences`: doc_id, sentence, paragraph,
    start, end, text).

    Columns: the key columns present among doc_id, sentence, paragraph, start, end; `n_words`
    (white-space words); then the columns of :func:`score_texts` (`neg`, `neu`, `pos`,
    `compound`, and with masking `neg_unmasked` ... `compound_unmasked`, `masked`).

    `scores`, when given, is a table already scored by the pipeline (doc_id, sentence + the
    columns of :func:`score_texts`); it is joined to `sentences` instead of scoring again.
    """
    keys = [c for c in _SENTENCE_KEYS if c in sentences.columns]
    texts = sentences["text"].tolist() if "text" in sentences.columns else []
    out = sentences[keys].reset_index(drop=True).copy()
    out["n_words"] = pd.Series(_word_counts(texts), dtype="int64")
    if scores is not None and "compound" in scores.columns and len(scores) == len(sentences):
        columns = [c for c in MASKED_COLUMNS if c in scores.columns]
        if _same_rows(out, scores, ["doc_id", "sentence"]):
            # The pipeline stores both tables in corpus order: the join is a side-by-side copy.
            joined = pd.concat([out, scores[columns].reset_index(drop=True)], axis=1)
        else:
            joined = out.merge(scores[["doc_id", "sentence", *columns]], on=["doc_id", "sentence"], how="left")
        if joined["compound"].notna().all():
            return joined
    scores = score_texts(texts, mask_names=mask_names)
    return pd.concat([out, scores], axis=1)


def aggregate_tone(scored: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Aggregate scored sentences (or quotes) by `by`: the tone of a paragraph, article, speaker.

    `scored` needs `compound` and `n_words` (and `compound_unmasked` when scored with masking).
    Columns: the `by` columns, `n_sentences` (rows aggregated), `n_words`, `tone` (mean
    `compound` weighted by `n_words`; a row of no words weighs 1), `tone_unmasked` (the same of
    `compound_unmasked`, or of `compound` when there is none), `share_negative` and
    `share_positive` (share of rows with compound <= -0.05 / >= +0.05).
    """
    by = [by] if isinstance(by, str) else list(by)
    if not len(scored):
        return pd.DataFrame({**{c: pd.Series(dtype="object") for c in by},
                             **{c: pd.Series(dtype="float64") for c in AGGREGATE_COLUMNS}})
    weight = scored["n_words"].clip(lower=1).astype(float)
    compound = scored["compound"].astype(float)
    unmasked = scored["compound_unmasked"].astype(float) if "compound_unmasked" in scored else compound
    work = scored[by].copy()
    work["n_sentences"] = 1
    work["n_words"] = scored["n_words"]
    work["_w"] = weight
    work["_wc"] = weight * compound
    work["_wu"] = weight * unmasked
    work["_neg"] = (compound <= -NEUTRAL_BAND).astype(float)
    work["_pos"] = (compound >= NEUTRAL_BAND).astype(float)
    sums = work.groupby(by, sort=True, dropna=False).sum(numeric_only=True)
    result = pd.DataFrame({
        "n_sentences": sums["n_sentences"].astype("int64"),
        "n_words": sums["n_words"].astype("int64"),
        "tone": sums["_wc"] / sums["_w"],
        "tone_unmasked": sums["_wu"] / sums["_w"],
        "share_negative": sums["_neg"] / sums["n_sentences"],
        "share_positive": sums["_pos"] / sums["n_sentences"],
    })
    return result.reset_index()


def score_passages(texts: Sequence[str] | Iterable[str], *, mask_names: bool = True) -> pd.DataFrame:
    """Tone of multi-sentence texts (quotes, snippets, paragraphs), sentence by sentence.

    Each text is split into sentences (punkt, as the corpus loader does), each sentence is scored
    by :func:`score_texts`, and the sentences are aggregated as in :func:`aggregate_tone`.
    Columns, one row per text in order: `n_sentences`, `n_words`, `tone`, `tone_unmasked`,
    `share_negative`, `share_positive`. An empty text has 0 sentences and tone 0.
    """
    from analysis.load.text import sentence_spans

    owners: list[int] = []
    pieces: list[str] = []
    texts = [as_text(t) for t in texts]
    for k, text in enumerate(texts):
        spans = sentence_spans(text) if text.strip() else []
        for start, end in spans:
            owners.append(k)
            pieces.append(text[start:end])
    scored = score_texts(pieces, mask_names=mask_names)
    scored["n_words"] = _word_counts(pieces)
    scored["_text"] = owners
    table = aggregate_tone(scored, "_text").set_index("_text")
    table = table.reindex(range(len(texts)))
    table[["n_sentences", "n_words"]] = table[["n_sentences", "n_words"]].fillna(0).astype("int64")
    table[AGGREGATE_COLUMNS[2:]] = table[AGGREGATE_COLUMNS[2:]].fillna(0.0)
    return table.reset_index(drop=True)[AGGREGATE_COLUMNS]


def paragraph_sentiment(
    paragraphs: pd.DataFrame, sentences: pd.DataFrame | None = None, *, mask_names: bool = True
) -> pd.DataFrame:
    """Tone of each paragraph (`corpus.paragraphs`: doc_id, paragraph, start, end, text).

    With `sentences` (`corpus.sentences`, or its :func:`sentence_sentiment`), the paragraph's
    sentences are aggregated; without, each paragraph's text is split into sentences here.
    Columns: doc_id, paragraph, then :data:`AGGREGATE_COLUMNS` (`n_sentences`, `n_words`, `tone`,
    `tone_unmasked`, `share_negative`, `share_positive`).
    """
    keys = ["doc_id", "paragraph"]
    if sentences is not None:
        scored = sentences if "compound" in sentences else sentence_sentiment(sentences, mask_names=mask_names)
        table = aggregate_tone(scored, keys)
        table = paragraphs[keys].merge(table, on=keys, how="left")
    else:
        table = pd.concat(
            [paragraphs[keys].reset_index(drop=True), score_passages(paragraphs["text"], mask_names=mask_names)],
            axis=1,
        )
    assert len(table) == len(paragraphs), "one row per paragraph"
    return table


def article_sentiment(
    sentences: pd.DataFrame, articles: pd.DataFrame | None = None, *, mask_names: bool = True
) -> pd.DataFrame:
    """Tone of each article from its sentences (`corpus.sentences` or its :func:`sentence_sentiment`).

    An article's tone is the mean sentence `compound` weighted by sentence length in words (see
    the module docstring). Columns: doc_id, (`date`, `title` when `articles` is given: every
    article of `articles` then has a row), then `n_sentences`, `n_words`, `tone`,
    `tone_unmasked`, `share_negative`, `share_positive`.
    """
    scored = sentences if "compound" in sentences else sentence_sentiment(sentences, mask_names=mask_names)
    table = aggregate_tone(scored, "doc_id")
    if articles is not None:
        extra = [c for c in ("date", "title") if c in articles.columns]
        table = articles[["doc_id", *extra]].merge(table, on="doc_id", how="left")
        assert len(table) == len(articles), "one row per article"
    return table


def masking_changes(scored: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences whose score masking changed, and why.

    `scored` is :func:`sentence_sentiment` of `sentences` (same rows, same order). Columns:
    doc_id, sentence, text, `compound_unmasked`, `compound`, `change` (compound minus
    compound_unmasked), `masked` (the phrases masked) and `sentiment_words` (the lexicon words
    inside them, `; `-joined: the usual reason for the change; empty when the change comes from
    another news rule: typography, e.g. a curly apostrophe in `don’t`, a news sense such as
    `security`, a negation's longer reach or an inflected form). Sorted by the size of the change.
    """
    changed = scored["compound"].to_numpy() != scored["compound_unmasked"].to_numpy()
    rows = scored.loc[changed, ["doc_id", "sentence", "compound_unmasked", "compound", "masked"]].copy()
    rows.insert(2, "text", sentences["text"].to_numpy()[changed])
    rows["change"] = rows["compound"] - rows["compound_unmasked"]
    # `masked` holds the phrases of :func:`masked_sentiment_words`, "; "-joined (a phrase never
    # contains "; ": a name ends at punctuation), so it is read once per distinct value instead of
    # preparing every text again.
    words = {phrases: "; ".join(sentiment_words(phrases.split("; ") if phrases else []))
             for phrases in rows["masked"].dropna().unique()}
    rows["sentiment_words"] = rows["masked"].map(words).fillna("")
    rows = rows[["doc_id", "sentence", "text", "compound_unmasked", "compound", "change", "masked", "sentiment_words"]]
    return rows.sort_values("change", key=np.abs, ascending=False, kind="stable").reset_index(drop=True)


# --- quotes and speakers ----------------------------------------------------------------------------

def quote_sentiment(quotes: pd.DataFrame, *, mask_names: bool = True, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quotes table (`analysis.summarise.quotes.corpus_quotes`) with the tone of each `quote`.

    Adds `n_words` and the columns of :func:`score_texts` (`neg`, `neu`, `pos`, `compound`, and
    with masking `..._unmasked` and `masked`). A quote is scored whole, like a sentence: quotes are
    short, and on short multi-sentence texts VADER's summed valence tracks human ratings better
    than a mean over sentences (see `analysis.evaluate.sentiment`). `scores` may hold quotes already
    scored with masking (`quote` and those columns, as the pipeline's `quote_scores`); only the
    quotes it lacks are scored here.
    """
    # A text's score depends on the text alone, and the same quote recurs (wire copies, repeated
    # lines): each distinct text is scored once.
    distinct, which = _distinct_texts(quotes["quote"] if "quote" in quotes.columns else pd.Series([], dtype="str"))
    if scores is not None and mask_names and len(scores):
        known = scores.set_index("quote")
        missing = [text for text in distinct if text not in known.index]
        if missing:
            known = pd.concat([known, score_texts(missing, mask_names=True).set_axis(pd.Index(missing, name="quote"))])
        scored = known.loc[distinct].reset_index(drop=True)
    else:
        scored = score_texts(distinct, mask_names=mask_names)
    scores = scored.take(which).reset_index(drop=True)
    added = ["n_words", *scores.columns]
    out = quotes.reset_index(drop=True).drop(columns=[c for c in added if c in quotes.columns])
    out["n_words"] = pd.Series(np.asarray(_word_counts(distinct), dtype="int64")[which], dtype="int64")
    return pd.concat([out, scores], axis=1)


def _distinct_texts(texts: pd.Series) -> tuple[list[str], np.ndarray]:
    """The distinct texts (as :func:`score_texts` reads them: missing values are "") in order of
    first appearance, and for each of `texts` the position of its text among them."""
    if pd.api.types.is_string_dtype(texts.dtype) and not pd.api.types.is_object_dtype(texts.dtype):
        which, distinct = pd.factorize(texts.fillna(""))
        return distinct.tolist(), which
    position: dict[str, int] = {}
    which = np.fromiter((position.setdefault(as_text(t), len(position)) for t in texts), dtype=np.intp,
                        count=len(texts))
    return list(position), which


def tone_by_speaker(quote_scores: pd.DataFrame, *, min_quotes: int = 1) -> pd.DataFrame:
    """Tone of what each speaker is quoted as saying, from :func:`quote_sentiment`.

    Quotes without a speaker are left out. Columns: `speaker`, `speaker_kind` (the most frequent
    one for that speaker), `n_quotes`, `n_articles`, `n_words`, `tone` (mean quote `compound`
    weighted by words), `tone_unmasked`, `share_negative`, `share_positive` (share of quotes
    with compound <= -0.05 / >= 0.05). Sorted by
    `n_quotes` (most first), then speaker. Only speakers with at least `min_quotes` quotes.
    """
    columns = ["speaker", "speaker_kind", "n_quotes", "n_articles", "n_words", "tone", "tone_unmasked",
               "share_negative", "share_positive"]
    if not len(quote_scores) or "speaker" not in quote_scores:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    named = quote_scores[quote_scores["speaker"].notna() & (quote_scores["speaker"].astype(str).str.strip() != "")]
    table = aggregate_tone(named, "speaker").rename(columns={"n_sentences": "n_quotes"})
    n_articles = named.groupby("speaker")["doc_id"].nunique() if "doc_id" in named else named.groupby("speaker").size().clip(upper=1)
    table["n_articles"] = table["speaker"].map(n_articles).fillna(0).astype("int64")
    if "speaker_kind" in named:
        table["speaker_kind"] = table["speaker"].map(_most_frequent(named, "speaker", "speaker_kind"))
    else:
        table["speaker_kind"] = None
    table = table[table["n_quotes"] >= min_quotes]
    table = table.sort_values(["n_quotes", "speaker"], ascending=[False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def _most_frequent(table: pd.DataFrame, by: str, column: str) -> pd.Series:
    """The most frequent non-missing `column` value for each `by` value, the first in sort order
    on a tie, as `Series.mode().iloc[0]` (a `by` value with only missing values has none)."""
    counts = table.groupby([by, column], sort=False).size().rename("_n").reset_index()
    counts = counts.sort_values([by, "_n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates(by).set_index(by)[column]


VOICES = ("direct quote", "reported speech", "narration")


def label_voice(sentences: pd.DataFrame, quotes: pd.DataFrame) -> pd.Series:
    """Who speaks in each sentence: `direct quote`, `reported speech` or `narration`.

    `sentences` has doc_id, start, end (offsets into the article text); `quotes` has doc_id,
    quote_start, quote_end, kind (`direct`, `mixed`, `indirect`). A sentence is a direct quote
    when at least half of its characters lie inside direct or mixed quotes, else reported speech
    when half lie inside any quote (paraphrase), else narration. Returns a Series aligned with
    `sentences`' rows.

    Time and memory are O((sentences + quotes) log quotes): no sentence is paired with every
    quote of its article (see :func:`_covered`).
    """
    labels = np.full(len(sentences), VOICES[2], dtype=object)
    if not len(sentences) or not len(quotes):
        return pd.Series(labels, index=sentences.index, name="voice")
    s_doc, q_doc = _shared_codes(sentences["doc_id"], quotes["doc_id"])
    s_start = sentences["start"].to_numpy(dtype=float)
    s_end = sentences["end"].to_numpy(dtype=float)
    q_start = quotes["quote_start"].to_numpy(dtype=float)
    q_end = quotes["quote_end"].to_numpy(dtype=float)
    direct = quotes["kind"].isin(["direct", "mixed"]).to_numpy()
    length = np.maximum(s_end - s_start, 1)
    any_share = _covered(s_doc, s_start, s_end, q_doc, q_start, q_end) / length
    direct_share = _covered(s_doc, s_start, s_end, q_doc[direct], q_start[direct], q_end[direct]) / length
    labels[any_share >= 0.5] = VOICES[1]
    labels[direct_share >= 0.5] = VOICES[0]
    return pd.Series(labels, index=sentences.index, name="voice")


def _covered(s_doc, s_start, s_end, q_doc, q_start, q_end) -> np.ndarray:
    """For each sentence, the sum over the quotes of its article of the characters they share:
    sum of max(0, min(s_end, q_end) - max(s_start, q_start)), overlapping quotes counted each time.

    With F(x) = the quote characters of the article before offset x (each quote counted
    min(x - q_start, its length) when it starts before x), a sentence's sum is F(end) - F(start);
    F is read from the quotes sorted by (article, start) and by (article, end) with a binary
    search. Offsets are whole numbers, so the sums are exact and equal the pairwise ones.
    A missing offset makes the sentences of that article NaN, as the pairwise sum would.
    """
    total = np.zeros(len(s_doc))
    known = (q_doc >= 0) & ~(q_end < q_start)  # a quote ending before it starts covers nothing
    q_doc, q_start, q_end = q_doc[known], q_start[known], q_end[known]
    if not len(q_doc):
        return total
    unknown = np.isnan(q_start) | np.isnan(q_end)
    if unknown.any():
        total[np.isin(s_doc, q_doc[unknown])] = np.nan
        q_doc, q_start, q_end = q_doc[~unknown], q_start[~unknown], q_end[~unknown]
    low = min(np.nanmin(s_start, initial=0.0), q_start.min(initial=0.0))
    scale = max(np.nanmax(s_end, initial=0.0), np.nanmax(s_start, initial=0.0), q_end.max(initial=0.0)) - low + 1
    if (max(q_doc.max(initial=0), s_doc.max(initial=0)) + 1) * scale >= 2.0 ** 52:  # pragma: no cover
        raise ValueError("label_voice: offsets too large to combine with article numbers exactly")
    before_start = _left_sum(q_doc * scale + (q_start - low), s_doc, s_start, s_end, scale, low)
    before_end = _left_sum(q_doc * scale + (q_end - low), s_doc, s_start, s_end, scale, low)
    shared = before_start - before_end  # F(x) = sum(x - q_start) - sum(x - q_end), over starts/ends <= x
    shared = np.where(s_end >= s_start, shared, 0.0)
    shared[s_doc < 0] = 0.0  # a sentence without an article id has no quotes
    return total + shared


def _left_sum(keys: np.ndarray, s_doc, s_start, s_end, scale: float, low: float) -> np.ndarray:
    """For each sentence: sum over the keys (article * scale + offset - low) of the same article
    at or before x of (x - offset), at x = end minus at x = start."""
    keys = np.sort(keys)
    # The prefix sums are of offsets within an article (small whole numbers: exact), not of keys.
    prefix = np.concatenate([[0.0], np.cumsum(np.mod(keys, scale))])
    doc_base = np.where(s_doc >= 0, s_doc, 0) * scale
    first = np.searchsorted(keys, doc_base, side="left")

    def at(x: np.ndarray) -> np.ndarray:
        offset = x - low
        last = np.searchsorted(keys, doc_base + offset, side="right")
        return (last - first) * offset - (prefix[last] - prefix[first])

    return at(s_end) - at(s_start)


def _shared_codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of two key columns on one scale (-1 for a missing value)."""
    codes, _ = pd.factorize(pd.concat([left, right], ignore_index=True))
    return codes[:len(left)], codes[len(left):]


def tone_by_voice(scored: pd.DataFrame, voice: pd.Series) -> pd.DataFrame:
    """Tone of quoted against narrated sentences: :func:`aggregate_tone` by `voice`, every voice
    present (0 sentences and NaN tone when a voice does not occur)."""
    work = scored.assign(voice=voice.to_numpy())
    table = aggregate_tone(work, "voice").set_index("voice").reindex(list(VOICES))
    table[["n_sentences", "n_words"]] = table[["n_sentences", "n_words"]].fillna(0).astype("int64")
    return table.reset_index()


# --- arcs, distributions, timelines ---------------------------------------------------------------

def tone_arc(scored: pd.DataFrame, *, window: int = 5) -> pd.DataFrame:
    """Tone through each article, sentence by sentence, smoothed.

    `scored` is :func:`sentence_sentiment`. Columns: doc_id, sentence, `position` (0 at the first
    sentence, 1 at the last; 0 for a one-sentence article), `compound`, `smoothed` (centred
    moving average over `window` sentences, fewer at the edges).
    """
    table = scored[["doc_id", "sentence", "compound"]].sort_values(["doc_id", "sentence"], kind="stable")
    table = table.reset_index(drop=True)
    if not len(table):
        return table.assign(position=pd.Series(dtype=float), smoothed=pd.Series(dtype=float))[
            ["doc_id", "sentence", "position", "compound", "smoothed"]]
    groups = table.groupby("doc_id", sort=False)
    rank = groups.cumcount()
    size = groups["sentence"].transform("size")
    table["position"] = np.where(size > 1, rank / (size - 1).clip(lower=1), 0.0)
    table["smoothed"] = _centred_means(table["compound"].to_numpy(float), rank.to_numpy(), size.to_numpy(), window)
    return table[["doc_id", "sentence", "position", "compound", "smoothed"]]


def _centred_means(values: np.ndarray, rank: np.ndarray, size: np.ndarray, window: int) -> np.ndarray:
    """Centred moving means within consecutive groups, fewer values at the edges.

    The same numbers as pandas' `rolling(window, center=True, min_periods=1).mean()` per group,
    from one running sum instead of a Python call per article (100,000 articles in well under
    a second).
    """
    totals = np.concatenate([[0.0], np.cumsum(values)])
    first = np.arange(len(values)) - rank  # the row where each row's group starts
    low = first + np.maximum(rank - window // 2, 0)
    high = first + np.minimum(rank + (window - 1) // 2, size - 1)
    return (totals[high + 1] - totals[low]) / (high - low + 1)


def mean_arc(arc: pd.DataFrame, *, bins: int = 10) -> pd.DataFrame:
    """The average arc over articles: mean sentence tone by relative position in the article.

    Columns: `bin` (0..bins-1), `position` (the bin's centre, 0..1), `n_sentences`, `n_articles`,
    `tone` (mean compound), `sem` (its standard error; NaN with one sentence).
    """
    table = arc.assign(bin=np.minimum((arc["position"] * bins).astype(int), bins - 1))
    grouped = table.groupby("bin")
    result = pd.DataFrame({
        "n_sentences": grouped.size(),
        "n_articles": grouped["doc_id"].nunique(),
        "tone": grouped["compound"].mean(),
        "sem": grouped["compound"].sem(),
    }).reindex(range(bins))
    result["n_sentences"] = result["n_sentences"].fillna(0).astype("int64")
    result["n_articles"] = result["n_articles"].fillna(0).astype("int64")
    result.insert(0, "position", (np.arange(bins) + 0.5) / bins)
    return result.rename_axis("bin").reset_index()


def tone_distribution(scored: pd.DataFrame, *, width: float = 0.1) -> pd.DataFrame:
    """How many sentences fall in each band of compound score, masked and unmasked.

    Bands are `width` wide and centred on 0, so the middle band is the neutral one (-0.05..+0.05
    with the default width). Columns: `bin_start`, `bin_end`, `n_sentences`,
    `n_sentences_unmasked`.
    """
    half = width / 2
    n_side = int(np.ceil((1.0 - half) / width - 1e-9))
    edges = np.round(np.arange(-n_side - 1, n_side + 1) * width + half, 10)
    masked, _ = np.histogram(scored["compound"].astype(float), bins=edges)
    source = scored["compound_unmasked"] if "compound_unmasked" in scored else scored["compound"]
    unmasked, _ = np.histogram(source.astype(float), bins=edges)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "n_sentences": masked,
                         "n_sentences_unmasked": unmasked})


#: The pandas resample codes of :func:`analysis.summarise.periods.choose_period`'s bins.
_RESAMPLE_CODES = {"D": "D", "W": "W", "M": "MS", "Y": "YS"}


def timeline_frequency(dates: pd.Series) -> str:
    """The bin of a tone timeline, by the project's one rule
    (:func:`analysis.summarise.periods.choose_period`), as a pandas offset alias: `D` (days, for
    dates spanning up to a month), `W` (weeks from Monday, up to a year), `MS` (months, up to ten
    years), `YS` (years)."""
    return _RESAMPLE_CODES[choose_period(dates)]


def tone_timeline(article_tones: pd.DataFrame, *, freq: str | None = None) -> pd.DataFrame:
    """Tone over time with the number of articles beside it (as GDELT's tone timeline).

    `article_tones` is :func:`article_sentiment` with `articles` given (so it has `date`).
    Articles without a date are left out. Columns: `period` (start of the day, week or month),
    `n_articles`, `tone` (mean of the articles' tones), `share_negative` (mean share of negative
    sentences). Periods without articles are kept, with 0 articles and NaN tone, so gaps show.
    """
    dated = article_tones.dropna(subset=["date"]) if "date" in article_tones else article_tones.iloc[0:0]
    columns = ["period", "n_articles", "tone", "share_negative"]
    if not len(dated):
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "n_articles": pd.Series(dtype="int64"),
                             "tone": pd.Series(dtype=float), "share_negative": pd.Series(dtype=float)})
    freq = freq or timeline_frequency(dated["date"])
    rule = "W-MON" if freq == "W" else freq
    grouped = dated.set_index(pd.to_datetime(dated["date"])).resample(rule, label="left", closed="left")
    table = pd.DataFrame({
        "n_articles": grouped["doc_id"].count(),
        "tone": grouped["tone"].mean(),
        "share_negative": grouped["share_negative"].mean(),
    })
    table["n_articles"] = table["n_articles"].astype("int64")
    return table.rename_axis("period").reset_index()[columns]


# --- tone toward people -------------------------------------------------------------------------

PEOPLE_TONE_COLUMNS = ["person", "n_mentions", "n_articles", "tone", "share_negative", "share_positive"]


def top_people(terms: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` people most written about, from the terms table (`analysis.extract.terms`: names of
    entity `person`, a surname counted under the article's full name): `person` (the key),
    `form` (the most common written form), `n_articles`, `n_mentions`; most articles first, then
    most mentions, then the name."""
    people = terms[(terms["kind"] == "name") & (terms["entity"] == "person")]
    if not len(people):
        return pd.DataFrame({"person": pd.Series(dtype=object), "form": pd.Series(dtype=object),
                             "n_articles": pd.Series(dtype=int), "n_mentions": pd.Series(dtype=int)})
    grouped = people.groupby("term", sort=True).agg(n_articles=("doc_id", "nunique"), n_mentions=("count", "sum"))
    forms = _most_frequent(people.rename(columns={"term": "person"}), "person", "form")
    grouped = grouped.rename_axis("person").reset_index()
    grouped["form"] = grouped["person"].map(forms)
    ranked = grouped.sort_values(["n_articles", "n_mentions", "person"], ascending=[False, False, True], kind="stable")
    return ranked.head(n)[["person", "form", "n_articles", "n_mentions"]].reset_index(drop=True)


def person_mentions(sentences: pd.DataFrame, terms: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Where each of `people` (:func:`top_people`) is named in the sentences of the articles whose
    terms list them: the full written form or, for a name of several words, the last word alone
    (`Maduro` for `Nicolás Maduro`), as a whole word. One row per (sentence, person), the first
    mention: doc_id, sentence, person, start, end (of the mention in the sentence), text."""
    columns = ["doc_id", "sentence", "person", "start", "end", "text"]
    rows = []
    named = terms[(terms["kind"] == "name") & (terms["entity"] == "person") & terms["term"].isin(people["person"])]
    docs_of = named.groupby("term")["doc_id"].agg(set)
    forms = named.groupby("term")["form"].agg(set)
    # Only the sentences of the articles that name one of the people; row positions per article.
    subset = sentences[sentences["doc_id"].isin(named["doc_id"])]
    positions = subset.groupby("doc_id", sort=False).indices
    numbers, texts = subset["sentence"].to_numpy(), subset["text"].to_numpy()
    for person in people["person"]:
        variants = set(forms.get(person, ())) | {f.split()[-1] for f in forms.get(person, ()) if " " in f}
        if not variants:
            continue
        pattern = re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)) + r")(?!\w)")
        for doc in sorted(docs_of.get(person, ())):
            for k in positions.get(doc, ()):
                match = pattern.search(as_text(texts[k]))
                if match:
                    rows.append((doc, numbers[k], person, match.start(), match.end(), texts[k]))
    return pd.DataFrame(rows, columns=columns)


def tone_toward_people(mentions: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Tone of the sentences toward each person (:func:`analysis.extract.sentiment.targets.score_targets`
    on :func:`person_mentions`, with any `by` columns already joined): one row per person (and `by`
    group) with `n_mentions` (sentences), `n_articles`, `tone` (mean compound toward the person),
    `share_negative` and `share_positive` (shares of sentences labelled so); most mentions first."""
    from analysis.extract.sentiment.targets import score_targets

    keys = ([by] if isinstance(by, str) else list(by or [])) + ["person"]
    if not len(mentions):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*keys[:-1], *PEOPLE_TONE_COLUMNS]})
    # Each distinct (sentence text, mention) is scored once: wire copies repeat sentences verbatim.
    triples = mentions[["text", "start", "end"]].astype({"text": str})
    distinct = triples.drop_duplicates().reset_index(drop=True)
    scored = score_targets(distinct["text"], zip(distinct["start"], distinct["end"]))
    scored = triples.merge(distinct.assign(compound=scored["compound"], label=scored["label"]),
                           on=["text", "start", "end"], how="left", validate="many_to_one")
    table = mentions[keys + ["doc_id"]].assign(
        compound=scored["compound"].to_numpy(),
        negative=(scored["label"] == "negative").to_numpy(),
        positive=(scored["label"] == "positive").to_numpy())
    out = table.groupby(keys, sort=True, dropna=False).agg(
        n_mentions=("compound", "size"), n_articles=("doc_id", "nunique"), tone=("compound", "mean"),
        share_negative=("negative", "mean"), share_positive=("positive", "mean")).reset_index()
    out = out.sort_values(["n_mentions", "person"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[[*keys[:-1], *PEOPLE_TONE_COLUMNS]]
