"""Tests for `analysis.extract.sentiment` and `analysis.evaluate.sentiment`.

The exactness tests compare our VADER with `vaderSentiment` itself: on hand-written tricky
sentences, on generated word salads over VADER's special words, and (when the shared corpora are
present, `$NEWS_CORPUS`, default `../shared/corpora/wikinews`) on real news sentences.
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis import sentiment as S  # the facade: extraction and summaries
from analysis.evaluate import sentiment as E

vader_module = pytest.importorskip("vaderSentiment.vaderSentiment")


@pytest.fixture(scope="module")
def reference():
    return vader_module.SentimentIntensityAnalyzer()


def _as_tuple(scores: dict) -> tuple:
    return scores["neg"], scores["neu"], scores["pos"], scores["compound"]


def _assert_same_as_vader(texts: list[str], reference) -> None:
    ours = S.score_texts(texts, mask_names=False)
    assert list(ours.columns) == S.SCORE_COLUMNS
    assert len(ours) == len(texts)
    mismatches = [
        (text, _as_tuple(reference.polarity_scores(text)), tuple(row))
        for text, row in zip(texts, ours.itertuples(index=False))
        if _as_tuple(reference.polarity_scores(text)) != tuple(row)
    ]
    assert not mismatches, mismatches[:5]


# --- exactly VADER when masking is off -------------------------------------------------------------

TRICKY = [
    "",
    "   ",
    "The book was good.",
    "The book was not good.",
    "The book isn't good.",
    "The book isn’t good.",  # a curly apostrophe: VADER does not see a negation
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The book was kind of good but the ending was sort of bad.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "VADER is smart, handsome, and funny!",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "EVERYTHING IS GREAT",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Not bad at all",
    "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!",
    "Most automated sentiment analysis tools are shit.",
    "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "least good of all, very least bad",
    "No problems at all, no bad news and no or nor good.",
    "no",
    "No good.",
    "It is good. It is bad. But it is good and good and good.",
    "good bad but good good bad bad",
    "Is it good?? Is it really good???? Yes!!!!!",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "a💘b 😁😁 ☺ © ™",
    "He is so happy, this happy, and never so sad.",
    "yeah right, the bomb, kiss of death, to die for, bus stop, beating heart",
    "It was just enough kind of fun and sort of good.",
    "I can't stand it, I'm fed up.",
    "Won’t stop, don’t care, “great” work—and a “terrible” end…",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_scores_as_vadersentiment_on_tricky_sentences(text, reference):
    _assert_same_as_vader([text], reference)
    assert S.polarity_scores(text) == reference.polarity_scores(text)


def test_same_scores_as_vadersentiment_on_generated_word_salads(reference):
    vocabulary = """good bad GOOD BAD great not isn't isnt don't never so this very VERY kind of sort
    of but But BUT no No least at very without doubt the shit bomb bad ass yeah right kiss of death
    to die for beating heart just enough kinda barely happy sad love hate nice terrible ! !! ? ?? :)
    :( 💘 😁 ☺ it. no. good, bad! I the a and or nor fed up hardly extremely Extremely slightly
    less little more most killed war peace hope Hope free FREE""".split()
    rng = random.Random(0)
    texts = []
    for _ in range(3000):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 14))]
        texts.append(rng.choice([" ", " ", "  ", "", "\n"]).join(words))
    _assert_same_as_vader(texts, reference)


def _shared_corpus() -> Path:
    return Path(os.environ.get("NEWS_CORPUS", paths.PROJECT_ROOT / ".." / "shared" / "corpora" / "wikinews"))


def test_same_scores_as_vadersentiment_on_news_sentences(reference, tmp_path):
    folder = _shared_corpus()
    if not folder.is_dir():
        pytest.skip(f"no shared corpus at {folder} (set NEWS_CORPUS)")
    import shutil

    from analysis import load_corpus

    for file in sorted(folder.rglob("*.txt"))[:120]:
        shutil.copy(file, tmp_path / file.name)
    sentences = load_corpus(tmp_path, workers=1).sentences["text"].tolist()
    assert len(sentences) > 1000
    _assert_same_as_vader(sentences[:3000], reference)


# --- names are not sentiment ----------------------------------------------------------------------

# (sentence with a name, the same sentence with a neutral name): the scores must be equal.
NAMES = [
    ("Officers at the Army War College met on Monday.", "Officers at the Acme met on Monday."),
    ("Army War College officers met on Monday.", "Acme officers met on Monday."),
    ("The hospital ship USNS Comfort sailed to Colombia.", "The hospital ship Acme sailed to Colombia."),
    ("She grew up in Hope, Arkansas, and moved away.", "She grew up in Acme, Arkansas, and moved away."),
    ("Hope, Arkansas, is a small town.", "Acme, Arkansas, is a small town."),
    ("Students at Liberty University protested.", "Students at Acme protested."),
    ("Liberty University students protested.", "Acme students protested."),
    ("Best Buy reported sales on Tuesday.", "Acme reported sales on Tuesday."),
    ("Shoppers lined up at Best Buy on Tuesday.", "Shoppers lined up at Acme on Tuesday."),
    ("The Supreme Court heard the case.", "The Acme heard the case."),
    ("He works for the Bank of America.", "He works for the Acme."),
    ("“We are ready,” said Mr. Hope Smith.", "“We are ready,” said Mr. Acme."),
    ("Officials at the Justice Department and Homeland Security met.", "Officials at the Acme and Acme met."),
]


@pytest.mark.parametrize("named, neutral", NAMES)
def test_names_do_not_move_the_score(named, neutral):
    scores = S.score_texts([named, neutral])
    assert scores.loc[0, "compound"] == scores.loc[1, "compound"]
    assert scores.loc[0, "masked"] != ""


# (text, sign of the masked compound): ordinary sentiment words still count.
ORDINARY = [
    ("Great news for the workers.", 1),
    ("It was GREAT.", 1),
    ("I love this plan.", 1),
    ("“Great job,” the mayor said.", 1),
    ("The mayor said it was a great day for Hope, Arkansas.", 1),
    ("Sadly, the plan failed.", -1),
    ("The war killed thousands in Syria.", -1),
    ("Thousands were killed when Army War College staff fled.", -1),
    ("Happy Thanksgiving to all.", 1),
    ("The plan isn’t good.", -1),  # a curly apostrophe still negates
    ("The party met on Tuesday.", 0),  # a political party is not fun
    ("National security adviser John Bolton spoke.", 0),
    ("It looks like rain.", 0),  # `like` as a preposition
    ("I like it.", 1),
    ("Interest rates rose as well.", 0),
    ("Crude oil prices rose 5% and 7%, respectively.", 0),
    ("Well, we will see, he said.", 0),  # a discourse marker
    ("The team played well.", 1),
    ("Certain embassy employees left.", 0),
    ("I am certain that it will work.", 1),
    ("This kind of attack is rare.", -1),
    ("It was a kind gesture.", 1),
    ("It did not seem to be a good idea.", -1),  # negation reaching to the end of the clause
    ("It did not rain, and the day was good.", 1),  # ...but not past a comma
    ("Although the staff were kind and helpful, the room was bad.", -1),  # a concession weighs half
    ("The staff were kind and helpful, though.", 1),
    ("Two deaths and several injuries were reported.", -1),  # inflected forms VADER lacks
    ("The justices raised their hands.", 0),  # ...but not forms that mean something else
]


def test_news_lexicon_extends_without_changing_vader():
    plain, news = S.vader_lexicon(), S.news_lexicon()
    assert "deaths" not in plain and news["deaths"] == plain["death"]
    assert news["bombing"] == plain["bomb"] and news["injuries"] == plain["injury"]
    assert "hands" not in news and "odds" not in news
    assert all(news[word] == value for word, value in plain.items())


@pytest.mark.parametrize("text, sign", ORDINARY)
def test_ordinary_sentiment_words_still_count(text, sign):
    compound = S.score_texts([text])["compound"][0]
    assert np.sign(compound) == sign, (text, compound, S.prepare_news_text(text))


@pytest.mark.parametrize(
    "text, phrases",
    [
        ("The USNS Comfort sailed to Caracas.", ["USNS Comfort", "Caracas"]),  # one detector: `The` is left out
        ("It was GREAT.", []),
        ("Great news.", []),
        ("I think so.", []),
        ("Thank God it is over.", ["God"]),
        ("Most of Crush is clever.", ["Crush"]),
        ("Army Col. Amanda Azubuike said so.", ["Army Col. Amanda Azubuike"]),
        ("He met U.S. officials.", []),  # an acronym alone is not masked (no lexicon word in it)
    ],
)
def test_proper_noun_phrases(text, phrases):
    assert S.mask_proper_nouns(text)[1] == phrases


def test_masked_columns_and_unmasked_score_is_plain_vader(reference):
    texts = ["Shoppers at Best Buy were happy.", "", None, float("nan")]
    table = S.score_texts(texts)
    assert list(table.columns) == S.MASKED_COLUMNS
    assert table.loc[0, "compound_unmasked"] == reference.polarity_scores(texts[0])["compound"]
    assert table.loc[0, "masked"] == "Best Buy"
    assert table.loc[1:, S.SCORE_COLUMNS].to_numpy().tolist() == [[0.0] * 4] * 3


def test_empty_input_has_the_documented_columns():
    assert list(S.score_texts([]).columns) == S.MASKED_COLUMNS
    assert list(S.score_texts([], mask_names=False).columns) == S.SCORE_COLUMNS
    assert len(S.score_texts([])) == 0
    empty = pd.DataFrame(columns=["doc_id", "sentence", "paragraph", "start", "end", "text"])
    scored = S.sentence_sentiment(empty)
    assert len(scored) == 0 and "compound" in scored.columns
    assert list(S.article_sentiment(scored).columns) == ["doc_id", *S.AGGREGATE_COLUMNS]
    assert list(S.score_passages([]).columns) == S.AGGREGATE_COLUMNS


@pytest.mark.parametrize(
    "text",
    [
        '"' * 100_000,
        "“" * 100_000,
        "😁" * 20_000,
        "." * 100_000,
        "A" * 1_000_000,
        ("Hope, Arkansas. “Great” — ’ but " * 20_000),
        ("the good war was not so bad but kind of great! " * 20_000),
    ],
)
def test_pathological_inputs_return_a_valid_row(text):
    table = S.score_texts([text])
    assert len(table) == 1
    assert -1.0 <= table.loc[0, "compound"] <= 1.0


# --- sentences, paragraphs, articles, quotes ------------------------------------------------------

def _sentences() -> pd.DataFrame:
    rows = [
        ("a", 0, 0, 0, 20, "This is a great day."),
        ("a", 1, 0, 21, 60, "The storm killed three people in the town."),
        ("a", 2, 1, 62, 80, "Officials met."),
        ("b", 0, 0, 0, 15, "We love it."),
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sentence", "paragraph", "start", "end", "text"])


def test_article_tone_is_the_length_weighted_mean_of_sentences():
    scored = S.sentence_sentiment(_sentences())
    assert list(scored.columns[:6]) == ["doc_id", "sentence", "paragraph", "start", "end", "n_words"]
    articles = S.article_sentiment(scored)
    a = scored[scored.doc_id == "a"]
    expected = (a.compound * a.n_words).sum() / a.n_words.sum()
    row = articles.set_index("doc_id").loc["a"]
    assert math.isclose(row["tone"], expected)
    assert row["n_sentences"] == 3 and row["n_words"] == a.n_words.sum()
    assert math.isclose(row["share_negative"], 1 / 3) and math.isclose(row["share_positive"], 1 / 3)
    paragraphs = S.paragraph_sentiment(
        pd.DataFrame({"doc_id": ["a", "a", "b"], "paragraph": [0, 1, 0], "text": ["x", "y", "z"]}), scored)
    assert paragraphs["n_sentences"].tolist() == [2, 1, 1]


def test_articles_table_adds_dates_and_keeps_every_article():
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": pd.to_datetime(["2020-01-01", "2020-01-08", None]),
                             "title": ["A", "B", "C"]})
    table = S.article_sentiment(_sentences(), articles)
    assert table["doc_id"].tolist() == ["a", "b", "c"]
    assert pd.isna(table.loc[2, "tone"])
    timeline = S.tone_timeline(table, freq="W")
    assert timeline["n_articles"].sum() == 2
    assert list(timeline.columns) == ["period", "n_articles", "tone", "share_negative"]
    assert len(S.tone_timeline(table.iloc[2:])) == 0


def test_score_passages_splits_sentences():
    table = S.score_passages(["It was great. It was awful.", "", "Fine."])
    assert table["n_sentences"].tolist() == [2, 0, 1]
    assert table.loc[1, "tone"] == 0.0


def test_quotes_speakers_and_voice():
    quotes = pd.DataFrame({
        "doc_id": ["a", "a", "b"],
        "quote": ["This is a great day.", "We are sad and angry.", "We love it."],
        "quote_start": [0, 21, 0], "quote_end": [20, 60, 15],
        "kind": ["direct", "indirect", "direct"],
        "speaker": ["Ann Lee", "Ann Lee", None], "speaker_kind": ["named", "named", None],
    })
    scored = S.quote_sentiment(quotes)
    assert {"n_words", "compound", "compound_unmasked"} <= set(scored.columns)
    speakers = S.tone_by_speaker(scored)
    assert speakers["speaker"].tolist() == ["Ann Lee"]
    assert speakers.loc[0, "n_quotes"] == 2 and speakers.loc[0, "n_articles"] == 1
    voice = S.label_voice(_sentences(), quotes)
    assert voice.tolist() == ["direct quote", "reported speech", "narration", "direct quote"]
    by_voice = S.tone_by_voice(S.sentence_sentiment(_sentences()), voice)
    assert by_voice["voice"].tolist() == list(S.VOICES)
    assert by_voice["n_sentences"].tolist() == [2, 1, 1]


def test_arc_and_distribution():
    scored = S.sentence_sentiment(_sentences())
    arc = S.tone_arc(scored, window=3)
    assert arc[arc.doc_id == "a"]["position"].tolist() == [0.0, 0.5, 1.0]
    assert math.isclose(arc.loc[0, "smoothed"], scored.loc[0:1, "compound"].mean())
    mean = S.mean_arc(arc, bins=2)
    assert mean["n_sentences"].sum() == 4
    distribution = S.tone_distribution(scored)
    assert distribution["n_sentences"].sum() == 4 and len(distribution) == 21
    middle = distribution.iloc[10]
    assert math.isclose(middle["bin_start"], -0.05) and math.isclose(middle["bin_end"], 0.05)
    assert middle["n_sentences"] == (scored["compound"].abs() < 0.05).sum()


@pytest.mark.parametrize("window", [1, 2, 3, 4, 5, 8])
def test_arc_smoothing_equals_pandas_rolling_within_each_article(window):
    rng = np.random.default_rng(window)
    sizes = rng.integers(1, 9, 40)
    scored = pd.DataFrame({
        "doc_id": np.repeat([f"d{i:02d}" for i in range(len(sizes))], sizes),
        "sentence": np.concatenate([np.arange(k) for k in sizes]),
        "compound": rng.uniform(-1, 1, sizes.sum()),
    })
    expected = scored.groupby("doc_id")["compound"].transform(
        lambda s: s.rolling(window, center=True, min_periods=1).mean())
    arc = S.tone_arc(scored, window=window)
    assert np.allclose(arc["smoothed"].to_numpy(), expected.to_numpy(), atol=1e-12)


def test_seed_masking_changes_are_explained():
    from analysis import load_corpus

    corpus = load_corpus(paths.PROJECT_ROOT / "seeds")
    scored = S.sentence_sentiment(corpus.sentences)
    changes = S.masking_changes(scored, corpus.sentences)
    assert len(changes) >= 1
    war_college = changes[changes["masked"].str.contains("Army War College")]
    assert len(war_college) == 1 and "War" in war_college["sentiment_words"].iloc[0]


# --- the corpus-level fast paths give what the straightforward computation gives ------------------

def test_cached_scores_join_in_any_row_order():
    sentences = _sentences()
    fresh = S.sentence_sentiment(sentences)
    cached = fresh.drop(columns="n_words").set_axis(range(10, 10 + len(fresh)))  # as read from a store
    aligned = S.sentence_sentiment(sentences, scores=cached)  # same rows: copied side by side
    shuffled = S.sentence_sentiment(sentences, scores=cached.sample(frac=1, random_state=0))  # merged
    pd.testing.assert_frame_equal(aligned, fresh)
    pd.testing.assert_frame_equal(shuffled, fresh)
    # A repeated key is a many-to-many join, as a merge makes it.
    repeated = pd.concat([sentences, sentences.iloc[[0]]], ignore_index=True)
    scores = S.sentence_sentiment(repeated).drop(columns="n_words")
    merged = S.sentence_sentiment(repeated, scores=scores)
    expected = S.sentence_sentiment(repeated).drop(columns=scores.columns[5:]).merge(
        scores.drop(columns=["paragraph", "start", "end"]), on=["doc_id", "sentence"], how="left")
    pd.testing.assert_frame_equal(merged, expected)
    assert len(merged) == len(repeated) + 2


@pytest.mark.parametrize("dtype", ["str", object])
def test_quote_sentiment_scores_each_quote_as_on_its_own(dtype):
    texts = ["This is a great day.", None, "We are sad and angry.", "This is a great day.", "",
             "Shoppers at Best Buy were furious.", None, "We are sad and angry."]
    quotes = pd.DataFrame({"doc_id": list("aabbbccd"), "quote": pd.Series(texts, dtype=dtype)})
    scored = S.quote_sentiment(quotes)
    expected = S.score_texts(texts)
    pd.testing.assert_frame_equal(scored[list(expected.columns)], expected)
    assert scored["n_words"].tolist() == [len((t or "").split()) for t in texts]
    assert scored["doc_id"].tolist() == list("aabbbccd")


MASKING_TEXTS = [
    "Shoppers at Best Buy were furious.",
    "The Army War College; the Best Buy store; Liberty University and Hope, Arkansas were praised.",
    "He didn’t like the plan.",
    "The party said Happy;Glad Ltd lost a Great Deal of money.",
    "Officials at the Department of Justice were happy and the Happy Valley team won.",
    "It was a good day.",
]


def test_masking_changes_lists_the_words_of_each_sentence():
    sentences = pd.DataFrame({"doc_id": "a", "sentence": range(len(MASKING_TEXTS)), "text": MASKING_TEXTS})
    scored = S.sentence_sentiment(sentences)
    changes = S.masking_changes(scored, sentences)
    assert len(changes) >= 4
    expected = ["; ".join(S.masked_sentiment_words(text)) for text in changes["text"]]
    assert changes["sentiment_words"].tolist() == expected
    assert any(words for words in expected) and any(not words for words in expected)


def _voice_one_by_one(sentences: pd.DataFrame, quotes: pd.DataFrame) -> list[str]:
    labels = []
    for s in sentences.itertuples():
        def overlap(q) -> int:
            return max(min(s.end, q.quote_end) - max(s.start, q.quote_start), 0)

        inside = [q for q in quotes.itertuples() if q.doc_id == s.doc_id]
        length = max(s.end - s.start, 1)
        direct = sum(overlap(q) for q in inside if q.kind in ("direct", "mixed")) / length
        any_kind = sum(overlap(q) for q in inside) / length
        labels.append("direct quote" if direct >= 0.5 else "reported speech" if any_kind >= 0.5 else "narration")
    return labels


@pytest.mark.parametrize("seed", range(6))
def test_label_voice_equals_the_overlaps_sentence_by_sentence(seed):
    rng = np.random.default_rng(seed)
    sentence_rows, quote_rows = [], []
    for d in range(12):
        doc = f"d{d}" if d < 11 else None  # and one sentence and quote without an article
        ends = np.cumsum(rng.integers(1, 40, rng.integers(1, 8)))
        sentence_rows += [(doc, int(a), int(b)) for a, b in zip(np.r_[0, ends[:-1]], ends)]
        if d % 4 == 0:
            continue  # an article without quotes
        cuts = np.sort(rng.choice(np.arange(ends[-1] + 20), 2 * rng.integers(1, 5), replace=False))
        quote_rows += [(doc, int(a), int(b), rng.choice(["direct", "mixed", "indirect"]))
                       for a, b in cuts.reshape(-1, 2)]
    quote_rows.append(("only-quotes", 0, 10, "direct"))
    sentences = pd.DataFrame(sentence_rows, columns=["doc_id", "start", "end"]).sample(frac=1, random_state=seed)
    quotes = pd.DataFrame(quote_rows, columns=["doc_id", "quote_start", "quote_end", "kind"]).sample(frac=1, random_state=seed)
    voice = S.label_voice(sentences, quotes)
    assert voice.index.equals(sentences.index)
    assert voice.tolist() == _voice_one_by_one(sentences, quotes)
    assert set(voice) > {"narration"}


@pytest.mark.parametrize("seed", range(4))
def test_label_voice_sums_overlapping_quotes_like_the_pairwise_overlaps(seed):
    rng = np.random.default_rng(100 + seed)
    sentence_rows, quote_rows = [], []
    for d in range(5):
        ends = np.cumsum(rng.integers(1, 30, 12))
        sentence_rows += [(f"d{d}", int(a), int(b)) for a, b in zip(np.r_[0, ends[:-1]], ends)]
        for _ in range(rng.integers(1, 9)):  # quotes that may overlap, nest or repeat
            a = int(rng.integers(0, ends[-1]))
            quote_rows.append((f"d{d}", a, a + int(rng.integers(0, 60)), rng.choice(["direct", "indirect"])))
    quote_rows.append(("d0", 30, 10, "direct"))  # ends before it starts: covers nothing
    sentences = pd.DataFrame(sentence_rows, columns=["doc_id", "start", "end"])
    quotes = pd.DataFrame(quote_rows, columns=["doc_id", "quote_start", "quote_end", "kind"])
    assert S.label_voice(sentences, quotes).tolist() == _voice_one_by_one(sentences, quotes)


_VOICE_MEMORY_SCRIPT = """
import resource, sys
import numpy as np, pandas as pd
from analysis.summarise.sentiment import label_voice
n_chars = 1_000_000  # a 1 MB article: 10,000 sentences of 100 characters, 5,000 quotes of 80
starts = np.arange(0, n_chars, 100)
sentences = pd.DataFrame({"doc_id": "big", "start": starts, "end": starts + 100})
q_starts = np.arange(0, n_chars, 200) + 10
quotes = pd.DataFrame({"doc_id": "big", "quote_start": q_starts, "quote_end": q_starts + 80,
                       "kind": np.where(np.arange(len(q_starts)) % 2, "direct", "indirect")})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
voice = label_voice(sentences, quotes)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert voice.value_counts().to_dict() == {"narration": 5000, "direct quote": 2500, "reported speech": 2500}
print((after - before) // 1024)  # ru_maxrss is in KiB on Linux: MiB of peak growth
"""

#: Peak memory label_voice may add for a 1 MB article (pairing every sentence with every quote
#: needed several GB; sorted offsets need a few arrays of 10,000 numbers).
VOICE_MEMORY_BOUND_MB = 64


def test_label_voice_memory_is_linear_in_the_article_length():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _VOICE_MEMORY_SCRIPT], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) < VOICE_MEMORY_BOUND_MB


def test_speaker_kind_is_the_most_frequent_one_first_in_order_on_a_tie():
    speakers = ["A", "A", "A", "B", "B", "C", "C", "D", "D", None]
    kinds = ["named", "organization", "organization", "organization", "named", None, None, None, "anonymous", "named"]
    quotes = pd.DataFrame({"doc_id": list("abcdefghij"), "quote": "We are glad.", "speaker": speakers,
                           "speaker_kind": kinds})
    table = S.tone_by_speaker(S.quote_sentiment(quotes)).set_index("speaker")["speaker_kind"]
    expected = quotes.dropna(subset=["speaker"]).groupby("speaker")["speaker_kind"].agg(
        lambda s: s.mode().iloc[0] if s.notna().any() else None)
    pd.testing.assert_series_equal(table.sort_index(), expected, check_names=False)
    assert table.to_dict() == {"A": "organization", "B": "named", "C": table["C"], "D": "anonymous"}
    assert pd.isna(table["C"])


# --- the evaluator ---------------------------------------------------------------------------------

def test_pearson_and_weighted_f1():
    assert math.isclose(E.pearson_r([1, 2, 3], [2, 4, 6]), 1.0)
    assert math.isclose(E.pearson_r([1, 2, 3], [3, 2, 1]), -1.0)
    assert math.isnan(E.pearson_r([1, 1, 1], [1, 2, 3]))
    assert E.three_class([-0.3, -0.05, 0.0, 0.049, 0.05, 0.9]).tolist() == [-1, -1, 0, 0, 1, 1]
    assert E.weighted_f1([1, 1, 0, -1], [1, 1, 0, -1]) == 1.0
    # gold: 2 positive, 1 neutral, 1 negative; predicted all positive:
    # F1(pos) = 2*(0.5*1)/(1.5) = 2/3, weighted by 2/4 -> 1/3
    assert math.isclose(E.weighted_f1([1, 1, 0, -1], [1, 1, 1, 1]), 1 / 3)


def test_read_ratings_and_run(tmp_path, capsys):
    tsv = tmp_path / "ratings.tsv"
    tsv.write_text(
        "1\t2.5\tWhat a wonderful, happy day!\n"
        "2\t-3.1\tThe service was terrible and the food was awful.\n"
        "\n"
        "bad line without fields\n"
        "3\tnot-a-number\tskipped\n"
        "4\t0.1\tThe meeting is on Tuesday.\twith a tab\n"
        "5\t-1.0\tI do not like it.\n",
        encoding="utf-8",
    )
    table = E.read_ratings(tsv)
    assert table["id"].tolist() == ["1", "2", "4", "5"]
    assert table.loc[2, "text"] == "The meeting is on Tuesday.\twith a tab"
    scores = E.score_predictions(table["rating"], E.predict(table["text"], "news"))
    assert scores["n"] == 4 and scores["pearson_r"] > 0.9 and scores["weighted_f1"] == 1.0

    from analysis.cli import main

    assert main(["evaluate", "sentiment", str(tsv), "--errors", "2"]) == 0
    out = capsys.readouterr().out
    assert "news" in out and "vader" in out and "pearson r" in out
    assert main(["evaluate", "sentiment", str(tmp_path / "missing.tsv")]) == 2


# --- the tone lexicon: VADER's news lexicon averaged with AFINN's --------------------------------

def test_afinn_lexicon_is_on_vaders_scale_and_single_words():
    afinn = S.afinn_lexicon()
    assert len(afinn) > 3000
    assert max(afinn.values()) == 4.0 and min(afinn.values()) == -4.0  # AFINN's ±5 onto VADER's ±4
    assert all(" " not in word and word == word.lower() for word in afinn)


def test_tone_lexicon_averages_the_two_lexicons():
    from analysis.lexicons import table, words

    news, afinn, tone = S.news_lexicon(), S.afinn_lexicon(), S.tone_lexicon()
    own = set(table("sentiment_news_tone"))
    both = [w for w in afinn if w in news and w not in own]
    assert len(both) > 1000
    for word in both:
        assert math.isclose(tone[word], S.VADER_SHARE * news[word] + (1 - S.VADER_SHARE) * afinn[word])
    assert all(tone[word] == news[word] for word in own if word in news)  # hand-rated words keep theirs
    assert all(tone[word] == news[word] for word in news if word not in afinn)
    only_afinn = [w for w in afinn if w not in news and w in tone]
    assert len(only_afinn) > 300 and all(tone[w] == afinn[w] for w in only_afinn)
    # kept out: topics of news, boosters (which must stay boosters), words with a news sense
    kept_out = words("sentiment_afinn_topics") | set(S.BOOSTERS) | set(S.SENSE_RULES)
    assert kept_out & set(afinn) and not any(w in tone for w in kept_out if w not in news)
    assert all(S.vader_lexicon()[w] == news[w] for w in S.vader_lexicon())  # VADER's own stays as is


@pytest.mark.parametrize(
    "text, sign",
    [
        ("It was an atrocity.", -1),  # AFINN only
        ("The deadly storm hit the coast.", -1),
        ("The senator lambasted the plan.", -1),  # headline verbs
        ("Critics lauded the reform.", 1),
        ("Prices rose 5% and the settlement was signed.", 0),  # AFINN's topic words kept out
        ("The council passed a resolution on Tuesday.", 0),
        ("The plan was substantially better.", 1),  # a booster still boosts
    ],
)
def test_tone_lexicon_in_sentences(text, sign):
    compound = S.score_texts([text])["compound"][0]
    assert np.sign(compound) == sign, (text, compound)


def test_boosters_in_afinn_still_boost():
    better, boosted = S.score_texts(["The plan was better.", "The plan was substantially better."])["compound"]
    assert boosted > better > 0


def test_sentences_option_of_evaluate_targets(tmp_path, capsys):
    import json

    from analysis.cli import main

    lines = [
        {"sentence_normalized": "Critics lauded the wonderful reform by Smith.", "targets": [{"from": 38, "to": 43, "polarity": 6.0}]},
        {"sentence_normalized": "The senator lambasted the awful plan of Jones.", "targets": [{"from": 40, "to": 45, "polarity": 2.0}]},
        {"sentence_normalized": "Brown met Green on Tuesday.", "targets": [{"from": 0, "to": 5, "polarity": 4.0}, {"from": 10, "to": 15, "polarity": 4.0}]},
        {"sentence_normalized": "Lee beat Kim.", "targets": [{"from": 0, "to": 3, "polarity": 6.0}, {"from": 9, "to": 12, "polarity": 2.0}]},
    ]
    path = tmp_path / "mtsc.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert main(["evaluate", "targets", str(path), "--sentences"]) == 0
    out = capsys.readouterr().out
    assert "3 distinct sentences whose targets agree" in out  # `Lee beat Kim.` disagrees
    news = next(line for line in out.splitlines() if line.startswith("news"))
    assert float(news.split()[1]) > 0.9 and float(news.split()[2]) == 1.0
