"""Tests for who the sources are: gender with evidence (`analysis.extract.quotes.gender`), role
classes (`analysis.extract.quotes.roles`), the per-article columns of `extract_quotes`, and the
corpus identity step (`analysis.summarise.speakers`, the pipeline's `speaker_identities`)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.extract.quotes import COLUMNS, extract_quotes
from analysis.extract.quotes.gender import FIRST_NAMES, GENDERS, named_gender
from analysis.extract.quotes.roles import SOURCE_ROLES, source_role
from analysis.summarise.quotes import SPEAKER_KINDS, corpus_quotes, speaker_summary
from analysis.summarise.speakers import (
    find_speaker_overrides, identify_speakers, read_speaker_overrides, speaker_identities, speaker_table,
)


def _rows(text: str) -> list[tuple]:
    table = extract_quotes(text)
    return [(r.speaker, r.speaker_kind, r.speaker_gender, r.gender_evidence, r.source_role) for r in table.itertuples()]


# --- the seed's "done when" -----------------------------------------------------------------


def test_seed_speakers_have_gender_and_role():
    from analysis import load_corpus

    text = load_corpus(paths.PROJECT_ROOT / "seeds").articles["text"].iloc[0]
    table = extract_quotes(text)
    people = {r.speaker: (r.speaker_gender, r.source_role) for r in table.itertuples() if r.speaker_kind == "named"}
    assert people["Evan Ellis"] == ("male", "expert")
    assert people["Amanda Azubuike"][0] == "female" and people["Amanda Azubuike"][1] in ("spokesperson", "government")
    assert people["John Bolton"] == ("male", "government")
    officials = table[table["speaker"].str.lower().str.contains("official")]
    assert len(officials) >= 5
    assert set(officials["speaker_kind"]) == {"anonymous"} and set(officials["source_role"]) == {"government"}
    assert set(officials["speaker_gender"]) == {"unknown"} and set(officials["gender_evidence"]) == {""}


# --- gender ---------------------------------------------------------------------------------

GENDER_CASES = [
    pytest.param("“We are ready,” said Mr. Tom Hale.", ("Tom Hale", "male", "honorific"), id="honorific-in-phrase"),
    pytest.param("Tom Hale arrived late. “We are ready,” Mr. Hale said.", ("Tom Hale", "male", "honorific"),
                 id="honorific-before-surname"),
    pytest.param("Congresswoman Jane Doe said the bill would pass.", ("Jane Doe", "female", "noun"), id="title-noun"),
    pytest.param("“No,” said Alex Morgan, a Southcom spokeswoman.", ("Alex Morgan", "female", "noun"),
                 id="noun-beats-first-name"),
    pytest.param("Jordan Blake said the vote was close. He added that he would run again.",
                 ("Jordan Blake", "male", "pronoun"), id="pronoun-for-a-shared-first-name"),
    pytest.param("Evan Ellis said the ties were weak.", ("Evan Ellis", "male", "first_name"), id="first-name"),
    pytest.param("Ms. Kim Lopez said the vote was close. Lopez said he would run. Lopez said he was tired.",
                 ("Kim Lopez", "unknown", ""), id="honorific-against-pronouns"),
    pytest.param("Quinn Avery said the vote was close.", ("Quinn Avery", "unknown", ""), id="weak-first-name"),
    pytest.param("“No,” a spokeswoman said.", ("a spokeswoman", "unknown", ""), id="never-for-anonymous"),
    pytest.param("The company said that profits fell sharply last year.", ("The company", "unknown", ""), id="never-for-organisations"),
    pytest.param("Critics said the plan was rushed.", ("Critics", "unknown", ""), id="never-for-groups"),
]


@pytest.mark.parametrize("text, expected", GENDER_CASES)
def test_gender_with_evidence(text, expected):
    speaker, gender, evidence = expected
    rows = [(r[0], r[2], r[3]) for r in _rows(text)]
    assert (speaker, gender, evidence) in rows


def test_pronoun_resolved_to_the_speaker_counts():
    text = "“We will appeal,” said Robin Diaz, the city attorney. “This is not over,” she added."
    assert {r[2:4] for r in _rows(text)} == {("female", "pronoun")}


def test_named_gender_directly():
    assert named_gender("Sam Reed", "Sir", None) == ("male", "honorific")
    assert named_gender("Quinn Reed", None, "an aide to Congresswoman Ann Ray") == ("unknown", "")
    assert named_gender("Quinn Reed", None, "the chairwoman of the board") == ("female", "noun")
    assert named_gender("Reed", None, None, resolved_pronouns=(0, 2)) == ("female", "pronoun")
    assert named_gender("Reed", None, None, resolved_pronouns=(1, 1)) == ("unknown", "")



def _honorific_rows() -> list:
    from analysis.extract.quotes.gender import HONORIFIC_ROWS

    return [pytest.param(word, gender, kind, id=word) for word, (gender, kind) in HONORIFIC_ROWS.items()]


@pytest.mark.parametrize("word, gender, kind", _honorific_rows())
def test_the_honorifics_lexicon_decides_what_running_text_gives(word, gender, kind):
    """Every gendered `common` or `rank` honorific of the lexicon is read before a name, with and
    without a period; Dr. (no gender) and the `other` forms give no evidence from running text."""
    from analysis.extract.quotes.gender import honorifics_in

    read = kind in ("common", "rank") and gender != "-"
    for written in (f"{word.capitalize()}.", word.capitalize()):
        found = honorifics_in(f"Later {written} Tom Hale spoke to reporters.")
        assert found == ({"Tom": {gender}, "Hale": {gender}} if read else {}), written


def test_pronouns_of_another_person_with_the_same_surname_do_not_count():
    from analysis.extract.quotes.gender import pronoun_counts

    text = "Donald Trump spoke first. He was loud. Melania Trump said nothing. She smiled. Trump said he would win."
    assert pronoun_counts(text, "Melania Trump") == (0, 1)
    assert pronoun_counts(text, "Donald Trump") == (1, 0)
    assert pronoun_counts("Tom Hale came. He left. Hale said he was done.", "Tom Hale") == (2, 0)


@pytest.mark.parametrize("name", ["Working America", "South Florida", "When Trump"])
def test_no_pronoun_gender_for_names_that_are_not_people(name):
    text = f"{name} said the plan was bad. He said it again."
    assert named_gender(name, None, None, text) == ("unknown", "")
    assert named_gender("Trump", None, None, text.replace(name, "Trump")) == ("male", "pronoun")


def test_first_name_table_is_read():
    assert len(FIRST_NAMES) > 10_000
    share, count = FIRST_NAMES["mary"]
    assert share > 0.99 and count > 1_000_000
    assert FIRST_NAMES["john"][0] < 0.01


# --- roles ----------------------------------------------------------------------------------

ROLE_CASES = [
    (("Evan Ellis", None, "an expert in U.S.-Latin America military ties at the U.S. Army War College", "named"), "expert"),
    (("Amanda Azubuike", "Army Col.", "a Southcom spokeswoman", "named"), "spokesperson"),
    (("Amanda Azubuike", "Army Col.", None, "named"), "police_military"),
    (("John Bolton", None, "his national security adviser", "named"), "government"),
    (("Mark Trent", "Councillor", None, "named"), "politician"),
    (("Tom Ellis", "Sen.", None, "named"), "politician"),
    (("Donald Trump", "President", None, "named"), "politician"),
    (("Ann Lee", None, "the company's president", "named"), "business"),
    (("Jane Roe", None, "chief executive of Acme Corp.", "named"), "business"),
    (("Jo Bloggs", None, "a fellow at the Brookings Institution", "named"), "expert"),
    (("Ann Lee", None, "a reporter for the Times", "named"), "media"),
    (("Sam Ray", None, "an activist with Greenpeace", "named"), "advocacy"),
    (("Marco Reyes", None, "a local baker", "named"), "citizen"),
    (("Marco Reyes", None, "a baker", "named"), "other"),
    (("Military officials", None, None, "anonymous"), "government"),
    (("One defense official", None, None, "anonymous"), "government"),
    (("the mayor", None, None, "anonymous"), "politician"),
    (("Residents", None, None, "group"), "citizen"),
    (("police", None, None, "organization"), "police_military"),
    (("the State Department", None, None, "organization"), "government"),
    (("he", None, None, "pronoun"), "other"),
]


@pytest.mark.parametrize("args, role", ROLE_CASES, ids=[f"{a[0]}-{a[2] or a[1]}" for a, _ in ROLE_CASES])
def test_source_role(args, role):
    assert source_role(*args) == role
    assert role in SOURCE_ROLES


@pytest.mark.parametrize("text, expected", [
    ("State Department spokesman John Kirby said the talks would resume.", ("John Kirby", "male", "noun", "spokesperson")),
    ("Professor Ann Lee of Oxford University said the data were clear.", ("Ann Lee", "female", "first_name", "expert")),
    ("Jane Roe of Acme Corp. said that profits rose sharply this year.", ("Jane Roe", "female", "first_name", "business")),
    ("A spokeswoman for Greenpeace said the spill was huge.", ("A spokeswoman for Greenpeace", "unknown", "", "spokesperson")),
    ("“We are heartbroken,” said Linda Park, a mother of two from Leeds.", ("Linda Park", "female", "noun", "citizen")),
])
def test_role_and_gender_from_the_sentence(text, expected):
    assert [(r[0], r[2], r[3], r[4]) for r in _rows(text)] == [expected]


def test_new_columns_and_kinds():
    assert COLUMNS[-4:] == ["speaker_gender", "gender_evidence", "source_role", "speaker_id"]
    assert "group" in SPEAKER_KINDS
    table = extract_quotes("Critics said it was rushed. “No,” said Mr. Tom Hale. “Yes,” Hale said.")
    assert set(table["speaker_gender"]) <= set(GENDERS) and set(table["source_role"]) <= set(SOURCE_ROLES)
    assert table["speaker_id"].tolist() == ["group:critics", "tom-hale", "tom-hale"]
    assert extract_quotes("").columns.tolist() == COLUMNS


# --- identity across a corpus ---------------------------------------------------------------

ARTICLES = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [
    "“We will win,” said President Donald Trump. “Nobody is stronger,” Trump said.",
    "“It was a hoax,” Mr. Trump said. Officials said the plan was rushed.",
    "officials said the plan would go ahead. “I disagree,” said Sen. Elizabeth Warren. Warren said she would vote no.",
    "“It is too early,” Warren said. Bush said the party was divided. George Bush and Jeb Bush met on Monday.",
]})


def test_name_variants_and_surnames_join_across_articles():
    quotes = identify_speakers(corpus_quotes(ARTICLES))
    trump = quotes[quotes["mention"].str.contains("Trump", na=False)]
    assert set(trump["speaker"]) == {"Donald Trump"} and set(trump["speaker_id"]) == {"donald-trump"}
    assert len(trump) == 3 and set(trump["speaker_gender"]) == {"male"}
    warren = quotes[quotes["mention"] == "Warren"]
    # the surname alone in article d inherits the full name and gender of article c
    assert set(warren["speaker"]) == {"Elizabeth Warren"} and set(warren["speaker_gender"]) == {"female"}


def test_ambiguous_surname_stays_apart():
    quotes = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "quote": ["x", "y", "z"], "mention": ["George Bush", "Jeb Bush", "Bush"],
        "speaker": ["George Bush", "Jeb Bush", "Bush"], "speaker_kind": ["named"] * 3,
        "speaker_gender": ["male", "male", "unknown"], "gender_evidence": ["first_name", "first_name", ""],
        "source_role": ["other"] * 3, "speaker_id": ["george-bush", "jeb-bush", "bush"],
    })
    assert identify_speakers(quotes)["speaker_id"].tolist() == ["george-bush", "jeb-bush", "bush"]


def test_conflicting_articles_give_unknown_and_text_beats_first_names():
    quotes = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "quote": ["x"] * 4, "mention": ["Robin Day"] * 2 + ["Kim Ray"] * 2,
        "speaker": ["Robin Day"] * 2 + ["Kim Ray"] * 2, "speaker_kind": ["named"] * 4,
        "speaker_gender": ["female", "male", "male", "female"],
        "gender_evidence": ["pronoun", "honorific", "first_name", "noun"],
        "source_role": ["other", "expert", "other", "other"], "speaker_id": ["robin-day"] * 2 + ["kim-ray"] * 2,
    })
    out = identify_speakers(quotes).drop_duplicates("speaker_id").set_index("speaker_id")
    assert out.loc["robin-day", "speaker_gender"] == "unknown" and out.loc["robin-day", "source_role"] == "expert"
    assert tuple(out.loc["kim-ray", ["speaker_gender", "gender_evidence"]]) == ("female", "noun")


def test_common_noun_sources_are_one_speaker():
    quotes = identify_speakers(corpus_quotes(ARTICLES))
    table = speaker_table(quotes).set_index("speaker_id")
    assert table.loc["anonymous:officials", "speaker"] == "officials"
    assert table.loc["anonymous:officials", "quotes"] == 2 and table.loc["anonymous:officials", "articles"] == 2
    assert "Officials" not in set(speaker_summary(quotes)["speaker"])
    assert table.loc["donald-trump", "names"] == "President Donald Trump; Trump; Mr. Trump"


def test_overrides_rename_merge_and_describe(tmp_path):
    (tmp_path / "speakers.csv").write_text(
        "name,canonical,gender,role\nTrump,Donald J. Trump,,\nElizabeth Warren,,,expert\nofficials,,,politician\n",
        encoding="utf-8")
    found = find_speaker_overrides(tmp_path)
    assert found == tmp_path / "speakers.csv" and find_speaker_overrides(tmp_path / "none") is None
    quotes = identify_speakers(corpus_quotes(ARTICLES), found)
    trump = quotes[quotes["mention"].str.contains("Trump", na=False)]
    assert set(trump["speaker"]) == {"Donald J. Trump"} and set(trump["speaker_id"]) == {"donald-j-trump"}
    warren = quotes[quotes["speaker"] == "Elizabeth Warren"]
    assert set(warren["source_role"]) == {"expert"} and set(warren["speaker_gender"]) == {"female"}
    assert set(quotes.loc[quotes["speaker"].str.lower() == "officials", "source_role"]) == {"politician"}
    overridden = identify_speakers(corpus_quotes(ARTICLES), pd.DataFrame({"name": ["Warren"], "gender": ["male"]}))
    assert set(overridden.loc[overridden["speaker"] == "Elizabeth Warren", "gender_evidence"]) == {"override"}


@pytest.mark.parametrize("bad", [
    pd.DataFrame({"canonical": ["x"]}), pd.DataFrame({"name": ["x"], "gender": ["woman"]}),
    pd.DataFrame({"name": ["x"], "role": ["celebrity"]}), pd.DataFrame({"name": [""], "gender": ["male"]}),
])
def test_bad_overrides_are_refused(bad):
    with pytest.raises(ValueError):
        read_speaker_overrides(bad)


def test_identities_are_one_row_per_quoted_name():
    identities = speaker_identities(corpus_quotes(ARTICLES))
    assert not identities.duplicated(["speaker", "speaker_kind"]).any()
    assert speaker_identities(corpus_quotes(ARTICLES.iloc[0:0])).empty


def test_pipeline_caches_identities_with_the_corpus_overrides(tmp_path):
    from analysis.pipeline import load_tables
    from analysis.summarise.speakers import apply_identities

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, text in zip(ARTICLES["doc_id"], ARTICLES["text"]):
        (corpus / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
    (corpus / "speakers.csv").write_text("name,canonical,gender,role\nTrump,Donald J. Trump,,\n", encoding="utf-8")
    tables = load_tables(corpus, tmp_path / "cache", workers=1)
    assert len(tables.articles) == 4  # speakers.csv is not an article
    identities = tables.speaker_identities
    assert set(identities.loc[identities["speaker"] == "Trump", "canonical"]) == {"Donald J. Trump"}
    quotes = apply_identities(tables.quotes, identities)
    assert "donald-j-trump" in set(quotes["speaker_id"])


# --- a named person's role from every description in the article ----------------------------

from analysis.extract.quotes.roles import article_role, described_roles  # noqa: E402

ARTICLE_ROLE_CASES = [
    # the quoted mention is a bare name; the article describes the person elsewhere
    ("Republican presidential candidate Donald Trump spoke in Iowa. “We will win,” Trump said.",
     "Donald Trump", "politician"),
    ("Sen. Bernie Sanders toured the state. Sanders said the plan was weak.", "Bernie Sanders", "politician"),
    ("Bob Goodlatte (R-Va.) wrote a letter. Goodlatte said the bill would pass.", "Bob Goodlatte", "politician"),
    ("Jane Doe, a voter from Iowa, came early. “I am tired,” Doe said.", "Jane Doe", "citizen"),
    ("“It is over,” said Stacey Edwards, 31, outside the hall.", "Stacey Edwards", "citizen"),
    ("Joe Maloy, a Republican from the Concord area, said he would vote.", "Joe Maloy", "citizen"),
    ("“Prices will fall,” wrote Post columnist Ann Lee on Sunday.", "Ann Lee", "media"),
    ("Trump's campaign manager, Corey Lewandowski, said the rally was full.", "Corey Lewandowski", "politician"),
    ("Dow's chief executive, Andrew Liveris, said the timing was unrelated.", "Andrew Liveris", "business"),
    ("In an interview with Chris Wallace of Fox News, the senator hedged. Wallace asked again.", "Chris Wallace",
     "media"),
    ("Her chief of staff Cheryl Mills wrote back. Mills said it was fine.", "Cheryl Mills", "government"),
    # a present role beats a former one
    ("The economist Jared Bernstein, a former adviser in the White House, wrote on his blog.", "Jared Bernstein",
     "expert"),
    # "told CNN" does not make the speaker a journalist; the campaign they own makes them a politician
    ("Trump told CNN the race was over. Trump's campaign said nothing more.", "Donald Trump", "politician"),
    ("Trump told CNN the race was over.", "Donald Trump", "other"),
]


@pytest.mark.parametrize("text, name, role", ARTICLE_ROLE_CASES, ids=[c[1] + "-" + c[2] for c in ARTICLE_ROLE_CASES])
def test_article_role_reads_every_description(text, name, role):
    assert article_role(name, None, None, text) == role


def test_another_person_with_the_surname_does_not_describe():
    text = "President George W. Bush spoke first. Jeb Bush said the party was divided."
    assert described_roles("Jeb Bush", text) == []
    assert ("politician", False) in described_roles("George W. Bush", text)


def test_the_quoted_description_counts_twice():
    text = "Kim Ray, a professor at Yale, is also a Democrat. “It is early,” said Kim Ray, a voter."
    assert article_role("Kim Ray", None, "a voter", text) == "citizen"
    assert article_role("Kim Ray", None, None, text) == "expert"


def test_extract_quotes_gives_a_bare_name_the_role_the_article_describes():
    text = ("Democratic presidential candidate Hillary Clinton visited a school in Ohio on Monday. "
            "“We need more teachers,” Clinton said. “They are the future,” Clinton added.")
    table = extract_quotes(text)
    named = table[table["speaker_kind"] == "named"]
    assert len(named) >= 1 and set(named["source_role"]) == {"politician"}


def test_corpus_role_is_voted_by_articles_not_quotes():
    quotes = pd.DataFrame({
        "doc_id": ["a"] * 5 + ["b", "c", "d"], "quote": ["x"] * 8, "mention": ["Kim Ray"] * 8,
        "speaker": ["Kim Ray"] * 8, "speaker_kind": ["named"] * 8, "speaker_gender": ["unknown"] * 8,
        "gender_evidence": [""] * 8, "source_role": ["expert"] * 5 + ["politician", "politician", "other"],
        "speaker_id": ["kim-ray"] * 8,
    })
    assert set(identify_speakers(quotes)["source_role"]) == {"politician"}


def test_gold_halves_split_the_articles_deterministically():
    from analysis.evaluate.speakers import gold_sample

    gold = pd.DataFrame({"article": ["d", "a", "c", "b", "a", "e"], "name": list("uvwxyz")})
    tune, check = gold_sample(gold, "dev"), gold_sample(gold, "check")
    assert set(tune["article"]) == {"a", "c", "e"} and set(check["article"]) == {"b", "d"}
    assert len(tune) + len(check) == len(gold) and gold_sample(gold, None) is gold
    with pytest.raises(ValueError):
        gold_sample(gold, "all")


@pytest.mark.parametrize("name, pronouns, expected", [
    ("Bill Carter", (1, 1), ("male", "first_name")),    # another person's `she` nearby: the name decides
    ("Gloria Carter", (2, 3), ("female", "first_name")),
    ("Bill Carter", (1, 3), ("unknown", "")),           # pronouns against a one-sided name
    ("Robin Carter", (1, 1), ("unknown", "")),          # a name shared by both: nothing decides
])
def test_mixed_pronouns_give_way_to_a_one_sided_first_name(name, pronouns, expected):
    assert named_gender(name, None, None, "", pronouns) == expected
