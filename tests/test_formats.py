"""Corpora in the formats researchers hold: CSV, TSV, JSON, JSONL, Parquet, .gz, metadata sidecars."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.load.corpus import EmptyCorpusError, find_files, load_corpus
from analysis.load.fields import detect_fields, parse_date
from conftest import shared_path

# Three invented articles, as a scraper would export them.
ARTICLES = [
    {
        "id": "n1", "title": "Bridge to close for repairs", "date": "2024-03-04", "outlet": "The Courier",
        "authors": ["Ann Lee", "Bo Kim"], "section": "city", "url": "https://courier.example/n1",
        "language": "en", "topic": "transport",
        "paragraphs": ["The river bridge will close on Monday, officials said.",
                       "“We have no choice,” the city engineer said. Detours start at 6 a.m.",
                       "Reporting by Ann Lee; editing by Bo Kim"],
    },
    {
        "id": "n2", "title": "Council approves budget", "date": "2024-03-05", "outlet": "The Courier",
        "authors": ["Cy Dunn"], "section": "politics", "url": "https://courier.example/n2",
        "language": "en", "topic": "budget",
        "paragraphs": ["The council approved the budget by seven votes to two.", "The mayor welcomed the vote."],
    },
    {
        "id": "n3", "title": "Ferry service resumes", "date": "2024-03-09", "outlet": "Harbour News",
        "authors": ["Di Ek"], "section": "city", "url": "https://harbour.example/n3",
        "language": "en", "topic": "transport",
        "paragraphs": ["Ferries run again after the storm.", "Passengers queued from dawn."],
    },
]
COMPARED = ["doc_id", "date", "date_text", "title", "text", "credits", "n_words", "n_paragraphs",
            "n_sentences", "content_hash", "outlet", "authors", "section", "url", "language", "topic"]


def _record(article: dict) -> dict:
    """The article as a JSON record with scraper-style names."""
    return {"id": article["id"], "headline": article["title"], "publish_date": article["date"] + "T09:30:00Z",
            "source": article["outlet"], "authors": article["authors"], "section": article["section"],
            "url": article["url"], "language": article["language"], "topic": article["topic"],
            "maintext": article["paragraphs"]}


def write_csv(path: Path, delimiter: str = ",") -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["id", "title", "date", "outlet", "author", "section", "url", "language", "topic", "text"])
        for a in ARTICLES:
            writer.writerow([a["id"], a["title"], a["date"], a["outlet"], json.dumps(a["authors"]), a["section"],
                             a["url"], a["language"], a["topic"], "\n\n".join(a["paragraphs"])])


def write_jsonl(path: Path) -> None:
    path.write_text("".join(json.dumps(_record(a)) + "\n" for a in ARTICLES), encoding="utf-8")


def write_json_folder(folder: Path) -> None:
    folder.mkdir()
    for a in ARTICLES:
        (folder / f"{a['id']}.json").write_text(json.dumps(_record(a)), encoding="utf-8")


def write_txt_folder(folder: Path) -> None:
    folder.mkdir()
    for a in ARTICLES:
        header = (f"date {a['date']}\ntitle: {a['title']}\nsource: {a['outlet']}\nby: {'; '.join(a['authors'])}\n"
                  f"section: {a['section']}\nurl: {a['url']}\n")
        (folder / f"{a['id']}.txt").write_text(header + "\n" + "\n\n".join(a["paragraphs"]) + "\n", encoding="utf-8")
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "language", "topic"])
        writer.writerows([f"{a['id']}.txt", a["language"], a["topic"]] for a in ARTICLES)


def _table(corpus) -> pd.DataFrame:
    return corpus.articles[COMPARED].reset_index(drop=True)


@pytest.fixture()
def sources(tmp_path):
    write_csv(tmp_path / "news.csv")
    write_jsonl(tmp_path / "news.jsonl")
    write_json_folder(tmp_path / "json")
    write_txt_folder(tmp_path / "txt")
    return tmp_path


def test_csv_jsonl_json_folder_and_txt_with_sidecar_give_the_same_articles(sources):
    expected = _table(load_corpus(sources / "txt"))
    assert expected["doc_id"].tolist() == ["n1", "n2", "n3"]
    assert expected["authors"].tolist() == ["Ann Lee; Bo Kim", "Cy Dunn", "Di Ek"]
    assert expected["outlet"].tolist() == ["The Courier", "The Courier", "Harbour News"]
    assert expected["topic"].tolist() == ["transport", "budget", "transport"]
    assert expected["credits"].iloc[0] == "Reporting by Ann Lee; editing by Bo Kim"
    assert expected["date"].iloc[2] == pd.Timestamp("2024-03-09")
    for path in ("news.csv", "news.jsonl", "json"):
        pd.testing.assert_frame_equal(_table(load_corpus(sources / path)), expected, obj=path)


def test_paragraphs_and_sentences_of_rows_match_the_txt_articles(sources):
    txt, rows = load_corpus(sources / "txt"), load_corpus(sources / "news.jsonl")
    pd.testing.assert_frame_equal(rows.paragraphs, txt.paragraphs)
    pd.testing.assert_frame_equal(rows.sentences, txt.sentences)


def test_gz_versions_load_the_same(sources, tmp_path):
    folder = tmp_path / "gz"
    folder.mkdir()
    for name in ("news.csv", "news.jsonl"):
        with open(sources / name, "rb") as src, gzip.open(folder / f"{name}.gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
    expected = _table(load_corpus(sources / "news.csv"))
    pd.testing.assert_frame_equal(_table(load_corpus(folder / "news.csv.gz")), expected)
    both = load_corpus(folder)
    assert set(both.sources["format"]) == {"csv+gz", "jsonl+gz"}
    assert both.articles["doc_id"].tolist() == ["n1", "n2", "n3", "n1-1", "n2-1", "n3-1"]  # ids unique over the corpus
    assert both.articles["duplicate_of"].fillna("").tolist() == ["", "", "", "n1", "n2", "n3"]


def test_tsv_and_parquet_load_the_same(sources, tmp_path):
    write_csv(tmp_path / "news.tsv", delimiter="\t")
    expected = _table(load_corpus(sources / "news.csv"))
    pd.testing.assert_frame_equal(_table(load_corpus(tmp_path / "news.tsv")), expected)
    pd.DataFrame([_record(a) for a in ARTICLES]).to_parquet(tmp_path / "news.parquet")
    pd.testing.assert_frame_equal(_table(load_corpus(tmp_path / "news.parquet")), expected)


MESSY = '''id,title,body,date,author,desk,words
m1,Storm hits coast,"Winds reached 120 km/h.

""It was terrifying,"" a resident said.",2024-01-02,"[""Eve Fox"", ""Gus Hale""]",weather,12
m2,No date here,"A body without a date.",,Ida Jones,metro,5
m3,Empty body,,2024-01-03,Kai Lin,metro,0
m4,Bad date,Text with a bad date.,someday,Lu Ma,metro,5
m5,Too many,Text,2024-01-04,Mo,metro,1,EXTRA
'''


def test_messy_csv_is_fully_accounted_for(tmp_path):
    (tmp_path / "messy.csv").write_text(MESSY, encoding="utf-8")
    corpus = load_corpus(tmp_path / "messy.csv")
    report = corpus.report.set_index(corpus.report["reason"].str.extract(r"^row (\d+)")[0].fillna("0"))
    assert len(corpus.report) == 5  # one line per row, none lost
    articles = corpus.articles.set_index("doc_id")
    assert articles.index.tolist() == ["m1", "m2", "m4"]
    assert articles.loc["m1", "text"] == "Winds reached 120 km/h.\n\n\"It was terrifying,\" a resident said."
    assert articles.loc["m1", "authors"] == "Eve Fox; Gus Hale"
    assert articles.loc["m1", "desk"] == "weather" and articles.loc["m1", "words"] == "12"  # extra columns kept
    assert pd.isna(articles.loc["m2", "date"]) and pd.isna(articles.loc["m4", "date"])
    assert corpus.report["status"].tolist() == ["loaded", "warning", "skipped", "warning", "skipped"]
    reasons = corpus.report["reason"].tolist()
    assert reasons[1] == "row 2 (line 5): no date"
    assert reasons[2] == "row 3 (line 6): no text (field 'body' is empty)"
    assert reasons[3] == "row 4 (line 7): unparseable date 'someday'"
    assert reasons[4] == "row 5 (line 8): 8 fields where the header has 7"
    source = corpus.sources.iloc[0]
    assert (source["format"], source["rows"], source["loaded"], source["skipped"]) == ("csv", 5, 3, 2)
    assert "text<-body" in source["fields"] and "authors<-author" in source["fields"]
    assert report.index.tolist() == ["0", "2", "3", "4", "5"]


def test_bad_json_lines_are_listed_with_their_line(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "One."}\n\n{oops\n[1, 2]\n{"content": "Four."}\n', encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.report["status"].tolist() == ["warning", "skipped", "skipped", "warning"]
    assert corpus.report["reason"].iloc[1].startswith("row 2 (line 3): bad JSON")
    assert corpus.report["reason"].iloc[2] == "row 3 (line 4): a JSON list, not an object with fields"
    assert corpus.articles["doc_id"].tolist() == ["a-1", "a-4"]


def test_unsupported_files_are_listed_and_never_read_as_articles(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(EmptyCorpusError, match="unsupported file type .docx"):
        load_corpus(tmp_path)
    (tmp_path / "one.txt").write_text("date 2024-01-01\n\nSome text here.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.articles["doc_id"].tolist() == ["one"]
    skipped = corpus.report[corpus.report["status"] == "skipped"]
    assert [Path(p).name for p in skipped["path"]] == ["notes.docx", "scan.pdf"]
    assert skipped["reason"].str.startswith("unsupported file type").all()


def test_find_files_lists_only_txt_articles_and_never_a_csv(sources):
    assert find_files(sources / "news.csv") == []
    assert [f.name for f, _ in find_files(sources / "txt")] == ["n1.txt", "n2.txt", "n3.txt"]
    assert [f.name for f, _ in find_files(sources)] == ["n1.txt", "n2.txt", "n3.txt"]


def test_ids_fall_back_to_file_and_row_when_missing_or_repeated(tmp_path):
    (tmp_path / "dup ids.jsonl").write_text(
        '{"id": "a/1", "text": "One."}\n{"id": "x", "text": "Two."}\n{"id": "x", "text": "Three."}\n{"text": "Four."}\n',
        encoding="utf-8")
    assert load_corpus(tmp_path).articles["doc_id"].tolist() == ["a_1", "dup_ids-2", "dup_ids-3", "dup_ids-4"]


def test_ambiguous_dates_follow_dayfirst_and_are_counted(tmp_path):
    (tmp_path / "d.csv").write_text("text,date\nOne.,03/04/2024\nTwo.,25/04/2024\nThree.,1709251200\n", encoding="utf-8")
    us = load_corpus(tmp_path)
    assert us.articles["date_text"].tolist() == ["2024-03-04", "2024-04-25", "2024-03-01"]
    assert us.ambiguous_dates == 1 and us.sources["ambiguous_dates"].tolist() == [1]
    assert "read month-first (dayfirst=False); 1 row(s)" in us.summary()
    assert "ambiguous date '03/04/2024'" in us.report["reason"].iloc[0]
    eu = load_corpus(tmp_path, dayfirst=True)
    assert eu.articles["date_text"].tolist() == ["2024-04-03", "2024-04-25", "2024-03-01"]
    assert "day-first (dayfirst=True)" in eu.summary()


def test_field_overrides_and_outlet_from_url(tmp_path):
    (tmp_path / "s.csv").write_text(
        "content,notes,scraped_at,link,url\nThe body.,not the text,2024-05-06,x,https://www.wire.example/a\n",
        encoding="utf-8")
    corpus = load_corpus(tmp_path, fields={"text": "content", "date": "scraped_at"})
    article = corpus.articles.iloc[0]
    assert (article["text"], article["date_text"], article["outlet"]) == ("The body.", "2024-05-06", "wire.example")
    assert article["notes"] == "not the text" and article["link"] == "x"
    assert "date<-scraped_at" in corpus.sources["fields"].iloc[0]
    fmap = detect_fields(["Body", "Date"], {"text": "missing"})
    assert fmap.roles["text"] is None and fmap.missing_overrides == ("text='missing'",)


def test_clashing_metadata_names_get_a_prefix(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"text": "Body.", "n_words": 99, "path": "x"}\n', encoding="utf-8")
    article = load_corpus(tmp_path).articles.iloc[0]
    assert article["meta_n_words"] == 99 and article["meta_path"] == "x" and article["n_words"] == 1


def test_parse_date_forms():
    assert parse_date("2024-03-04T23:30:00-05:00").text == "2024-03-04"
    assert parse_date("March 4, 2024").text == "2024-03-04"
    assert parse_date(1709510400).text == "2024-03-04"
    assert parse_date("13/13/2024").problem == "unparseable date '13/13/2024'"
    assert parse_date(None).text is None and parse_date(None).problem is None


def test_cli_load_details_shows_format_and_fields(sources, capsys):
    assert main(["load", str(sources / "news.jsonl"), "--details"]) == 0
    out = capsys.readouterr().out
    assert "[jsonl]  3 rows, 3 loaded, 0 skipped" in out
    assert "text<-maintext, date<-publish_date, title<-headline, outlet<-source" in out


def test_wikinews_sidecar_adds_urls_and_outlets():
    folder = shared_path("WIKINEWS_CORPUS", "corpora/wikinews")
    corpus = load_corpus(folder)
    assert corpus.articles["url"].str.startswith("https://en.wikinews.org/").all()
    assert (corpus.articles["outlet"] == "en.wikinews.org").all()
    assert corpus.articles["dayline"].notna().all()


def test_nested_folders_mixing_formats_and_a_txt_gz(sources, tmp_path):
    mixed = tmp_path / "mixed"
    (mixed / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(sources / "news.csv", mixed / "sub" / "a.csv")
    (mixed / "sub" / "deeper" / "b.jsonl").write_text('{"body": "Deep text.", "date": "2024-02-02"}\n', encoding="utf-8")
    with gzip.open(mixed / "c.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("date 2024-02-03\n\nCompressed article text.")
    corpus = load_corpus(mixed)
    assert corpus.articles["doc_id"].tolist() == ["c", "n1", "n2", "n3", "sub__deeper__b-1"]
    assert corpus.sources["format"].tolist() == ["txt+gz", "csv", "jsonl"]
    assert corpus.articles.set_index("doc_id").loc["c", "text"] == "Compressed article text."


def test_txt_header_lines_only_right_after_a_date_line():
    from analysis.load.clean import parse_article

    parsed = parse_article("date 2024-01-01\n\nTitle: A Headline\nBy: Ann Lee\nLanguage: en\n\nBody text.")
    assert (parsed.title, parsed.headers, parsed.text) == ("A Headline", {"authors": "Ann Lee", "language": "en"}, "Body text.")
    assert parse_article("By: Ann Lee\n\nBody text.").headers == {}  # no date line: no headers
    assert parse_article("date 2024-01-01 source: the mayor said so.\n\nMore.").headers == {}


def test_every_corpus_has_the_field_columns_empty_when_no_source_says(tmp_path):
    from analysis.load.corpus import ARTICLE_COLUMNS, FIELD_COLUMNS

    (tmp_path / "a.txt").write_text("date 2024-01-01\n\nPlain text.", encoding="utf-8")
    plain = load_corpus(tmp_path).articles
    assert plain.columns.tolist() == ARTICLE_COLUMNS + FIELD_COLUMNS
    assert plain[FIELD_COLUMNS].iloc[0].tolist() == [""] * len(FIELD_COLUMNS)
    (tmp_path / "b.txt").write_text("date 2024-01-02\nsource: Wire\n\nHeaded text.", encoding="utf-8")
    articles = load_corpus(tmp_path).articles
    assert articles.columns.tolist() == ARTICLE_COLUMNS + FIELD_COLUMNS
    assert articles["outlet"].tolist() == ["", "Wire"]
