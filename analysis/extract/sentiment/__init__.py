"""Tone of one news text: VADER's lexicon and rules, with names masked.

    >>> from analysis.extract.sentiment import score_texts
    >>> score_texts(["The rescue went well.", "Shoppers at Best Buy were furious."])

Scoring
-------
`score_texts(texts)` gives VADER's four numbers for each text: `neg`, `neu`, `pos` (shares of the
text's words that carry negative, neutral and positive valence) and `compound` (the summed
valence, normalised to -1..+1). The implementation is our own, written for speed (one pass over
the tokens, lexicon loaded once per process), and reproduces `vaderSentiment` 3.3.2 exactly,
quirks included, when masking is off: `score_texts(texts, mask_names=False)` equals
`SentimentIntensityAnalyzer().polarity_scores(text)` for every text.

Names are not sentiment
-----------------------
By default (`mask_names=True`) the text is prepared for news before it is scored:

* typographic apostrophes, quotation marks and dashes become plain ones, so `don’t` negates and
  `“great` is a word (VADER only strips ASCII punctuation);
* proper-noun phrases are replaced by a neutral placeholder: `Army War College`, `USNS Comfort`,
  `Liberty University`, `Best Buy`, `Supreme Court`, `Hope, Arkansas`, `President Trump`. They
  are found by the project's one detector, :func:`analysis.extract.names.proper_noun_spans`,
  with its masking options (`analysis.extract.names.MASKING`: titles kept in the name, ALL-CAPS
  emphasis left alone, no entity guesses);
* lexicon words used in a sense that is not evaluative in news are set aside the same way:
  `party`, `security`, `defense`, `top`, `shares`, `like` as a preposition, `as well`, `pretty`
  as an adverb, `health care`, `interest rates`, `crude oil`, `special forces`, `this kind`,
  `certain officials`, a clause-opening `Well,` (:func:`neutral_sense_spans`);
* a negation reaches further, to the end of its clause up to six words (VADER: three), so
  `did not seem to be a good idea` is negative; editorial sentences are long;
* a concessive clause (`Although the staff were kind, the room was bad.`) weighs half, as VADER
  already does for what comes before `but`;
* inflected forms missing from VADER's lexicon take their base word's valence: `deaths`,
  `crimes`, `injuries`, `bombing`, `crashed`; words that judge people and conduct in news but
  that VADER lacks count (`indicted`, `misconduct`, `corruption`, `victory`, `legacy`:
  `lexicons/sentiment_news_tone.tsv`, with the headline verbs `lambast`, `decry`, `laud`), and
  so do `un-` forms of praise words (`unpopular`) (:func:`news_lexicon`);
* every word's valence is the mean of two independently rated lexicons, VADER's (as above) and
  AFINN's (`AFINN-en-165`, shipped by the `afinn` package, scaled from -5..+5 to VADER's range),
  and a word rated only by AFINN counts too (`deadly`, `atrocity`, `kickbacks`), except AFINN
  words that name a topic or a plain fact in news (`rose`, `settlement`, `resolution`:
  `lexicons/sentiment_afinn_topics.txt`) (:func:`tone_lexicon`). Averaging raters' lexicons
  smooths out one panel's idiosyncrasies (VADER was rated for social media), which is where most
  of the gain on news sentences comes from.

The plain VADER scores of the raw text are kept beside the masked ones (`compound_unmasked`, and
`neg_unmasked`, `neu_unmasked`, `pos_unmasked`), with the masked proper-noun phrases in `masked`.

Measured with `python -m analysis evaluate sentiment FILE` on human-rated snippets in VADER's
ground-truth format, the prepared text correlates better with the ratings than plain VADER on
movie-review snippets and about as well on product-review snippets (lower case, so no names). On
the NewsMTSC news sentences whose targets agree (`python -m analysis evaluate targets
train.jsonl --sentences --sample check`: 1,456 distinct sentences, label -1/0/+1, never used to
choose the news-tone words nor to tune the lexicon ensemble), news mode gives Pearson r 0.478
and weighted F1 0.561 (0.465 and 0.559 with the news lexicon alone, without AFINN; 0.439 and
0.553 without the news-tone words either) against plain VADER's 0.427 and 0.523; on the `dev`
part (5,880 sentences) 0.504 and 0.567 (0.488 and 0.559 with the news lexicon alone).

Tone toward one person in a sentence (`Critics blasted Clinton's record`) is
:func:`analysis.extract.sentiment.targets.score_targets`.

Corpus-level tables (sentences, paragraphs, articles, quotes, speakers, timelines) are in
`analysis.summarise.sentiment`. The package: `vader` (the engine and the two lexicons), `senses`
(news senses, the news lexicon and the tone lexicon), `masking` (preparing the text; names from
`analysis.extract.names`).
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import pandas as pd

from analysis.extract.sentiment.masking import (
    PLACEHOLDER,
    mask_proper_nouns,
    masked_sentiment_words,
    name_spans,
    normalize_typography,
    prepare_news_text,
    sentiment_words,
)
from analysis.extract.sentiment.senses import (
    NEWS_TOPIC_WORDS,
    SENSE_RULES,
    VADER_SHARE,
    neutral_sense_spans,
    news_lexicon,
    tone_lexicon,
)
from analysis.extract.sentiment.vader import (
    ALPHA,
    B_DECR,
    B_INCR,
    BOOSTERS,
    C_INCR,
    CONCESSIVE_FACTOR,
    N_SCALAR,
    NEGATIONS,
    NEUTRAL_BAND,
    NEWS_NEGATION_REACH,
    SPECIAL_CASES,
    _emoji_table,
    _vader_words,
    afinn_lexicon,
    polarity,
    vader_lexicon,
)

SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]
MASKED_COLUMNS = [*SCORE_COLUMNS, "neg_unmasked", "neu_unmasked", "pos_unmasked", "compound_unmasked", "masked"]

__all__ = [
    "ALPHA", "afinn_lexicon", "B_DECR", "B_INCR", "BOOSTERS", "C_INCR", "CONCESSIVE_FACTOR", "MASKED_COLUMNS", "N_SCALAR",
    "NEGATIONS", "NEUTRAL_BAND", "NEWS_NEGATION_REACH", "NEWS_TOPIC_WORDS", "PLACEHOLDER", "SCORE_COLUMNS",
    "SENSE_RULES", "SPECIAL_CASES", "as_text", "mask_proper_nouns", "masked_sentiment_words", "name_spans",
    "neutral_sense_spans", "news_lexicon", "normalize_typography", "polarity", "polarity_scores",
    "prepare_news_text", "score_texts", "sentiment_words", "tone_lexicon", "VADER_SHARE", "vader_lexicon",
    "vader_words",
]

vader_words = _vader_words


def as_text(value) -> str:
    """A text as the scorers read it: None and NaN are "", anything else its `str`."""
    return value if isinstance(value, str) else "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def score_texts(texts: Sequence[str] | Iterable[str], *, mask_names: bool = True) -> pd.DataFrame:
    """VADER scores for each text, one row per text, in order (index 0..n-1).

    Columns: `neg`, `neu`, `pos` (shares of the text, 0..1), `compound` (-1..+1). With
    `mask_names=True` (default) these are scored on the text prepared for news (typography
    normalised, proper-noun phrases and non-evaluative news senses masked) with negation reaching
    to the end of its clause and the valences of :func:`tone_lexicon` (VADER's and AFINN's
    averaged; see the module docstring), and the table also has
    `neg_unmasked`, `neu_unmasked`, `pos_unmasked`, `compound_unmasked` (plain VADER on the raw
    text) and `masked` (the masked phrases joined by `; `, "" when none). With `mask_names=False`
    the four columns are plain VADER, identical to `vaderSentiment`'s `polarity_scores`.
    Missing values (None, NaN) score as empty text: all zeros.
    """
    lexicon = vader_lexicon()
    news = tone_lexicon() if mask_names else lexicon
    emoji = _emoji_table()
    texts = [as_text(t) for t in texts]
    plain = [polarity(t, lexicon, emoji) for t in texts]
    if not mask_names:
        return pd.DataFrame(plain, columns=SCORE_COLUMNS, dtype=float) if plain else _empty(SCORE_COLUMNS)
    rows = []
    for text, unmasked in zip(texts, plain):
        prepared, phrases = prepare_news_text(text)
        scores = polarity(prepared, news, emoji, NEWS_NEGATION_REACH)
        rows.append((*scores, *unmasked, "; ".join(phrases)))
    if not rows:
        return _empty(MASKED_COLUMNS)
    return pd.DataFrame(rows, columns=MASKED_COLUMNS)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object" if c == "masked" else float) for c in columns})


def polarity_scores(text: str) -> dict[str, float]:
    """Plain VADER scores of one text as a dict (the `vaderSentiment` call, faster)."""
    neg, neu, pos, compound = polarity(as_text(text), vader_lexicon(), _emoji_table())
    return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}
