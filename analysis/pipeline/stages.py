"""The analysis stages: each a pure function from an article to a table, with a batch form.

The functions live in `analysis.extract`; this module only adapts them to the article dicts the
pipeline passes (doc_id, path, text, date, title, sentences) and names their tables. It imports
the extraction modules lazily, inside the adapters, so that importing the pipeline stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

Article = dict  # doc_id, path, text, date (Timestamp or None), title, sentences


@dataclass(frozen=True)
class Stage:
    """One per-article analysis: `run(article) -> DataFrame`, stored as the table `name`.

    `article` is a dict with doc_id, path, text (the cleaned body every offset refers to), date
    (`pd.Timestamp` or None), title and sentences (a list of (sentence, paragraph, start, end,
    text) tuples). `module` is where `function`, the analysis, lives: the stage's code version
    covers it and what it imports. `adapter` is bumped when the wrapper here changes what it
    stores.
    """

    name: str
    module: str
    function: str
    run: Callable[[Article], pd.DataFrame]
    adapter: int = 1
    description: str = ""
    #: Optional: the same analysis over a list of articles in one call, returning (the rows of
    #: all of them, in order, and each article's row count). It must give exactly what `run`
    #: gives article by article; it saves the per-article cost of building a DataFrame.
    batch: Callable[[list[Article]], tuple[pd.DataFrame, list[int]]] | None = None


# --- quotes -----------------------------------------------------------------------------------


def _run_quotes(article: Article) -> pd.DataFrame:
    from analysis.extract.quotes import extract_quotes

    return extract_quotes(article["text"])


def _batch_quotes(articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
    from analysis.extract.quotes import extract_quotes_many

    return extract_quotes_many([article["text"] for article in articles])


# --- temporal expressions ---------------------------------------------------------------------


def _run_timexes(article: Article) -> pd.DataFrame:
    from analysis.extract.timex import extract_timexes

    return extract_timexes(article["text"], article["date"])


def _batch_timexes(articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
    from analysis.extract.timex import extract_timexes_many

    return extract_timexes_many([article["text"] for article in articles], [article["date"] for article in articles])


# --- sentence sentiment -----------------------------------------------------------------------

_SENTENCE_KEYS = ["sentence", "paragraph", "start", "end"]


def _run_sentiment(article: Article) -> pd.DataFrame:
    return _batch_sentiment([article])[0]


def _batch_sentiment(articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
    """Every sentence of `articles` scored in one `score_texts` call (it scores each text on its
    own), with the sentence's number, paragraph and offsets in front."""
    from analysis.extract.sentiment import score_texts

    sentences = [s for article in articles for s in article["sentences"]]
    counts = [len(article["sentences"]) for article in articles]
    front = pd.DataFrame({key: pd.array([s[i] for s in sentences], dtype="int64")
                          for i, key in enumerate(_SENTENCE_KEYS)})
    if not sentences:
        return front, counts
    scores = score_texts([s[4] for s in sentences], mask_names=True).reset_index(drop=True)
    scores = scores.drop(columns=[c for c in _SENTENCE_KEYS if c in scores.columns])
    return pd.concat([front, scores], axis=1), counts


# --- term and n-gram counts -------------------------------------------------------------------

#: The n-gram lengths the `ngrams` table holds (single words too, for collocation scores).
NGRAM_LENGTHS = (1, 2, 3)


def _run_terms(article: Article) -> pd.DataFrame:
    from analysis.extract.terms import article_terms

    return article_terms(article["text"])


def _batch_terms(articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
    from analysis.extract.terms import article_terms_many

    return article_terms_many([article["text"] for article in articles])


def _run_ngrams(article: Article) -> pd.DataFrame:
    from analysis.extract.terms import article_ngrams

    return article_ngrams(article["text"], NGRAM_LENGTHS)


def _batch_ngrams(articles: list[Article]) -> tuple[pd.DataFrame, list[int]]:
    from analysis.extract.terms import article_ngrams_many

    return article_ngrams_many([article["text"] for article in articles], NGRAM_LENGTHS)


#: The analysis stages, in the order they run on each article.
STAGES: tuple[Stage, ...] = (
    Stage("quotes", "analysis.extract.quotes", "extract_quotes", _run_quotes, batch=_batch_quotes,
          description="quotes with their cue and speaker (analysis.extract.quotes.extract_quotes)"),
    Stage("timexes", "analysis.extract.timex", "extract_timexes", _run_timexes, batch=_batch_timexes,
          description="temporal expressions resolved against the article date (analysis.extract.timex)"),
    Stage("sentiment", "analysis.extract.sentiment", "score_texts", _run_sentiment, batch=_batch_sentiment,
          description="VADER scores for every sentence, names masked (analysis.extract.sentiment)"),
    Stage("terms", "analysis.extract.terms", "article_terms", _run_terms, batch=_batch_terms,
          description="term counts per article (analysis.extract.terms.article_terms)"),
    Stage("ngrams", "analysis.extract.terms", "article_ngrams", _run_ngrams, batch=_batch_ngrams,
          description="word 1-, 2- and 3-gram counts per article (analysis.extract.terms.article_ngrams)"),
)
STAGE_BY_NAME = {stage.name: stage for stage in STAGES}
