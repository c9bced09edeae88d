"""The loader: the seed, the input variants real corpora have, and files that must be skipped."""

from __future__ import annotations

import codecs
import os

import pandas as pd
import pytest

from analysis.load.clean import clean_text, decode_bytes, parse_article
from analysis.load.corpus import EmptyCorpusError, load_corpus, make_doc_id
from conftest import MINI_CORPUS, shared_path


@pytest.fixture(scope="module")
def seed():
    return load_corpus()


def test_seed_loads_with_date_paragraphs_sentences_and_credit(seed):
    article = seed.articles.iloc[0]
    assert len(seed.articles) == 1
    assert article["date"] == pd.Timestamp("2019-01-25")
    assert article["n_paragraphs"] == 18
    assert len(seed.paragraphs) == 18
    assert len(seed.sentences) == 28
    assert "Julie Tate" in article["credits"]
    assert "Julie Tate" not in article["text"]
    assert not article["text"].startswith("date")
    assert seed.report["status"].tolist() == ["loaded"]


def test_seed_sentence_with_quote_and_abbreviations_stays_whole(seed):
    sentences = seed.sentences["text"].tolist()
    assert "“Let me just throw cold water on that,” the official said." in sentences
    assert any(s.startswith("“NSC is handling") and s.endswith("said in an email.") for s in sentences)
    assert any("U.S. Embassy in Caracas on Friday" in s for s in sentences)


def test_offsets_cut_the_text_back_out(seed):
    text = seed.articles["text"].iloc[0]
    for table in (seed.paragraphs, seed.sentences):
        for row in table.itertuples():
            assert text[row.start:row.end] == row.text


@pytest.mark.parametrize(
    "raw, date, title, body_start",
    [
        (" date 2019-01-25 First paragraph here.\n\nSecond.", "2019-01-25", None, "First paragraph"),
        ("date 2019-01-25\n\nFirst paragraph here.\n\nSecond.", "2019-01-25", None, "First paragraph"),
        ("date 2019-01-25\n\nA Title Line\n\nFirst paragraph here.", "2019-01-25", "A Title Line", "First paragraph"),
        ("\ufeffdate 2019-01-25\r\n\r\nFirst paragraph.\r\n\r\nSecond.", "2019-01-25", None, "First paragraph"),
        ("Headline Without Date\n\nBody text here.", None, "Headline Without Date", "Body text"),
        ("Just one paragraph without a date.", None, None, "Just one"),
        ("date 2019-13-45\n\nBody text.\n\nMore.", None, None, "Body text"),
        ("date: 2020-02-03 Body text.", "2020-02-03", None, "Body text"),
        ("date: January 25, 2019\n\nBody text.\n\nMore.", "2019-01-25", None, "Body text"),
        ("Date: 25 Jan 2019\nBody text.\n\nMore.", "2019-01-25", None, "Body text"),
        ("date Friday, January 25, 2019\n\nBody text.\n\nMore.", "2019-01-25", None, "Body text"),
        ("date 01/25/2019\n\nBody text.\n\nMore.", "2019-01-25", None, "Body text"),
        ("date sometime last winter\n\nBody text.\n\nMore.", None, None, "Body text"),
        (" date 2019-13-45 Short body.", None, None, "Short body."),
    ],
)
def test_header_variants(raw, date, title, body_start):
    parsed = parse_article(raw)
    assert parsed.date == (pd.Timestamp(date) if date else None)
    assert parsed.title == title
    assert parsed.text.startswith(body_start)


def test_unparseable_and_missing_dates_are_warnings():
    assert any("unparseable date" in w for w in parse_article("date 2019-13-45\n\nBody.").warnings)
    assert parse_article("Body only.").warnings == ["no date line"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("a\u200bb\u00adc", "abc"),                       # zero-width space, soft hyphen
        ("one   two\tthree", "one two three"),
        ("broken\nline wrap", "broken line wrap"),
        ("well-\nknown", "well-known"),
        ("para one\n\n\n\npara two", "para one\n\npara two"),
        ("bell\x07 char", "bell char"),
        ("Cafe\u0301", "Café"),                            # NFC
        ("``Quoted,'' he said.", "``Quoted,'' he said."),   # quote marks kept as written
        ("“curly” and \"straight\"", "“curly” and \"straight\""),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "credit",
    [
        "Julie Tate contributed to this report.",
        "Reporting by Jane Doe; Editing by John Roe",
        "(Additional reporting by Jane Doe in Paris)",
        "Jane Doe in London contributed to this report.",
    ],
)
def test_credit_lines_move_out_of_the_text(credit):
    parsed = parse_article(f"date 2020-01-01\n\nThe story.\n\n{credit}")
    assert parsed.text == "The story."
    assert parsed.credits == credit


def test_decoding_variants():
    text = "date 2020-01-01\n\nCafé “quoted”"
    assert decode_bytes(text.encode("utf-8")).warning is None
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")).text.startswith("date")
    utf16 = decode_bytes(text.encode("utf-16"))
    assert utf16.text == text and "UTF-16" in utf16.warning
    cp = decode_bytes(text.encode("cp1252"))
    assert cp.text == text and "cp1252" in cp.warning
    assert decode_bytes(b"\x00\x01\x02binary").problem.startswith("binary")
    assert decode_bytes(b"  \n ").problem == "empty file"


@pytest.fixture()
def bad_folder(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "good.txt").write_text("date 2020-01-02\n\nA good article. It says things.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "cp1252.txt").write_bytes("date 2020-01-03\n\nCaf\u00e9 \u201cquoted\u201d.".encode("cp1252"))
    (folder / "utf16.txt").write_bytes("date 2020-01-04\n\nUTF-16 article.".encode("utf-16"))
    (folder / "x.txt").mkdir()
    (folder / "huge.txt").write_bytes(b"word " * (4 * 1024 * 1024))  # 20 MiB on one line
    (folder / "only-date.txt").write_text("date 2020-01-05\n", encoding="utf-8")
    (folder / "z-copy.txt").write_text("date 2020-01-02\n\nA good article. It says things.", encoding="utf-8")
    (folder / "undecodable.txt").write_bytes(b"date 2020-01-01\n\nbad \x81\x8d\x8f\x90\x9d bytes")
    os.symlink(folder / "missing-target.txt", folder / "broken-link.txt")
    return folder


def test_bad_files_are_all_accounted_for(bad_folder):
    corpus = load_corpus(bad_folder)
    report = corpus.report.set_index("doc_id")
    assert len(report) == 11
    expected = {
        "good": ("loaded", ""),
        "empty": ("skipped", "empty"),
        "binary": ("skipped", "binary"),
        "cp1252": ("warning", "cp1252"),
        "utf16": ("warning", "UTF-16"),
        "x": ("skipped", "folder"),
        "huge": ("skipped", "too large"),
        "only-date": ("skipped", "no body"),
        "z-copy": ("warning", "duplicate of good"),
        "undecodable": ("skipped", "undecodable"),
        "broken-link": ("skipped", "broken symbolic link"),
    }
    for doc_id, (status, reason) in expected.items():
        assert report.loc[doc_id, "status"] == status, doc_id
        assert reason in report.loc[doc_id, "reason"], (doc_id, report.loc[doc_id, "reason"])
    assert set(corpus.articles["doc_id"]) == {"good", "cp1252", "utf16", "z-copy"}
    assert corpus.articles.set_index("doc_id").loc["cp1252", "text"] == "Café “quoted”."
    assert len(corpus.unique_articles()) == 3


def test_nothing_loadable_is_one_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyCorpusError, match=str(tmp_path)):
        load_corpus(tmp_path)
    with pytest.raises(EmptyCorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "relative, expected",
    [("a.txt", "a"), ("sub/a b.txt", "sub__a_b"), ("../../etc/passwd", "______etc__passwd"), ("ü.txt", "_")],
)
def test_doc_ids_are_safe_file_names(relative, expected):
    from pathlib import Path

    doc_id = make_doc_id(Path(relative))
    assert "/" not in doc_id and ".." not in doc_id.replace("_", "")
    assert doc_id == expected


def test_mini_corpus_has_dates_titles_and_credits():
    corpus = load_corpus(MINI_CORPUS)
    assert len(corpus.articles) == 5
    assert corpus.articles["date"].notna().all()
    assert corpus.articles["title"].notna().sum() == 1
    assert corpus.articles["credits"].notna().sum() == 1


def test_cli_load_prints_the_report(capsys):
    from analysis.cli import main

    assert main(["load", str(MINI_CORPUS)]) == 0
    out = capsys.readouterr().out
    assert "files found: 5" in out and "loaded:" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, n_articles, dated",
    [("reuters21578", 19_779, True), ("wikinews", 293, True), ("bbc-news", 2_225, False)],
)
def test_shared_corpora_load(name, n_articles, dated):
    root = shared_path("NEWS_CORPORA", "corpora") / name / "articles"
    corpus = load_corpus(root)
    assert len(corpus.articles) == n_articles
    assert (corpus.report["status"] != "skipped").sum() == n_articles
    if dated:
        assert corpus.articles["date"].notna().all()
    else:
        assert corpus.articles["date"].isna().all()
        assert corpus.articles["duplicate_of"].notna().sum() >= 98
        assert corpus.articles["title"].notna().all()
