"""Near-duplicate articles (`analysis.summarise.duplicates`)."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis.summarise.duplicates import COLUMNS, near_duplicates, shingles

VOCABULARY = ("port strike union wages talks minister budget harbour council rail fares election vote "
              "court ruling appeal drought farmers prices rain grain export bank rates inflation housing "
              "market school teachers hospital nurses police inquiry report bridge repairs mayor city "
              "museum festival river flood insurers airline pilots fuel tax energy wind solar grid").split()


def story(seed: int, paragraphs: int = 12, words: int = 35) -> list[str]:
    """A made-up article of `paragraphs` paragraphs, the same for the same seed (by default the
    shape of a wire story: a dozen short paragraphs)."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "." for _ in range(paragraphs)]


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def test_shingles_are_runs_of_five_lowercased_words():
    assert shingles("The Mayor said, on Monday: the bridge is safe.") == {
        "the mayor said on monday", "mayor said on monday the", "said on monday the bridge",
        "on monday the bridge is", "monday the bridge is safe"}
    assert shingles("Too short.") == {"too short"}
    assert shingles("") == set() and shingles(None) == set()


def test_a_wire_copy_with_a_new_last_paragraph_is_flagged_and_other_stories_are_not():
    wire = story(1)
    rewritten_end = wire[:-1] + [text(story(99, paragraphs=1))]
    extra_paragraph = wire + ["The agency contributed to this report."]
    texts = pd.Series({
        "wire": text(wire),
        "other-1": text(story(2)),
        "copy-new-ending": text(rewritten_end),
        "copy-extra-line": text(extra_paragraph),
        "other-2": text(story(3)),
        "same-topic": text(story(1, paragraphs=3) + story(4, paragraphs=9)),  # shares three paragraphs only
    })
    found = near_duplicates(texts, threshold=0.8)
    assert list(found.columns) == COLUMNS
    assert sorted(found["doc_id"]) == ["copy-extra-line", "copy-new-ending"]
    assert set(found["duplicate_of"]) == {"wire"}
    assert found["similarity"].between(0.7, 1).all()
    assert (found["similarity"] == found["similarity"].round(2)).all()


def test_the_first_copy_is_the_earliest_dated_and_copies_point_at_it():
    base = story(5)
    texts = pd.Series({"late": text(base), "early": text(base[:-1] + ["Updated at noon with new figures."]),
                       "undated": text(base + ["Corrected."])})
    dates = pd.Series(pd.to_datetime(["2020-05-03", "2020-05-01", None]), index=["late", "early", "undated"])
    found = near_duplicates(texts, dates=dates).set_index("doc_id")
    assert found["duplicate_of"].to_dict() == {"late": "early", "undated": "early"}
    # Without dates the first in order is the original.
    assert set(near_duplicates(texts)["duplicate_of"]) == {"late"}


def test_near_duplicates_are_deterministic_and_handle_empty_texts():
    texts = pd.Series({f"doc-{i}": text(story(i % 7)) for i in range(30)} | {"empty": "", "none": None})
    first, second = near_duplicates(texts), near_duplicates(texts)
    pd.testing.assert_frame_equal(first, second)
    assert len(first) == 30 - 7  # each of seven stories kept once
    assert "empty" not in set(first["doc_id"]) | set(first["duplicate_of"])
    assert near_duplicates(pd.Series([], dtype="str")).empty


def test_the_threshold_is_a_similarity():
    texts = pd.Series({"a": text(story(1)), "b": text(story(1)[:9] + story(8)[:3])})  # Jaccard about 0.6
    assert near_duplicates(texts, threshold=0.8).empty
    assert len(near_duplicates(texts, threshold=0.5)) == 1
    with pytest.raises(ValueError, match="threshold"):
        near_duplicates(texts, threshold=1.5)
    with pytest.raises(ValueError, match="unique"):
        near_duplicates(pd.Series(["x", "y"], index=["a", "a"]))


class FakeTables:
    """What `corpus_near_duplicates` reads of `load_tables()`: the article rows, their texts, where
    the corpus and cache are; counts the texts read."""

    def __init__(self, root, cache, articles, texts):
        self.root, self.cache, self.article_info, self.texts, self.reads = root, cache, articles, texts, 0

    def article_texts(self, doc_ids):
        self.reads += 1
        return self.texts.reindex(list(doc_ids))


def test_the_corpus_table_is_cached_until_an_article_changes(tmp_path, monkeypatch):
    from analysis.summarise import duplicates
    from analysis.summarise.duplicates import corpus_near_duplicates

    monkeypatch.setattr(duplicates, "TEXT_BATCH", 2)  # three texts to read: two batches

    texts = pd.Series({"a": text(story(1)), "b": text(story(1) + ["Updated."]), "c": text(story(2)),
                       "exact": text(story(2))})
    articles = pd.DataFrame({"doc_id": list(texts.index), "content_hash": ["h1", "h2", "h3", "h3"],
                             "date": pd.to_datetime(["2020-01-02", "2020-01-01", None, None]),
                             "duplicate_of": [None, None, None, "c"]})
    tables = FakeTables(tmp_path / "corpus", tmp_path / "cache", articles, texts)
    first = corpus_near_duplicates(tables)
    # `b` is earlier; the exact copy is left to the loader's `duplicate_of`.
    assert first[["doc_id", "duplicate_of"]].values.tolist() == [["a", "b"]]
    again = corpus_near_duplicates(tables)
    assert tables.reads == 2, "read from the cache"
    pd.testing.assert_frame_equal(first, again)
    tables.article_info = articles.assign(content_hash=["h1", "h2-edited", "h3", "h3"])
    corpus_near_duplicates(tables)
    assert tables.reads == 4, "an edited article is a new corpus"
    assert len(list((tmp_path / "cache" / "derived").glob("*near-duplicates*"))) == 1, "the old table is removed"
