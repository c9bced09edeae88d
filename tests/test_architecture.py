"""The layout the architecture promises: the public API, the old import paths, short functions,
extraction without plotting, word lists as data."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import pytest

from analysis.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "analysis"
LONGEST_FUNCTION = 80  # lines, decorators excluded


def test_the_per_article_functions_are_exported_from_the_package_top_level() -> None:
    from analysis import article_terms, extract_quotes, extract_timexes, load_corpus, score_texts

    assert extract_quotes("“We are ready,” said Ana Ruiz.")["speaker"].tolist() == ["Ana Ruiz"]
    assert extract_timexes("It rained on Monday.", "2019-01-25")["value"].tolist() == ["2019-01-21"]
    assert score_texts(["A wonderful day."])["compound"].iloc[0] > 0.05
    assert "rained" in article_terms("It rained and rained.")["term"].tolist()
    assert callable(load_corpus)


@pytest.mark.parametrize(("module", "names"), [
    ("analysis.quotes", ["extract_quotes", "speaker_summary", "highlight_quotes", "COLUMNS"]),
    ("analysis.timeline", ["extract_timexes", "coverage", "plot_article_timeline", "corpus_timexes"]),
    ("analysis.sentiment", ["score_texts", "article_sentiment", "tone_timeline"]),
    ("analysis.terms", ["article_terms", "article_ngrams", "top_terms", "keyness", "word_cloud_image"]),
    ("analysis.corpus", ["load_corpus", "find_files"]),
    ("analysis.pipeline", ["load_tables", "build", "Tables", "STAGES"]),
    ("analysis.tables", ["load_tables", "doc_ids_within"]),
    ("analysis.figures", ["save_figure", "RANDOM_STATE"]),
])
def test_the_module_paths_users_know_keep_importing(module: str, names: list[str]) -> None:
    imported = importlib.import_module(module)
    assert [name for name in names if not hasattr(imported, name)] == []


def _functions():
    for file in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield file.relative_to(PROJECT_ROOT), node


def test_no_function_is_longer_than_the_limit() -> None:
    long = [f"{file}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for file, node in _functions() if node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION]
    assert long == []


def test_extraction_imports_no_plotting_library() -> None:
    code = ("import sys, analysis.extract.quotes, analysis.extract.timex, analysis.extract.sentiment, "
            "analysis.extract.terms, analysis.extract.names, analysis.pipeline.stages; "
            "print(sorted({'matplotlib', 'wordcloud'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert out.stdout.strip() == "[]"


def test_every_lexicon_file_is_read_by_some_module() -> None:
    """A word list nobody reads is dead data (or a copy of another list)."""
    from analysis.pipeline.versions import lexicons_read

    read: set[str] = set()
    for file in PACKAGE.rglob("*.py"):
        read |= lexicons_read(file.read_text(encoding="utf-8"))
    files = {p.stem for p in (PACKAGE / "lexicons").iterdir() if p.suffix in (".txt", ".tsv")}
    assert files - read == set()


def test_lexicon_files_parse() -> None:
    from analysis import lexicons

    for path in (PACKAGE / "lexicons").iterdir():
        if path.suffix == ".txt":
            assert lexicons.entries(path.stem), path.name
        elif path.suffix == ".tsv":
            assert lexicons.table(path.stem), path.name
