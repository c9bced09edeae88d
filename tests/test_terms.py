"""Term frequency (`analysis.extract.terms` per article, `analysis.summarise.terms` over a corpus,
`analysis.report.terms` for the word cloud) and name detection (`analysis.extract.names`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import load_corpus, paths
from analysis.extract import terms as T
from analysis.report import terms as R
from analysis.summarise import terms as S
from analysis.extract.names import proper_noun_spans
from analysis.load.text import words
from conftest import MINI_CORPUS, shared_path


@pytest.fixture(scope="module")
def seed():
    corpus = load_corpus(paths.PROJECT_ROOT / "seeds")
    return corpus.articles.text[0]


@pytest.fixture(scope="module")
def seed_terms(seed):
    return T.article_terms(seed)


@pytest.fixture(scope="module")
def mini():
    corpus = load_corpus(MINI_CORPUS)
    return corpus.articles, S.corpus_term_counts(corpus.articles)


# --- tokens ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("the U.S. military", ["the", "U.S.", "military"]),
    ("F-16 fighter jets", ["F-16", "fighter", "jets"]),
    ("almost 50,000 citizens", ["almost", "50,000", "citizens"]),
    ("the 1960s and ’70s", ["the", "1960s", "and", "’70s"]),
    ("the '90s", ["the", "'90s"]),
    ("up 3.5% on", ["up", "3.5%", "on"]),
    ("a 16-year-old driver", ["a", "16-year-old", "driver"]),
    ("U.S.-Latin America", ["U.S.", "Latin", "America"]),
    ("Maduro’s predecessor", ["Maduro’s", "predecessor"]),
    ("oil-rich nation", ["oil-rich", "nation"]),
    ("हम नहीं। Nicola\u0301s", ["हम", "नहीं", "Nicola\u0301s"]),  # combining marks stay inside
])
def test_tokens_keep_abbreviations_numbers_and_hyphens_whole(text, expected):
    assert words(text) == expected


# --- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, entity", [
    ("a standoff between President Nicolás Maduro and the Trump administration", "Nicolás Maduro", "person"),
    ("On Thursday, the State Department initiated the departure", "State Department", "organization"),
    ("few ships to the U.S. Southern Command, the military’s name", "U.S. Southern Command", "organization"),
    ("because the National Security Council and State Department", "National Security Council", "organization"),
    ("“NSC is handling it,” Army Col. Amanda Azubuike, a spokeswoman, said.", "Amanda Azubuike", "person"),
    ("Secretary of State Mike Pompeo arrived.", "Mike Pompeo", "person"),
    ("He flew to St. Louis on Monday.", "St. Louis", "place"),
    ("The Department of Defense said so.", "Department of Defense", "organization"),
    ("Oil spilled into the Gulf of Mexico last year.", "Gulf of Mexico", "place"),
    ("said Evan Ellis, an expert at the U.S. Army War College.", "Evan Ellis", "person"),
    ("said Evan Ellis, an expert at the U.S. Army War College.", "U.S. Army War College", "organization"),
    ("diplomats remained at the U.S. Embassy in Caracas on Friday", "Caracas", "place"),
    ("the rise of Maduro’s predecessor, Hugo Chávez, who saw", "Hugo Chávez", "person"),
    ("It is the largest in Latin America.", "Latin America", "place"),
    ("President Donald Trump met Nancy Pelosi. Trump said no.", "Donald Trump", "person"),
    ("General Motors cut jobs.", "General Motors", "organization"),
    ("John F. Kennedy was shot.", "John F. Kennedy", "person"),
    ("Hillary Clinton and Bill Clinton campaigned.", "Bill Clinton", "person"),
    ("Polls of African American voters moved.", "African American", None),
    ("Islamic State fighters retreated.", "Islamic State", "organization"),
    ("NEW YORK (UPI) -- The vote was close.", "NEW YORK", "place"),
    ("She lives in Washington D.C. He does not.", "Washington D.C.", "place"),
    ("He spoke to the Sirius XM Vice President today.", "Sirius XM", None),
])
def test_proper_noun_phrases_are_found_whole_with_an_entity_guess(text, name, entity):
    found = {text[s:e]: kind for s, e, kind in proper_noun_spans(text)}
    assert found.get(name, "missing") == entity, found


@pytest.mark.parametrize("text, not_names", [
    ("Military officials said the ships would stay.", {"Military", "Military officials"}),
    ("Steps to bolster security could include guards.", {"Steps"}),
    ("The crisis deepened on Friday. In March it ended.", {"The", "Friday", "In", "March", "In March"}),
    ("President Trump spoke.", {"President", "President Trump"}),
    ("Maduro’s predecessor left.", {"Maduro’s"}),
    ("I’m not seeing anything.", {"I", "I’m"}),
    ("the Former Secretary of State spoke", {"Former Secretary of State", "Secretary of State", "State"}),
])
def test_capitalised_words_that_are_not_names_are_left_out(text, not_names):
    found = {text[s:e] for s, e, _ in proper_noun_spans(text)}
    assert not found & not_names, found


def test_a_surname_alone_is_the_person_named_in_full_elsewhere():
    text = "Nicolás Maduro spoke. Later, Maduro left, and a Maduro government official stayed."
    spans = [(text[s:e], kind) for s, e, kind in proper_noun_spans(text)]
    assert spans.count(("Maduro", "person")) == 2


@pytest.mark.parametrize("text", ["", " ", "“" * 100_000, "'" * 100_000, "A. " * 30_000, "x" * 200_000,
                                  "Word " * 40_000, "of of Of the The " * 10_000])
def test_names_on_odd_input_give_valid_spans(text):
    spans = proper_noun_spans(text)
    assert all(0 <= s < e <= len(text) for s, e, _ in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "spans overlap or are out of order"


# --- per-article counts ---------------------------------------------------------------------

# What the seed is about, from reading it: a standoff in Venezuela and what the U.S. military
# (the Pentagon, through Southern Command, "Southcom") would do about the embassy in Caracas;
# "officials" speak throughout, the State Department orders departures, the military sends no
# "ships", and the story sets Venezuela in "Latin America". Maduro and Trump are the two sides.
SEED_TOP_20 = ["military", "u.s.", "venezuela", "officials", "embassy", "pentagon", "ships", "latin america"]
SEED_TOP_30 = ["state department", "southcom", "nicolás maduro", "trump", "crisis", "security", "region"]


def test_seed_top_terms_read_like_the_story(seed_terms):
    top = S.top_terms(seed_terms, 30)
    assert set(SEED_TOP_20) <= set(top["term"].head(20)), top["term"].tolist()
    assert set(SEED_TOP_30) <= set(top["term"]), top["term"].tolist()
    assert top["term"].iloc[0] == "military"
    assert not set(top["term"]) & T.TERM_STOPWORDS
    assert top.set_index("term").loc["u.s.", "form"] == "U.S."
    assert top.set_index("term").loc["latin america", "form"] == "Latin America"


@pytest.mark.parametrize("term, form, kind, entity, count", [
    ("military", "military", "word", None, 14),
    ("u.s.", "U.S.", "name", "place", 10),
    ("state department", "State Department", "name", "organization", 3),
    ("national security council", "National Security Council", "name", "organization", 1),
    # `Maduro` and `Maduro’s` count as the one full name the article uses.
    ("nicolás maduro", "Nicolás Maduro", "name", "person", 4),
    ("juan guaidó", "Juan Guaidó", "name", "person", 2),
    ("trump", "Trump", "name", "person", 4),
    ("u.s. southern command", "U.S. Southern Command", "name", "organization", 1),
    ("pentagon", "Pentagon", "name", "organization", 5),
    ("f-16", "F-16", "word", None, 1),
    ("50,000", "50,000", "number", None, 1),
    ("'70s", "’70s", "number", None, 1),
    ("1960s", "1960s", "number", None, 1),
    ("oil-rich", "oil-rich", "word", None, 1),
])
def test_seed_term_counts(seed_terms, term, form, kind, entity, count):
    row = seed_terms.set_index("term").loc[term]
    assert (row["form"], row["kind"], row["count"]) == (form, kind, count)
    assert (None if pd.isna(row["entity"]) else row["entity"]) == entity


def test_words_of_a_name_are_not_counted_again(seed_terms):
    keys = set(seed_terms["term"])
    assert "department" not in keys  # only in `State Department` and `Defense Department`
    assert "southern" not in keys and "southcom" in keys
    assert {"said", "the", "has", "’s", "'s", "s"}.isdisjoint(keys)


@pytest.mark.parametrize("text, expected", [
    ("Nicolás Maduro spoke. Maduro left.", {"nicolás maduro": 2}),
    ("Hillary Clinton met Bill Clinton. Clinton spoke.", {"hillary clinton": 1, "bill clinton": 1, "clinton": 1}),
    ("President Trump spoke. Trump left.", {"trump": 2}),
])
def test_a_surname_counts_under_the_one_full_name_of_the_article(text, expected):
    table = T.article_terms(text)
    names = table[table["kind"] == "name"]
    assert dict(zip(names["term"], names["count"])) == expected
    assert "maduro" in set(T.article_terms(text, full_names=False)["term"]) or "Maduro" not in text


def test_article_terms_table_shape(seed_terms):
    assert list(seed_terms.columns) == T.TERM_COLUMNS
    assert seed_terms["term"].is_unique
    assert (seed_terms["term"] == seed_terms["term"].str.lower()).all()
    assert seed_terms["count"].is_monotonic_decreasing
    assert set(seed_terms["kind"]) == {"word", "name", "number"}


def test_stop_words_extend_and_replace_per_call(seed):
    extended = T.article_terms(seed, extra_stopwords=["Military", "officials"])
    assert not {"military", "officials"} & set(extended["term"])
    replaced = T.article_terms("the cat and the hat", stopwords=["cat"])
    assert dict(zip(replaced["term"], replaced["count"])) == {"the": 2, "and": 1, "hat": 1}


@pytest.mark.parametrize("func, columns", [
    (T.article_terms, T.TERM_COLUMNS),
    (T.article_ngrams, T.NGRAM_COLUMNS),
])
@pytest.mark.parametrize("text", ["", "   \n\n ", "the of and", "“" * 100_000, "a" * 300_000,
                                  "The Army said. " * 20_000])
def test_odd_input_gives_a_table_with_the_columns(func, columns, text):
    table = func(text)
    assert list(table.columns) == columns
    assert (table["count"] > 0).all()


# --- n-grams and collocations -----------------------------------------------------------------

@pytest.mark.parametrize("text, n, present, absent", [
    ("Venezuela. Military ships sail.", 2, {"military ships"}, {"venezuela military"}),
    ("from Venezuela, officials said", 2, set(), {"venezuela officials"}),
    ("the tug of war over the oil", 3, {"tug of war"}, {"of war over", "war over the"}),
    ("the U.S. military and the U.S. military", 2, {"u.s. military"}, {"military and"}),
    ("Pentagon’s negligible role", 2, {"pentagon's negligible", "negligible role"}, set()),
    ("First paragraph ends here\n\nSecond paragraph", 2, {"first paragraph", "second paragraph"},
     {"here second"}),
    ("almost 50,000 citizens", 2, set(), {"50,000 citizens"}),
])
def test_ngrams_stay_inside_sentences_and_skip_stop_word_edges(text, n, present, absent):
    found = set(T.article_ngrams(text, n)["ngram"])
    assert present <= found and not absent & found, found


def test_seed_bigrams_and_collocations(seed):
    bigrams = S.top_ngrams(T.article_ngrams(seed, 2), 5)
    assert bigrams["ngram"].iloc[0] == "u.s. military"
    assert bigrams["count"].iloc[0] == 6
    assert {"latin america", "state department"} <= set(bigrams["ngram"])
    colloc = S.collocations([seed], min_freq=2, n=10)
    assert list(colloc.columns) == S.COLLOCATION_COLUMNS
    assert colloc["bigram"].iloc[0] == "latin america"
    assert colloc["score"].is_monotonic_decreasing
    pmi = S.collocations([seed], measure="pmi", min_freq=3)
    assert (pmi["count"] >= 3).all() and "latin america" in set(pmi["bigram"])
    tokens = [["new", "york", "city"], ["new", "york"], ["new", "york"]]
    assert S.collocations(tokens, min_freq=3)["bigram"].tolist() == ["new york"]


def test_collocations_from_stored_counts_equal_those_from_text(mini):
    articles, _ = mini
    counts = S.corpus_ngram_counts(articles, (1, 2))
    from_text = S.collocations(articles["text"], min_freq=2)
    assert len(from_text) > 3
    pd.testing.assert_frame_equal(S.collocations(counts, min_freq=2), from_text)
    with pytest.raises(ValueError):
        S.collocations(counts[counts["n"] == 2])


def test_ngrams_of_several_lengths_at_once(seed):
    table = T.article_ngrams(seed, (1, 2, 3))
    assert set(table["n"]) == {1, 2, 3}
    unigrams = table[table["n"] == 1].set_index("ngram")["count"]
    assert unigrams["the"] > 20, "n = 1 counts every token, stop words included"
    assert unigrams.sum() == len(words(seed))
    bigrams = T.article_ngrams(seed, 2)
    pd.testing.assert_frame_equal(table[table["n"] == 2].reset_index(drop=True), bigrams)
    assert S.top_ngrams(table, 3, length=3)["n"].eq(3).all()


# --- batch functions: one table for many articles ---------------------------------------------

_TRICKY = ["", "   \n\n ", "the cat sat on the mat", "Nicolás Maduro met Juan Guaidó in Caracas.",
           "“" * 50, "The U.S. said. The U.S. said. the u.s. said", "ΟΔΟΣ ΣΟΦΙΑΣ. Οδυσσέας. İstanbul"]


def _concatenated(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Per-article tables joined as the pipeline joins them when a stage has no batch function."""
    full = [table for table in tables if len(table)]
    return pd.concat(full, ignore_index=True) if full else tables[0]


@pytest.mark.parametrize("many, one", [
    (T.article_terms_many, T.article_terms),
    (lambda texts: T.article_ngrams_many(texts, (1, 2, 3)), lambda text: T.article_ngrams(text, (1, 2, 3))),
], ids=["terms", "ngrams"])
@pytest.mark.parametrize("which", ["seed, mini corpus and tricky texts", "no names at all", "only empty texts"])
def test_batch_equals_per_article_tables_concatenated(seed, mini, many, one, which):
    texts = {
        "seed, mini corpus and tricky texts": [seed, *mini[0]["text"], *_TRICKY],
        # `entity` is then None throughout: an object column, not text
        "no names at all": ["the cat sat on the mat", "", "dogs bark at night"],
        "only empty texts": ["", " "],
    }[which]
    tables = [one(text) for text in texts]
    table, counts = many(texts)
    assert counts == [len(t) for t in tables]
    expected = _concatenated(tables)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    for column in table.columns[table.dtypes == object]:  # None and NaN are not the same value
        assert [type(v) for v in table[column]] == [type(v) for v in expected[column]], column


# --- corpus tables on tiny hand-made counts --------------------------------------------------

def _counts(rows):
    table = pd.DataFrame(rows, columns=["doc_id", "term", "count"])
    table["form"], table["kind"], table["entity"] = table["term"], "word", None
    return table[T.COUNT_COLUMNS]


TINY = _counts([("d1", "apple", 8), ("d1", "pear", 2), ("d2", "apple", 2), ("d2", "pear", 8), ("d2", "plum", 10)])


def test_keyness_matches_hand_computed_log_likelihood():
    # Subset d1 has 10 terms, the rest (d2) 20. For apple, a = 8, b = 2; expected counts are
    # 10 * 10 / 30 and 20 * 10 / 30, so G2 = 2 (8 ln(8 / 3.333) + 2 ln(2 / 6.667)) = 9.1916.
    key = S.keyness(TINY, ["d1"], min_count=1).set_index("term")
    assert key.loc["apple", "g2"] == pytest.approx(9.191609, rel=1e-6)
    assert key.loc["apple", "log_ratio"] == pytest.approx(3.0)          # log2((8/10) / (2/20))
    assert key.loc["apple", "p_value"] == pytest.approx(0.0024313, rel=1e-4)
    assert key.loc["apple", "key_for"] == "subset" and key.loc["apple", "significant"]
    # plum never occurs in d1: G2 = 2 * 10 ln(10 / 6.667) = 8.1093; the zero is taken as 0.5.
    assert key.loc["plum", "g2"] == pytest.approx(8.109302, rel=1e-6)
    assert key.loc["plum", "log_ratio"] == pytest.approx(math.log2((0.5 / 10) / (10 / 20)))
    assert key.loc["plum", "key_for"] == "rest"
    assert key.loc["pear", "per_1000_subset"] == pytest.approx(200.0)
    assert key.index[0] == "apple", "the subset's key terms come first"
    assert S.log_likelihood(8, 2, 10, 20) == pytest.approx(9.191609, rel=1e-6)


def test_keyness_needs_a_subset_and_a_rest():
    assert list(S.keyness(TINY, ["d1", "d2"]).columns) == S.KEYNESS_COLUMNS
    assert len(S.keyness(TINY, ["d1", "d2"])) == 0
    assert len(S.keyness(TINY, [])) == 0
    assert len(S.keyness(TINY, ["d1"], min_count=100)) == 0


def test_tfidf_matches_hand_computed_values():
    counts = _counts([("d1", "apple", 2), ("d1", "pear", 2), ("d2", "apple", 1), ("d2", "plum", 3)])
    table = S.tfidf(counts, n=5)
    got = {(r.doc_id, r.term): (r.rank, r.tf, r.idf, r.tfidf) for r in table.itertuples()}
    idf_one_doc = math.log(3 / 2) + 1  # smoothed idf: ln((1 + N) / (1 + df)) + 1, N = 2
    assert got[("d1", "pear")] == pytest.approx((1, 0.5, idf_one_doc, 0.5 * idf_one_doc))
    assert got[("d1", "apple")] == pytest.approx((2, 0.5, 1.0, 0.5))
    assert got[("d2", "plum")] == pytest.approx((1, 0.75, idf_one_doc, 0.75 * idf_one_doc))
    assert got[("d2", "apple")] == pytest.approx((2, 0.25, 1.0, 0.25))
    assert S.tfidf(counts, n=1)["term"].tolist() == ["pear", "plum"]


def test_document_frequency_and_top_terms_on_a_tiny_table():
    df = S.document_frequency(TINY).set_index("term")
    assert df.loc["apple", "n_docs"] == 2 and df.loc["apple", "df"] == 1.0
    assert df.loc["plum", "idf"] == pytest.approx(math.log(3 / 2) + 1)
    top = S.top_terms(TINY, 3)
    assert top["term"].tolist() == ["apple", "pear", "plum"]  # 10 each: in more articles, then a-z
    assert top["per_1000"].iloc[0] == pytest.approx(1000 * 10 / 30)


def test_term_trends_per_period_with_gaps():
    articles = pd.DataFrame({
        "doc_id": ["d1", "d2", "d3"],
        "date": pd.to_datetime(["2021-01-05", "2021-03-02", None]),
    })
    counts = _counts([("d1", "bridge", 5), ("d1", "road", 5), ("d2", "bridge", 1), ("d2", "road", 9),
                      ("d3", "bridge", 100)])
    trends = S.term_trends(counts, articles, ["Bridge"], freq="M")
    assert trends["period"].tolist() == list(pd.to_datetime(["2021-01-01", "2021-02-01", "2021-03-01"]))
    assert trends["count"].tolist() == [5, 0, 1]
    assert trends["per_1000"].iloc[0] == pytest.approx(500.0)
    assert np.isnan(trends["per_1000"].iloc[1])  # no article in February
    assert trends["per_1000"].iloc[2] == pytest.approx(100.0)
    assert S.period_doc_ids(articles, "2021-03") == ["d2"]
    assert len(S.term_trends(counts, articles.assign(date=pd.NaT), ["bridge"])) == 0


@pytest.mark.parametrize("func", [S.top_terms, S.document_frequency, S.tfidf, S.top_ngrams])
def test_corpus_functions_accept_an_empty_count_table(func):
    assert len(func(S.corpus_term_counts(pd.DataFrame({"doc_id": [], "text": []})))) == 0


# --- a small corpus ---------------------------------------------------------------------------

def test_mini_corpus_tables(mini):
    articles, counts = mini
    assert list(counts.columns) == T.COUNT_COLUMNS
    assert set(counts["doc_id"]) == set(articles["doc_id"])
    top = S.top_terms(counts, 5)
    assert top["term"].iloc[0] == "bridge" and top["n_docs"].iloc[0] == len(articles)
    tfidf = S.tfidf(counts, 3)
    assert (tfidf.groupby("doc_id")["rank"].max() <= 3).all()
    first = articles["doc_id"].iloc[0]
    key = S.keyness(counts, [first], min_count=2)
    assert len(key) and set(key["key_for"]) <= {"subset", "rest"}
    assert (key["g2"] >= 0).all() and key["p_value"].between(0, 1).all()
    trends = S.term_trends(counts, articles, freq="M", n=3)
    assert trends["term"].nunique() == 3 and trends["period"].nunique() == 3  # March to May 2021


def test_kwic(mini):
    articles, _ = mini
    lines = S.kwic(articles, "Harbor Street bridge", width=20)
    assert list(lines.columns) == S.KWIC_COLUMNS and len(lines) >= 1
    for row in lines.itertuples():
        text = articles.set_index("doc_id").loc[row.doc_id, "text"]
        assert text[row.start:row.end] == row.match
        assert row.match.lower() == "harbor street bridge"
        assert len(row.left) <= 20 and len(row.right) <= 20
    assert len(S.kwic(articles, "bridge", max_lines=2)) == 2
    assert len(S.kwic(articles, "")) == 0
    formatted = S.kwic_lines(lines, width=20)
    assert "[" in formatted[0] and formatted[0].index("[") == 21


KWIC_TEXTS = [
    "In the ’70s and the '70s, U.S. officials said so.", "USA, not U.S.A. or US.", "São Paulo and SÃO PAULO",
    "prices of $5 and $50", "C++ and c++11", "the  Harbor\n Street bridge", "nothing here", "", "ÉCOLE école",
]


@pytest.mark.parametrize("term", ["'70s", "’70s", "u.s.", "US", "são paulo", "$5", "c++", "harbor street", "école", "(", "a[b"])
def test_kwic_prefilter_changes_nothing(monkeypatch, term):
    """The fast first pass selects every text Python's regex would match, and no more is shown."""
    articles = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(KWIC_TEXTS))], "text": KWIC_TEXTS})
    fast = S.kwic(articles, term, width=10)
    monkeypatch.setattr(S, "_may_match", lambda texts, pattern: np.ones(len(texts), dtype=bool))
    pd.testing.assert_frame_equal(fast, S.kwic(articles, term, width=10))


def test_seed_kwic_matches_possessives_and_apostrophes(seed):
    articles = pd.DataFrame({"doc_id": ["seed"], "text": [seed]})
    assert len(S.kwic(articles, "pentagon")) == 5
    assert len(S.kwic(articles, "u.s. embassy")) == 2
    assert len(S.kwic(articles, "'70s")) == 1


def test_word_cloud_is_drawn_the_same_way_twice():
    freqs = {"Nicolás Maduro": 5, "military": 14, "U.S.": 10}
    first = R.word_cloud_image(freqs, width=300, height=150)
    assert first.shape == (150, 300, 3) and first.std() > 0
    assert np.array_equal(first, R.word_cloud_image(freqs, width=300, height=150))
    assert (R.word_cloud_image({}, width=30, height=20) == 255).all()
    assert (R.word_cloud_image({"नहीं": 5}, width=30, height=20) == 255).all(), "no glyphs, no word"


@pytest.mark.parametrize("form, label", [
    ("Nicolás Maduro", "Nicolás Maduro"), ("U.S.", "U.S."), ("’70s", "’70s"), ("नहीं", "[Devanagari]"),
])
def test_chart_labels_never_need_glyphs_the_font_lacks(form, label):
    assert R.chart_label(form) == label


def test_wikinews_counts_per_article_build_every_table():
    folder = shared_path("WIKINEWS_DIR", "corpora/wikinews")
    corpus = load_corpus(folder)
    articles = corpus.articles.sort_values("doc_id").head(40)
    counts = S.corpus_term_counts(articles)
    assert set(counts["doc_id"]) == set(articles["doc_id"])
    assert not counts.duplicated(["doc_id", "term"]).any()
    trends = S.term_trends(counts, articles, freq="W")
    assert len(trends) and trends["per_1000"].dropna().ge(0).all()
    month = articles["date"].dt.to_period("M").mode()[0]
    key = S.keyness(counts, S.period_doc_ids(articles, month))
    assert len(key) and key["significant"].any()


# --- layers --------------------------------------------------------------------------------

def _modules_after_import(module: str) -> set[str]:
    """The modules loaded by importing `module` in a fresh interpreter (so that what other tests
    imported does not hide an import)."""
    import json
    import os
    import subprocess
    import sys

    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=paths.PROJECT_ROOT, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", ["analysis.extract.terms", "analysis.settings"])
def test_per_article_counting_imports_no_plotting(module):
    loaded = _modules_after_import(module)
    assert not {"matplotlib", "wordcloud", "nltk.collocations"} & loaded
    assert module in loaded


def test_function_words_come_from_their_lexicon_file():
    from analysis.lexicons import lexicon_path, words as lexicon

    assert lexicon_path("function_words").name == "function_words.txt"
    assert T.FUNCTION_WORDS == lexicon("function_words")
    assert {"much", "several", "col", "sen"} <= T.FUNCTION_WORDS <= T.TERM_STOPWORDS
    counted = set(T.article_terms("Col. Smith said several ships were much delayed.")["term"])
    assert not counted & T.FUNCTION_WORDS and "ships" in counted


def test_term_trends_bin_by_the_shared_period_rule(mini):
    from analysis.summarise.periods import choose_period

    articles, counts = mini
    assert choose_period(articles["date"]) == "W"  # March to May 2021
    default = S.term_trends(counts, articles, n=2)
    pd.testing.assert_frame_equal(default, S.term_trends(counts, articles, freq="W", n=2))
    assert (default["period"].dt.day_of_week == 0).all(), "weeks start on Monday"
    one_day = articles.assign(date=pd.Timestamp("2021-03-01"))
    daily = S.term_trends(counts, one_day, n=2)
    assert daily["period"].unique().tolist() == [pd.Timestamp("2021-03-01")]
    assert daily["period"].dtype == "datetime64[us]"


def test_old_module_path_reexports_every_layer():
    from analysis import settings, terms

    assert terms.article_terms is T.article_terms and terms.COUNT_COLUMNS is T.COUNT_COLUMNS
    assert terms.top_terms is S.top_terms and terms.term_trends is S.term_trends
    assert terms.word_cloud_image is R.word_cloud_image and terms.chart_label is R.chart_label
    assert terms.RANDOM_STATE == settings.RANDOM_STATE == 0


# --- any text at all --------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "U.S.", "Col.", "President", "Nicolás", "Maduro’s", "of", "the", "The", "State", "Department", " ",
    "  ", "\n", "\n\n", ".", ",", "“", "”", "'", "’", "-", "F-16", "50,000", "’70s", "St.", "A.", "I",
    "NEW", "YORK", "de", "la", "for", "Secretary", "Gen.", "Monday", "May", "नहीं", "\u0301", "$", "%",
])
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=80).map("".join),
                   st.lists(_PIECES, max_size=80).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_any_text_gives_valid_tables_and_spans(text):
    spans = proper_noun_spans(text)
    assert all(0 <= s < e <= len(text) for s, e, _ in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(kind in (None, "person", "place", "organization") for _, _, kind in spans)
    table = T.article_terms(text)
    assert list(table.columns) == T.TERM_COLUMNS and table["term"].is_unique and (table["count"] > 0).all()
    ngrams = T.article_ngrams(text, (1, 2, 3))
    assert list(ngrams.columns) == T.NGRAM_COLUMNS and (ngrams["count"] > 0).all()
