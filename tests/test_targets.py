"""Tests for tone toward a person: `analysis.extract.sentiment.targets` (`score_targets`) and its
scorer `analysis.evaluate.targets` (`python -m analysis evaluate targets`)."""

from __future__ import annotations

import argparse
import json
import re

import numpy as np
import pytest

from analysis import score_targets
from analysis.evaluate import targets as E
from analysis.extract.sentiment import targets as T
from analysis.extract.sentiment.vader import _emoji_table, polarity, prepare_for_vader, vader_lexicon, word_valences

from conftest import shared_path


def _score(pairs: list[tuple[str, str]]):
    """score_targets over (sentence, mention) pairs, the span being the mention's first match."""
    spans = [re.search(re.escape(mention), sentence).span() for sentence, mention in pairs]
    return score_targets([s for s, _ in pairs], spans)


def test_table_shape_labels_and_order():
    table = _score([("Critics blasted Clinton's record.", "Clinton"), ("Clinton met the mayor on Tuesday.", "Clinton"),
                    ("Voters praised Clinton for her courage.", "Clinton")])
    assert list(table.columns) == ["compound", "label"]
    assert list(table.index) == [0, 1, 2]
    assert table["label"].tolist() == ["negative", "neutral", "positive"]
    assert table["compound"].between(-1, 1).all()


@pytest.mark.parametrize(("sentence", "mention", "label"), [
    ("Clinton was indicted on corruption charges.", "Clinton", "negative"),
    ("Prosecutors say Smith lied to investigators about the payments.", "Smith", "negative"),
    ("Clinton won a landslide victory in Ohio.", "Clinton", "positive"),
    ("Supporters hailed Maria Lopez as a hero after the rescue.", "Maria Lopez", "positive"),
    ("Clinton met the mayor of Springfield on Tuesday.", "Clinton", "neutral"),
    ("John Kerry will travel to Paris next week.", "John Kerry", "neutral"),
])
def test_clear_cases(sentence, mention, label):
    assert _score([(sentence, mention)])["label"].iloc[0] == label


def test_tone_is_toward_the_mention_not_the_whole_sentence():
    # One sentence, two people: the criticism is aimed at the one next to it.
    sentence = "Senator Brown praised the plan, while critics blasted Governor Smith's disastrous record."
    brown, smith = _score([(sentence, "Brown"), (sentence, "Smith")])["compound"]
    assert brown > smith
    assert smith < 0


@pytest.mark.parametrize(("done_to", "done_by", "name"), [
    ("Critics blasted Clinton.", "Clinton blasted the plan.", "Clinton"),
    ("The senator condemned Jones for the remarks.", "Jones condemned the senator for the remarks.", "Jones"),
    ("Republicans mocked Obama over the deal.", "Obama mocked Republicans over the deal.", "Obama"),
    ("The committee accused Brown of lying.", "Brown accused the committee of lying.", "Brown"),
])
def test_the_object_of_an_attack_fares_worse_than_its_author(done_to, done_by, name):
    # When the other party is itself neutral: in `Clinton blasted critics`, `critics` is a VADER word.
    victim, author = _score([(done_to, name), (done_by, name)])["compound"]
    assert victim < author


def test_a_speakers_words_count_less_than_words_about_them():
    said, about = _score([('"The plan is a disaster," Smith said.', "Smith"),
                          ("Smith is a disaster, the report said.", "Smith")])["compound"]
    assert about < said


def test_the_name_itself_carries_no_tone():
    # `Hope` and `Joy` are VADER words; as the person they are the target, not sentiment.
    table = _score([("Hope Hicks met the mayor on Tuesday.", "Hope Hicks"), ("Joy Reid met the mayor on Tuesday.", "Joy Reid")])
    assert table["label"].tolist() == ["neutral", "neutral"]


def test_empty_missing_and_mismatched_input():
    empty = score_targets([], [])
    assert list(empty.columns) == ["compound", "label"] and len(empty) == 0
    odd = score_targets([None, "", "Smith"], [(0, 0), (0, 0), (0, 5)])
    assert odd["label"].tolist() == ["neutral", "neutral", "neutral"]
    with pytest.raises(ValueError):
        score_targets(["Smith won."], [])


def test_committed_weights_cover_every_feature():
    names, weights = T._weights()
    inputs, design = T.model_inputs(np.zeros((2, len(T.FEATURES))))
    assert list(names) == list(inputs) and design.shape == (2, len(inputs))
    assert weights.shape == (len(names), 3)
    with pytest.raises(ValueError):
        T.probabilities(np.zeros((1, len(T.FEATURES))), ["bias", "no such input"], np.zeros((2, 3)))


def test_features_have_the_declared_length_and_respond_to_distance():
    near = T.target_features("Critics blasted Smith badly.", 16, 21)
    far = T.target_features("Critics blasted the plan badly, and on Monday in the capital Smith spoke.", 61, 66)
    assert len(near) == len(far) == len(T.FEATURES)
    k = T.FEATURES.index("near_negative")
    assert near[k] < far[k] <= 0


def test_critics_blasted_clintons_record_is_negative_toward_clinton_and_worse_than_his_own_attack():
    pairs = [("Critics blasted Clinton's record.", "Clinton"), ("Clinton blasted critics.", "Clinton")]
    victim, author = _score(pairs).itertuples(index=False)
    assert victim.label == "negative"
    assert author.compound > victim.compound + 0.15


@pytest.mark.xfail(strict=True, reason="NewsMTSC's coders rate a person's own attack as negative toward them "
                   "(160 of 262 targets whose own predicate is negative and the rest of the sentence neutral), "
                   "and the learned weights follow")
def test_clinton_blasted_critics_is_not_negative_toward_clinton():
    assert _score([("Clinton blasted critics.", "Clinton")])["label"].iloc[0] != "negative"


def test_what_the_person_does_is_only_the_acting_feature():
    raw, _, positions, values, t = T._locate("Clinton blasted critics of the plan, but voters cheered.", 0, 7)
    own = T._own_predicate(raw, t)
    assert [raw[i] for i in own] == ["blasted", "critics", "of", "the", "plan,"]
    features = dict(zip(T.FEATURES, T._hand_features(raw, positions, values, t, own)))
    assert features["acting"] < 0 < features["sentence"]  # the cheering is about the sentence, the attack is Clinton's
    raw, _, _, _, t = T._locate("Critics blasted Clinton's record.", 16, 23)
    assert not T._own_predicate(raw, t)  # a possessive mention does nothing
    raw, _, _, _, t = T._locate("The plan was criticized by Smith.", 27, 32)
    assert [raw[i] for i in T._own_predicate(raw, t)] == ["criticized"]  # the agent of a passive


def test_lexical_features_mask_the_names_and_bucket_by_side_and_distance():
    text = "Critics blasted Clinton's record on trade, said Senator John Smith in a long speech on Tuesday night."
    raw, _, _, _, t = T._locate(text, 16, 23)
    names = T.lexical_features(raw, t)
    assert len(names) == len(set(names))
    assert {"L1:critics", "L1:blasted", "R1:record", "R2:said", "R2:@name", "S:critics", "S:@name"} <= set(names)
    assert any(name.startswith("R3:") for name in names)  # beyond LEXICAL_MID tokens
    assert not any("clinton" in name or "smith" in name or "john" in name for name in names)
    assert all(re.fullmatch(r"[LR][123]:\S+|S:\S+", name) for name in names)


def test_committed_word_weights_move_the_probabilities_and_unknown_words_do_not():
    index, matrix = T._lexical_weights()
    assert len(index) > 1000 and matrix.shape == (len(index), 3)
    assert all(":" in name for name in index) and not any(":" in name for name in T._weights()[0])
    features, lexical = T.target_inputs(["Prosecutors say Smith lied to investigators."], [(16, 21)])
    with_words = T.probabilities(features, lexical=lexical)
    without = T.probabilities(features, lexical=[[]])
    unknown = T.probabilities(features, lexical=[["S:no-such-word-anywhere"]])
    assert np.allclose(without, unknown) and not np.allclose(with_words, without)
    assert np.allclose(with_words.sum(axis=1), 1.0)


def test_training_fits_separable_data_and_picks_offsets_that_help_macro_f1():
    import importlib.util

    path = T.__file__.rsplit("analysis", 1)[0] + "tools/train_targets.py"
    spec = importlib.util.spec_from_file_location("train_targets", path)
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    rng = np.random.default_rng(0)
    gold = rng.integers(-1, 2, 300)
    features = np.zeros((300, len(T.FEATURES)))
    features[:, T.FEATURES.index("sentence")] = gold * 0.8 + rng.normal(0, 0.1, 300)
    lexical = [["S:good"] if g > 0 else ["S:bad"] if g < 0 else [] for g in gold]
    vocab = train.vocabulary(lexical, np.arange(300))
    assert vocab == ["S:bad", "S:good"]
    names, design, n_hand = train.design_matrix(features, lexical, vocab)
    weights = train.fit(design, gold, n_hand)
    assert names[-2:] == vocab and weights.shape == (len(names), 3)
    assert np.array_equal(np.asarray(design @ weights).argmax(axis=1) - 1, gold)
    assert np.array_equal(weights, train.fit(design, gold, n_hand))  # deterministic
    # Logits that favour neutral too much: the chosen offsets restore the other classes.
    logits = np.eye(3)[gold + 1] * 0.2 + np.array([0.0, 0.3, 0.0])
    offsets = train.best_offsets(logits, gold)
    assert E.macro_f1(gold, (logits + offsets).argmax(axis=1) - 1) > E.macro_f1(gold, logits.argmax(axis=1) - 1)


@pytest.mark.parametrize("text", [
    "The staff were kind but the room was not good at all!", "No, I do not hate it.",
    "Although the staff were kind, the food was awful.", "It was kind of bad, yeah right.",
])
def test_word_valences_add_up_to_polarity(text):
    lexicon = vader_lexicon()
    prepared = prepare_for_vader(text, _emoji_table())
    _, positions, values = word_valences(prepared, lexicon, 6)
    total = sum(values)
    compound = total / np.sqrt(total * total + 15) if "!" not in text else None
    neg, neu, pos, reference = polarity(text, lexicon, _emoji_table(), 6)
    assert len(positions) == len(values)
    if compound is not None:
        assert round(compound, 4) == reference


# --- the scorer -----------------------------------------------------------------------------------


def _write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    return path


RECORDS = [
    {"sentence_normalized": "Critics blasted Clinton's record.",
     "targets": [{"from": 16, "to": 23, "mention": "Clinton", "polarity": 2.0}]},
    {"sentence_normalized": "Voters praised Clinton for her courage, and Smith agreed.",
     "targets": [{"from": 15, "to": 22, "mention": "Clinton", "polarity": 6.0},
                 {"from": 44, "to": 49, "mention": "Smith", "polarity": 4.0}]},
    {"sentence_normalized": "Smith met the mayor on Tuesday.",
     "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 4.0},
                 {"from": 0, "to": 5, "mention": "Smith", "polarity": 5.0}]},  # not a NewsMTSC class
]


def test_read_targets_and_the_agreed_sentences(tmp_path):
    table = E.read_targets(_write_jsonl(tmp_path / "t.jsonl", RECORDS))
    assert table["gold"].tolist() == [-1, 1, 0, 0]
    assert set(table["part"]) <= {"dev", "check"}
    agreed = E.agreed_sentences(table)
    assert agreed["rating"].tolist() == [-1.0, 0.0]  # the second sentence's targets disagree


def test_the_split_is_deterministic_and_about_one_in_five():
    sentences = [f"Sentence number {i} about the budget." for i in range(2000)]
    parts = [E.part_of(s) for s in sentences]
    assert parts == [E.part_of(s) for s in sentences]
    assert 0.16 < parts.count("check") / len(parts) < 0.24


def test_macro_f1():
    assert E.macro_f1([-1, 0, 1], [-1, 0, 1]) == 1.0
    # negative F1 2/3, neutral 0, positive 1.
    assert E.macro_f1([-1, 0, 1], [-1, -1, 1]) == pytest.approx((2 / 3 + 0 + 1) / 3)


def test_cli_scores_a_file(tmp_path, capsys):
    path = _write_jsonl(tmp_path / "t.jsonl", RECORDS)
    assert E.run(argparse.Namespace(file=path, sample="all", method="all", sentences=False)) == 0
    out = capsys.readouterr().out
    assert "4 targets in 3 sentences" in out and "targets" in out and "vader" in out
    assert E.run(argparse.Namespace(file=path, sample="all", method="news", sentences=True)) == 0
    assert "2 distinct sentences" in capsys.readouterr().out
    assert E.run(argparse.Namespace(file=tmp_path / "missing.jsonl", sample="all", method="all", sentences=False)) == 2


def test_beats_sentence_tone_on_the_check_part_of_newsmtsc():
    path = shared_path("NEWS_NEWSMTSC", "eval/newsmtsc/train.jsonl")
    table = E.read_targets(path, "check")
    targets = E.macro_f1(table["gold"], E.predict(table, "targets"))
    vader = E.macro_f1(table["gold"], E.predict(table, "vader"))
    assert targets > vader + 0.08
    assert targets > 0.62



# --- the corpus view: tone toward the most mentioned people -----------------------------------------


def _people_tables():
    import pandas as pd

    sentences = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b", "b"],
        "sentence": [0, 1, 2, 0, 1],
        "text": ["Critics blasted Maria Lopez over the scandal.", "Lopez was later indicted on corruption charges.",
                 "The weather was mild.", "Voters praised Lopez for her courage.", "John Kerry met the mayor on Tuesday."],
    })
    terms = pd.DataFrame({
        "doc_id": ["a", "b", "b", "a"],
        "term": ["maria lopez", "maria lopez", "john kerry", "weather"],
        "form": ["Maria Lopez", "Lopez", "John Kerry", "weather"],
        "kind": ["name", "name", "name", "word"],
        "entity": ["person", "person", "person", None],
        "count": [2, 1, 1, 1],
    })
    return sentences, terms


def test_top_people_and_their_mentions():
    from analysis.summarise import sentiment as S

    sentences, terms = _people_tables()
    people = S.top_people(terms, 5)
    assert people["person"].tolist() == ["maria lopez", "john kerry"]  # two articles before one
    mentions = S.person_mentions(sentences, terms, people)
    assert list(zip(mentions["doc_id"], mentions["sentence"], mentions["person"])) == [
        ("a", 0, "maria lopez"), ("a", 1, "maria lopez"), ("b", 0, "maria lopez"), ("b", 1, "john kerry")]
    first = mentions.iloc[0]
    assert first["text"][first["start"]:first["end"]] == "Maria Lopez"
    assert mentions.iloc[1]["text"][mentions.iloc[1]["start"]:mentions.iloc[1]["end"]] == "Lopez"


def test_tone_toward_people_per_group():
    from analysis.summarise import sentiment as S

    sentences, terms = _people_tables()
    mentions = S.person_mentions(sentences, terms, S.top_people(terms))
    overall = S.tone_toward_people(mentions).set_index("person")
    assert overall.loc["maria lopez", "n_mentions"] == 3 and overall.loc["maria lopez", "n_articles"] == 2
    assert overall.loc["maria lopez", "share_negative"] == pytest.approx(2 / 3)
    by_outlet = S.tone_toward_people(mentions.assign(outlet=mentions["doc_id"].map({"a": "Daily", "b": "Herald"})), by="outlet")
    lopez = by_outlet[by_outlet["person"] == "maria lopez"].set_index("outlet")["tone"]
    assert lopez["Daily"] < 0 < lopez["Herald"]
    assert list(S.tone_toward_people(mentions.iloc[0:0]).columns) == S.PEOPLE_TONE_COLUMNS


def test_the_mention_takes_its_whole_name_phrase_and_other_names_are_masked():
    text = "President Donald Trump met Best Buy executives."
    start = text.index("Trump")
    marked = T._marked_news_text(text, start, start + len("Trump"))
    assert marked.split()[0] == T.MARKER and "Best" not in marked and "Buy" not in marked
    # Typography that moves the offsets (a spaced dash, an ellipsis) takes the slower path, same tone.
    dashed = "Critics blasted Smith \u2014 and his failed plan\u2026"
    plain = "Critics blasted Smith - and his failed plan..."
    both = score_targets([dashed, plain], [(16, 21), (16, 21)])
    assert both["label"].tolist() == ["negative", "negative"]
    assert abs(both["compound"].iloc[0] - both["compound"].iloc[1]) < 0.05
