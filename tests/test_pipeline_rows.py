"""The cached pipeline reads what `load_corpus` reads: article metadata (header lines, `metadata.csv`
sidecars) and the rows of CSV/JSON/JSONL/Parquet files, each row cached on its own."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.load.corpus import FIELD_COLUMNS, load_corpus
from analysis.pipeline.tables import load_tables
from conftest import shared_path

STAGE_TABLES = ("quotes", "timexes", "sentiment", "terms")


def same_values(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal tables, where None and NaN both mean 'missing'."""
    assert list(left.columns) == list(right.columns)
    assert len(left) == len(right)
    for column in left.columns:
        a, b = left[column].tolist(), right[column].tolist()
        for x, y in zip(a, b):
            assert (x == y) or (pd.isna(x) and pd.isna(y)), (column, x, y)


def copy_with_sidecar(source: Path, target: Path, n: int) -> list[str]:
    """The first `n` articles of a shared corpus (files and their `metadata.csv` rows) in `target`."""
    with open(source / "metadata.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:n]
    key = "file"
    (target / "articles").mkdir(parents=True)
    for row in rows:
        name = Path(row[key]).name
        found = source / row[key] if (source / row[key]).exists() else source / "articles" / name
        shutil.copy(found, target / "articles" / name)
    with open(target / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [Path(r[key]).name for r in rows]


@pytest.fixture
def shared_copy(tmp_path):
    bbc = shared_path("NEWS_CORPORA", "corpora") / "bbc-news"
    reuters = bbc.parent / "reuters21578"
    if not reuters.exists():
        pytest.skip(f"{reuters} is not available")
    copy_with_sidecar(bbc, tmp_path / "corpus" / "bbc", 3)
    copy_with_sidecar(reuters, tmp_path / "corpus" / "reuters", 3)
    return tmp_path / "corpus"


def test_articles_carry_the_metadata_load_corpus_gives(shared_copy, tmp_path):
    corpus = load_corpus(shared_copy)
    tables = load_tables(shared_copy, tmp_path / "cache", workers=1, progress=False)
    for name in ("articles", "article_info"):
        table = getattr(tables, name)
        expected = corpus.articles.drop(columns=[] if name == "articles" else ["text"])
        same_values(expected.reset_index(drop=True), table.reset_index(drop=True))
    info = tables.article_info
    for column in ("title", *FIELD_COLUMNS, "topic", "places", "dateline"):
        assert column in info.columns
    bbc = info[info["doc_id"].str.startswith("bbc")]
    assert set(bbc["topic"]) == {"business"}
    reuters = info[info["doc_id"].str.startswith("reuters")]
    assert reuters["date"].notna().all()  # the Reuters files state no date: the sidecar does
    assert reuters["dateline"].str.contains(",").all()
    same_values(corpus.report, tables.report)


def test_a_changed_sidecar_row_reloads_only_its_article(shared_copy, tmp_path):
    load_tables(shared_copy, tmp_path / "cache", workers=1, progress=False).articles  # noqa: B018
    sidecar = shared_copy / "bbc" / "metadata.csv"
    text = sidecar.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    fields = text[1].split(",")
    fields[header.index("topic")] = "economy"
    sidecar.write_text("\n".join([text[0], ",".join(fields), *text[2:]]) + "\n", encoding="utf-8")
    from analysis.pipeline.builder import build

    result = build(shared_copy, tmp_path / "cache", workers=1, progress=False)
    assert result.analysed == 1
    info = load_tables(shared_copy, tmp_path / "cache", build=False).article_info
    assert sorted(info["topic"].dropna()) == ["business", "business", "economy"]


# --- the same articles in every format -------------------------------------------------------

MINI = Path(__file__).resolve().parent / "fixtures" / "mini-corpus"
OUTLETS = ["The Courier", "Harbour News", "The Courier", "Wire Service", "Harbour News", "The Courier"]


def six_articles() -> list[dict]:
    """Five articles of the mini corpus and one more, with invented metadata."""
    loaded = load_corpus(MINI).articles
    articles = []
    for i, row in enumerate(loaded.itertuples()):
        articles.append({"id": f"n{i + 1}", "date": f"{row.date:%Y-%m-%d}", "title": f"Story number {i + 1}",
                         "text": row.text, "outlet": OUTLETS[i], "authors": [f"Writer {i}", "Desk"],
                         "section": "city" if i % 2 else "politics", "url": f"https://news.example/{i + 1}",
                         "topic": "bridge"})
    articles.append({"id": "n6", "date": "2021-06-01", "title": "Story number 6",
                     "text": "The council met on Tuesday.\n\n“We will decide next week,” the mayor said.",
                     "outlet": OUTLETS[5], "authors": ["Writer 5"], "section": "politics",
                     "url": "https://news.example/6", "topic": "council"})
    return articles


def flat(article: dict) -> dict:
    return {**article, "authors": "; ".join(article["authors"])}


def write_formats(root: Path) -> dict[str, Path]:
    articles = six_articles()
    paths = {}
    paths["csv"] = root / "news.csv"
    pd.DataFrame([flat(a) for a in articles]).to_csv(paths["csv"], index=False)
    paths["jsonl"] = root / "news.jsonl"
    paths["jsonl"].write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    paths["json"] = root / "json"
    paths["json"].mkdir()
    for i, article in enumerate(articles):
        (paths["json"] / f"{i:02d}.json").write_text(json.dumps(article), encoding="utf-8")
    paths["txt"] = root / "txt"
    paths["txt"].mkdir()
    sidecar = []
    for i, article in enumerate(articles):
        name = f"{i:02d}.txt"
        header = f"date {article['date']}\ntitle: {article['title']}\nby: {'; '.join(article['authors'])}\n\n"
        (paths["txt"] / name).write_text(header + article["text"] + "\n", encoding="utf-8")
        sidecar.append({"file": name, "outlet": article["outlet"], "section": article["section"],
                        "url": article["url"], "topic": article["topic"]})
    pd.DataFrame(sidecar).to_csv(paths["txt"] / "metadata.csv", index=False)
    return paths


def without_ids(table: pd.DataFrame) -> pd.DataFrame:
    """A table with doc ids and paths dropped (they name the file or row, not the article)."""
    return table.drop(columns=[c for c in ("doc_id", "path", "encoding", "duplicate_of", "id") if c in table.columns])


def test_csv_jsonl_json_folder_and_txt_folder_give_the_same_tables(tmp_path):
    paths = write_formats(tmp_path)
    results = {}
    for name, path in paths.items():
        tables = load_tables(path, tmp_path / f"cache-{name}", workers=1, progress=False)
        results[name] = {t: getattr(tables, t) for t in ("articles", *STAGE_TABLES, "report")}
        assert len(results[name]["articles"]) == 6, name
        assert (results[name]["report"]["status"] != "skipped").all(), name
    reference = results["csv"]
    assert reference["articles"]["outlet"].tolist() == OUTLETS
    assert reference["articles"]["authors"].iloc[0] == "Writer 0; Desk"
    assert len(reference["quotes"]) and len(reference["timexes"]) and len(reference["terms"])
    for name, tables in results.items():
        for table in ("articles", *STAGE_TABLES):
            pd.testing.assert_frame_equal(without_ids(tables[table]), without_ids(reference[table]),
                                          check_dtype=False, obj=f"{name} {table}")


# --- rows: every row accounted for, each cached on its own -----------------------------------

MESSY = '''id,published,source,headline,body,byline,desk,notes
m1,2024-03-04,The Courier,First,"The bridge closes on Monday.

“We have no choice,” the engineer said.",Ann Lee; Bo Kim,city,multi-line text
m2,,The Courier,No date,Text without any date at all.,,city,missing date
m3,2024-03-06,Harbour News,Empty,,Cy Dunn,city,no text
m4,2024-03-07,Harbour News,List author,Ferries run again after the storm.,"[""Di Ek"", ""Ed Fo""]",port,list-valued author
m5,not a date,Wire,Bad date,Prices rose in March.,Wire staff,business,unparseable date
'''


def test_a_messy_csv_accounts_for_every_row(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    tables = load_tables(path, tmp_path / "cache", workers=1, progress=False)
    report = tables.report
    assert len(report) == 5 and report["path"].eq(str(path)).all()
    by_id = report.set_index("doc_id")
    assert by_id.loc["m1", "status"] == "loaded"
    assert by_id.loc["m2", "reason"] == "row 2 (line 5): no date"
    assert by_id.loc["m3", "status"] == "skipped" and by_id.loc["m3", "reason"].startswith("row 3 (line 6): no text")
    assert by_id.loc["m5", "reason"].startswith("row 5 (line 8): unparseable date")
    articles = tables.articles.set_index("doc_id")
    assert list(articles.index) == ["m1", "m2", "m4", "m5"]
    assert articles.loc["m1", "text"].count("\n\n") == 1  # the field's two paragraphs
    assert articles.loc["m4", "authors"] == "Di Ek; Ed Fo"
    assert articles.loc["m1", "outlet"] == "The Courier" and articles.loc["m4", "section"] == ""
    assert articles["desk"].tolist() == ["city", "city", "port", "business"]  # extra columns kept
    assert articles["notes"].tolist()[2] == "list-valued author"
    same_values(load_corpus(path).report, report)


def test_rows_are_cached_one_by_one(tmp_path):
    from analysis.pipeline.builder import build

    path = tmp_path / "news.jsonl"
    rows = [{"id": f"r{i}", "date": f"2024-01-{i + 1:02d}", "text": f"Article {i} says the mayor met {i} people."}
            for i in range(5)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cache = tmp_path / "cache"
    assert build(path, cache, workers=1, progress=False).analysed == 5
    rows[2]["text"] = "Article two was corrected."
    rows.append({"id": "r5", "date": "2024-01-09", "text": "A new article."})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = build(path, cache, workers=1, progress=False)
    assert (result.analysed, result.from_cache, result.loaded) == (2, 4, 6)
    rows.insert(0, {"id": "r9", "text": ""})  # every other row moves down one line
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = build(path, cache, workers=1, progress=False)
    assert (result.analysed, result.loaded) == (1, 6)  # only the new row is read
    report = load_tables(path, cache, build=False).report
    assert report["reason"].iloc[0].startswith("row 1 (line 1): no text")
    assert report.set_index("doc_id").loc["r0", "reason"] == ""
    assert result.skipped["reason"].tolist() == [report["reason"].iloc[0]]


def test_a_csv_is_never_read_as_prose_and_options_reach_the_rows(tmp_path):
    path = tmp_path / "export.csv.gz"
    frame = pd.DataFrame({"content": ["The mayor spoke on Monday.", "Ferries resumed."],
                          "scraped_at": ["03/04/2024", "13/04/2024"], "site": ["a.example", "b.example"]})
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        frame.to_csv(handle, index=False)
    options = {"fields": {"text": "content", "date": "scraped_at", "outlet": "site"}, "dayfirst": True}
    tables = load_tables(path, tmp_path / "cache", workers=1, progress=False, **options)
    articles = tables.articles
    assert articles["text"].tolist() == frame["content"].tolist()
    assert articles["date_text"].tolist() == ["2024-04-03", "2024-04-13"]
    assert articles["outlet"].tolist() == ["a.example", "b.example"]
    assert "ambiguous date" in tables.report["reason"].iloc[0]
    same_values(load_corpus(path, **options).articles, articles)


def test_parquet_rows_and_a_cli_build(tmp_path, capsys):
    from analysis.cli import main

    path = tmp_path / "news.parquet"
    pd.DataFrame({"body": ["One. Two.", "Three."], "pub_date": ["2024-01-01", "2024-01-02"],
                  "media_name": ["X", "Y"]}).to_parquet(path)
    assert main(["build", "--corpus", str(path), "--cache", str(tmp_path / "cache"), "--quiet",
                 "--workers", "1", "--field", "title=media_name"]) == 0
    assert "2 table/JSON rows" in capsys.readouterr().out
    articles = load_tables(path, tmp_path / "cache", build=False).articles
    assert articles["title"].tolist() == ["X", "Y"] and articles["outlet"].tolist() == ["", ""]


def test_sources_say_which_field_filled_each_role(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "messy.csv").write_text(MESSY, encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    tables = load_tables(folder, tmp_path / "cache", workers=1, progress=False)
    sources = tables.sources.set_index("format")
    assert sources.loc["csv", "fields"].startswith("text<-body, date<-published, title<-headline, outlet<-source")
    assert (sources.loc["csv", "rows"], sources.loc["csv", "loaded"], sources.loc["csv", "skipped"]) == (5, 4, 1)
    assert sources.loc["unsupported", "note"].startswith("unsupported file type .docx")
    expected = load_corpus(folder).sources
    same_values(expected.drop(columns="note"), tables.sources.drop(columns="note"))


def test_parquet_list_columns_are_lists(tmp_path):
    path = tmp_path / "lists.parquet"
    pd.DataFrame({"text": ["The mayor spoke."], "authors": [["Ann Lee", "Bo Kim"]], "rank": [3]}).to_parquet(path)
    articles = load_tables(path, tmp_path / "cache", workers=1, progress=False).articles
    assert articles["authors"].tolist() == ["Ann Lee; Bo Kim"]
    assert articles["rank"].tolist() == [3]
    assert load_corpus(path).articles["authors"].tolist() == ["Ann Lee; Bo Kim"]
