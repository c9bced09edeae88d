"""Who gets quoted: the speaker gold file, its scorer (`analysis.evaluate.speakers`), the source
tables (`analysis.summarise.sources`) and their charts (`analysis.report.sources`).

The speaker columns (`speaker_gender`, `source_role`, `speaker_id`) come from another part of the
project; here they are added to synthetic tables, so these tests hold with or without them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.evaluate import speakers as se
from analysis.summarise import sources as src

GOLD = paths.PROJECT_ROOT / "tests" / "data" / "speaker-gold.csv"
POLNEAR = Path(os.environ.get("POLNEAR_DIR") or paths.PROJECT_ROOT / ".." / "shared" / "eval" / "polnear-train")


# --- the gold file ----------------------------------------------------------------------------


def test_gold_file_is_well_formed():
    gold = se.read_gold(GOLD)
    assert len(gold) >= 150
    assert not gold.duplicated(["article", "name"]).any()
    assert set(gold["gender"]) <= set(se.GENDERS)
    assert gold["role"].notna().all(), "every role label names one of the classes"
    assert (gold["evidence"].str.len() > 0).all()
    counts = gold["gender"].value_counts()
    assert counts["female"] >= 30 and counts["male"] >= 30


@pytest.mark.skipif(not (POLNEAR / "attributions").is_dir(), reason="PolNeAR not available (set POLNEAR_DIR)")
def test_gold_people_are_annotated_sources_of_the_sampled_articles():
    from analysis.evaluate.quotes import first_annotator_files, parse_ann

    gold = se.read_gold(GOLD)
    files = first_annotator_files(POLNEAR)
    names = sorted(p.stem for p in (POLNEAR / "text").glob("*.txt"))
    assert set(gold["article"]) <= set(names[::10]), "the sample is every 10th article, sorted"
    for article, rows in gold.groupby("article"):
        sources = " ".join(g.source_text for g in parse_ann(files[article].read_text(encoding="utf-8")))
        source_words = set(se.name_tokens(sources))
        for name in rows["name"]:
            assert se.name_tokens(name)[-1] in source_words, (article, name)


def test_read_gold_rejects_bad_labels(tmp_path):
    bad = tmp_path / "gold.csv"
    bad.write_text("# comment\narticle,name,gender,role\na,Ann Lee,woman,politician\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gender"):
        se.read_gold(bad)
    bad.write_text("article,name,role\na,Ann Lee,politician\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gender"):
        se.read_gold(bad)


# --- the scorer's pieces ----------------------------------------------------------------------


@pytest.mark.parametrize("name, tokens", [
    ("Sen. Bernie Sanders (I-Vt.)", ("bernie", "sanders")),
    ("Mr. Regalado", ("regalado",)),
    ("TomÁs Regalado", ("tomas", "regalado")),
    ("Mukasey's", ("mukasey",)),
    ("Zornick’s", ("zornick",)),
    ("Douglas Holtz-Eakin", ("douglas", "holtz-eakin")),
    ("Mayor Helen Okafor", ("helen", "okafor")),
    (None, ()),
])
def test_name_tokens(name, tokens):
    assert se.name_tokens(name) == tokens


@pytest.mark.parametrize("gold, predicted, strength", [
    ("Donald J. Trump", "Donald Trump", 2),
    ("Donald J. Trump", "Trump", 1),
    ("Tomás Regalado", "Regalado", 1),
    ("Bill Clinton", "Hillary Clinton", 0),
    ("Hillary Clinton", "Mrs. Clinton", 1),
    ("Jake Sullivan", "J. Sullivan", 1),
    ("Jake Sullivan", "Jake Tapper", 0),
    ("Donald J. Trump", "Neither Donald J. Trump", 1),
    ("Rachel Berg", "Milton Berg", 0),
    ("Rick Tyler", "officials", 0),
])
def test_name_match(gold, predicted, strength):
    assert se.name_match(gold, predicted) == strength


@pytest.mark.parametrize("label, role", [
    ("government/official", "government_official"),
    ("government", "government_official"),
    ("law enforcement/military", "law_enforcement_military"),
    ("expert/academic", "expert_academic"),
    ("advocacy/NGO", "advocacy_ngo"),
    ("Spokesperson", "spokesperson"),
    ("citizen", "citizen"),
    ("", None),
    (None, None),
    ("astronaut", None),
])
def test_normalise_role(label, role):
    assert se.normalise_role(label) == role


def _quotes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["speaker", "speaker_kind", "speaker_gender", "source_role"])


def test_predicted_people_skips_unnamed_sources_and_keeps_known_gender():
    quotes = _quotes([
        ("Ann Lee", "named", "unknown", "politician"),
        ("Ann Lee", "named", "female", "politician"),
        ("officials", "anonymous", "unknown", "government"),
        ("Critics", "group", "unknown", None),
        ("Bob Roe", "named", "male", None),
    ])
    people = se.predicted_people(quotes).set_index("speaker")
    assert list(people.index) == ["Ann Lee", "Bob Roe"]
    assert people.loc["Ann Lee", "quotes"] == 2 and people.loc["Ann Lee", "speaker_gender"] == "female"
    assert pd.isna(people.loc["Bob Roe", "source_role"])
    plain = se.predicted_people(quotes[["speaker", "speaker_kind"]])
    assert list(plain.columns) == ["speaker", "quotes"]


def test_match_people_picks_the_best_name_then_the_most_quoted():
    gold = pd.DataFrame({"article": "a", "name": ["Bill Clinton", "Hillary Clinton", "Jane Doe"],
                         "gender": ["male", "female", "female"], "role": ["politician"] * 3})
    people = se.predicted_people(_quotes([
        ("Clinton", "named", "male", "politician"), ("Clinton", "named", "male", "politician"),
        ("Hillary Clinton", "named", "female", "government/official"),
    ]))
    matched = match = se.match_people(gold, people)
    assert list(matched["found"]) == [True, True, False]
    assert list(match["speaker"][:2]) == ["Clinton", "Hillary Clinton"]
    assert list(match["predicted_role"][:2]) == ["politician", "government_official"]


def _matched(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article", "name", "gender", "role", "found", "predicted_gender", "predicted_role"])


def test_gender_scores_on_synthetic_predictions():
    matched = _matched([
        ("a", "A", "female", "politician", True, "female", "politician"),
        ("a", "B", "female", "politician", True, "unknown", "politician"),
        ("a", "C", "male", "citizen", True, "male", "politician"),
        ("a", "D", "male", "citizen", True, "female", "citizen"),
        ("a", "E", "male", "media", False, None, None),
        ("a", "F", "unknown", "media", True, "male", "media"),
    ])
    g = se.gender_scores(matched)
    assert g["people"] == 4
    assert g["accuracy"] == pytest.approx(2 / 4)
    assert g["coverage"] == pytest.approx(3 / 4)
    assert g["accuracy_labelled"] == pytest.approx(2 / 3)
    assert g["female"]["precision"] == pytest.approx(1 / 2) and g["female"]["recall"] == pytest.approx(1 / 2)
    assert g["male"]["precision"] == pytest.approx(1.0) and g["male"]["f1"] == pytest.approx(2 / 3)
    assert g["confusion"].loc["female", "unknown"] == 1 and g["confusion"].loc["male", "female"] == 1
    assert (g["gold_unknown_found"], g["guessed_for_unknown"]) == (1, 1)
    r = se.role_scores(matched)
    assert r["people"] == 5 and r["accuracy"] == pytest.approx(4 / 5)
    assert r["confusion"].loc["citizen", "politician"] == 1


def test_report_without_speaker_columns_says_what_it_cannot_score():
    matched = _matched([("a", "A", "female", "politician", True, None, None),
                        ("a", "B", "male", "citizen", False, None, None)])
    report = se.format_report(matched, {"speaker", "speaker_kind"})
    assert "Coverage (found as a speaker): 1/2 = 0.500" in report
    assert "Gender: not scored" in report and "Role: not scored" in report
    full = se.format_report(matched.assign(predicted_gender=["female", None], predicted_role=["politician", None]),
                            {"speaker", se.GENDER_COLUMN, se.ROLE_COLUMN})
    assert "not scored" not in full and "accuracy 1.000" in full


def test_evaluate_speakers_command_on_a_tiny_folder(tmp_path, capsys):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "doc.txt").write_text(
        "“We are ready,” Mayor Helen Okafor said on Monday.\n\nThe plan will work, said Tom Baker, a local builder.\n",
        encoding="utf-8")
    gold = tmp_path / "gold.csv"
    gold.write_text("# a comment line\narticle,name,gender,evidence,role\n"
                    "doc,Helen Okafor,female,x,politician\ndoc,Tom Baker,male,x,business\ndoc,Jo Bloggs,unknown,x,citizen\n",
                    encoding="utf-8")
    parser = argparse.ArgumentParser()
    se.add_arguments(parser)
    assert se.run(parser.parse_args([str(gold), "--dir", str(tmp_path), "--show-misses"])) == 0
    out = capsys.readouterr().out
    assert "Coverage (found as a speaker): 2/3" in out and "Jo Bloggs" in out
    assert se.run(parser.parse_args([str(gold), "--dir", str(tmp_path / "missing")])) == 2


def test_speakers_is_a_registered_scorer():
    from analysis.evaluate import SCORERS

    assert SCORERS["speakers"][0] == "analysis.evaluate.speakers"


# --- the source tables ------------------------------------------------------------------------


def _corpus_quotes() -> pd.DataFrame:
    rows = [  # doc_id, speaker, kind, gender, role, date
        ("a", "Ann Lee", "named", "female", "politician", "2020-01-05"),
        ("a", "Ann Lee", "named", "female", "politician", "2020-01-05"),
        ("a", "officials", "anonymous", "unknown", "government_official", "2020-01-05"),
        ("b", "Ann Lee", "named", "female", None, "2020-02-07"),
        ("b", "Bob Roe", "named", "male", "citizen", "2020-02-07"),
        ("b", "officials", "anonymous", "unknown", "government_official", "2020-02-07"),
        ("c", "Kim Park", "named", "unknown", "expert_academic", "2020-03-09"),
        ("c", "Critics", "group", "unknown", None, "2020-03-09"),
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "speaker", "speaker_kind", "speaker_gender", "source_role", "date"])
    return table.assign(date=pd.to_datetime(table["date"]), quote=[f"quote {i}" for i in range(len(rows))])


def test_gender_shares_count_named_people_and_keep_unknown():
    shares = src.gender_shares(_corpus_quotes()).set_index("speaker_gender")
    assert list(shares.index) == ["female", "male", "unknown"]
    assert list(shares["quotes"]) == [3, 1, 1] and list(shares["sources"]) == [1, 1, 1]
    assert shares.loc["female", "quote_share"] == pytest.approx(3 / 5)
    assert shares.loc["unknown", "source_share"] == pytest.approx(1 / 3)


def test_shares_per_group_add_up_to_one_within_each_group():
    quotes = _corpus_quotes().assign(outlet=["x", "x", "x", "y", "y", "y", "y", "y"])
    shares = src.kind_shares(quotes, by="outlet")
    assert shares.groupby("outlet")["quote_share"].sum().tolist() == pytest.approx([1.0, 1.0])
    y = shares[shares["outlet"] == "y"].set_index("speaker_kind")
    assert (y.loc["named", "quotes"], y.loc["group", "quotes"], y.loc["organization", "quotes"]) == (3, 1, 0)


def test_distinct_sources_use_speaker_id_and_keep_unnamed_sources_per_article():
    quotes = _corpus_quotes()
    kinds = src.kind_shares(quotes).set_index("speaker_kind")
    assert kinds.loc["anonymous", "sources"] == 2, "two articles' 'officials' are two sources"
    assert kinds.loc["named", "sources"] == 3
    same_person = quotes.assign(speaker_id=quotes["speaker"].replace({"Kim Park": "P1", "Bob Roe": "P1"}))
    assert src.kind_shares(same_person).set_index("speaker_kind").loc["named", "sources"] == 2


def test_role_shares_count_a_missing_role_as_none():
    roles = src.role_shares(_corpus_quotes()).set_index("source_role")
    assert roles.loc[src.NO_ROLE, "quotes"] == 2
    assert roles.loc["government_official", "sources"] == 2
    assert roles["quote_share"].sum() == pytest.approx(1.0)
    assert roles.index[-1] == src.NO_ROLE


def test_missing_columns_names_what_the_figures_need():
    quotes = _corpus_quotes().drop(columns=["speaker_gender"])
    assert src.missing_columns(quotes, "speaker_gender", "source_role") == ["speaker_gender"]


def test_attach_groups_and_periods():
    quotes = _corpus_quotes()
    articles = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["x", "y"]})
    grouped = src.attach_groups(quotes, articles, "outlet")
    assert grouped["group"].tolist() == ["x"] * 3 + ["y"] * 3 + ["(no group)"] * 2
    assert src.attach_groups(quotes, articles, None) is None
    assert src.attach_groups(quotes.assign(group="g"), articles, None)["group"].eq("g").all()
    with pytest.raises(KeyError):
        src.attach_groups(quotes, articles, "section")
    dated, period = src.attach_periods(quotes)
    assert period == "W" and dated["period"].nunique() == 3
    assert dated["period"].iloc[0] == pd.Timestamp("2019-12-30")  # the Monday of 5 January 2020's week
    monthly = src.gender_shares(src.attach_periods(quotes, "M")[0], by="period")
    assert len(monthly) == 3 * 3


def test_most_quoted_by_gender():
    women = src.most_quoted(_corpus_quotes(), "female")
    assert women.to_dict("records") == [{"speaker": "Ann Lee", "quotes": 3, "articles": 2, "source_role": "politician"}]
    assert src.most_quoted(_corpus_quotes(), "male")["speaker"].tolist() == ["Bob Roe"]
    assert src.most_quoted(_corpus_quotes().iloc[:0], "female").empty


def test_anonymous_review_gives_the_sentence_of_each_unnamed_source():
    from analysis.extract.quotes import extract_quotes

    text = ("The mayor opened the bridge on Monday. The repairs cost too much, officials said. "
            "Nobody was hurt.\n\n“It is <safe> now,” a council source said.")
    quotes = extract_quotes(text).assign(doc_id="a")
    review = src.anonymous_review(quotes, pd.Series({"a": text}))
    assert list(review.columns) == src.REVIEW_COLUMNS
    assert review["sentence"].tolist() == ["The repairs cost too much, officials said.",
                                           "“It is <safe> now,” a council source said."]
    assert src.anonymous_review(quotes, pd.Series({"b": text})).empty


# --- the charts -------------------------------------------------------------------------------


def test_share_charts_draw_every_value_with_quotes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report.sources import colours_for, plot_share_lines, plot_shares

    quotes = _corpus_quotes()
    fig, ax = plot_shares(src.gender_shares(quotes), "speaker_gender")
    assert len(ax.patches) == 2 * 3 and ax.get_xlabel().startswith("% of quotes")
    plt.close(fig)
    no_unknown = quotes[quotes["speaker_gender"] != "unknown"]
    fig, ax = plot_shares(src.gender_shares(no_unknown), "speaker_gender", always=("unknown",))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["unknown", "male", "female"], "unknown shown at 0%"
    plt.close(fig)
    per_group = src.kind_shares(quotes.assign(group=["x"] * 4 + ["y"] * 4), by="group")
    fig, ax = plot_shares(per_group, "speaker_kind", by="group", ylabel="outlet")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["named", "anonymous", "group"]
    assert ax.get_ylabel() == "outlet"
    plt.close(fig)
    fig, ax = plot_share_lines(src.kind_shares(src.attach_periods(quotes, "M")[0], by="period"), "speaker_kind",
                               unit="month")
    assert len(ax.get_lines()) == 3 and ax.get_ylabel() == "% of the month's quotes"
    plt.close(fig)
    assert colours_for(["unknown", "politician", "(none)"])["unknown"] == "#BBBBBB"


def test_evaluate_gold_scores_gender_and_role_when_the_extractor_has_them(tmp_path, monkeypatch):
    import analysis.extract.quotes as extractor

    real = extractor.extract_quotes

    def with_speaker_columns(text):  # what the speaker analysis will add: a synthetic stand-in
        table = real(text)
        female = table["speaker"].str.contains("Okafor", na=False)
        return table.assign(speaker_gender=female.map({True: "female", False: "unknown"}),
                            source_role=female.map({True: "politician", False: "business"}))

    monkeypatch.setattr(extractor, "extract_quotes", with_speaker_columns)
    (tmp_path / "doc.txt").write_text(
        "“We are ready,” Mayor Helen Okafor said on Monday.\n\nThe plan will work, said Tom Baker, a local builder.\n",
        encoding="utf-8")
    gold = pd.DataFrame({"article": "doc", "name": ["Helen Okafor", "Tom Baker"], "gender": ["female", "male"],
                         "role": ["politician", "business"]})
    matched, columns = se.evaluate_gold(gold, tmp_path)
    assert {se.GENDER_COLUMN, se.ROLE_COLUMN} <= columns
    g = se.gender_scores(matched)
    assert (g["accuracy"], g["coverage"], g["female"]["f1"], g["male"]["recall"]) == (0.5, 0.5, 1.0, 0.0)
    assert se.role_scores(matched)["accuracy"] == 1.0
    assert "Gender, over 2 found people" in se.format_report(matched, columns)


@pytest.mark.skipif(not (POLNEAR / "attributions").is_dir(), reason="PolNeAR not available (set POLNEAR_DIR)")
def test_speech_sources_flags_people_with_a_reporting_cue():
    gold = se.read_gold(GOLD)
    rows = gold[gold["article"] == "huff-post_2016-05-31_how-paul-ryan-thinks-about-donal"]
    assert se.speech_sources(rows, POLNEAR).tolist() == [False], "Paul Ryan only 'thinks' in that article"
    rows = gold[gold["article"] == "breitbart_2016-07-19_former-ag-mukasey-at-rnc-clinton"]
    assert se.speech_sources(rows, POLNEAR).tolist() == [True]
    assert se.speech_sources(rows, POLNEAR / "missing").isna().all()
