"""Temporal expressions: the seed's gold, a table of news phrasings, the scorer's conventions."""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import load_corpus, paths
from analysis.extract.timex import COLUMNS, RULE_ORDER, RULES, extract_timexes, extract_timexes_many, interval
from analysis.extract.timex.anchor import ANCHOR_WORDS, TOKEN_ANCHORS
from analysis.summarise.timeline import CORPUS_COLUMNS, corpus_timexes, coverage
from analysis.evaluate.timex import (
    Timex,
    add_arguments,
    match_timexes,
    mismatch_kinds,
    normalize_value,
    pattern_of,
    parse_timeml,
    run,
    select_sample,
)
from conftest import MINI_CORPUS, shared_path

DATA = Path(__file__).resolve().parent / "data"
SEED_GOLD = json.loads((DATA / "seed-timexes.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    corpus = load_corpus(paths.PROJECT_ROOT / "seeds")
    article = corpus.articles.iloc[0]
    return article.text, article.date


@pytest.fixture(scope="module")
def seed_timexes(seed):
    text, date = seed
    return extract_timexes(text, date)


@pytest.mark.parametrize("gold", SEED_GOLD["required"], ids=lambda g: g["text"])
def test_seed_required_expressions_are_found_with_an_accepted_value(seed, seed_timexes, gold):
    text, _ = seed
    context_at = text.find(gold["context"])
    assert context_at >= 0, "the gold context must be in the seed"
    start = context_at + gold["context"].find(gold["text"])
    end = start + len(gold["text"])
    overlapping = seed_timexes[(seed_timexes.start < end) & (seed_timexes.end > start)]
    assert len(overlapping) == 1, f"{gold['text']!r} not found once: {overlapping[['text', 'value']].values.tolist()}"
    row = overlapping.iloc[0]
    assert row.value in gold["accept"]
    assert row.type == gold["type"]


def test_seed_table_is_in_text_order_and_offsets_cut_out_the_text(seed, seed_timexes):
    text, _ = seed
    assert list(seed_timexes.columns) == COLUMNS
    assert seed_timexes.start.is_monotonic_increasing
    for row in seed_timexes.itertuples():
        assert text[row.start:row.end] == row.text
        assert row.event and len(row.event) <= 61
    # nothing in the seed is a time but what the gold lists (plus the optional "this time"s, "now")
    expected = {g["text"] for g in SEED_GOLD["required"] + SEED_GOLD["optional"]} | {"now"}
    assert set(seed_timexes.text) <= expected


def test_seed_references_run_from_the_1960s_to_the_day_after_publication(seed_timexes):
    assert seed_timexes.earliest.min() == pd.Timestamp("1960-01-01")
    assert seed_timexes.latest.max() == pd.Timestamp("2019-01-26")
    decades = seed_timexes[seed_timexes.text == "nearly two decades"].iloc[0]
    assert (decades.earliest, decades.latest) == (pd.Timestamp("1999-01-25"), pd.Timestamp("2019-01-25"))
    assert decades["mod"] == "LESS_THAN"  # TimeML's mod for "nearly"; the value stays P20Y
    assert set(seed_timexes["mod"]) <= {"", "START", "MID", "END", "APPROX", "LESS_THAN", "MORE_THAN",
                                        "EQUAL_OR_LESS", "EQUAL_OR_MORE"}


# (text, reference date, expression expected, TIMEX3 type, value)
FRIDAY = "2019-01-25"  # a Friday
CASES = [
    # weekdays take their clause's tense; the article's own weekday is its day
    ("Diplomats remained at the embassy on Friday.", FRIDAY, "Friday", "DATE", "2019-01-25"),
    ("The government set a Saturday deadline for them to leave.", FRIDAY, "Saturday", "DATE", "2019-01-26"),
    ("On Thursday, the State Department ordered staff out.", FRIDAY, "Thursday", "DATE", "2019-01-24"),
    ("The council will vote on Tuesday.", FRIDAY, "Tuesday", "DATE", "2019-01-29"),
    ("The council voted Tuesday to close the bridge.", FRIDAY, "Tuesday", "DATE", "2019-01-22"),
    ("Talks resume next Monday.", FRIDAY, "next Monday", "DATE", "2019-01-28"),
    ("He arrived last Wednesday.", FRIDAY, "last Wednesday", "DATE", "2019-01-23"),
    ("The ship was seen Thursday morning.", FRIDAY, "Thursday morning", "DATE", "2019-01-24"),
    # relative days
    ("Shares fell yesterday.", FRIDAY, "yesterday", "DATE", "2019-01-24"),
    ("The mayor speaks today.", FRIDAY, "today", "DATE", "2019-01-25"),
    ("The results come tomorrow.", FRIDAY, "tomorrow", "DATE", "2019-01-26"),
    ("A vote is expected tonight.", FRIDAY, "tonight", "DATE", "2019-01-25"),
    ("He said this morning that he would stay.", FRIDAY, "this morning", "TIME", "2019-01-25TMO"),
    # last / this / next units and seasons
    ("Prices rose last week.", FRIDAY, "last week", "DATE", "2019-W03"),
    ("Prices rose this week.", FRIDAY, "this week", "DATE", "2019-W04"),
    ("The plant closes next month.", FRIDAY, "next month", "DATE", "2019-02"),
    ("Sales were flat last year.", FRIDAY, "last year", "DATE", "2018"),
    ("Sales should grow this year.", FRIDAY, "this year", "DATE", "2019"),
    ("The ship sailed to Riohacha last fall.", FRIDAY, "last fall", "DATE", "2018-FA"),
    ("The dam opens next summer.", FRIDAY, "next summer", "DATE", "2019-SU"),
    ("Work begins next spring.", "2019-07-01", "next spring", "DATE", "2020-SP"),
    # decades and centuries
    ("Venezuela was a partner in the 1960s and ’70s.", FRIDAY, "the 1960s", "DATE", "196"),
    ("Venezuela was a partner in the 1960s and ’70s.", FRIDAY, "’70s", "DATE", "197"),
    ("A hit song from the sixties.", FRIDAY, "the sixties", "DATE", "196"),
    ("The mill dates from the 19th century.", FRIDAY, "the 19th century", "DATE", "18"),
    ("Growth slowed in the early 1990s.", FRIDAY, "the early 1990s", "DATE", "199"),
    # N units ago, earlier, later
    ("The ship returned several weeks ago.", FRIDAY, "several weeks ago", "DATE", "PAST_REF"),
    ("The law passed two years ago.", FRIDAY, "two years ago", "DATE", "2017"),
    ("The fire started three days ago.", FRIDAY, "three days ago", "DATE", "2019-01-22"),
    ("The shop opened six months ago.", FRIDAY, "six months ago", "DATE", "2018-07"),
    ("He was hired on Jan. 3 and fired two days later.", FRIDAY, "two days later", "DATE", "2019-01-05"),
    # ... unanchored by a date of its sentence, only the length of time is tagged (as in TimeBank)
    ("The gap closes slowly. Three days later, the index fell.", FRIDAY, "Three days", "DURATION", "P3D"),
    # explicit dates, months and years
    ("The protest on Jan. 25 drew thousands.", FRIDAY, "Jan. 25", "DATE", "2019-01-25"),
    ("The treaty was signed January 25, 2019.", FRIDAY, "January 25, 2019", "DATE", "2019-01-25"),
    ("The treaty was signed on 25 January 1998.", FRIDAY, "25 January 1998", "DATE", "1998-01-25"),
    ("Filed 2019-01-25 in Caracas.", FRIDAY, "2019-01-25", "DATE", "2019-01-25"),
    ("The memo dated 1/25/19 leaked.", FRIDAY, "1/25/19", "DATE", "2019-01-25"),
    ("Elections were held in December.", FRIDAY, "December", "DATE", "2018-12"),
    ("The plant will reopen in March.", FRIDAY, "March", "DATE", "2019-03"),
    # a participle after "be" is no past: the dividend is still to be paid
    ("The split would be paid on a date in January.", "1989-10-26", "January", "DATE", "1990-01"),
    ("The law took effect in March 1996.", FRIDAY, "March 1996", "DATE", "1996-03"),
    ("Chávez was elected in 1998.", FRIDAY, "1998", "DATE", "1998"),
    ("Profit in fiscal 1989 fell.", "1989-11-02", "fiscal 1989", "DATE", "1989"),
    ("Profit rose in the third quarter.", "1989-11-02", "the third quarter", "DATE", "1989-Q3"),
    ("Third-quarter profit rose 5%.", "1989-11-02", "Third-quarter", "DATE", "1989-Q3"),
    # times of day
    ("The vote closes at 3 p.m. today.", FRIDAY, "3 p.m. today", "TIME", "2019-01-25T15:00"),
    ("The rally began at noon.", FRIDAY, "noon", "TIME", "2019-01-25T12:00"),
    ("The offer expires at 5 p.m. EST Tuesday.", FRIDAY, "5 p.m. EST Tuesday", "TIME", "2019-01-29T17:00"),
    # durations
    ("The Pentagon has been consumed by wars for nearly two decades.", FRIDAY, "nearly two decades", "DURATION", "P20Y"),
    ("She served for three years.", FRIDAY, "three years", "DURATION", "P3Y"),
    ("Police held him for 48 hours.", FRIDAY, "48 hours", "DURATION", "PT48H"),
    ("Stocks hit a five-year low.", FRIDAY, "five-year", "DURATION", "P5Y"),
    ("Sales rose in the first nine months.", FRIDAY, "the first nine months", "DURATION", "P9M"),
    ("Prices doubled in the past three years.", FRIDAY, "the past three years", "DURATION", "P3Y"),
    ("The flight took 5 1/2 hours.", FRIDAY, "5 1/2 hours", "DURATION", "PT5H30M"),
    ("The dispute has gone on for years.", FRIDAY, "years", "DURATION", "PXY"),
    ("Shipments resume within two to three weeks.", FRIDAY, "two to three weeks", "DURATION", "PXW"),
    ("Shares may rise over the next two years or so.", FRIDAY, "the next two years or so", "DURATION", "P2Y"),
    ("The rule covers eight trading days.", FRIDAY, "eight trading days", "DURATION", "P8D"),
    # vague references
    ("The firm recently moved.", FRIDAY, "recently", "DATE", "PAST_REF"),
    ("Officials declined to comment in recent days.", FRIDAY, "recent days", "DATE", "PAST_REF"),
    ("He is now seeking to reorient toward China.", FRIDAY, "now", "DATE", "PRESENT_REF"),
    ("The company currently employs 40 people.", FRIDAY, "currently", "DATE", "PRESENT_REF"),
    ("Kellogg's current share is 37%.", FRIDAY, "current", "DATE", "PRESENT_REF"),
    ("Holders may buy at the then current market price.", FRIDAY, "then current", "DATE", "PAST_REF"),
    ("I’m not seeing any movement at this time.", FRIDAY, "this time", "DATE", "PRESENT_REF"),
    ("Troops could arrive in the coming weeks.", FRIDAY, "the coming weeks", "DATE", "FUTURE_REF"),
    ("Plans may change in the future.", FRIDAY, "the future", "DATE", "FUTURE_REF"),
    # sets
    ("The market is held every Monday.", FRIDAY, "every Monday", "SET", "XXXX-WXX-1"),
    ("The paper is published weekly.", FRIDAY, "weekly", "SET", "P1W"),
    ("Inspectors visit daily.", FRIDAY, "daily", "SET", "P1D"),
    ("The fee is $50,000 a year.", FRIDAY, "a year", "SET", "P1Y"),
    ("The board meets twice a month.", FRIDAY, "twice a month", "SET", "P1M"),
    ("Orangemen march each July to the church.", FRIDAY, "each July", "SET", "XXXX-07"),
    # holidays and anchors
    ("Shops closed on Christmas Day.", "2018-12-27", "Christmas Day", "DATE", "2018-12-25"),
    ("He visited on Thanksgiving Day.", "1998-11-30", "Thanksgiving Day", "DATE", "1998-11-26"),
    # Nov. 3 is itself the day before the warrant (wsj_0585 tags "the day" with the date named)
    ("Kopp was seen Nov. 3, the day before the warrant.", "1999-05-07", "the day", "DATE", "1998-11-03"),
    ("He moved in June 1998 and returned later that year.", FRIDAY, "later that year", "DATE", "1998"),
    ("Protesters prayed as Easter week began.", "2000-04-17", "Easter week", "DATE", "2000-W16"),
    ("Prices peaked in mid-1996.", FRIDAY, "mid-1996", "DATE", "1996"),
    # spoken years (broadcast transcripts)
    ("In nineteen ninety-one he was convicted.", FRIDAY, "nineteen ninety-one", "DATE", "1991"),
]


@pytest.mark.parametrize("text, reference, expression, kind, value", CASES, ids=[c[0][:40] for c in CASES])
def test_news_phrasings(text, reference, expression, kind, value):
    assert_one_timex(text, reference, expression, kind, value)


def assert_one_timex(text, reference, expression, kind, value):
    """`expression` is found once in `text` (written on `reference`), with this type and value."""
    table = extract_timexes(text, reference)
    found = table[table.text == expression]
    assert len(found) == 1, f"{expression!r} not found: {table[['text', 'type', 'value']].values.tolist()}"
    assert (found.iloc[0].type, found.iloc[0].value) == (kind, value)


NOT_TIMES = [
    "About 20 Marine guards protect the embassy.",
    "The air force flies F-16 fighter jets.",
    "Americans in Venezuela number almost 50,000.",
    "She paid $1,990 for the ticket.",
    "Some 2000 people marched.",
    "The score was 3-1 after 90 minutes of play." [:24],
    "They may leave, and march on the capitol.",
    "The 45-year-old driver was unhurt.",
    "He fired three shots.",
    "Route 66 reopened.",
    "Guards watch the clinic 24 hours a day.",
    "He told CBS's 60 Minutes he would stay.",
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_numbers_that_are_not_times_are_left_alone(text):
    assert extract_timexes(text, FRIDAY).empty


def test_a_year_ago_after_amounts_is_the_year_ago_quarter_of_a_report():
    filler = " The company makes tires, hoses and belts in plants across Ohio, Texas and Ontario." * 4
    report = "Third-quarter net rose 11%." + filler + " Net was $94 million, up from $85 million a year ago."
    values = dict(zip(*extract_timexes(report, "1989-11-02")[["text", "value"]].T.values))
    assert values["Third-quarter"] == "1989-Q3" and values["a year ago"] == "1988-Q3"
    # without amounts before it, far from the quarter, it is the year
    story = "Third-quarter net rose 11%." + filler + " A year ago, the founder retired."
    assert dict(zip(*extract_timexes(story, "1989-11-02")[["text", "value"]].T.values))["A year ago"] == "1988"


@pytest.mark.parametrize("text, expression, mod, earliest, latest", [
    ("Prices peaked in mid-2018.", "mid-2018", "MID", "2018-05-03", "2018-08-31"),
    ("Talks resume in early March.", "early March", "START", "2019-03-01", "2019-03-10"),
    ("The plant closes at the end of the year.", "the end of the year", "END", "2019-09-01", "2019-12-31"),
    ("Growth slowed in the late 1990s.", "the late 1990s", "END", "1996-09-01", "1999-12-31"),
    ("Sales rose earlier this month.", "earlier this month", "START", "2019-01-01", "2019-01-31"),
    ("The war lasted nearly two decades.", "nearly two decades", "LESS_THAN", None, None),
    ("They stayed at least two more weeks.", "at least two more weeks", "EQUAL_OR_MORE", None, None),
    ("It took about three years.", "three years", "APPROX", None, None),
    ("Shares may rise over the next year or so.", "next year or so", "APPROX", "2020-01-01", "2020-12-31"),
    ("The ship sailed on Thursday.", "Thursday", "", "2019-01-24", "2019-01-24"),
])
def test_mod_keeps_the_value_and_narrows_the_interval(text, expression, mod, earliest, latest):
    table = extract_timexes(text, FRIDAY)
    row = table[table.text == expression].iloc[0]
    assert row["mod"] == mod
    if earliest is None:
        assert row.type == "DURATION"
    else:
        assert (row.earliest, row.latest) == (pd.Timestamp(earliest), pd.Timestamp(latest))
    if expression == "mid-2018":
        assert row.value == "2018"  # TimeML: the value is the year, the mod says which part


def test_without_a_reference_date_only_absolute_expressions_get_calendar_values():
    table = extract_timexes("On Friday, a year after the 1998 vote, he resigned last month.", None)
    values = dict(zip(table.text, table.value))
    assert values["1998"] == "1998"
    assert values["Friday"] == "XXXX-WXX-5"
    assert values["last month"] == "XXXX-XX"
    assert table.loc[table.text == "Friday", "earliest"].isna().all()


@pytest.mark.parametrize("reference", [dt.date(2019, 1, 25), "2019-01-25", pd.Timestamp("2019-01-25"), "20190125",
                                       dt.datetime(2019, 1, 25, 13, 5), np.datetime64("2019-01-25")])
def test_reference_date_forms(reference):
    assert extract_timexes("It happened yesterday.", reference).value.tolist() == ["2019-01-24"]


@pytest.mark.parametrize("missing", [None, pd.NaT, np.datetime64("NaT"), float("nan"), "", "not a date"])
def test_a_missing_reference_date_leaves_relative_values_unknown(missing):
    assert extract_timexes("It happened yesterday, in 1990.", missing).value.tolist() == ["XXXX-XX-XX", "1990"]


@pytest.mark.parametrize("text", ["", "   \n\n", "no times here at all"])
def test_empty_results_keep_the_columns(text):
    table = extract_timexes(text, FRIDAY)
    assert table.empty and list(table.columns) == COLUMNS
    assert str(table.earliest.dtype) == "datetime64[ns]"


PATHOLOGICAL = {
    "quote marks": "“" * 100_000,
    "digits": "1" * 100_000,
    "slashes": "1/1/1/" * 10_000,
    "years words": "years " * 15_000,
    "May": "May " * 20_000,
    "mixed": "On Friday, two years ago, in the 1960s and last fall, at 3 p.m.; " * 1_500,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_inputs_return_a_valid_table(name):
    text = PATHOLOGICAL[name]
    table = extract_timexes(text, FRIDAY)
    assert list(table.columns) == COLUMNS
    assert ((table.start >= 0) & (table.end <= len(text)) & (table.start < table.end)).all()
    assert (table.start.diff().dropna() > 0).all()


@pytest.mark.parametrize("value, earliest, latest", [
    ("2019-01-25", "2019-01-25", "2019-01-25"),
    ("2019-01", "2019-01-01", "2019-01-31"),
    ("2019-W04", "2019-01-21", "2019-01-27"),
    ("2019-W04-WE", "2019-01-26", "2019-01-27"),
    ("2018-FA", "2018-09-01", "2018-11-30"),
    ("2018-WI", "2018-12-01", "2019-02-28"),
    ("1989-Q3", "1989-07-01", "1989-09-30"),
    ("2019", "2019-01-01", "2019-12-31"),
    ("196", "1960-01-01", "1969-12-31"),
    ("18", "1800-01-01", "1899-12-31"),
    ("2019-01-25T15:00", "2019-01-25 15:00", "2019-01-25 15:00"),
])
def test_interval_of_values(value, earliest, latest):
    assert interval(value) == (pd.Timestamp(earliest), pd.Timestamp(latest))


@pytest.mark.parametrize("value", ["PAST_REF", "P3Y", "XXXX-WXX-1", "10", ""])
def test_values_off_the_calendar_have_no_interval(value):
    assert all(pd.isna(x) for x in interval(value))


def test_corpus_timexes_on_the_mini_corpus():
    corpus = load_corpus(MINI_CORPUS)
    table = corpus_timexes(corpus.articles)
    assert list(table.columns) == CORPUS_COLUMNS
    assert set(table.doc_id) <= set(corpus.articles.doc_id)
    texts = dict(zip(corpus.articles.doc_id, corpus.articles.text))
    for row in table.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text
    empty = corpus_timexes(corpus.articles.iloc[0:0])
    assert list(empty.columns) == CORPUS_COLUMNS and empty.empty


# --- the rule registry and the layers ------------------------------------------------------------


def test_the_registry_has_one_consistent_record_per_rule():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)) >= 25
    assert RULE_ORDER == {name: i for i, name in enumerate(names)}
    for rule in RULES:
        assert callable(rule.normalise) and inspect.getdoc(rule.normalise), f"{rule.name}: a documented normaliser"
        assert list(inspect.signature(rule.normalise).parameters) == ["m", "text", "state"], rule.name
        assert rule.pattern.pattern and rule.pattern.flags & re.IGNORECASE, f"{rule.name}: a case-insensitive pattern"
        back, forward = rule.reach
        assert back >= 0 and forward >= 0
        assert rule.anchors or rule.token_anchor, f"{rule.name} has no anchor: it would never run"
        assert all(word == word.lower() and word.isalpha() for word in rule.anchors), rule.name
    # each anchor word points at rules that list it, and only at those
    for word, rules in ANCHOR_WORDS.items():
        assert set(rules) == {rule.name for rule in RULES if word in rule.anchors}


@pytest.mark.parametrize("token", ["May", "said", "x", "Q", "the", "ab"])
def test_token_anchors_say_no_to_plain_words(token):
    text = f"on {token} here"
    start = text.index(token)
    assert not [name for name, test in TOKEN_ANCHORS if test(token, text, start, start + len(token))]


def test_token_anchors_find_digits_and_clock_marks():
    text = "In 1998, at 3 p.m., in the ’70s, on 1/25/19, and 2019-01-25."
    found = {}
    for token, at in (("1998", "1998"), ("3", "3 p"), ("p", "p.m"), ("s", "s,"), ("1", "1/25"), ("2019", "2019")):
        start = text.index(at)
        found[token] = {name for name, test in TOKEN_ANCHORS if test(token, text, start, start + len(token))}
    assert found["1998"] == {"year"}
    assert found["3"] == {"time"}
    assert found["p"] == {"time"}
    assert found["s"] == {"decade"}
    assert found["1"] == {"slash", "time"}
    assert found["2019"] == {"year", "iso"}


def test_a_rule_anchored_by_its_own_words_only_finds_what_it_should():
    # one normaliser per rule: the registry's normaliser of `weekday` is what reads "last Wednesday"
    weekday = next(rule for rule in RULES if rule.name == "weekday")
    assert weekday.normalise.__name__ == "weekday" and "wednesday" in weekday.anchors
    assert extract_timexes("He arrived last Wednesday.", FRIDAY).value.tolist() == ["2019-01-23"]


def test_word_lists_come_from_the_lexicon_files():
    from analysis.extract.timex import vocab
    from analysis.lexicons import entries, table, words

    assert vocab.MONTHS["sept"] == 9 and vocab.MONTHS["december"] == 12 and len(vocab.MONTHS) == 12 + len(table("timex_month_abbreviations"))
    assert vocab.MONTH_FULL == list(entries("months")) and "may" in words("months")
    assert vocab.WEEKDAYS["friday"] == 5 and "monday" in words("weekdays") and vocab.SEASONS["autumn"] == "FA"
    assert vocab.UNITS["fortnight"] == ("W", 2, False) and vocab.UNITS["hour"] == ("H", 1, True)
    assert vocab.GRAIN["fortnight"] == "week" and vocab.FIXED_NUMBERS["a half"] == 0.5
    assert vocab.FUTURE_WORDS == words("timex_future_words") and "will" in vocab.FUTURE_WORDS
    assert "said" in vocab.PAST_WORDS and "hundred" in vocab.NOT_PAST_ED


def test_importing_the_extractor_does_not_import_plotting():
    code = ("import sys, analysis.extract.timex, analysis.summarise.timeline; "
            "print(sorted({'matplotlib', 'wordcloud'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


def test_the_old_timeline_module_still_offers_every_public_name():
    from analysis import timeline as T

    for name in ("COLUMNS", "CORPUS_COLUMNS", "extract_timexes", "extract_timexes_many", "interval", "corpus_timexes",
                 "timeline_rows", "plot_article_timeline", "coverage", "referenced_days", "reference_offsets",
                 "OFFSET_BUCKETS", "plot_coverage", "TIMELINE_ROW_COLUMNS", "MONTHS", "WEEKDAYS", "RULES"):
        assert hasattr(T, name), name


def _articles(days: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(days))], "date": pd.to_datetime(days)})


def test_coverage_counts_by_day_within_a_month():
    cover = coverage(_articles(["2019-01-01", "2019-01-01", "2019-01-03", "2019-01-20"]))
    assert list(cover.columns) == ["period", "articles"]
    assert len(cover) == 20 and cover["articles"].sum() == 4
    assert cover["articles"].iloc[:3].tolist() == [2, 0, 1]


def test_coverage_counts_by_week_from_monday_beyond_a_month():
    # 60 days: the shared period rule counts weeks (it counted days up to 120 days before)
    cover = coverage(_articles(["2019-01-02", "2019-01-06", "2019-01-07", "2019-03-03"]))
    assert cover["period"].iloc[0] == pd.Timestamp("2018-12-31")  # the Monday of Jan 2
    assert (cover["period"].diff().dropna() == pd.Timedelta(days=7)).all()
    assert cover["articles"].iloc[:2].tolist() == [2, 1] and cover["articles"].sum() == 4


def test_coverage_by_month_and_an_explicit_bin():
    cover = coverage(_articles(["2017-01-15", "2019-06-30"]))
    assert cover["period"].iloc[0] == pd.Timestamp("2017-01-01") and len(cover) == 30
    daily = coverage(_articles(["2019-01-01", "2019-03-01"]), freq="D")
    assert len(daily) == 60
    assert coverage(_articles([])).empty


# --- the scorer -------------------------------------------------------------------------------

TINY_TML = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
AT&amp;T <EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> after
<TIMEX3 tid="t2" type="DURATION" value="P3Y">three years</TIMEX3> of gains in the <TIMEX3 tid="t3" type="DATE" value="199X">1990s</TIMEX3>.
</TEXT>
</TimeML>"""


def test_parse_timeml_strips_tags_and_decodes_entities():
    doc = parse_timeml(TINY_TML, "tiny")
    assert doc.dct == "1998-01-08"
    assert doc.text.startswith("\nAT&T fell yesterday after")
    assert [(g.text, g.type, g.value) for g in doc.gold] == [
        ("yesterday", "DATE", "1998-01-07"), ("three years", "DURATION", "P3Y"), ("1990s", "DATE", "199X")]
    for g in doc.gold:
        assert doc.text[g.start:g.end] == g.text


def test_parse_timeml_without_text_or_dct():
    doc = parse_timeml("<TimeML></TimeML>")
    assert (doc.text, doc.dct, doc.gold) == ("", None, ())


@pytest.mark.parametrize("value, short", [("196X", "196"), ("19XX", "19"), ("196", "196"), ("1998-XX", "1998-XX"), ("PXY", "PXY")])
def test_normalize_value(value, short):
    assert normalize_value(value) == short


def test_match_timexes_counts_strict_relaxed_value_and_type():
    gold = [Timex(10, 19, "DATE", "1998-01-07"), Timex(26, 37, "DURATION", "P3Y"), Timex(60, 65, "DATE", "199X")]
    predicted = [
        Timex(10, 19, "DATE", "1998-01-07"),   # exact
        Timex(20, 37, "DURATION", "P2Y"),      # overlaps, wrong span and value
        Timex(56, 65, "DATE", "199"),          # overlaps, wrong span, value equal as a decade
        Timex(80, 85, "DATE", "1998"),         # spurious
    ]
    counts = match_timexes(gold, predicted)
    assert (counts.gold, counts.predicted) == (3, 4)
    assert (counts.relaxed, counts.strict, counts.value, counts.type) == (3, 1, 2, 3)
    precision, recall, f1 = counts.prf("value")
    assert precision == pytest.approx(2 / 4) and recall == pytest.approx(2 / 3)
    assert f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_mod_is_read_from_the_gold_and_scored_over_matched_pairs():
    doc = parse_timeml('<TEXT>in <TIMEX3 tid="t1" type="DATE" value="1990" mod="MID">mid-1990</TIMEX3> and '
                       '<TIMEX3 tid="t2" type="DATE" value="1991">1991</TIMEX3></TEXT>')
    assert [g.mod for g in doc.gold] == ["MID", ""]
    predicted = [Timex(3, 11, "DATE", "1990", mod="MID"), Timex(16, 20, "DATE", "1991", mod="APPROX")]
    counts = match_timexes(doc.gold, predicted)
    assert (counts.mod, counts.mod_gold, counts.mod_predicted) == (1, 1, 2)


def test_mismatch_kinds_group_errors_by_shape():
    doc = parse_timeml('<TEXT>On <TIMEX3 tid="t1" type="DATE" value="1998-01-09">Friday</TIMEX3>, '
                       '<TIMEX3 tid="t2" type="DURATION" value="P5M">five months</TIMEX3> after 1997.</TEXT>')
    predicted = [Timex(3, 9, "DATE", "1998-01-02", "Friday"), Timex(11, 29, "DURATION", "P5M", "five months after"),
                 Timex(30, 34, "DATE", "1997", "1997")]
    kinds = mismatch_kinds(doc, predicted)
    assert [(kind, pattern) for kind, pattern, _ in kinds] == [
        ("value", "WD: DATE"), ("span:wider", "five months / five months after"), ("spurious", "9999")]
    assert pattern_of("Earlier this month, on Jan. 5") == "earlier this month, on MON 9"


def test_each_prediction_matches_one_gold_only():
    gold = [Timex(0, 5, "DATE", "a"), Timex(6, 10, "DATE", "b")]
    counts = match_timexes(gold, [Timex(0, 10, "DATE", "a")])
    assert counts.relaxed == 1


def test_select_sample_splits_files_in_two_halves():
    files = [Path(f"{i}.tml") for i in range(5)]
    assert select_sample(files, "dev") + select_sample(files, "check") == [files[i] for i in (0, 2, 4, 1, 3)]
    assert select_sample(files, "all") == files


def test_evaluate_timex_on_a_few_tbaq_files(capsys):
    folder = shared_path("TBAQ_DIR", "eval/tbaq")
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert run(parser.parse_args([str(folder), "--limit", "4"])) == 0
    out = capsys.readouterr().out
    assert "TimeBank" in out and "AQUAINT" in out and "overall" in out
    overall = next(line for line in out.splitlines() if line.startswith("overall"))
    value_f1 = float(overall.split("value F1 ")[1].split()[0])
    assert value_f1 > 0.6


# --- any text, any date: a valid table, never an exception ------------------------------------

# --- the batch function -----------------------------------------------------------------------


def test_many_equals_per_article_tables_concatenated(seed):
    articles = load_corpus(MINI_CORPUS).articles
    texts = [seed[0], *articles["text"], "", "no dates here", "Last week, 2019 and the 1990s.", "On Monday."]
    dates = [seed[1], *articles["date"], None, "2020-01-01", None, "2021-03-05"]
    tables = [extract_timexes(text, date) for text, date in zip(texts, dates)]
    table, counts = extract_timexes_many(texts, dates)
    assert counts == [len(t) for t in tables] and sum(counts) > 10
    expected = pd.concat([t for t in tables if len(t)], ignore_index=True)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    empty, counts = extract_timexes_many(["", "nothing"], [None, None])
    assert counts == [0, 0]
    pd.testing.assert_frame_equal(empty, extract_timexes(""))


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = [
    "Friday", "May", "Jan.", "March 3", "1990", "’70s", "the 1960s", "last", "next", "this", "fall", "week",
    "years", "ago", "earlier", "later", "the", "a", "two", "nearly", "quarter", "third-quarter", "fiscal",
    "p.m.", "3", "12:30", "noon", "now", "recent", "days", "every", "Monday", "daily", "1/25/19",
    "2019-01-25", "19th century", "twenty-one", "nineteen ninety-six", "year-earlier", "$", "%", ",", ".",
    " ", " ", "\n", "\n\n", "“", "”", "-", "—", "Christmas", "that day", "the same", "0", "31", "2261", "0001",
]
timeline_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60).map(" ".join)
reference_dates = st.one_of(st.none(), st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2200, 12, 31)),
                            st.sampled_from(["", "not a date", "2019-02-30", "1989"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timeline_text, reference_dates)
def test_any_text_and_date_give_a_valid_table(text, reference):
    table = extract_timexes(text, reference)
    assert list(table.columns) == COLUMNS
    for row in table.itertuples():
        assert 0 <= row.start < row.end <= len(text)
        assert text[row.start:row.end] == row.text
        assert row.type in {"DATE", "TIME", "DURATION", "SET"}
        assert row.value
        assert pd.isna(row.earliest) == pd.isna(row.latest)
        if not pd.isna(row.earliest):
            assert row.earliest <= row.latest
    assert table.start.is_monotonic_increasing


# Round three of the TBAQ value conventions (issue 17): each case is one rule's convention.
VALUE_CONVENTIONS = [
    # "recent weeks/months/years" is a stretch of unknown length (TimeBank/AQUAINT: PXM), not PAST_REF
    ("Officials have expressed concern in recent months.", FRIDAY, "recent months", "DURATION", "PXM"),
    ("Kidnappings rose in recent years.", FRIDAY, "recent years", "DURATION", "PXY"),
    # "the past year" is the year before the article's, as "last year"; "the past decade" a duration
    ("Hate groups grew over the past year.", FRIDAY, "the past year", "DATE", "2018"),
    ("Attacks became routine over the past decade.", FRIDAY, "the past decade", "DURATION", "P10Y"),
    # "the following month" counts from the month named last, not from an older day
    ("On Jan. 3 the board met. In March, it got an offer. The following month, it was sold.", "2019-06-14",
     "The following month", "DATE", "2019-04"),
    # the period of "vs." or "Ala." does not end the sentence: "killed" still sets the month's tense
    ("In January, a week after the Roe vs. Wade ruling, a bombing in Birmingham, Ala., killed a guard.",
     "1998-10-25", "January", "DATE", "1998-01"),
    # "the quarter ended July 31" (May to July) is the second quarter, when no other quarter was named
    ("In the quarter ended July 31, Jayark had 5.6 million shares.", "1989-10-30", "the quarter", "DATE", "1989-Q2"),
    # after a third quarter, "a year earlier" in a sentence about the nine months is the year before
    ("Net rose in the third quarter. For the nine months, losses totaled $212 million, compared with "
     "net income of $48.7 million a year earlier.", "1989-10-26", "a year earlier", "DATE", "1988"),
    ("Net rose in the third quarter to $5 million from $4 million a year earlier.", "1989-10-26",
     "a year earlier", "DATE", "1988-Q3"),
    # "Oct. 12, the day before the plunge" names Oct. 12 again; "the day before." counts back from it
    ("Eight trading days after Oct. 12, the day before the stock market plunge, shares fell.", "1989-10-30",
     "the day", "DATE", "1989-10-12"),
    ("The bomb went off on Oct. 12. Police had been warned the day before.", "1989-10-30",
     "the day before", "DATE", "1989-10-11"),
    # "will one day be" is some day in the future, not a length of one day
    ("Islam will one day be the second largest religion here.", FRIDAY, "one day", "DATE", "FUTURE_REF"),
    ("The strike lasted one day.", FRIDAY, "one day", "DURATION", "P1D"),
    # in a quarterly report, "compared with $33 million last year" is the year-ago quarter, as "a year ago" is
    ("Third-quarter net fell to $20 million, compared with earnings of $33 million last year.", "1989-10-30",
     "last year", "DATE", "1988-Q3"),
    ("Sales rose last year.", "1989-10-30", "last year", "DATE", "1988"),
]


@pytest.mark.parametrize("text, reference, expression, kind, value", VALUE_CONVENTIONS, ids=[c[0][:40] for c in VALUE_CONVENTIONS])
def test_value_conventions(text, reference, expression, kind, value):
    assert_one_timex(text, reference, expression, kind, value)


def test_the_day_before_an_event_is_not_counted_back_from_the_last_date():
    table = extract_timexes("Talks began on Oct. 12. Officials met the day before the vote.", "1989-10-30")
    assert "1989-10-11" not in set(table.value), table[["text", "value"]].values.tolist()


def test_value_classes_count_missed_wrong_and_spurious_per_class():
    from analysis.evaluate.timex import add_value_classes, value_class

    assert [value_class(Timex(0, 1, t, v)) for t, v in [
        ("DATE", "1998-01-09"), ("DATE", "1998-W02"), ("DATE", "1989-Q3"), ("DATE", "1998-01-09TNI"),
        ("DATE", "PAST_REF"), ("DURATION", "P3Y"), ("DURATION", "PXY"), ("SET", "P1D"), ("DATE", "199"),
    ]] == ["day", "week", "quarter/half", "time of day", "PAST_REF", "duration Pn", "duration PX", "SET", "decade/century"]
    gold = [Timex(0, 6, "DATE", "1998-01-09"), Timex(10, 15, "DATE", "1998-W02"), Timex(20, 25, "DATE", "1998-01-02")]
    predicted = [Timex(0, 6, "DATE", "1998-01-09"), Timex(10, 15, "DATE", "1998-W03"), Timex(30, 33, "DATE", "PRESENT_REF")]
    classes: dict[str, list[int]] = {}
    add_value_classes(classes, gold, predicted)
    assert classes == {"day": [2, 1, 0, 0], "week": [1, 0, 1, 0], "PRESENT_REF": [0, 0, 0, 1]}
