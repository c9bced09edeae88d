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


# --- reliability: dates pandas cannot hold, the date line, links, size, command-line errors ---

OUT_OF_RANGE = ["1066-10-14", "0001-01-01", "9999-12-31", "1677-09-21", "2262-04-12"]


@pytest.mark.parametrize("stated", OUT_OF_RANGE)
def test_dates_pandas_cannot_hold_are_kept_as_text(stated):
    parsed = parse_article(f"date {stated}\n\nThe king said it was over.\n\nMore.")
    assert parsed.date is None
    assert parsed.date_text == stated
    assert parsed.text == "The king said it was over.\n\nMore."
    assert any("outside the dates pandas can hold" in w and stated in w for w in parsed.warnings)


def test_written_out_ancient_date_is_kept_as_text():
    parsed = parse_article("date: 14 Oct 1066\n\nBody.\n\nMore.")
    assert (parsed.date, parsed.date_text) == (None, "1066-10-14")


def test_in_range_dates_are_unchanged_and_also_given_as_text():
    parsed = parse_article("date 1677-09-22\n\nBody.")
    assert parsed.date == pd.Timestamp("1677-09-22") and parsed.date_text == "1677-09-22"
    assert parse_article("date 2019-13-45\n\nBody.").date_text is None


def test_one_ancient_date_does_not_fail_the_load(tmp_path, capsys):
    from analysis.cli import main

    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"date 2020-01-0{i + 1}\n\nArticle {i} says things.", encoding="utf-8")
    for i, stated in enumerate(OUT_OF_RANGE[:3]):
        (tmp_path / f"old{i}.txt").write_text(f"date {stated}\n\nOld article {i}.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    articles = corpus.articles.set_index("doc_id")
    assert len(articles) == 6
    assert str(articles["date"].dtype) == "datetime64[ns]"
    assert articles.loc["a0", "date"] == pd.Timestamp("2020-01-01") and articles.loc["a0", "date_text"] == "2020-01-01"
    for i, stated in enumerate(OUT_OF_RANGE[:3]):
        assert pd.isna(articles.loc[f"old{i}", "date"])
        assert articles.loc[f"old{i}", "date_text"] == stated
    report = corpus.report.set_index("doc_id")
    assert report.loc["old0", "status"] == "warning" and "1066-10-14" in report.loc["old0", "reason"]
    assert main(["load", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "loaded:      3" in out and "warnings:    3" in out and "outside the dates pandas can hold" in out


@pytest.mark.parametrize(
    "raw",
    [
        "date 2019-01-25 EST\n\nFirst paragraph here.\n\nSecond.",
        "date 2019-01-25 10:30 EST\n\nFirst paragraph here.\n\nSecond.",
        "date 2019-01-25 7:15 p.m. (GMT)\n\nFirst paragraph here.\n\nSecond.",
        "date 2019-01-25T10:30 -05:00\n\nFirst paragraph here.\n\nSecond.",
        "2019-01-25 UTC\n\nFirst paragraph here.\n\nSecond.",
        " date 2019-01-25 10:30 UTC+1 First paragraph here.\n\nSecond.",
        "date: January 25, 2019 10:30 EST\n\nFirst paragraph here.\n\nSecond.",
    ],
)
def test_time_and_zone_after_the_date_belong_to_the_date_line(raw):
    parsed = parse_article(raw)
    assert parsed.date == pd.Timestamp("2019-01-25")
    assert parsed.title is None
    assert parsed.text == "First paragraph here.\n\nSecond."
    assert parsed.warnings == []


def test_a_title_after_a_dated_and_zoned_line_is_still_the_title():
    parsed = parse_article("date 2019-01-25 EST\n\nUS Envoy Leaves Caracas\n\nThe envoy left.")
    assert parsed.title == "US Envoy Leaves Caracas" and parsed.text == "The envoy left."
    # a body that starts with capitals is not a time zone
    assert parse_article(" date 2019-01-25 US officials said so.").text == "US officials said so."


@pytest.fixture()
def linked_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n\nSecret stuff here.", encoding="utf-8")
    (outside / "more").mkdir()
    (outside / "more" / "other.txt").write_text("date 2020-01-09\n\nOther outside article.", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("date 2020-01-02\n\nA good article. It says things.", encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inner.txt").write_text("date 2020-01-03\n\nInner article here.", encoding="utf-8")
    os.symlink(outside / "secret.txt", corpus / "passwd")
    os.symlink(outside / "more", corpus / "linked-folder")
    os.symlink(corpus / "sub" / "inner.txt", corpus / "inside-link.txt")  # stays inside: followed
    return corpus


def test_links_leaving_the_corpus_are_not_followed(linked_folder):
    corpus = load_corpus(linked_folder)
    assert set(corpus.articles["doc_id"]) == {"good", "sub__inner", "inside-link"}
    assert not corpus.articles["text"].str.contains("root:|Secret|Other outside").any()
    report = corpus.report.set_index("doc_id")
    for doc_id, kind in (("passwd", "a file"), ("linked-folder", "a folder")):
        assert report.loc[doc_id, "status"] == "skipped"
        assert f"symbolic link to {kind} outside the corpus folder" in report.loc[doc_id, "reason"]
        assert "follow_links=True" in report.loc[doc_id, "reason"]
    from analysis.load.corpus import find_files

    assert "passwd" not in {doc_id for _, doc_id in find_files(linked_folder)}  # what the pipeline reads


def test_links_are_followed_when_asked(linked_folder, capsys):
    from analysis.cli import main

    corpus = load_corpus(linked_folder, follow_links=True)
    assert {"passwd", "linked-folder__other"} <= set(corpus.articles["doc_id"])
    assert (corpus.report["status"] != "skipped").all()
    assert main(["load", str(linked_folder), "--details"]) == 0
    assert "outside the corpus folder" in capsys.readouterr().out
    assert main(["load", str(linked_folder), "--follow-links"]) == 0
    assert "files found: 5" in capsys.readouterr().out


def test_a_link_loop_ends_when_links_are_followed(tmp_path):
    (tmp_path / "a.txt").write_text("date 2020-01-02\n\nA good article.", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "loop")
    corpus = load_corpus(tmp_path, follow_links=True)
    assert corpus.articles["doc_id"].tolist() == ["a"]


def test_the_size_limit_is_one_exported_constant_and_refusals_give_size_and_limit(tmp_path):
    from analysis import load
    from analysis.load import clean

    assert load.MAX_FILE_BYTES == clean.MAX_FILE_BYTES == 10 * 2**20
    (tmp_path / "ok.txt").write_text("date 2020-01-02\n\nFits.", encoding="utf-8")
    (tmp_path / "big.txt").write_bytes(b"date 2020-01-02\n\n" + b"word " * 300)
    corpus = load_corpus(tmp_path, max_bytes=1000)
    reason = corpus.report.set_index("doc_id").loc["big", "reason"]
    assert reason.startswith("too large: 1,517 bytes") and "over the limit of 1,000 bytes" in reason
    assert "refused, not split" in reason


def test_an_article_that_grows_past_the_limit_after_its_size_was_checked_is_refused(tmp_path, monkeypatch):
    from analysis.load.corpus import read_article

    file = tmp_path / "grows.txt"
    file.write_bytes(b"date 2020-01-02\n\nShort.")
    real_open = open

    def growing_open(path, mode="r", *args, **kwargs):  # the file grows between stat and read
        if str(path) == str(file) and "b" in mode:
            file.write_bytes(b"date 2020-01-02\n\n" + b"x" * 5000)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", growing_open)
    record = read_article(file, "grows", max_bytes=1000)
    assert record.status == "skipped" and "too large" in record.reason


def test_cli_turns_environment_errors_into_one_message(tmp_path, capsys):
    from analysis.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    argv = ["build", "--corpus", str(MINI_CORPUS), "--cache", str(blocker / "cache"), "--workers", "1", "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert str(blocker / "cache") in err and "Not a directory" in err and "What to do:" in err
    assert "Traceback" not in err
    assert main(["--debug", *argv]) == 2
    assert "Traceback" in capsys.readouterr().err
    assert main([*argv, "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("code, advice", [(13, "permissions"), (28, "disk space"), (2, "exists")])
def test_cli_says_what_to_do_for_each_kind_of_environment_error(monkeypatch, capsys, code, advice):
    from analysis import cli

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), "/data/articles/x.txt")

    monkeypatch.setattr("analysis.load.corpus.load_corpus", fail)
    assert cli.main(["load", "/data/articles"]) == 2
    err = capsys.readouterr().err
    assert "/data/articles/x.txt" in err and os.strerror(code) in err and advice in err
