"""The scale pipeline: cache keys, resuming, corrupt files, failing articles, engines, safe names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_corpus, pipeline
from analysis.pipeline import builder, chunks, engines, store, versions
from analysis.pipeline import tables as tables_module
from analysis.cli import main
from analysis.load.corpus import EmptyCorpusError
from analysis.paths import PROJECT_ROOT
from analysis.pipeline import Stage, build, load_tables

MINI = PROJECT_ROOT / "tests" / "fixtures" / "mini-corpus"
N_MINI = len(list(MINI.glob("*.txt")))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _count_rows(text: str) -> pd.DataFrame:
    """A stand-in analysis that always exists: one row per paragraph with its word count."""
    return pd.DataFrame({"paragraph": range(len(text.split("\n\n"))),
                         "n_words": [len(p.split()) for p in text.split("\n\n")]})


def _paragraph_words(article: dict) -> pd.DataFrame:
    return _count_rows(article["text"])


def _fails_on_budget(article: dict) -> pd.DataFrame:
    if "budget" in article["doc_id"]:
        raise ValueError("cannot analyse this one")
    return _count_rows(article["text"])


# Stand-in stages reuse the real table names so `load_tables` returns them; their module
# (this package's `corpus`) always exists, so the tests do not depend on other modules landing.
PARAGRAPH_STAGE = Stage("terms", "analysis.load.corpus", "read_article", _paragraph_words)
FAILING_STAGE = Stage("quotes", "analysis.load.corpus", "read_article", _fails_on_budget)


def test_tables_match_load_corpus(corpus: Path, cache: Path) -> None:
    tables = load_tables(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    loaded = load_corpus(corpus)
    for name in ("articles", "paragraphs", "sentences", "report"):
        pd.testing.assert_frame_equal(getattr(tables, name), getattr(loaded, name), obj=name)
    assert list(tables.terms.columns) == ["doc_id", "paragraph", "n_words"]
    assert tables.terms.groupby("doc_id", sort=False).size().to_dict() == loaded.articles.set_index("doc_id")["n_paragraphs"].to_dict()
    assert tables.errors.empty


def test_second_build_analyses_nothing(corpus: Path, cache: Path) -> None:
    first = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    second = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (first.analysed, first.from_cache) == (N_MINI, 0)
    assert (second.analysed, second.from_cache) == (0, N_MINI)


def test_adding_an_article_analyses_only_it(corpus: Path, cache: Path) -> None:
    build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)  # the next scan reuses the file list
    (corpus / "2021-06-01-new.txt").write_text(" date 2021-06-01 A new article.\n\nIt has two paragraphs.\n", encoding="utf-8")
    again = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (again.analysed, again.from_cache) == (1, N_MINI)
    tables = load_tables(corpus, cache, build=False, stages=[PARAGRAPH_STAGE])
    assert "2021-06-01-new" in set(tables.articles["doc_id"])
    assert (tables.terms["doc_id"] == "2021-06-01-new").sum() == 2
    (corpus / "2021-06-01-new.txt").write_text(" date 2021-06-01 An edited article.\n", encoding="utf-8")
    (corpus / "2021-03-01-bridge-closure.txt").rename(corpus / "2021-03-01-renamed.txt")
    edited = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (edited.analysed, edited.from_cache) == (1, N_MINI)  # a rename re-uses the analysis
    assert "2021-03-01-renamed" in set(edited.manifest["doc_id"])


def test_a_new_stage_runs_on_cached_articles_only_for_itself(corpus: Path, cache: Path) -> None:
    build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    other = Stage("timexes", "analysis.load.corpus", "read_article", _paragraph_words, adapter=2)
    result = build(corpus, cache, stages=[PARAGRAPH_STAGE, other], workers=1)
    assert result.analysed == N_MINI  # each article ran `other` only
    tables = load_tables(corpus, cache, build=False, stages=[PARAGRAPH_STAGE, other])
    pd.testing.assert_frame_equal(tables.timexes, tables.terms)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
@pytest.mark.parametrize("table", ["load/articles", "load/sentences", "terms/terms"])
def test_corrupt_cache_file_is_recomputed(corpus: Path, cache: Path, damage: str, table: str) -> None:
    expected = load_tables(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    stage, name = table.split("/")
    [file] = list(cache.glob(f"{stage}-*/{name}/*.parquet"))
    data = file.read_bytes()
    file.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"not parquet at all", "empty": b""}[damage])
    tables = load_tables(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    for field in ("articles", "paragraphs", "sentences", "terms", "report"):
        pd.testing.assert_frame_equal(getattr(tables, field), getattr(expected, field), obj=field)


def test_failing_article_is_reported_and_the_rest_complete(corpus: Path, cache: Path) -> None:
    tables = load_tables(corpus, cache, stages=[FAILING_STAGE, PARAGRAPH_STAGE], workers=1)
    assert tables.errors[["doc_id", "stage"]].values.tolist() == [["2021-03-22-bridge-budget", "quotes"]]
    assert "ValueError: cannot analyse this one" in tables.errors["error"].iloc[0]
    assert tables.errors["path"].iloc[0].endswith("2021-03-22-bridge-budget.txt")
    assert set(tables.quotes["doc_id"]) == set(tables.articles["doc_id"]) - {"2021-03-22-bridge-budget"}
    assert set(tables.terms["doc_id"]) == set(tables.articles["doc_id"])
    # The failure is cached with the article: a re-run reports it again without re-analysing.
    again = build(corpus, cache, stages=[FAILING_STAGE, PARAGRAPH_STAGE], workers=1)
    assert again.analysed == 0 and len(again.errors) == 1


@pytest.mark.parametrize("strict, expected_status", [(False, 0), (True, 1)])
def test_strict_build_exits_non_zero_on_a_failing_article(
    corpus: Path, cache: Path, monkeypatch, capsys, strict: bool, expected_status: int
) -> None:
    monkeypatch.setattr(builder, "STAGES", (FAILING_STAGE,))
    argv = ["build", "--corpus", str(corpus), "--cache", str(cache), "--workers", "1", "--quiet"]
    assert main(argv + (["--strict"] if strict else [])) == expected_status
    out = capsys.readouterr().out
    assert "2021-03-22-bridge-budget [quotes] ValueError: cannot analyse this one" in out


def test_interrupted_build_resumes(corpus: Path, cache: Path, monkeypatch) -> None:
    monkeypatch.setattr(engines, "CHUNK_ARTICLES", 1)
    real_commit = builder.commit
    commits = []

    def commit_then_die(*args):
        if len(commits) == 2:
            raise KeyboardInterrupt
        commits.append(1)
        real_commit(*args)

    monkeypatch.setattr(builder, "commit", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    monkeypatch.setattr(builder, "commit", real_commit)
    resumed = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (resumed.analysed, resumed.from_cache) == (N_MINI - 2, 2)
    assert not [f for f in cache.rglob("*") if f.name.endswith(".tmp")]


def test_many_shards_are_compacted(corpus: Path, cache: Path, monkeypatch) -> None:
    expected = load_tables(corpus, cache / "one", stages=[PARAGRAPH_STAGE], workers=1)
    monkeypatch.setattr(engines, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(store, "COMPACT_ABOVE", 2)
    tables = load_tables(corpus, cache / "many", stages=[PARAGRAPH_STAGE], workers=1)
    for folder in (cache / "many").glob("*-*/*"):
        assert len(list(folder.glob("*.parquet"))) == 1, folder
    for field in ("articles", "sentences", "terms", "report"):
        pd.testing.assert_frame_equal(getattr(tables, field), getattr(expected, field), obj=field)


def test_duplicate_files_share_one_analysis(corpus: Path, cache: Path) -> None:
    shutil.copy(corpus / "2021-03-01-bridge-closure.txt", corpus / "2021-03-01-copy.txt")
    result = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (result.analysed, result.duplicates) == (N_MINI, 1)  # the identical copy is analysed once
    tables = load_tables(corpus, cache, build=False, stages=[PARAGRAPH_STAGE])
    pd.testing.assert_frame_equal(tables.report, load_corpus(corpus).report)
    copy = tables.terms[tables.terms["doc_id"] == "2021-03-01-copy"].drop(columns="doc_id").reset_index(drop=True)
    original = tables.terms[tables.terms["doc_id"] == "2021-03-01-bridge-closure"].drop(columns="doc_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(copy, original)


def test_process_pool_and_dask_engines_give_the_same_tables(corpus: Path, cache: Path) -> None:
    pytest.importorskip("dask.distributed")
    inline = load_tables(corpus, cache / "inline", stages=[PARAGRAPH_STAGE], workers=1)
    pooled = load_tables(corpus, cache / "pool", stages=[PARAGRAPH_STAGE], workers=2)
    dasked = load_tables(corpus, cache / "dask", stages=[PARAGRAPH_STAGE], workers=2, engine="dask",
                         dask_processes=False)
    for field in ("articles", "paragraphs", "sentences", "terms", "report", "errors"):
        pd.testing.assert_frame_equal(getattr(pooled, field), getattr(inline, field), obj=field)
        pd.testing.assert_frame_equal(getattr(dasked, field), getattr(inline, field), obj=field)


def test_real_stages_run_when_their_modules_exist(corpus: Path, cache: Path) -> None:
    ready = pipeline.STAGES
    tables = load_tables(corpus, cache / "inline", workers=1)
    assert tables.errors.empty, tables.errors
    pooled = load_tables(corpus, cache / "pool", workers=2)  # the stages pickle to worker processes
    assert pooled.errors.empty, pooled.errors
    for stage in ready:
        pd.testing.assert_frame_equal(getattr(pooled, stage.name), getattr(tables, stage.name), obj=stage.name)
    for stage in ready:
        table = getattr(tables, stage.name)
        assert table.columns[0] == "doc_id"
        assert set(table["doc_id"]) <= set(tables.articles["doc_id"])


ODD_NAMES = ["a..b.txt", "a b?.txt", "x..\\..\\evil.txt", "-rf .txt", "ünïcode name.txt", "CON.txt",
             ".hidden.txt", "x" * 200 + ".txt", "..\\up.txt", "~$tmp.txt"]


def test_odd_file_names_stay_inside_the_cache(tmp_path: Path) -> None:
    corpus = tmp_path / "in" / ".." / "in"
    (tmp_path / "in" / "sub dir" / "x..y").mkdir(parents=True)
    for i, name in enumerate(ODD_NAMES):
        folder = tmp_path / "in" / ("sub dir/x..y" if i % 2 else "")
        (folder / name).write_text(f" date 2020-01-{i + 1:02d} Article number {i} about bridges.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    before = set(tmp_path.rglob("*"))
    tables = load_tables(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    created = set(tmp_path.rglob("*")) - before
    assert created and all(p.resolve().is_relative_to(cache.resolve()) for p in created)
    loaded = load_corpus(corpus)
    pd.testing.assert_frame_equal(tables.report, loaded.report)
    assert len(tables.articles) == len(loaded.articles) >= 7
    assert not any("/" in d or "\\" in d or d.startswith(".") for d in tables.report["doc_id"])


@pytest.mark.parametrize(
    "module, includes",
    [
        ("analysis.load.corpus", {"analysis.load.corpus", "analysis.load.clean", "analysis.load.text", "analysis.load.nlp_data", "analysis.paths"}),
        ("analysis.load.text", {"analysis.load.text", "analysis.load.nlp_data", "analysis.paths"}),
        ("analysis.paths", {"analysis.paths"}),
    ],
)
def test_code_version_covers_imported_modules(module: str, includes: set[str]) -> None:
    assert includes <= set(pipeline.module_closure(module))


def test_empty_corpus(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_bytes(b"")
    result = build(tmp_path / "c", cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (result.files, result.loaded) == (1, 0)
    with pytest.raises(EmptyCorpusError):
        load_tables(tmp_path / "c", cache, stages=[PARAGRAPH_STAGE], workers=1)


def test_bench_copies_are_distinct_and_measured(tmp_path: Path) -> None:
    from analysis import bench

    written = bench.make_copies(MINI, tmp_path / "copies", copies=3, limit=2)
    texts = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "copies").rglob("*.txt"))]
    assert written == len(texts) == 6 and len(set(texts)) == 6
    assert texts[0].rstrip().endswith("Benchmark copy 1.")

    results = bench.run_bench(MINI, copies=2, sample=4, workers=1, workdir=tmp_path)
    assert results["files"] == 2 * N_MINI
    assert results["build"]["articles"] == 2 * N_MINI and results["naive"]["articles"] == 4
    assert results["ratio"] > 0 and results["build"]["peak_rss_mb"] > 0
    assert results["rebuild_analysed"] == 0 and results["rows"]["articles"] == 2 * N_MINI
    assert "Speed-up over the naive baseline" in bench.format_report(results)
    assert list(tmp_path.glob("analysis-bench-*")) == []  # scratch removed


def _articles(folder: Path) -> list[dict]:
    from analysis.load.corpus import find_files, read_article

    records = [read_article(path, doc_id) for path, doc_id in find_files(folder)]
    return [
        {"doc_id": r.doc_id, "path": r.path, "text": r.article["text"], "date": r.article["date"],
         "title": r.article["title"], "sentences": [s[1:] for s in r.sentences]}
        for r in records if r.article
    ]


def test_batched_stages_equal_their_per_article_runs() -> None:
    batched = [s for s in pipeline.STAGES if s.batch is not None]
    assert [s.name for s in batched] == [s.name for s in pipeline.STAGES]
    articles = _articles(MINI)
    for stage in batched:
        frame, counts = stage.batch(articles)
        singles = [stage.run(a) for a in articles]
        assert counts == [len(t) for t in singles]
        pd.testing.assert_frame_equal(frame, pd.concat(singles, ignore_index=True), obj=stage.name)


def _batch_fails_on_budget(articles: list[dict]) -> tuple[pd.DataFrame, list[int]]:
    tables = [_fails_on_budget(a) for a in articles]
    return pd.concat(tables, ignore_index=True), [len(t) for t in tables]


def test_a_failing_batch_falls_back_to_articles_one_by_one(corpus: Path, cache: Path) -> None:
    stage = Stage("quotes", "analysis.load.corpus", "read_article", _fails_on_budget, batch=_batch_fails_on_budget)
    tables = load_tables(corpus, cache, stages=[stage], workers=1)
    assert tables.errors[["doc_id", "stage"]].values.tolist() == [["2021-03-22-bridge-budget", "quotes"]]
    assert tables.quotes["doc_id"].nunique() == N_MINI - 1


def test_a_corpus_without_quotes_or_dates_gives_empty_tables_with_their_columns(tmp_path: Path) -> None:
    from analysis.extract.quotes import COLUMNS as QUOTE_COLUMNS

    corpus = tmp_path / "plain"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A plain sentence with no attribution and no time in it.", encoding="utf-8")
    tables = load_tables(corpus, tmp_path / "cache")
    assert len(tables.quotes) == 0 and list(tables.quotes.columns) == ["doc_id", *QUOTE_COLUMNS]
    assert len(tables.timexes) == 0 and "value" in tables.timexes.columns
    assert len(tables.terms) > 0 and len(tables.sentiment) == 1


def test_corpus_totals_rank_exactly_as_the_counts_per_article(corpus: Path, cache: Path) -> None:
    """`term_totals` / `ngram_totals` give the term notebook's rankings without reading every
    article's counts; duplicates count as articles on both paths."""
    from analysis.summarise import terms

    shutil.copy(corpus / "2021-03-01-bridge-closure.txt", corpus / "2021-03-01-copy.txt")
    tables = load_tables(corpus, cache, workers=1)
    counts, ngrams = tables.terms, tables.ngrams
    totals, ngram_totals = tables.term_totals, tables.ngram_totals
    assert totals["count"].sum() == counts["count"].sum() and len(totals) < len(counts)
    assert len(list((cache / "derived").glob("*totals.parquet"))) == 2
    n_docs = counts["doc_id"].nunique()
    same = pd.testing.assert_frame_equal
    same(terms.top_terms(totals, 10_000), terms.top_terms(counts, 10_000))
    same(terms.top_terms(totals, 50, kinds=["name"]), terms.top_terms(counts, 50, kinds=["name"]))
    same(terms.document_frequency(totals, n_docs=n_docs), terms.document_frequency(counts, n_docs=n_docs))
    for length in (1, 2, 3):
        same(terms.top_ngrams(ngram_totals, 10_000, length=length), terms.top_ngrams(ngrams, 10_000, length=length))
    same(terms.collocations(ngram_totals, min_freq=1, n=100), terms.collocations(ngrams, min_freq=1, n=100))
    subset = ["2021-03-01-bridge-closure", "2021-03-01-copy"]
    mine = counts[counts["doc_id"].isin(subset)]
    same(terms.keyness(mine, subset, min_count=1, totals=totals), terms.keyness(counts, subset, min_count=1))
    full = terms.tfidf(counts, n=5, n_docs=n_docs)
    same(terms.tfidf(mine, n=5, n_docs=n_docs, totals=totals),
         full[full["doc_id"].isin(subset)].reset_index(drop=True))


def test_corpus_totals_follow_the_corpus(corpus: Path, cache: Path) -> None:
    first = load_tables(corpus, cache, workers=1).term_totals
    assert load_tables(corpus, cache, build=False).term_totals.equals(first)  # read back as stored
    (corpus / "2021-03-01-bridge-closure.txt").unlink()
    after = load_tables(corpus, cache, workers=1)
    pd.testing.assert_frame_equal(
        after.term_totals.reset_index(drop=True),
        after.terms.groupby(["term", "form", "kind", "entity"], dropna=False)
        .agg(count=("count", "sum"), n_docs=("doc_id", "size")).reset_index(),
        check_dtype=False)
    assert after.term_totals["count"].sum() < first["count"].sum()


def test_article_info_is_articles_without_the_text(corpus: Path, cache: Path) -> None:
    shutil.copy(corpus / "2021-03-01-bridge-closure.txt", corpus / "2021-03-01-copy.txt")
    tables = load_tables(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    pd.testing.assert_frame_equal(tables.article_info, tables.articles.drop(columns="text"))
    assert tables.articles["text"].str.len().gt(0).all()


def _collector_seen(article: dict) -> pd.DataFrame:
    import gc

    return pd.DataFrame({"collector_enabled": [gc.isenabled()]})


def test_the_garbage_collector_is_paused_during_a_chunk_and_restored_after() -> None:
    import gc
    import io

    stage = Stage("probe", "analysis.load.corpus", "read_article", _collector_seen)
    jobs = [pipeline.Job(0, str(next(MINI.glob("*.txt"))), "a", "h", False, ("probe",))]
    assert gc.isenabled()
    shard = pipeline.analyse_chunk(jobs, (stage,))["shards"][("probe", "probe")]
    assert pd.read_parquet(io.BytesIO(shard))["collector_enabled"].tolist() == [False]
    assert gc.isenabled()
    pause = chunks._COLLECTOR_PAUSE
    with pause:
        with pause:  # a second chunk, in another thread
            pass
        assert not gc.isenabled(), "still paused while the first chunk runs"
    assert gc.isenabled()
    gc.disable()
    try:
        with pause:
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()


def test_notebooks_run_by_run_skip_the_corpus_check(corpus: Path, cache: Path, monkeypatch) -> None:
    """`python -m analysis run` builds once; its notebooks' load_tables read without re-checking."""
    from analysis import paths

    built = load_tables(corpus, cache, workers=1)
    monkeypatch.setenv(paths.ENV_BUILT, pipeline.built_token(corpus, cache))
    monkeypatch.setattr(tables_module, "_build", lambda *a, **k: pytest.fail("checked the corpus again"))
    again = load_tables(corpus, cache)
    pd.testing.assert_frame_equal(again.articles, built.articles)
    pd.testing.assert_frame_equal(again.term_totals, built.term_totals)
    monkeypatch.setenv(paths.ENV_BUILT, pipeline.built_token(corpus, cache / "other"))
    with pytest.raises(pytest.fail.Exception):
        load_tables(corpus, cache)  # another cache: checked as usual


def test_article_texts_of_a_few_articles(corpus: Path, cache: Path) -> None:
    tables = load_tables(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    chosen = ["2021-03-01-bridge-closure", "no-such-article", tables.article_info["doc_id"].iloc[0]]
    texts = tables.article_texts(chosen)
    expected = load_corpus(corpus).articles.set_index("doc_id")["text"].reindex(chosen)
    assert texts.index.tolist() == chosen and texts.isna().tolist() == [False, True, False]
    assert texts.dropna().tolist() == expected.dropna().tolist()
    tables.articles  # noqa: B018 - once the whole table is read, it answers from it
    assert tables.article_texts(chosen).dropna().tolist() == expected.dropna().tolist()


@pytest.mark.parametrize("rows", [[], [0], [3, 4, 5, 0, 1, 2], [5, 5, 5], list(range(100)), list(range(99, -1, -1)),
                                  [*range(40, 80), *range(0, 40), 7, 7, *range(80, 100)], [*range(60, 100), *range(30)]])
def test_take_runs_equals_take(rows) -> None:
    """Shards put back in corpus order and duplicates' rows inserted, as slices or as one take."""
    import numpy as np
    import pyarrow as pa

    table = pa.table({"a": [f"w{i}" for i in range(100)], "n": range(100)})
    table = pa.concat_tables([table.slice(0, 35), table.slice(35, 65)])  # two chunks, as read from shards
    rows = np.array(rows, dtype=np.int64)
    assert pipeline.take_runs(table, rows).equals(table.take(pa.array(rows)))
    assert pipeline.take_runs(table["a"], rows).equals(table["a"].take(pa.array(rows)))


def test_reading_one_table_opens_only_its_store(corpus: Path, cache: Path, monkeypatch) -> None:
    build(corpus, cache, workers=1)
    opened = []
    original = pipeline.Store.__init__

    def counting(self, cache_, stage):
        opened.append(stage if isinstance(stage, str) else stage.name)
        original(self, cache_, stage)

    monkeypatch.setattr(pipeline.Store, "__init__", counting)
    tables = load_tables(corpus, cache, build=False)
    assert len(tables.quotes) and opened == ["load", "quotes"]
    assert tables.errors.empty and set(opened) == {"load", *(s.name for s in pipeline.STAGES)}


def test_doc_ids_within() -> None:
    from analysis.pipeline.tables import doc_ids_within

    articles = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    assert doc_ids_within(pd.DataFrame({"doc_id": ["a", "a", "c"]}), articles)
    assert doc_ids_within(pd.DataFrame({"doc_id": pd.Series([], dtype="str")}), articles)
    assert not doc_ids_within(pd.DataFrame({"doc_id": ["a", "z"]}), articles)


def test_cached_quote_scores_give_the_same_quote_tone(corpus: Path, cache: Path) -> None:
    from analysis import sentiment  # the facade: quote_sentiment moved to analysis.summarise.sentiment

    tables = load_tables(corpus, cache, workers=1)
    cached = tables.quote_scores
    assert 0 < len(cached) == tables.quotes["quote"].nunique() and cached["quote"].is_unique
    expected = sentiment.quote_sentiment(tables.quotes)
    pd.testing.assert_frame_equal(sentiment.quote_sentiment(tables.quotes, scores=cached), expected)
    # Quotes the cache lacks are scored on the spot.
    pd.testing.assert_frame_equal(sentiment.quote_sentiment(tables.quotes, scores=cached.iloc[::2]), expected)


# --- code versions: what a stage's cache key covers -------------------------------------------


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the `analysis` package to edit: versions computed over it see the edits."""
    root = tmp_path / "analysis"
    shutil.copytree(versions.PACKAGE_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _all_versions(root: Path) -> dict[str, str]:
    versions.module_closure.cache_clear()
    return {"load": versions.compute_version("load", root),
            **{s.name: versions.compute_version(s, root) for s in pipeline.STAGES}}


def _append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_versions_over_a_copy_equal_the_real_ones(package_copy: Path) -> None:
    assert _all_versions(package_copy) == {"load": pipeline.stage_version("load"),
                                           **{s.name: pipeline.stage_version(s) for s in pipeline.STAGES}}


def test_editing_charts_summaries_facades_or_the_pipeline_keeps_every_version(package_copy: Path) -> None:
    # An extraction module that (against the layering) imports a summary is still not keyed on it.
    _append(package_copy / "extract" / "timex" / "__init__.py",
            "\nfrom analysis.summarise.periods import choose_period  # noqa\n")
    before = _all_versions(package_copy)
    edited = [package_copy / "report" / "figures.py", package_copy / "summarise" / "periods.py",
              package_copy / "report" / "__init__.py", package_copy / "summarise" / "__init__.py",
              package_copy / "__init__.py", package_copy / "pipeline" / "derived.py",
              package_copy / "pipeline" / "stages.py", *(package_copy / "evaluate").glob("*.py")]
    edited += [package_copy / f"{facade}.py" for facade in ("quotes", "timeline", "sentiment", "terms", "corpus",
                                                             "figures", "tables")]
    for file in edited:
        _append(file, "\n# edited: a new chart colour, a new summary column\nNEW_SETTING = 2\n")
    assert _all_versions(package_copy) == before


def test_editing_an_extraction_module_changes_its_stages_only(package_copy: Path) -> None:
    before = _all_versions(package_copy)
    _append(package_copy / "extract" / "timex" / "rules.py", "\nNEW_RULE = 1\n")
    after = _all_versions(package_copy)
    assert {name for name in before if before[name] != after[name]} == {"timexes"}


def test_editing_a_lexicon_changes_the_versions_of_the_stages_reading_it_only(package_copy: Path) -> None:
    (package_copy / "lexicons" / "probe_titles.txt").write_text("Mr.\nMrs.\n", encoding="utf-8")
    _append(package_copy / "extract" / "quotes" / "__init__.py",
            "\nfrom analysis.lexicons import words as _lexicon_words\n_PROBE_TITLES = _lexicon_words(\"probe_titles\")\n")
    before = _all_versions(package_copy)
    _append(package_copy / "lexicons" / "probe_titles.txt", "Dr.\n")
    after = _all_versions(package_copy)
    assert {name for name in before if before[name] != after[name]} == {"quotes"}
    # A lexicon the loader reads (stop words) is read by every stage, the load stage included.
    _append(package_copy / "lexicons" / "stopwords.txt", "zzzprobe\n")
    again = _all_versions(package_copy)
    assert all(again[name] != after[name] for name in again)
    # A lexicon no module reads changes nothing.
    (package_copy / "lexicons" / "unused_probe.tsv").write_text("a\tb\n", encoding="utf-8")
    assert _all_versions(package_copy) == again


def test_lexicon_calls_are_found_in_every_import_form() -> None:
    source = """
import analysis.lexicons
import analysis.lexicons as lx
from analysis import lexicons
from analysis.lexicons import words, table as tsv
import pyarrow as pa

A = words("titles")
B = tsv("months")
C = lexicons.entries("cues")
D = lx.words(name="honorifics")
E = analysis.lexicons.table("units")
F = pa.table({"a": [1]})  # another `table`: not a lexicon
G = entries("not_imported")  # not the reader: `entries` was not imported from analysis.lexicons
"""
    assert versions.lexicons_read(source) == {"titles", "months", "cues", "honorifics", "units"}
    assert versions.lexicons_read("from analysis.lexicons import words\nX = words(NAME)\n") == {"*"}


def test_relative_imports_of_a_package_init_resolve_inside_the_package(package_copy: Path) -> None:
    """Other engineers turn extraction modules into packages: `from .rules import x` in
    `extract/quotes/__init__.py` means `analysis.extract.quotes.rules`."""
    package = package_copy / "extract" / "quotes"
    (package / "probe_rules.py").write_text("from ..names import tokenize  # noqa\nRULES = 1\n", encoding="utf-8")
    _append(package / "__init__.py", "\nfrom .probe_rules import RULES  # noqa\n")
    versions.module_closure.cache_clear()
    closure = versions.module_closure("analysis.extract.quotes", package_copy)
    assert {"analysis.extract.quotes", "analysis.extract.quotes.probe_rules", "analysis.extract.names"} <= set(closure)
    before = _all_versions(package_copy)
    _append(package / "probe_rules.py", "RULES = 2\n")
    after = _all_versions(package_copy)
    assert {name for name in before if before[name] != after[name]} == {"quotes"}
    versions.module_closure.cache_clear()


NO_PLOTTING_MODULES = [
    "analysis.extract.names", "analysis.extract.quotes", "analysis.extract.timex", "analysis.extract.sentiment",
    "analysis.extract.terms", "analysis.pipeline.stages", "analysis.pipeline.versions",
]
# One interpreter imports the third-party packages these modules share (which must load no
# plotting themselves), then imports each module in a child forked from that state: the child
# sees exactly what its module adds, without paying for pandas and nltk once per module.
_PLOTTING_AFTER_IMPORT = """
import json, os, sys
PLOTTING = {"matplotlib", "wordcloud"}
import numpy, pandas, pyarrow, nltk
found = {"(shared packages)": sorted(PLOTTING & set(sys.modules))}
for module in sys.argv[1:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        __import__(module)
        os.write(write, json.dumps(sorted(PLOTTING & set(sys.modules))).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        found[module] = json.loads(answer.read() or '"the import failed"')
    os.waitpid(pid, 0)
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def plotting_after_import() -> dict:
    """{module: the plotting modules loaded once it is imported}, in a fresh interpreter."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _PLOTTING_AFTER_IMPORT, *NO_PLOTTING_MODULES],
                         capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", NO_PLOTTING_MODULES)
def test_extraction_and_stages_import_no_plotting(module: str, plotting_after_import: dict) -> None:
    assert plotting_after_import["(shared packages)"] == []
    assert plotting_after_import[module] == [], f"{module} imports {plotting_after_import[module]}"


# --- reliability: what a build does when the machine, not an article, fails --------------------


def test_a_file_that_vanishes_before_it_is_read_is_retried_by_the_next_build(
        corpus: Path, cache: Path, tmp_path: Path, monkeypatch) -> None:
    victim = corpus / "2021-03-01-bridge-closure.txt"
    aside = tmp_path / "aside.txt"
    real_plan = builder.plan_jobs

    def plan_then_lose_a_file(*args):
        jobs = real_plan(*args)
        victim.rename(aside)  # listed and hashed, then gone before a worker reads it
        return jobs

    monkeypatch.setattr(builder, "plan_jobs", plan_then_lose_a_file)
    first = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    monkeypatch.setattr(builder, "plan_jobs", real_plan)
    assert (first.analysed, len(first.failed)) == (N_MINI - 1, 1)
    [row] = first.errors.itertuples(index=False)
    assert (row.doc_id, row.stage) == ("2021-03-01-bridge-closure", "read") and "FileNotFoundError" in row.error
    assert "retried by the next build" in first.summary()

    aside.rename(victim)  # the same bytes are back: they were not cached as a skipped file
    second = build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1)
    assert (second.analysed, second.retried, len(second.errors)) == (1, 1, 0)
    assert "Retried 1 file(s) the last build could not read or analyse." in second.summary()
    tables = load_tables(corpus, cache, build=False, stages=[PARAGRAPH_STAGE])
    pd.testing.assert_frame_equal(tables.report, load_corpus(corpus).report)
    assert build(corpus, cache, stages=[PARAGRAPH_STAGE], workers=1).retried == 0


def _kills_its_worker(article: dict) -> pd.DataFrame:
    """Kills its worker process (as the system does when memory runs out) on the budget article
    while the test's folder holds `kill`: once, or each time while it also holds `kill-always`.
    (Told by files next to the corpus: a fork server's workers do not see later environment.)"""
    import os

    scratch = Path(article["path"]).parent.parent  # the corpus is <tmp_path>/corpus
    if "budget" in article["doc_id"] and (scratch / "kill").exists():
        if (scratch / "kill-always").exists() or not (scratch / "died").exists():
            (scratch / "died").touch()
            os._exit(1)
    return _count_rows(article["text"])


KILLING_STAGE = Stage("quotes", "analysis.load.corpus", "read_article", _kills_its_worker)


def test_chunks_of_a_dead_worker_are_retried_on_a_fresh_pool(corpus: Path, cache: Path, tmp_path: Path,
                                                             monkeypatch) -> None:
    monkeypatch.setattr(engines, "CHUNK_ARTICLES", 1)
    (tmp_path / "kill").touch()
    result = build(corpus, cache, stages=[KILLING_STAGE], workers=2)
    assert (tmp_path / "died").exists(), "a worker died"
    assert result.failed == [] and result.analysed == N_MINI
    tables = load_tables(corpus, cache, build=False, stages=[KILLING_STAGE])
    assert tables.quotes["doc_id"].nunique() == N_MINI and tables.errors.empty


def test_a_build_that_lost_articles_to_dead_workers_exits_non_zero(corpus: Path, cache: Path, tmp_path: Path,
                                                                  monkeypatch, capsys) -> None:
    monkeypatch.setattr(engines, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(builder, "STAGES", (KILLING_STAGE,))
    (tmp_path / "kill").touch()
    (tmp_path / "kill-always").touch()
    argv = ["build", "--corpus", str(corpus), "--cache", str(cache), "--workers", "2", "--quiet"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "2021-03-22-bridge-budget [chunk]" in captured.out and "retried by the next build" in captured.err
    (tmp_path / "kill").unlink()  # the machine is healthy again: the lost articles are analysed
    assert main(argv) == 0
    assert "Retried" in capsys.readouterr().out
    tables = load_tables(corpus, cache, build=False, stages=[KILLING_STAGE])
    assert tables.quotes["doc_id"].nunique() == N_MINI


def _cache_state(cache: Path) -> dict:
    return {p: (p.stat().st_mtime_ns, p.stat().st_ino, p.stat().st_size) for p in cache.rglob("*")}


def test_load_tables_reads_a_read_only_cache(corpus: Path, cache: Path, monkeypatch) -> None:
    import os
    import tempfile

    built = load_tables(corpus, cache, workers=1)
    expected = {name: getattr(built, name) for name in ("articles", "quotes", "term_totals", "quote_scores", "errors")}
    before = _cache_state(cache)

    def read_only(*args, **kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # every write of the cache goes through these
    monkeypatch.setattr(os, "replace", read_only)
    tables = load_tables(corpus, cache, workers=1)  # checks the corpus, finds nothing new
    for name, table in expected.items():
        pd.testing.assert_frame_equal(getattr(tables, name), table, obj=name)
    assert _cache_state(cache) == before


def test_building_an_empty_folder_says_so_once(tmp_path: Path, capsys, caplog) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    status = main(["build", "--corpus", str(empty), "--cache", str(tmp_path / "cache"), "--workers", "1", "--quiet"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.strip().splitlines() == [f"error: No article files in {empty}: nothing to build."]
    assert "could not compact" not in caplog.text


def test_a_link_leaving_the_corpus_is_listed_as_skipped_and_never_read(corpus: Path, cache: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("date 2019-01-25\n\nThe password is hunter2, an official said.\n", encoding="utf-8")
    (corpus / "zz-link.txt").symlink_to(outside)
    tables = load_tables(corpus, cache)
    row = tables.report.set_index("doc_id").loc["zz-link"]
    assert row["status"] == "skipped" and "symbolic link" in row["reason"]
    assert not tables.articles["text"].str.contains("hunter2").any()
    assert build(corpus, cache).analysed == 0  # a second build keeps refusing it, from the kept list
    assert load_tables(corpus, cache).report.set_index("doc_id").loc["zz-link", "status"] == "skipped"
    followed = build(corpus, tmp_path / "cache2", follow_links=True)
    assert followed.loaded == N_MINI + 1


def test_run_stops_before_the_notebooks_when_the_build_lost_files(corpus: Path, cache: Path, tmp_path: Path,
                                                                  monkeypatch, capsys) -> None:
    from analysis import run as run_module

    real_build = builder.build

    def losing_build(*args, **kwargs):
        result = real_build(*args, **kwargs)
        result.failed.append(("0" * 40, "chunk", "BrokenProcessPool: a worker died"))
        return result

    monkeypatch.setattr(builder, "build", losing_build)
    executed = []
    monkeypatch.setattr(run_module, "execute_notebook", lambda *a, **k: executed.append(a))
    status = run_module.run(corpus, tmp_path / "figures", cache, tmp_path / "report")
    assert status == 1 and executed == []
    assert "run the same command again to resume" in capsys.readouterr().err
