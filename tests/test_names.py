"""Tests for `analysis.extract.names`: the one proper-noun detector, with its term-counting options
(TERMS, the default) and its sentiment-masking options (MASKING)."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.extract import names as N


def _phrases(text: str, options: N.NameOptions = N.TERMS) -> list[str]:
    return [text[start:end] for start, end, _ in N.proper_noun_spans(text, options)]


def _entities(text: str, options: N.NameOptions = N.TERMS) -> list[tuple[str, str | None]]:
    return [(text[start:end], entity) for start, end, entity in N.proper_noun_spans(text, options)]


# text, names as terms (TERMS), names masked before scoring (MASKING)
CASES = [
    ("Thank God the Bank of America deal closed.", ["God", "Bank of America"], ["God", "Bank of America"]),
    ("The Army War College said so.", ["Army War College"], ["Army War College"]),
    ("He visited the Army War College.", ["Army War College"], ["Army War College"]),
    ("Shoppers at Best Buy were furious.", ["Best Buy"], ["Best Buy"]),
    # A sentence-initial common word: left out of a term, kept in a masked name (unless an opener).
    ("Best Buy shoppers were furious.", ["Buy"], ["Best Buy"]),
    ("Great Britain won.", ["Britain"], ["Great Britain"]),
    ("Happy Thanksgiving to all.", ["Thanksgiving"], ["Thanksgiving"]),
    # Titles: cut off as terms (marking a person), part of the name when masking.
    ("President Trump’s plan worked.", ["Trump"], ["President Trump"]),
    ("Army Col. Amanda Azubuike said so.", ["Amanda Azubuike"], ["Army Col. Amanda Azubuike"]),
    ("It was Chief Justice Roberts.", ["Roberts"], ["Chief Justice Roberts"]),
    ("He met the Vice President.", [], ["Vice President"]),
    # ALL-CAPS: an acronym as a term, emphasis when masking.
    ("It was GREAT and USNS Comfort came.", ["GREAT", "USNS Comfort"], ["USNS Comfort"]),
    ("He met U.S. officials.", ["U.S."], []),
    # A lone sentence-initial word is a name only when it is not a common word.
    ("Great news.", [], []),
    ("Maduro spoke.", ["Maduro"], []),  # no sentiment word is a lone first word's name: `Wow.`
    ("Hope, Arkansas is small.", ["Arkansas"], ["Hope", "Arkansas"]),
    ("Sadly, Texas lost.", ["Texas"], ["Texas"]),
    # A semicolon starts a clause when masking.
    ("It rained; Liberty University won.", ["Liberty University"], ["Liberty University"]),
    ("I think so.", [], []),
    # Dates and `and`: not name words as terms; part of a masked name.
    ('It is called "Super Tuesday" here.', ["Super"], ["Super Tuesday"]),
    ("The Free and Equal Elections Foundation met.", ["Free", "Equal Elections Foundation"],
     ["Free and Equal Elections Foundation"]),
    ("Shares of Procter & Gamble rose.", ["Procter", "Gamble"], ["Procter & Gamble"]),
    ("He saw Smith and I left.", ["Smith"], ["Smith"]),
    ("Most of Crush is clever.", ["Crush"], ["Crush"]),
    ("", [], []),
]


@pytest.mark.parametrize("text, terms, masked", CASES)
def test_names_as_terms_and_as_masked(text, terms, masked):
    assert _phrases(text) == terms
    assert _phrases(text, N.MASKING) == masked


def test_default_options_are_the_term_options():
    text = "President Nicolás Maduro spoke to the State Department."
    assert N.proper_noun_spans(text) == N.proper_noun_spans(text, N.TERMS)
    assert _entities(text) == [("Nicolás Maduro", "person"), ("State Department", "organization")]
    assert N.spans_from_tokens(text, N.tokenize(text)) == N.proper_noun_spans(text)


def test_entity_guesses_can_be_switched_off():
    text = "Nicolás Maduro met Maduro's aides in Caracas at the State Department."
    with_guesses = N.proper_noun_spans(text)
    without = N.proper_noun_spans(text, dataclasses.replace(N.TERMS, entities=False))
    assert [(s, e) for s, e, _ in with_guesses] == [(s, e) for s, e, _ in without]
    assert {entity for _, _, entity in without} == {None}
    assert ("Caracas", "place") in _entities(text)
    assert ("Maduro", "person") in _entities(text)  # a surname of a person named in the same text


@pytest.mark.parametrize(
    "options, text, expected",
    [
        # initial="opener" keeps a common first word that is not a clause opener
        (dict(initial="opener"), "Good Morning America aired.", ["Good Morning America"]),
        (dict(initial="common"), "Good Morning America aired.", ["Morning America"]),
        (dict(initial="opener"), "Thanks Obama.", ["Obama"]),
        (dict(initial="opener"), "Sadly Trump Tower burned.", ["Trump Tower"]),
        # initial_single off: a lone word starting a sentence is never a name
        (dict(initial_single=False), "Maduro spoke.", []),
        (dict(initial_single=True), "Maduro spoke.", ["Maduro"]),
        # place_after_comma
        (dict(initial_single=False, place_after_comma=True), "Hope, Arkansas is small.", ["Hope", "Arkansas"]),
        (dict(initial_single=False, place_after_comma=False), "Hope, Arkansas is small.", ["Arkansas"]),
        # clause marks: after `;` a sentence-initial common word is judged as such
        (dict(clause_marks=""), "It rained; Great Britain won.", ["Great Britain"]),
        (dict(clause_marks=";"), "It rained; Great Britain won.", ["Britain"]),
        # keep_titles and emphasis_caps
        (dict(keep_titles=True), "Sen. Ted Cruz spoke.", ["Sen. Ted Cruz"]),
        (dict(keep_titles=False), "Sen. Ted Cruz spoke.", ["Ted Cruz"]),
        (dict(emphasis_caps=True), "It was AWESOME, said NASA.", []),
        (dict(emphasis_caps=False), "It was AWESOME, said NASA.", ["AWESOME", "NASA"]),
        (dict(dates_in_names=True), "He won on Super Tuesday in March.", ["Super Tuesday", "March"]),
        (dict(dates_in_names=False), "He won on Super Tuesday in March.", ["Super"]),
        (dict(and_joins=True), "He met Samoa and Fiji officials.", ["Samoa and Fiji"]),
        (dict(and_joins=False), "He met Samoa and Fiji officials.", ["Samoa", "Fiji"]),
    ],
)
def test_each_option(options, text, expected):
    assert _phrases(text, dataclasses.replace(N.TERMS, **options)) == expected


def test_spans_do_not_overlap_and_index_the_text():
    text = ("WASHINGTON (Reuters) - U.S. Secretary of State Mike Pompeo met Venezuela’s Juan Guaidó; "
            "“Thank God,” said Gen. Mark Milley of the Joint Chiefs of Staff in Washington, D.C.")
    for options in (N.TERMS, N.MASKING):
        spans = N.proper_noun_spans(text, options)
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        assert all(text[s:e].strip() == text[s:e] and text[s:e] for s, e, _ in spans)


def test_importing_the_detector_and_the_sentiment_package_loads_no_plotting():
    import subprocess
    import sys

    code = ("import sys, analysis.extract.names, analysis.extract.sentiment; "
            "print(sorted({'matplotlib', 'wordcloud'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
