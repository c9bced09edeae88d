"""The cached pipeline reads what `load_corpus` reads: article metadata (header lines, `metadata.csv`
sidecars) and the rows of CSV/JSON/JSONL/Parquet files, each row cached on its own."""

from __future__ import annotations

import csv
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
