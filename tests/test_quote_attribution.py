"""Tests for whole attributions (the `attribution` column of `extract_quotes`, and the attribution
view of `analysis.evaluate.quotes`) and for reported-speech patterns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.evaluate import quotes as qe
from analysis.extract.quotes import extract_quotes, extract_quotes_many

DATA = Path(__file__).resolve().parent / "data"


def _groups(table: pd.DataFrame) -> list[list[str]]:
    """The quotes of each attribution, in order of their first fragment."""
    groups: dict[int, list[str]] = {}
    for row in table.itertuples():
        groups.setdefault(row.attribution, []).append(row.quote)
    return list(groups.values())


# --- the attribution column -------------------------------------------------------------------

ATTRIBUTIONS = [
    # (text, the quotes of each attribution)
    pytest.param("“We are ready,” she said. “We have been ready for weeks.”",
                 [["We are ready,", "We have been ready for weeks."]], id="follow-on-same-paragraph"),
    pytest.param("“I think,” he said, “that we should wait.”", [["I think,", "that we should wait."]],
                 id="quotation-split-by-its-cue"),
    pytest.param("“We are ready,” she said.\n\n“We have been ready for weeks.”",
                 [["We are ready,", "We have been ready for weeks."]], id="follow-on-next-paragraph-continues"),
    pytest.param("“Yes,” she said. “Fine.” “Good.”\n\n“No,” he said.",
                 [["Yes,", "Fine.", "Good."], ["No,"]], id="two-speakers"),
    pytest.param("Officials said the road would reopen. “It will,” the mayor said.",
                 [["the road would reopen"], ["It will,"]], id="two-cues-two-attributions"),
    pytest.param("The new state budget plan, a senior aide said, would cut spending.",
                 [["The new state budget plan", "would cut spending"]], id="content-split-by-its-attribution"),
    pytest.param("“We are ready,” said Tad Devine, an adviser. “We could win enough delegates in Indiana,” which votes soon.",
                 [["We are ready,", "We could win enough delegates in Indiana,"]], id="follow-on-opens-a-sentence"),
    pytest.param("“We won,” she said. “Hamilton” is a great show.", [["We won,"]], id="a-title-opening-a-sentence"),
    pytest.param("“We are ready,” she said.\n\nHe left. “We have been ready for weeks.”",
                 [["We are ready,"], ["We have been ready for weeks."]], id="follow-on-inside-the-next-paragraph"),
    pytest.param("“It’s nonsense,” Mr. Trump said by telephone on NBC’s “Meet the Press.” “She lies.”",
                 [["It’s nonsense,", "She lies."]], id="title-after-skipped-adverbials"),
    pytest.param("The retirement age will not rise soon, he said, because Russians are now living longer.",
                 [["The retirement age will not rise soon", "because Russians are now living longer"]],
                 id="because-after-the-attribution-is-content"),
    pytest.param("Intro.\n\nIowa: Tim Albrecht, Brad Anderson, Rob Barron, Jeff Boeyink.\n\nClinton: I support D.C. statehood.",
                 [["I support D.C. statehood"]], id="a-labelled-list-of-names-is-no-transcript-line"),
    pytest.param("“Trump: I won,” he said.\n\nThe quote “A” is a title, said Smith, a critic.",
                 None, id="any-text"),
]


@pytest.mark.parametrize("text, expected", ATTRIBUTIONS)
def test_attribution_groups_the_fragments_of_one_attribution(text, expected):
    table = extract_quotes(text)
    if expected is not None:
        assert _groups(table) == expected
    # the id is the row number of the attribution's first fragment
    for position, row in enumerate(table.itertuples()):
        assert 0 <= row.attribution <= position
        assert table.attribution.iloc[row.attribution] == row.attribution
    assert table.attribution.dtype == "int64"


def test_attribution_ids_count_rows_within_each_article():
    texts = ["“A b c,” she said. “D e f.”", "Officials said the road would reopen.", "“G h,” he said."]
    table, counts = extract_quotes_many(texts)
    assert counts == [2, 1, 1]
    assert table.attribution.tolist() == [0, 0, 0, 0]


def test_seed_fragments_share_the_attribution_of_their_first_fragment():
    from analysis import load_corpus

    gold = json.loads((DATA / "seed-quotes.json").read_text(encoding="utf-8"))
    text = load_corpus(paths.PROJECT_ROOT / gold["document"]).articles["text"].iloc[0]
    table = extract_quotes(text)

    def attribution_of(quote: str) -> int:
        start = text.find(quote)
        rows = table[(table.quote_start < start + len(quote)) & (table.quote_end > start)]
        assert len(rows) == 1, quote
        return int(rows.attribution.iloc[0])

    continued = [item for item in gold["required"] if "same_attribution_as" in item]
    assert continued
    for item in continued:
        assert attribution_of(item["quote"]) == attribution_of(item["same_attribution_as"])
    first = [attribution_of(item["quote"]) for item in gold["required"] if "same_attribution_as" not in item]
    assert len(set(first)) == len(first)


# --- the attribution view of the scorer -----------------------------------------------------


def _rows(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["quote_start", "quote_end", "cue_start", "mention_start", "speaker"])


def test_attribution_groups_without_the_column_follow_the_anchors_rule():
    # "A," he said. "B."  /  "C," she said.  /  "D." (the previous row's cue is not between)
    table = _rows((1, 3, 6, 9, "he"), (15, 17, -1, -1, "he"), (21, 23, 26, 30, "she"), (40, 42, -1, -1, "she"),
                  (44, 46, -1, -1, "someone else"))
    assert qe.attribution_groups(table) == [[0, 1], [2, 3], [4]]


def test_attribution_groups_use_the_column_when_there_is_one():
    table = _rows((1, 3, 6, 9, "he"), (15, 17, -1, -1, "he"), (21, 23, 26, 30, "he")).assign(attribution=[0, 1, 0])
    assert qe.attribution_groups(table) == [[0, 2], [1]]
    joined = qe.join_attributions("", table)
    assert joined == [(((1, 3), (21, 23)), 0), (((15, 17),), 1)]


def test_score_article_joined_view_matches_a_split_quotation_as_one():
    text = "“We are ready,” she said. “We have been ready for weeks.”"
    second = text.index("“We have")
    she, said = text.index("she"), text.index("said")
    ann = (f"T1\tSource {she} {she + 3}\tshe\nT2\tCue {said} {said + 4}\tsaid\n"
           f"T3\tContent 0 {text.index(' she')};{second} {len(text)}\tx\n"
           "E1\tAttribution:T9 Source:T1 Cue:T2 Content:T3\n")
    gold = qe.parse_ann(ann)
    predicted = extract_quotes(text)
    fragment = qe.score_article(text, gold, predicted, 0.8, speech_only=True)
    joined = qe.score_article(text, gold, predicted, 0.8, speech_only=True, joined=True)
    assert (fragment.predicted, fragment.matched) == (2, 0)
    assert (joined.predicted, joined.matched, joined.speaker_correct) == (1, 1, 1)


def test_select_articles_halves_are_disjoint_and_cover_all():
    names = [f"article-{i:03d}" for i in range(11)]
    tune, check = qe.select_articles(names, "dev", None), qe.select_articles(names, "check", None)
    assert not set(tune) & set(check) and sorted(tune + check) == names
    assert qe.select_articles(names, "dev", None) == tune  # the same split every time


# --- reported speech: one case per rule ---------------------------------------------------

REPORTED = [
    # (text, [(quote, cue), ...])
    pytest.param("Clinton is calling for the United States to step up military efforts.",
                 [("the United States to step up military efforts", "calling")], id="progressive-complement"),
    pytest.param("Trump isn’t saying what other techniques he would support.",
                 [("what other techniques he would support", "saying")], id="negated-progressive"),
    pytest.param("Martin O’Malley went further, calling Trump a fascist.", [("Trump a fascist", "calling")],
                 id="calling-X-a-Y"),
    pytest.param("Trump called Wednesday for Justice Ginsburg to resign.", [("Justice Ginsburg to resign", "called")],
                 id="called-day-for"),
    pytest.param("A super PAC called Our Principles is spending money.", [], id="called-as-naming-still-nothing"),
    pytest.param("Despite Mr. Trump's claims that his net worth exceeds $10 billion, all firms put him lower.",
                 [("that his net worth exceeds $10 billion", "claims")], id="speech-noun-possessive"),
    pytest.param("State pushed back against claims by intelligence agencies that her messages were classified.",
                 [("that her messages were classified", "claims")], id="speech-noun-by"),
    pytest.param("The claim that originated in a deposition was false.", [], id="speech-noun-relative-clause"),
    pytest.param("The FBI is reportedly making arrangements to interview Hillary Clinton.",
                 [("The FBI is", "reportedly"), ("making arrangements to interview Hillary Clinton", "reportedly")],
                 id="reportedly"),
    pytest.param("“Russia, if you’re listening, find them.” Trump said.",
                 [("Russia, if you’re listening, find them.", "said")], id="attribution-after-a-sentence-break"),
    pytest.param("“We won.” He said the vote was fair.", [("the vote was fair", "said")],
                 id="next-sentence-with-its-own-content"),
    pytest.param("“We don’t think there’s room in the U.S.,” Zucker said.",
                 [("We don’t think there’s room in the U.S.,", "said")], id="abbreviation-before-closing-mark"),
    pytest.param("Chris Christie Says He Would Issue A Quarantine Over Zika Virus",
                 [("He Would Issue A Quarantine Over Zika Virus", "Says")], id="title-case-headline"),
    pytest.param("Then Mr. Rubin asked the students if they were always so serious.",
                 [("if they were always so serious", "asked")], id="asked-object-if"),
    pytest.param("When asked whether D.C. should have a vote in the House, he said no.",
                 [("whether D.C. should have a vote in the House", "asked")], id="asked-whether-abbreviation"),
    pytest.param("Clinton says she respects Sanders’ “passion” but argues that he can’t deliver.",
                 [("she respects Sanders’ “passion”", "says"), ("that he can’t deliver", "argues")],
                 id="but-argues-is-a-new-attribution"),
    pytest.param("He said there is “only one strong conservative in the race,” adding that it is why Trump attacks.",
                 [("there is “only one strong conservative in the race,”", "said"),
                  ("that it is why Trump attacks", "adding")], id="adding-after-a-quotation"),
    pytest.param("It is a classic scare tactic, as David Dayen noted in The Intercept.",
                 [("It is a classic scare tactic", "noted")], id="as-X-noted"),
    pytest.param("Lori Bernstein held up a sign saying “Jews Against Trump.”", [("Jews Against Trump.", "saying")],
                 id="noun-saying-quote"),
    pytest.param("Doctors warned of the risk of an outbreak.", [("the risk of an outbreak", "warned")], id="warned-of"),
    pytest.param("“We have come a long way,” he told cheering supporters in Nashua on Monday morning.",
                 [("We have come a long way,", "told")], id="quote-X-told-Y-trailing"),
    pytest.param("“I think,” he told the mayors, “that we should wait.”",
                 [("I think,", "told"), ("that we should wait.", "told")], id="quote-split-by-X-told-Y"),
    pytest.param("Clinton camp: Trump’s Islamaphobia threatens national security\n\nShe spoke on Monday.",
                 [("Trump’s Islamaphobia threatens national security", ":")], id="headline-label"),
]


@pytest.mark.parametrize("text, expected", REPORTED)
def test_reported_speech(text, expected):
    table = extract_quotes(text)
    assert [(r.quote, r.cue) for r in table.itertuples()] == expected


# --- round two: where reported content ends --------------------------------------------------

CONTENT_ENDS = [
    # (text, (quote, cue) of each row)
    pytest.param("Clinton attacked Trump, saying he would appoint judges who would overturn Roe v. Wade, "
                 "and reminded the audience of what he said.",
                 [("he would appoint judges who would overturn Roe v. Wade", "saying")], id="saying-A-and-reminded"),
    pytest.param("She escalated her criticism, telling CNN that Trump is a “faker” and questioning how he got away with it.",
                 [("that Trump is a “faker”", "telling")], id="telling-A-and-questioning"),
    pytest.param("He spoke at length, saying the plan was tested and approved by the board.",
                 [("the plan was tested and approved by the board", "saying")], id="saying-A-and-B-without-comma"),
    pytest.param("The senator said the plan would fail in an interview with CNN on Sunday.",
                 [("the plan would fail", "said")], id="said-A-in-an-interview"),
    pytest.param("Trump said the deadlock has “kept us safe” on Twitter.",
                 [("the deadlock has “kept us safe”", "said")], id="said-A-on-Twitter"),
    pytest.param("Sanders said the person would not get beat up at his rally, a swipe at the disturbances at Trump’s rallies.",
                 [("the person would not get beat up at his rally", "said")], id="said-A-closing-appositive"),
    pytest.param("Trump said he would cut taxes, spending and the deficit.",
                 [("he would cut taxes, spending and the deficit", "said")], id="said-A-list-is-no-appositive"),
    pytest.param("Paul Manafort said — on Twitter, as it happens — that Trump raised about $4 million that day.",
                 [("that Trump raised about $4 million that day", "said")], id="said-dashed-aside-that"),
    pytest.param("Mr. Trump said, among other things, that Mr. Bezos has a huge antitrust problem.",
                 [("that Mr. Bezos has a huge antitrust problem", "said")], id="said-among-other-things-that"),
    pytest.param("Jeff Flake said he would.", [("he would", "said")], id="said-short-answer"),
    pytest.param("Officials said the progress could easily be unraveled, whether by a new offensive or a collapse.",
                 [("the progress could easily be unraveled", "said")], id="said-A-comma-whether"),
    pytest.param("Here are nine ridiculous things Trump has said about Latinos in the last year.", [],
                 id="said-about-is-no-content"),
    pytest.param("Clinton leads Sanders 1,428 to 1,153 in pledged delegates, and 60 pledged delegates were at stake.", [],
                 id="pledged-delegates-is-an-adjective"),
    pytest.param("He said about half of the voters were undecided.",
                 [("about half of the voters were undecided", "said")], id="said-about-half"),
    pytest.param("Headline.\n\nHe spoke in Ohio. He had one message for the crowd: “We will win this state,” he said.",
                 [("We will win this state,", "said")], id="colon-then-quotation-then-trailing-cue"),
    pytest.param("The witness said the order was to avoid the hearing according to the report.",
                 [("the order was to avoid the hearing", "said")], id="said-A-according-to"),
]


@pytest.mark.parametrize("text, expected", CONTENT_ENDS)
def test_reported_content_ends_before_what_goes_with_the_sentence(text, expected):
    table = extract_quotes(text)
    assert [(r.quote, r.cue) for r in table.itertuples()] == expected


SOURCES = [
    # (text, (mention, speaker) of each row)
    pytest.param("“This is not the way,” said conservative activist Bob Klaus, who has been a fan of Cruz since 2012.",
                 [("conservative activist Bob Klaus", "Bob Klaus")], id="inverted-adjective-person-noun-name"),
    pytest.param("The plan is dead, said conservative activist Bob Klaus, who worked for Cruz.",
                 [("conservative activist Bob Klaus", "Bob Klaus")], id="inverted-after-indirect-content"),
    pytest.param("“If I was a donor, I’d want answers,” said a prominent Republican National Committee member who "
                 "supports Trump.", [("a prominent Republican National Committee member",
                                      "a prominent Republican National Committee member")], id="inverted-stops-before-who"),
    pytest.param("“The unions have a stranglehold,” said Steven Brill, author of “America’s Bitter Pill,” a history.",
                 [("Steven Brill", "Steven Brill")], id="inverted-title-in-the-appositive"),
    pytest.param("Sanders’ campaign called for a recount.", [("Sanders’ campaign", "Sanders’ campaign")],
                 id="plural-possessive-source"),
    pytest.param("Intro.\n\nAnd Mr. Christie gloated: “I told you he wouldn’t be ready.”", [("Mr. Christie", "Christie")],
                 id="subject-verb-colon-quotation"),
    pytest.param("Intro.\n\nIn a Fox interview later that day, Trump went even further: “If he goes forward and loses, it’s the end of his career.”",
                 [("Trump", "Trump")], id="subject-went-further-colon"),
    pytest.param("Intro.\n\nHe spoke. “How big is that wall?” asked the boy, who was wearing a hat and said his name was Tom.",
                 [("the boy", "the boy")], id="inverted-question-long-trailing-sentence"),
    pytest.param("Intro.\n\n“They feel he’s the one guy,” Thomas Hanify, the president of the Indiana state firefighters "
                 "union, said of his rank and file.", [("Thomas Hanify", "Thomas Hanify")], id="place-state-is-a-noun"),
    pytest.param("Intro.\n\nOfficials state that she will win.", [("Officials", "Officials")], id="officials-state-is-a-verb"),
    pytest.param("He’s not saying that the plan will work.", [("He", "He")], id="contracted-pronoun"),
]


@pytest.mark.parametrize("text, expected", SOURCES)
def test_source_phrase(text, expected):
    table = extract_quotes(text)
    assert [(r.mention, r.speaker) for r in table.itertuples()] == expected


REPORTED_SPEECH = [
    # (text, (quote, cue, mention) of each row): reported speech in shapes beyond `X said (that) ...`
    pytest.param("Intro.\n\nMedia titan Rupert Murdoch announced his engagement to former supermodel Jerry Hall.",
                 [("his engagement to former supermodel Jerry Hall", "announced", "Rupert Murdoch")],
                 id="announced-noun-phrase-object"),
    pytest.param("Intro.\n\nBroaddrick recounted the incident on a radio show.",
                 [("the incident", "recounted", "Broaddrick")], id="recounted-object-ends-before-adverbial"),
    pytest.param("Intro.\n\nOfficials announced he would run.", [("he would run", "announced", "Officials")],
                 id="announced-bare-clause-is-not-an-object"),
    pytest.param("Intro.\n\nThe firm denied the charges through his lawyer.", [], id="denied-object-is-no-content"),
    pytest.param("Intro.\n\nSure, official data suggest that the world's production peaked in 2013.",
                 [("that the world's production peaked in 2013", "suggest", "official data")],
                 id="subject-chunk-before-that"),
    pytest.param("Intro.\n\nExit polls found that, while nine in 10 said they thought the economy favors the wealthy.",
                 [("they thought the economy favors the wealthy", "said", "nine in 10")], id="subject-chunk-nine-in-10"),
    pytest.param("Intro.\n\nThe fight went on and many said goodbye.", [], id="subject-chunk-needs-a-clause"),
    pytest.param("Intro.\n\nSanders called him divisive and accused him of lying.",
                 [("him divisive", "called", "Sanders")], id="called-X-adjective-ends-before-second-verb"),
    pytest.param("Intro.\n\nHe called him back on Tuesday.", [], id="called-him-back-is-no-speech"),
    pytest.param("Intro.\n\nMichigan Attorney General Bill Schuette asked the Supreme Court for quick action.",
                 [("quick action", "asked", "Michigan Attorney General Bill Schuette")], id="asked-X-for-Y"),
    pytest.param("Intro.\n\nSanders called her fallen son her hero before explaining why she forgave Roof.",
                 [("her fallen son her hero", "called", "Sanders"), ("why she forgave Roof", "explaining", "Sanders")],
                 id="before-participle-question-object"),
    pytest.param("Intro.\n\n“He'd get choked up,” Mr. Brown said, recalling a visit to his church by Rafael Cruz.",
                 [("He'd get choked up,", "said", "Mr. Brown"), ("a visit to his church by Rafael Cruz", "recalling", "Mr. Brown")],
                 id="participle-noun-phrase-object"),
    pytest.param("Intro.\n\nRamos used his acceptance speech to call for the resignation of the president.",
                 [("the resignation of the president", "call", "Ramos")], id="infinitive-call-for"),
    pytest.param("Intro.\n\nHe went out of his way to say that Russia's economy had hit bottom.",
                 [("that Russia's economy had hit bottom", "say", "He")], id="infinitive-say-that"),
    pytest.param("Intro.\n\nIt appeared alongside an item suggesting that Mr. Rogan was hypocritical.",
                 [("that Mr. Rogan was hypocritical", "suggesting", "an item")], id="noun-then-participle-that"),
    pytest.param("Intro.\n\nBut as a Politico reporter noted, he didn’t even fill the place to the 20-yard line.",
                 [("he didn’t even fill the place to the 20-yard line", "noted", "a Politico reporter")],
                 id="as-X-noted-content-after-comma"),
    pytest.param("Intro.\n\nIt is a scare tactic, as David Dayen noted.", [("It is a scare tactic", "noted", "David Dayen")],
                 id="as-X-noted-content-before"),
    pytest.param("Intro.\n\nCruz has said for weeks he’s the only candidate who can beat Trump.",
                 [("he’s the only candidate who can beat Trump", "said", "Cruz")], id="said-for-weeks"),
    pytest.param("Intro.\n\nAbortion opponents said the decision, which struck down restrictions, would hurt women.",
                 [("the decision, which struck down restrictions, would hurt women", "said", "Abortion opponents")],
                 id="said-subject-relative-clause"),
    pytest.param("Intro.\n\nLast month, 26 percent said the same.", [("the same", "said", "26 percent")],
                 id="said-the-same-short-answer"),
    pytest.param("Intro.\n\nHe said so long to his staff.", [], id="said-so-long-is-no-short-answer"),
    pytest.param("Intro.\n\nABC moderator David Muir asked Republicans a simple question: Who will win?",
                 [("a simple question: Who will win", "asked", "David Muir")], id="asked-X-a-question"),
    pytest.param("Intro.\n\nMarco Rubio was asked to name a single legislative achievement.",
                 [("to name a single legislative achievement", "asked", None)], id="was-asked-to-name"),
    pytest.param("Intro.\n\nIn December, The New York Times wrote about the Twitter account of a militant group.",
                 [("the Twitter account of a militant group", "wrote", "The New York Times")], id="wrote-about-topic"),
    pytest.param("Intro.\n\nThe board announced about 200 new jobs.", [("about 200 new jobs", "announced", "The board")],
                 id="announced-about-is-no-topic"),
    pytest.param("Intro.\n\nAbout three in 10 said they prefer a more liberal agenda, but six in 10 said they want "
                 "the next president to continue those policies.",
                 [("they prefer a more liberal agenda", "said", "About three in 10"),
                  ("they want the next president to continue those policies", "said", "six in 10")],
                 id="subject-chunk-after-but"),
    pytest.param("Intro.\n\nThe rumour grew, but six in 10 said about the plan nothing new.", [],
                 id="subject-chunk-said-about-is-no-content"),
    pytest.param("Intro.\n\nThe crowd booed when he told Jeb Bush to quiet down.",
                 [("to quiet down", "told", "he")], id="told-X-to-Y"),
    pytest.param("Intro.\n\nMike Pence said in a statement released by the Trump campaign the AP report merits the "
                 "appointment of a special prosecutor.",
                 [("the AP report merits the appointment of a special prosecutor", "said", "Mike Pence")],
                 id="said-in-a-statement-released-by"),
    pytest.param("Intro.\n\nCook said Carter stopped the practice, but Cook did not say when.",
                 [("Carter stopped the practice", "said", "Cook"), ("when", "say", "Cook")], id="did-not-say-when"),
    pytest.param("Intro.\n\nTrump Calls On Obama To Resign", [("Obama To Resign", "Calls", "Trump")],
                 id="title-case-calls-on"),
    pytest.param("Intro.\n\nMany voters shrugged off the decision, with three in 10 saying a running mate would have no effect.",
                 [("a running mate would have no effect", "saying", "three in 10")], id="with-three-in-10-saying"),
    pytest.param("Intro.\n\nVoters cheered Trump's promise to build a wall on the border.",
                 [("to build a wall on the border", "promise", "Trump")], id="noun-promise-to"),
    pytest.param("Intro.\n\nHis calls for more troops have grown louder since the attack.",
                 [("more troops", "calls", None)], id="noun-calls-for-ends-before-the-verb"),
    pytest.param("Intro.\n\nShe made a vow to her mother.", [], id="noun-vow-to-a-person-is-no-complement"),
    pytest.param("Intro.\n\nShortly after Clinton was declared the winner in Maryland, Sanders spoke.",
                 [("Clinton", "declared", None), ("the winner in Maryland", "declared", None)], id="was-declared-the-winner"),
    pytest.param("Intro.\n\nHe was declared dead at the scene.", [], id="was-declared-without-a-title"),
    pytest.param("Intro.\n\nWhen asked at the business conference about the merger, she defended her decision.",
                 [("about the merger", "asked", None)], id="asked-at-a-place-about"),
    pytest.param("Intro.\n\nShe was asked in Ohio to leave the stage.", [], id="asked-at-a-place-to-leave-is-no-question"),
    pytest.param("Intro.\n\nExit polls told a tale of two parties, with Republicans more restless than Democrats.",
                 [("a tale of two parties", "told", "Exit polls")], id="told-a-tale-of"),
    pytest.param("Intro.\n\nWhen Trump announced his candidacy in June, he called for a wall.",
                 [("his candidacy in June", "announced", "Trump"), ("a wall", "called", "he")], id="object-before-a-comma"),
    pytest.param("Intro.\n\nShe has said little about the plan, and her aides are silent.",
                 [("the plan", "said", "She")], id="said-little-about"),
    pytest.param("Intro.\n\nCaucus-goers were slightly more likely to say they preferred Clinton.",
                 [("they preferred Clinton", "say", "Caucus-goers")], id="likely-to-say-a-bare-clause"),
    pytest.param("Intro.\n\nIt is hard to say the plan failed.", [], id="hard-to-say-is-no-attribution"),
    pytest.param("Intro.\n\nWhile saying that he does respect Mrs. Clinton, he continued to express doubts.",
                 [("that he does respect Mrs. Clinton", "saying", "he")], id="while-saying-then-the-subject"),
    pytest.param("Intro.\n\nAfter posting some of the tweets she was directed to post, Labott left.", [],
                 id="after-posting-is-no-leading-participle-cue"),
    pytest.param("Intro.\n\nOn the stage he tells one joke about Trump.", [("one joke about Trump", "tells", "he")],
                 id="tells-a-joke"),
    pytest.param("Intro.\n\nAs reported by Western Journalism, investigators found over 2,200 classified emails.",
                 [("investigators found over 2,200 classified emails", "reported", "Western Journalism")],
                 id="as-reported-by-X-then-the-content"),
    pytest.param("Intro.\n\nThe campaign is reserving ad time this week, as first reported by the New York Times.",
                 [("The campaign is reserving ad time this week", "reported", "the New York Times")],
                 id="content-then-as-first-reported-by-X"),
]


@pytest.mark.parametrize("text, expected", REPORTED_SPEECH)
def test_reported_speech_shapes(text, expected):
    table = extract_quotes(text)
    assert [(r.quote, r.cue, r.mention) for r in table.itertuples()] == expected
