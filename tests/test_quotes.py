"""Tests for `analysis.extract.quotes` (quote attribution), its corpus summaries
(`analysis.summarise.quotes`), its highlighting (`analysis.report.quotes`) and
`analysis.evaluate.quotes` (its scorer)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.extract.quotes import COLUMNS, extract_quotes, extract_quotes_many, find_quotations
from analysis.report.quotes import highlight_quotes
from analysis.summarise.quotes import corpus_quotes
from analysis.evaluate import quotes as qe

DATA = Path(__file__).resolve().parent / "data"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return shared / max(a[1] - a[0], b[1] - b[0], 1)


# --- acceptance on the seed -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    from analysis import load_corpus

    gold = json.loads((DATA / "seed-quotes.json").read_text(encoding="utf-8"))
    corpus = load_corpus(paths.PROJECT_ROOT / gold["document"])
    text = corpus.articles["text"].iloc[0]
    return text, gold, extract_quotes(text)


def _locate(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    assert start >= 0, f"gold quote not in the cleaned text: {quote!r}"
    return start, start + len(quote)


def _matching_row(table: pd.DataFrame, span: tuple[int, int]) -> int | None:
    best, best_i = 0.0, None
    for i, row in table.iterrows():
        value = _overlap(span, (row.quote_start, row.quote_end))
        if value > best:
            best, best_i = value, i
    return best_i if best >= 0.8 else None


def test_seed_required_quotes_found_with_speaker_and_kind(seed):
    text, gold, table = seed
    for item in gold["required"]:
        i = _matching_row(table, _locate(text, item["quote"]))
        assert i is not None, f"missing: {item['quote']!r}"
        row = table.loc[i]
        assert (row.speaker, row.kind, row.speaker_kind) == (item["speaker"], item["kind"], item["speaker_kind"])
        assert row.cue == item["cue"]
        assert row.mention == item["mention"]
        for field in ("speaker_title", "speaker_role"):
            if field in item:
                assert row[field] == item[field]


def test_seed_reports_nothing_outside_the_gold(seed):
    text, gold, table = seed
    spans = [_locate(text, item["quote"]) for item in gold["required"] + gold["optional"]]
    for row in table.itertuples():
        assert any(_overlap(span, (row.quote_start, row.quote_end)) >= 0.8 for span in spans), row.quote


def test_seed_offsets_cut_the_quote_out_of_the_text(seed):
    text, _, table = seed
    for row in table.itertuples():
        assert text[row.quote_start:row.quote_end] == row.quote
        if row.cue is not None:
            assert text[row.cue_start:row.cue_end] == row.cue
        if row.mention is not None:
            assert text[row.mention_start:row.mention_end] == row.mention


# --- one table of hand-written cases, one per pattern ---------------------------------------

CASES = [
    # (text, [(quote, kind, speaker, speaker_kind), ...])
    pytest.param("“We will rebuild,” the mayor said.", [("We will rebuild,", "direct", "the mayor", "anonymous")], id="quote-comma-X-said"),
    pytest.param("Mayor Linda Okafor said: “The bridge is closed.”", [("The bridge is closed.", "direct", "Linda Okafor", "named")], id="X-said-colon-quote"),
    pytest.param("“It is safe,” said Marco Reyes, a local baker.", [("It is safe,", "direct", "Marco Reyes", "named")], id="quote-said-X-role"),
    pytest.param("“No comment” Jane Smith said in an email.", [("No comment", "direct", "Jane Smith", "named")], id="quote-X-said-in-an-email"),
    pytest.param("Officials said the road would reopen in May.", [("the road would reopen in May", "indirect", "Officials", "anonymous")], id="X-said-clause"),
    pytest.param("The company said that profits fell sharply last year.", [("that profits fell sharply last year", "indirect", "The company", "organization")], id="X-said-that"),
    pytest.param("The plant will close next year, two officials said.", [("The plant will close next year", "indirect", "two officials", "anonymous")], id="trailing-attribution"),
    pytest.param("The talks have stalled, according to people familiar with the matter.", [("The talks have stalled", "indirect", "people familiar with the matter", "anonymous")], id="according-to-trailing"),
    pytest.param("According to the State Department, the embassy will stay open.", [("the embassy will stay open", "indirect", "the State Department", "organization")], id="according-to-leading"),
    pytest.param("Sen. Tom Ellis told reporters that the vote would be close.", [("that the vote would be close", "indirect", "Tom Ellis", "named")], id="X-told-Y-that"),
    pytest.param("The president said he would consider “all options” in the crisis.", [("he would consider “all options” in the crisis", "mixed", "The president", "anonymous")], id="mixed-quote"),
    pytest.param("“We are ready,” she said. “We have been ready for weeks.”", [("We are ready,", "direct", "she", "pronoun"), ("We have been ready for weeks.", "direct", "she", "pronoun")], id="split-quote-follow-on"),
    pytest.param("“I think,” he said, “that we should wait.”", [("I think,", "direct", "he", "pronoun"), ("that we should wait.", "direct", "he", "pronoun")], id="quote-interrupted-mid-sentence"),
    pytest.param("``We are not leaving,'' Gen. Mark Hale said.", [("We are not leaving,", "direct", "Mark Hale", "named")], id="newswire-backticks"),
    pytest.param("''We are not leaving,'' Mr. Hale said.", [("We are not leaving,", "direct", "Hale", "named")], id="nyt-double-apostrophes"),
    pytest.param('"We are not leaving," Hale said.', [("We are not leaving,", "direct", "Hale", "named")], id="straight-quotes"),
    pytest.param("“He told me ‘never again,’ and I believed him,” Ruth Ames said.", [("He told me ‘never again,’ and I believed him,", "direct", "Ruth Ames", "named")], id="single-inside-double"),
    pytest.param(
        "Evan Ellis, an expert on the region, spoke first. “Nothing has moved,” Ellis said.",
        [("Nothing has moved,", "direct", "Evan Ellis", "named")], id="surname-resolved",
    ),
    pytest.param(
        "One defense official spoke on condition of anonymity. “Let me throw cold water on that,” the official said.",
        [("Let me throw cold water on that,", "direct", "One defense official", "anonymous")], id="description-resolved",
    ),
    pytest.param(
        "“We will appeal,” said Maria Lopez, the city attorney. “This is not over,” she added.",
        [("We will appeal,", "direct", "Maria Lopez", "named"), ("This is not over,", "direct", "Maria Lopez", "named")], id="pronoun-resolved",
    ),
    pytest.param("“Stay home,” the Health Ministry said in a statement.", [("Stay home,", "direct", "the Health Ministry", "organization")], id="organization"),
    pytest.param("A senior administration official said the plan was dead.", [("the plan was dead", "indirect", "A senior administration official", "anonymous")], id="anonymous-official"),
    pytest.param("“It will pass,” she wrote on Twitter.", [("It will pass,", "direct", "she", "pronoun")], id="wrote"),
    pytest.param("“Is it over?” a reporter asked.", [("Is it over?", "direct", "a reporter", "anonymous")], id="asked"),
    pytest.param("Critics argued that the law was unfair.", [("that the law was unfair", "indirect", "Critics", "group")], id="argued-that"),
    pytest.param("The minister insisted the budget was balanced.", [("the budget was balanced", "indirect", "The minister", "anonymous")], id="insisted"),
    pytest.param("Doctors warned that the virus could spread.", [("that the virus could spread", "indirect", "Doctors", "anonymous")], id="warned-that"),
    pytest.param("Smith acknowledged that mistakes were made.", [("that mistakes were made", "indirect", "Smith", "named")], id="acknowledged-that"),
    pytest.param(
        "The mayor spoke on Monday.\n\n“The first part of the statement goes here.\n\n“And the quotation continues in a second paragraph,” she said.",
        [("The first part of the statement goes here.\n\n“And the quotation continues in a second paragraph,", "direct", "she", "pronoun")],
        id="multi-paragraph-quote",
    ),
    pytest.param("Podesta told the AP his firm worked closely with the charity.", [("his firm worked closely with the charity", "indirect", "Podesta", "named")], id="told-object-bare-clause"),
    pytest.param("Juanita Broaddrick, who said the senator lied, spoke on Monday.", [("the senator lied", "indirect", "Juanita Broaddrick", "named")], id="relative-who-said"),
    pytest.param("The justice -- who has clashed with the nominee -- said she regretted her remarks.", [("she regretted her remarks", "indirect", "The justice", "anonymous")], id="dash-aside-before-cue"),
    pytest.param("In April, Twitter reported flat growth and said it was still losing money.", [("it was still losing money", "indirect", "Twitter", "named")], id="and-said-sentence-subject"),
    pytest.param("Clinton: I support statehood for the District.", [("I support statehood for the District", "indirect", "Clinton", "named")], id="headline-colon-label"),
    pytest.param("Senate leader Harry M. Reid (D-Nev.) told reporters that the bill was dead.", [("that the bill was dead", "indirect", "Harry M. Reid", "named")], id="parenthetical-party-tag"),
    pytest.param("“It was close,” Trump said 30 minutes later.", [("It was close,", "direct", "Trump", "named")], id="trailing-time-after-cue"),
    pytest.param("“Is that all?” she asked, adding that “we need more.”", [("Is that all?", "direct", "she", "pronoun"), ("that “we need more.”", "mixed", "she", "pronoun")], id="adding-that"),
    pytest.param("The mayor asked residents to stay home.", [("residents to stay home", "indirect", "The mayor", "anonymous")], id="asked-object-to"),
    pytest.param("Fiorina asked whether the company should proceed.", [("whether the company should proceed", "indirect", "Fiorina", "named")], id="asked-whether"),
    pytest.param("A group of rabbis called for a boycott of his speech.", [("a boycott of his speech", "indirect", "A group of rabbis", "anonymous")], id="called-for"),
    pytest.param("Trump vowed to build a wall.", [("to build a wall", "indirect", "Trump", "named")], id="vowed-to"),
    pytest.param("Ryan called the remarks “racist.”", [("the remarks “racist.”", "mixed", "Ryan", "named")], id="called-X-quote"),
    pytest.param(
        "When he died, President Clinton released the following statement:\n\n“We offer our condolences.”",
        [("We offer our condolences.", "direct", "Clinton", "named")], id="colon-introduces-next-paragraph",
    ),
    pytest.param("A judge sided with the city, saying the law was void.", [("the law was void", "indirect", "A judge", "anonymous")], id="participle-saying"),
    pytest.param(
        "“It is over,” Marco Reyes said.\n\nMayor Linda Okafor apologized for the delay. She said the city had learned from it.",
        [("It is over,", "direct", "Marco Reyes", "named"), ("the city had learned from it", "indirect", "Linda Okafor", "named")],
        id="pronoun-to-the-last-person-mentioned",
    ),
    pytest.param(
        "“We are open,” Ms. Dana Cole said. “Come in,” Mr. Tom Hale said. She added that prices would stay low.",
        [("We are open,", "direct", "Dana Cole", "named"), ("Come in,", "direct", "Tom Hale", "named"),
         ("that prices would stay low", "indirect", "Dana Cole", "named")],
        id="pronoun-gender-from-title",
    ),
    pytest.param(
        "In a post, Wallnau wrote:\n\nI think this prayer is timely, as polls show a slip.",
        [("I think this prayer is timely, as polls show a slip", "indirect", "Wallnau", "named")],
        id="colon-introduces-unmarked-paragraph",
    ),
    pytest.param("He was removed, with Trump yelling: “Get him out!”", [("Get him out!", "direct", "Trump", "named")], id="with-X-yelling-colon"),
    pytest.param("Judge Ana Ruiz delayed the hearing but said the case would go ahead.", [("the case would go ahead", "indirect", "Ana Ruiz", "named")], id="but-said-sentence-subject"),
    pytest.param(
        "The mayor called the flood “a disaster,” but said the dam would hold.",
        [("the flood “a disaster,”", "mixed", "The mayor", "anonymous"), ("the dam would hold", "indirect", "The mayor", "anonymous")],
        id="but-said-after-another-cue",
    ),
    pytest.param(
        "The union called on the board to resign and said the deal should be scrapped.",
        [("the board to resign", "indirect", "The union", "organization"), ("the deal should be scrapped", "indirect", "The union", "organization")],
        id="and-said-ends-previous-content",
    ),
    pytest.param("The new state budget plan, a senior aide said, would cut spending.", [("The new state budget plan", "indirect", "a senior aide", "anonymous"), ("would cut spending", "indirect", "a senior aide", "anonymous")], id="mid-sentence-attribution-multiword-source"),
    pytest.param("Reuters reported Tuesday that the mill would close.", [("that the mill would close", "indirect", "Reuters", "organization")], id="reported-day-that"),
    pytest.param("The mill closed in 2009, Reuters reported in 2012.", [("The mill closed in 2009", "indirect", "Reuters", "organization")], id="trailing-reported-with-date"),
    pytest.param("Still, she said, the council had ignored the warnings from engineers.", [("the council had ignored the warnings from engineers", "indirect", "she", "pronoun")], id="short-intro-before-mid-attribution"),
    pytest.param(
        "The governor said the bridge would reopen soon and predicted that traffic would ease.",
        [("the bridge would reopen soon", "indirect", "The governor", "anonymous"), ("that traffic would ease", "indirect", "The governor", "anonymous")],
        id="and-predicted-ends-content",
    ),
    pytest.param("Nolan said he admired the coach, for whom he had played for a decade.", [("he admired the coach", "indirect", "Nolan", "named")], id="content-ends-before-for-whom"),
    pytest.param("Senator Ann Cole last week said the tariffs would hurt farmers.", [("the tariffs would hurt farmers", "indirect", "Ann Cole", "named")], id="time-phrase-before-cue"),
    pytest.param("The senator has long said that the state needs a new stadium.", [("that the state needs a new stadium", "indirect", "The senator", "anonymous")], id="has-long-said"),
    pytest.param("The agency ignored the warnings, the report says.", [("The agency ignored the warnings", "indirect", "the report", "unknown")], id="document-as-source"),
    pytest.param("Ms. Park says the road is long but she is confident the bill will pass.", [("the road is long but she is confident the bill will pass", "indirect", "Park", "named")], id="content-keeps-but-clause"),
    pytest.param("The mayor said that the plan was costly but that it would pay off.", [("that the plan was costly but that it would pay off", "indirect", "The mayor", "anonymous")], id="content-keeps-but-that"),
    pytest.param(
        "Residents of Elm County who attended the meeting said they were worried about prices.",
        [("they were worried about prices", "indirect", "Residents of Elm County who attended the meeting", "anonymous")], id="long-subject-before-said",
    ),
    pytest.param(
        "The main reason for the delay, according to the county clerk, was a shortage of ballots.",
        [("The main reason for the delay", "indirect", "the county clerk", "unknown"), ("was a shortage of ballots", "indirect", "the county clerk", "unknown")],
        id="according-to-mid-sentence",
    ),
    pytest.param(
        "Most of the money came from women, according to Crowdfund, a research group.",
        [("Most of the money came from women", "indirect", "Crowdfund", "named")], id="according-to-trailing-with-role",
    ),
    pytest.param(
        "The union has sued the city over the rules, saying they violate free-speech rights.",
        [("they violate free-speech rights", "indirect", "The union", "organization")], id="saying-bare-clause-sentence-subject",
    ),
    pytest.param(
        "Lee defended the plan, saying it was “about fairness.”",
        [("it was “about fairness.”", "mixed", "Lee", "named")], id="saying-short-mixed-clause",
    ),
    pytest.param(
        "The retired teacher spoke at length, saying that the school had failed its students.",
        [("that the school had failed its students", "indirect", "The retired teacher", "anonymous")], id="saying-lowercase-subject",
    ),
    pytest.param("Ortiz changed his mind – saying he would vote for the bill.", [("he would vote for the bill", "indirect", "Ortiz", "named")], id="dash-saying"),
    pytest.param(
        "Kemp, who said the audit was fair, said he would not resign.",
        [("the audit was fair", "indirect", "Kemp", "named"), ("he would not resign", "indirect", "Kemp", "named")], id="who-said-then-said",
    ),
    pytest.param(
        "“Never,” Diaz said when asked whether she would resign.",
        [("Never,", "direct", "Diaz", "named"), ("whether she would resign", "indirect", "unknown", "unknown")], id="when-asked-whether",
    ),
    pytest.param(
        "Asked by a reporter about the delay, the mayor shrugged.",
        [("about the delay", "indirect", "a reporter", "anonymous")], id="asked-by-X-about",
    ),
    pytest.param("The senator told donors the race was tightening.", [("the race was tightening", "indirect", "The senator", "anonymous")], id="told-bare-plural-object-clause"),
    # things that are not attributed quotes
    pytest.param("The film “Casablanca” opens on Friday.", [], id="scare-quotes-no-speaker"),
    pytest.param("He was asked to leave the room.", [], id="passive-asked"),
    pytest.param("A super PAC called Our Principles is spending money.", [], id="called-as-naming"),
    pytest.param("The conflicting claims raised questions about the plan.", [], id="claims-as-noun"),
    pytest.param("Officials declined to say where the ships were.", [], id="declined-to-say"),
    pytest.param("Note: This story has been updated.", [], id="note-label-not-a-speaker"),
    pytest.param("The plan includes:\n\nfree tuition for all students at public schools.", [], id="colon-without-speech-cue"),
    pytest.param("She read the letter on NBC's “Meet the Press.”", [], id="title-in-quotes"),
    # issue 16: who the sources are
    pytest.param("Unemployment fell to 4 percent, according to figures released on Monday.",
                 [("Unemployment fell to 4 percent", "indirect", "figures released on Monday", "unknown")], id="figures-on-monday-not-named"),
    pytest.param("“Business is down by half,” one shop owner on Dock Street said.",
                 [("Business is down by half,", "direct", "one shop owner on Dock Street", "anonymous")], id="shop-owner-on-street-anonymous"),
    pytest.param("“We will fix it,” said Councillor Mark Trent.", [("We will fix it,", "direct", "Mark Trent", "named")], id="councillor-title-split"),
    pytest.param("The hospital trust said it was reviewing the case.",
                 [("it was reviewing the case", "indirect", "The hospital trust", "organization")], id="hospital-trust-organization"),
    pytest.param("Critics said the plan was rushed.", [("the plan was rushed", "indirect", "Critics", "group")], id="critics-group"),
    pytest.param("Many residents say the noise is unbearable.", [("the noise is unbearable", "indirect", "Many residents", "group")], id="residents-group"),
    pytest.param("Two residents said the noise was unbearable.", [("the noise was unbearable", "indirect", "Two residents", "anonymous")], id="counted-residents-anonymous"),
    pytest.param("A lawyer for Michael Cohen said the talks had failed.",
                 [("the talks had failed", "indirect", "A lawyer for Michael Cohen", "anonymous")], id="lawyer-for-X-not-X"),
    pytest.param("A spokesman for Sen. Tom Ellis said the talks had failed.",
                 [("the talks had failed", "indirect", "A spokesman for Sen. Tom Ellis", "anonymous")], id="spokesman-for-titled-X-not-X"),
    pytest.param("Jane Roe of Acme Corp. said that profits rose sharply this year.",
                 [("that profits rose sharply this year", "indirect", "Jane Roe", "named")], id="person-of-organisation"),
    pytest.param("Bank of America said that profits rose sharply this year.",
                 [("that profits rose sharply this year", "indirect", "Bank of America", "organization")], id="organisation-of-place"),
    pytest.param("Then Brafman said the case was closed.", [("the case was closed", "indirect", "Brafman", "named")], id="opener-not-in-name"),
    pytest.param("Many Democrats said the bill was weak.", [("the bill was weak", "indirect", "Many Democrats", "anonymous")], id="quantifier-kept"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_patterns(text, expected):
    table = extract_quotes(text)
    got = [(r.quote, r.kind, r.speaker, r.speaker_kind) for r in table.itertuples()]
    assert got == expected
    for row in table.itertuples():
        assert text[row.quote_start:row.quote_end] == row.quote


def test_follow_on_quote_has_no_cue_or_mention():
    table = extract_quotes("“We are ready,” she said. “We have been ready for weeks.”")
    follow_on = table.iloc[1]
    assert follow_on.cue is None and follow_on.cue_start == -1 and follow_on.cue_end == -1
    assert follow_on.mention is None and follow_on.mention_start == -1


def test_title_and_role_kept_apart():
    table = extract_quotes("“We are ready,” Army Col. Amanda Azubuike, a Southcom spokeswoman, said in an email.")
    row = table.iloc[0]
    assert (row.mention, row.speaker, row.speaker_title, row.speaker_role) == (
        "Army Col. Amanda Azubuike", "Amanda Azubuike", "Army Col.", "a Southcom spokeswoman")


# --- robustness -----------------------------------------------------------------------------

PATHOLOGICAL = [
    pytest.param("", id="empty"),
    pytest.param("   \n\n  ", id="blank"),
    pytest.param("“" * 100_000, id="100k-opening-marks"),
    pytest.param('"' * 100_000, id="100k-straight-marks"),
    pytest.param("''" * 50_000, id="50k-double-apostrophes"),
    pytest.param("“a” " * 25_000, id="25k-tiny-quotes"),
    pytest.param("“Unbalanced quote, he said. And more text without an end", id="unbalanced"),
    pytest.param("said said said " * 20_000, id="only-cues"),
    pytest.param(("Officials said the plan, which " * 2_000) + ".", id="long-sentence"),
    pytest.param("x" * 200_000, id="one-long-word"),
    pytest.param(", , , said " * 10_000, id="commas-and-cues"),
    pytest.param("\x01\x02 “ ” \x00 said", id="control-characters"),
    pytest.param("!" * 100_000 + " A", id="100k-exclamation-marks"),
    pytest.param("." * 50_000 + " " * 50_000 + "x", id="dots-then-spaces"),
    pytest.param("He told " + "A.b" * 30_000, id="told-long-dotted-token"),
    pytest.param("Officials said: " + "“" * 50_000, id="colon-then-marks"),
]


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_inputs_return_valid_tables(text):
    table = extract_quotes(text)
    assert list(table.columns) == COLUMNS
    for row in table.itertuples():
        assert 0 <= row.quote_start < row.quote_end <= len(text)
        assert text[row.quote_start:row.quote_end] == row.quote


def test_large_paragraph_finishes():
    text = ("“It is fine,” the official said, and officials said the plan works. " * 2_000).strip()
    table = extract_quotes(text)
    assert len(table) > 0 and list(table.columns) == COLUMNS


def test_empty_text_has_documented_columns_and_types():
    table = extract_quotes("")
    assert list(table.columns) == COLUMNS and len(table) == 0
    assert str(table["quote_start"].dtype) == "int64"


def test_find_quotations_pairs_marks():
    text = "He said “yes” and ``no'' and \"maybe\"."
    spans = [text[s:e] for _, s, e, _ in find_quotations(text)]
    assert spans == ["yes", "no", "maybe"]


# --- corpus table and HTML ------------------------------------------------------------------


def test_corpus_quotes_adds_doc_id_first():
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["“Yes,” she said.", "", "No quotes here."]})
    table = corpus_quotes(articles)
    assert list(table.columns) == ["doc_id", *COLUMNS]
    assert table["doc_id"].tolist() == ["a"]
    empty = corpus_quotes(articles.iloc[1:])
    assert list(empty.columns) == ["doc_id", *COLUMNS] and len(empty) == 0


def test_highlight_escapes_article_text():
    text = "“Tom & Jerry <b>bold</b>,” the official said.\n\n<script>alert(1)</script>"
    html = highlight_quotes(text, extract_quotes(text))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&amp;" in html and "<b>" not in html
    assert '<mark class="quote direct"' in html


# --- the scorer -----------------------------------------------------------------------------

ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 30\tthe plan will work
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3
T5\tCue 40 47\tbelieves
T6\tContent 48 60;62 70\tsplit content
E2\tAttribution:T7 Cue:T5 Content:T6
T8\tContent 80 90\tno cue
E3\tAttribution:T9 Content:T8
"""


def test_parse_ann_reads_events_with_cue_and_content():
    gold = qe.parse_ann(ANN)
    assert len(gold) == 2
    assert gold[0].content == ((11, 30),) and gold[0].source == ((0, 5),) and gold[0].cue_text == "said"
    assert gold[1].content == ((48, 60), (62, 70)) and gold[1].source == ()
    assert gold[0].is_speech and not gold[1].is_speech


@pytest.mark.parametrize("cue, speech", [("said", True), ("told reporters", True), ("according to", True),
                                         ("declared:", True), ("believes", False), ("hopes", False)])
def test_speech_filter(cue, speech):
    assert qe.is_speech_cue(cue) is speech


@pytest.mark.parametrize("gold, predicted, expected", [
    (((0, 10),), ((0, 10),), 1.0),
    (((0, 10),), ((0, 5),), 0.5),
    (((0, 10),), ((0, 40),), 0.25),  # divided by the longer span
    (((0, 10), (20, 30)), ((0, 30),), 20 / 30),
    (((0, 10),), ((10, 20),), 0.0),
])
def test_overlap(gold, predicted, expected):
    assert qe.overlap(gold, predicted) == pytest.approx(expected)


def test_match_spans_is_greedy_and_one_to_one():
    gold = [((0, 10),), ((0, 10),)]
    predicted = [((0, 9),), ((0, 4),)]
    assert [(g, p) for g, p, _ in qe.match_spans(gold, predicted, 0.3)] == [(0, 0), (1, 1)]
    assert [(g, p) for g, p, _ in qe.match_spans(gold, predicted, 0.8)] == [(0, 0)]


def test_speaker_rule():
    gold = qe.parse_ann(ANN)[0]
    assert qe.speaker_correct(gold, 0, 5, "Smith")
    assert not qe.speaker_correct(gold, 20, 25, "Smith")
    assert qe.speaker_correct(gold, -1, -1, "John Smith")  # follow-on: every gold word in the speaker
    assert not qe.speaker_correct(gold, -1, -1, "Jones")


@pytest.mark.parametrize("content, kind", [("“All of it.”", "direct"), ("''All of it,''", "direct"),
                                           ("he would weigh “all options”", "mixed"), ("the plan failed", "indirect")])
def test_gold_kind(content, kind):
    assert qe.gold_kind(content, ((0, len(content)),)) == kind


def test_score_article_counts():
    text = "Smith said the plan will work."
    gold = qe.parse_ann("T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 29\tx\nE1\tAttribution:T9 Source:T1 Cue:T2 Content:T3\n")
    score = qe.score_article(text, gold, extract_quotes(text), 0.8, speech_only=True)
    assert (score.gold, score.predicted, score.matched, score.speaker_correct) == (1, 1, 1, 1)
    assert score.f1 == 1.0


POLNEAR = Path(os.environ.get("POLNEAR_DIR") or paths.PROJECT_ROOT / ".." / "shared" / "eval" / "polnear-train")


@pytest.mark.skipif(not (POLNEAR / "attributions").is_dir(), reason="PolNeAR not available (set POLNEAR_DIR)")
def test_polnear_smoke():
    totals, n, _ = qe.evaluate_folder(POLNEAR.resolve(), limit=20)
    assert n == 20
    speech = totals[("fragment", "speech", 0.3)]
    assert speech.gold > 0 and speech.f1 > 0.5
    joined = totals[("attribution", "speech", 0.3)]
    assert joined.gold == speech.gold and joined.predicted < speech.predicted and joined.f1 > speech.f1


# --- property: any text gives a valid table -------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "“", "”", '"', "''", "``", "‘", "’", ",", ".", ":", ";", "?", "!", " ", "\n", "\n\n", "(", ")", "—",
    " said ", " says ", " told ", " according to ", " he ", " she ", " officials ", " the official ",
    " Smith ", " Mr. ", " Jane Doe ", " that ", " and ", " who ", " a spokesman ", " asked ", " called for ",
    "Q: ", "A: ", " in a statement ", " x", " We ", " It ", " 12 ",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_text_gives_a_valid_table(text):
    table = extract_quotes(text)
    assert list(table.columns) == COLUMNS
    for row in table.itertuples():
        assert 0 <= row.quote_start < row.quote_end <= len(text)
        assert text[row.quote_start:row.quote_end] == row.quote
        assert row.kind in ("direct", "mixed", "indirect")
        assert row.speaker_kind in ("named", "anonymous", "organization", "pronoun", "unknown")
        if row.cue is not None:
            assert text[row.cue_start:row.cue_end] == row.cue
        else:
            assert row.cue_start == row.cue_end == -1
        if row.mention is not None:
            assert text[row.mention_start:row.mention_end] == row.mention


# --- corpus summaries -----------------------------------------------------------------------

from analysis.summarise.quotes import cue_lemma, source_kind_counts, speaker_summary  # noqa: E402


def test_speaker_summary_merges_name_variants_and_surnames():
    quotes = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b", "c", "c"],
        "quote": ["x y", "z", "w", "v u", "k", "j"],
        "speaker": ["Donald J. Trump", "Donald Trump", "Trump", "Evan Ellis", "Ellis", "he"],
        "speaker_kind": ["named", "named", "named", "named", "named", "pronoun"],
    })
    summary = speaker_summary(quotes)
    assert summary[["speaker", "quotes", "words", "articles"]].values.tolist() == [
        ["Donald Trump", 3, 4, 2], ["Evan Ellis", 2, 3, 2]]
    assert list(speaker_summary(quotes.iloc[0:0]).columns) == ["speaker", "speaker_kind", "quotes", "words", "articles"]


def test_speaker_summary_leaves_out_sources_it_could_not_read():
    quotes = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "quote": ["x", "y", "z", "w"],
                           "speaker": ["unknown", "unknown", "Evan Ellis", "unknown"],
                           "speaker_kind": ["unknown", "unknown", "named", "unknown"]})
    assert speaker_summary(quotes)["speaker"].tolist() == ["Evan Ellis"]


def test_source_kind_counts_per_article():
    quotes = pd.DataFrame({"doc_id": ["a", "a", "b"], "speaker_kind": ["named", "anonymous", "organization"]})
    counts = source_kind_counts(quotes).set_index("doc_id")
    assert counts.loc["a", "total"] == 2 and counts.loc["a", "share_anonymous"] == 0.5
    assert counts.loc["b", "organization"] == 1 and counts.loc["b", "anonymous"] == 0


@pytest.mark.parametrize("cue, lemma", [("said", "say"), ("told", "tell"), ("According to", "according to"),
                                        (":", "(colon)"), ("wrote", "write"), (None, None), ("pointed out", "point out")])
def test_cue_lemma(cue, lemma):
    assert cue_lemma(cue) == lemma


def test_evaluate_command_on_a_tiny_folder(tmp_path, capsys):
    import argparse

    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text("Smith said the plan will work.", encoding="utf-8")
    (tmp_path / "attributions" / "doc_b.ann").write_text(
        "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 29\tthe plan will work\n"
        "E1\tAttribution:T9 Source:T1 Cue:T2 Content:T3\n", encoding="utf-8")
    (tmp_path / "attributions" / "doc_a.ann").write_text("", encoding="utf-8")  # first annotator: no events
    parser = argparse.ArgumentParser()
    qe.add_arguments(parser)
    assert qe.run(parser.parse_args([str(tmp_path)])) == 0
    out = capsys.readouterr().out
    assert "1 articles" in out and "speech" in out
    assert qe.run(parser.parse_args([str(tmp_path / "missing")])) == 2


def test_word_counts_split_on_any_whitespace():
    from analysis.summarise.quotes import word_counts

    texts = pd.Series(["two words", "  padded\tand\nbroken  ", "", None, "no\u00a0break space"], index=[5, 6, 7, 8, 9])
    expected = pd.Series([len(t.split()) if isinstance(t, str) else 0 for t in texts], index=texts.index, dtype="int64")
    pd.testing.assert_series_equal(word_counts(texts), expected)
    assert word_counts(texts).tolist() == [2, 3, 0, 0, 3]


# --- the batch function -----------------------------------------------------------------------


@pytest.mark.parametrize("tricky", [
    [],
    ["", "   ", "“", "\"\"\"\"", "“He said it would never happen", "It would never happen,” he said.",
     "Clinton: I support it.", "“Yes.”\n\n“No,” she said.\n\n“Fine.”", "No quotes here at all."],
])
def test_many_equals_per_article_tables_concatenated(seed, tricky):
    from analysis import load_corpus
    from conftest import MINI_CORPUS

    texts = [seed[0], *load_corpus(MINI_CORPUS).articles["text"], *tricky]
    tables = [extract_quotes(text) for text in texts]
    table, counts = extract_quotes_many(texts)
    assert counts == [len(t) for t in tables] and sum(counts) > 10
    expected = pd.concat([t for t in tables if len(t)], ignore_index=True)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    for column in table.columns[table.dtypes == object]:  # None stays None, not NaN
        assert [type(v) for v in table[column]] == [type(v) for v in expected[column]], column


@pytest.mark.parametrize("texts", [[], [""], ["   ", "No quotes here."]])
def test_many_without_quotes_gives_the_empty_table(texts):
    table, counts = extract_quotes_many(texts)
    assert counts == [0] * len(texts)
    pd.testing.assert_frame_equal(table, extract_quotes(""))


# --- the package's layout: rule registries, lexicons, layers ------------------------------------


def test_frame_registries_are_consistent():
    from analysis.extract.quotes import COMPLEMENT_RULES, CUE_FRAMES, VERB_FRAMES
    from analysis.extract.quotes.cues import VERB_FORMS
    from analysis.extract.quotes.frames import SPECIAL_BASES

    for rules in (CUE_FRAMES, VERB_FRAMES):
        names = [rule.name for rule in rules]
        assert all(names) and len(set(names)) == len(names)
        for rule in rules:
            assert callable(rule.applies) and callable(rule.frame)
            assert rule.frame.__name__ == "<lambda>" or rule.frame.__doc__, rule.name  # a named rule says what it reads
    # the last rule of each table is the catch-all, so every cue gets an answer
    assert CUE_FRAMES[-1].name == "reporting verb" and VERB_FRAMES[-1].name == "X said (that) ..."
    bases = [base for rule in COMPLEMENT_RULES for base in rule.bases]
    assert len(bases) == len(set(bases)), "a verb has one complement rule"
    assert set(bases) == SPECIAL_BASES and set(bases) <= set(VERB_FORMS)
    for rule in COMPLEMENT_RULES:
        assert rule.patterns and rule.reach > 0
        assert rule.at_end or all(p.groups >= 1 for p in rule.patterns), rule.name


@pytest.mark.parametrize("text, content, cue", [
    ("The mayor called for a boycott of the games.", "a boycott of the games", "called"),
    ("The senator asked whether the plan would pass.", "whether the plan would pass", "asked"),
    ("The president urged Congress to act quickly on the bill.", "Congress to act quickly on the bill", "urged"),
    ("The governor vowed to fight the ruling in court.", "to fight the ruling in court", "vowed"),
    ("Smith described the plan as a disaster for the town.", "the plan as a disaster for the town", "described"),
    ("The company reported spending $6 million on the campaign.", "spending $6 million on the campaign", "reported"),
])
def test_each_complement_rule_reads_its_content(text, content, cue):
    table = extract_quotes(text)
    assert table[["quote", "cue", "kind"]].values.tolist() == [[content, cue, "indirect"]]


def test_verb_lists_come_from_the_lexicons():
    from analysis.extract.quotes import PERSON_NOUNS, PRONOUNS, REPORTING_VERBS, TITLES
    from analysis.extract.quotes.cues import BARE_CLAUSE_VERBS, CLAUSE_VERBS, SAY_VERBS, VERB_FORMS
    from analysis.lexicons import table, words

    assert VERB_FORMS["write"] == ("writes", "wrote|written", "writing")
    assert set(VERB_FORMS) == set(table("reporting_verbs"))
    assert {"said", "written", "pointed out", "emailed"} <= set(REPORTING_VERBS)
    assert "email" not in REPORTING_VERBS  # the noun, not the verb
    assert SAY_VERBS <= BARE_CLAUSE_VERBS <= CLAUSE_VERBS <= set(VERB_FORMS)
    assert PERSON_NOUNS == words("person_nouns") and TITLES == words("source_title_words")
    assert PRONOUNS["they"] == "group" and PRONOUNS == table("source_pronouns")


def test_extract_quotes_does_not_import_plotting():
    import subprocess
    import sys

    code = ("import sys, analysis.extract.quotes, analysis.extract.quotes.frames; "
            "print(sorted({'matplotlib', 'wordcloud', 'analysis.summarise.quotes', 'analysis.report.quotes'} & set(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "[]"


def test_old_module_path_reexports_every_layer():
    from analysis import quotes as q
    from analysis.extract import quotes as extract
    from analysis.report import quotes as report
    from analysis.summarise import quotes as summarise

    assert q.extract_quotes is extract.extract_quotes and q.COLUMNS is extract.COLUMNS
    assert q.highlight_quotes is report.highlight_quotes
    for name in ("speaker_summary", "source_kind_counts", "word_counts", "cue_lemma", "corpus_quotes", "SPEAKER_KINDS"):
        assert getattr(q, name) is getattr(summarise, name), name


# --- span boundaries (issue 17, round three): content heads and tails -----------------------


@pytest.mark.parametrize("text, content", [
    # a concessive lead clause frames the sentence; the reported words follow its comma
    ("Though Republicans boast of stronger turnout, there is no link between turnout and victory, "
     "political scientists say.", "there is no link between turnout and victory"),
    # the turn after "but" is what was said
    ("The program is hardly formal, but it has attracted a loyal following, said Ms. Gil.",
     "it has attracted a loyal following"),
])
def test_content_before_its_cue_drops_the_framing_lead(text, content):
    table = extract_quotes(text)
    assert table["quote"].tolist() == [content]


@pytest.mark.parametrize("text, content", [
    # the day it was said closes the sentence
    ("Pence said Obama was the founder of ISIS on Wednesday at a Florida rally.", "Obama was the founder of ISIS"),
    # a clause with a subject of its own after the reported one
    ("Officials said the restrictions are less for safety than visibility, and the union has already sued.",
     "the restrictions are less for safety than visibility"),
    # a second predicate of the sentence's subject
    ("Sanders said that he would offer a prayer for the nominee but did not suggest it would be Trump.",
     "that he would offer a prayer for the nominee"),
])
def test_content_after_its_cue_drops_the_closing_pieces(text, content):
    table = extract_quotes(text)
    assert table["quote"].tolist() == [content]


def test_content_tails_keep_a_day_inside_the_reported_clause():
    # "released on Tuesday had ...": the day belongs to what was said, not to the saying
    table = extract_quotes("The foundation said that the emails released on Tuesday had no bearing on its work.")
    assert table["quote"].tolist() == ["that the emails released on Tuesday had no bearing on its work"]


def test_words_before_an_interrupting_attribution_are_a_fragment_of_its_quotation():
    table = extract_quotes("In other words, he said, “the era of Silicon Valley exceptionalism is over.”")
    assert table[["quote", "kind"]].values.tolist() == [
        ["In other words", "indirect"], ["the era of Silicon Valley exceptionalism is over.", "direct"]]
    assert table["attribution"].nunique() == 1


def test_a_scene_setting_lead_is_not_a_fragment_of_the_quotation():
    table = extract_quotes("After reciting the passage, Beck said, “Man, it could not be more clear.”")
    assert table["quote"].tolist() == ["Man, it could not be more clear."]


@pytest.mark.parametrize("text, mention", [
    # the words that describe the source after the comma belong to its phrase
    ("Many black voters found it offensive, journalist Martha Raddatz said.", "journalist Martha Raddatz"),
    ("There is serious concern about voter fraud, Trump’s longtime confidant Roger Stone stated.",
     "Trump’s longtime confidant Roger Stone"),
    # a bare "police" is a source
    ("Six protesters were arrested after refusing to leave the lobby, police said.", "police"),
])
def test_a_trailing_cue_reads_its_whole_source_phrase(text, mention):
    table = extract_quotes(text)
    assert table[["quote", "mention"]].values.tolist() == [[text[:text.index(",", len(text) - len(mention) - 12)], mention]]


def test_an_inverted_source_may_open_with_a_lower_case_title():
    table = extract_quotes("“We will win,” said longtime Trump friend Roger Stone.")
    assert table[["quote", "mention"]].values.tolist() == [["We will win,", "longtime Trump friend Roger Stone"]]


def test_thats_according_to_reads_the_pronoun_as_the_content():
    table = extract_quotes("He raised $21 million. That’s according to fundraising reports filed on Saturday.")
    assert table[["quote", "cue", "mention"]].values.tolist() == [["That", "according to", "fundraising reports filed on Saturday"]]


@pytest.mark.parametrize("headline, content, mention", [
    ("EXCLUSIVE – Roger Stone: Don’t Trust the Voting Machines.", "Don’t Trust the Voting Machines", "Roger Stone"),
    ("IG report: State was inaccurate on Clinton.", "State was inaccurate on Clinton", "IG report"),
    ("Democrats' new warning: Leaks could include Russian lies.", "Leaks could include Russian lies",
     "Democrats' new warning"),
])
def test_a_headline_label_may_follow_a_kicker_or_name_a_document(headline, content, mention):
    table = extract_quotes(headline + "\n\nThe story goes on here without anyone quoted.")
    assert table[["quote", "mention"]].values.tolist() == [[content, mention]]


def test_a_byline_is_not_a_headline_label():
    assert extract_quotes("BYLINE: Amber Phillips.\n\nThe story goes on here.").empty


@pytest.mark.parametrize("text, content, mention", [
    ("News of the PGA’s move was first reported by the Miami Herald.", "News of the PGA’s move", "the Miami Herald"),
    ("Security rose after the attacks in Paris, which were claimed by the Islamic State.", "which", "the Islamic State"),
])
def test_a_passive_cue_with_a_by_source_gives_its_subject_as_content(text, content, mention):
    table = extract_quotes(text)
    assert table[["quote", "mention"]].values.tolist() == [[content, mention]]


def test_a_passive_cue_without_a_source_or_about_people_is_no_attribution():
    assert extract_quotes("The name was announced on a police scanner several times.").empty
    assert extract_quotes("When their turn came they were announced by the usher.").empty


def test_an_attribution_inside_mixed_content_after_a_quoted_comma_splits_it():
    text = ('Those who spend time on "certain fringes of the internet," he said, wind up in a debate '
            'that is "detached from reality."')
    table = extract_quotes(text)
    assert table[["quote", "kind"]].values.tolist() == [
        ['Those who spend time on "certain fringes of the internet,"', "mixed"],
        ['wind up in a debate that is "detached from reality."', "mixed"]]
    assert table["attribution"].nunique() == 1


def test_a_speech_noun_before_a_colon_introduces_reported_content():
    table = extract_quotes("Later that day the party's leaders sent Mr. Trump an unmistakable message: "
                           "He is hurting the party and must stop.")
    assert table[["quote", "cue"]].values.tolist() == [["He is hurting the party and must stop", "message"]]
    # a colon after another noun introduces no speech
    assert extract_quotes("The plan has three parts: taxes, schools and roads in the county.").empty


def test_a_dateline_is_not_part_of_content_read_before_its_cue():
    table = extract_quotes("LOS ANGELES, Feb. 2 (UPI) — The next record is almost complete, bassist Flea revealed.")
    assert table[["quote", "mention"]].values.tolist() == [["The next record is almost complete", "bassist Flea"]]


def test_a_participle_after_the_comma_is_no_source_phrase():
    assert extract_quotes("Trump clinched Florida’s primary, beating rival Marco Rubio in his home state.").empty


def test_a_clause_between_commas_before_an_inverted_cue_is_no_role():
    text = "Even as the race moves to New York, a state she hoped to carry, the race will be tight, said Dan Gerstein."
    table = extract_quotes(text)
    assert table[["quote", "mention"]].values.tolist() == [[text[:text.index(", said")], "Dan Gerstein"]]


@pytest.mark.parametrize("text", [
    "His campaign paid to broadcast a short film called \"Tenemos Familias\" on Univision.",
    "A warm-up band called Sophistafunk got the crowd to dance.",
    "Overall, the remaining casinos in Atlantic City reported $2.17 billion in gaming revenue this year.",
    "Nevada is far from being a solid red state -- Barack Obama carried it twice.",
    "Arizona will be the fifth state that Elias is suing over voting issues.",
    "It is too soon to say whether her policies will prove successful.",
])
def test_cue_words_in_non_speech_uses_frame_nothing(text):
    assert extract_quotes(text).empty


@pytest.mark.parametrize("text, quote", [
    ("A group of rabbis called for a boycott of his speech.", "a boycott of his speech"),
    ("The company reported that profits fell sharply last year.", "that profits fell sharply last year"),
    ("The documents state that the plan was approved in May.", "that the plan was approved in May"),
])
def test_the_same_cue_words_still_frame_speech(text, quote):
    assert extract_quotes(text)["quote"].tolist() == [quote]


@pytest.mark.parametrize("line", ["Contributing: Todd Spangler", "Twitter: @Milbank"])
def test_credit_lines_after_an_article_are_not_speaker_labels(line):
    text = f'"We will be there," said Frank Coleman, a vice president.\n\n{line}'
    assert extract_quotes(text)["quote"].tolist() == ["We will be there,"]


def test_according_to_closing_a_sentence_frames_no_words_after_its_source():
    table = extract_quotes("He told aides that he viewed Sanders as a threat, according to someone in attendance.")
    assert "in attendance" not in table["quote"].tolist()
    assert table["quote"].tolist() == ["that he viewed Sanders as a threat"]
