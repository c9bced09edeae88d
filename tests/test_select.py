"""One selection of articles for every notebook and the command line (`analysis.summarise.select`),
and how `python -m analysis run` hands it to the notebooks."""

from __future__ import annotations

import argparse

import nbformat
import pandas as pd
import pytest

from analysis import paths
from analysis.run import (
    INJECTED_TAG,
    SELECTION_PARAMETERS,
    add_subcommands,
    check_parameters,
    inject_parameters,
    selection_parameters,
)
from analysis.summarise.query import QueryError
from analysis.summarise.select import NO_GROUP, SelectionError, query_attention, select_articles
from conftest import MINI_CORPUS

WIRE = "\n\n".join(f"Paragraph {i}: the port strike entered its {i}th day as union leaders met the minister "
                   f"and employers to discuss wages, shifts and the cost of delays for exporters." for i in range(14))


def articles_frame() -> pd.DataFrame:
    """Six articles from three outlets (one without), two of them copies of one wire story."""
    return pd.DataFrame({
        "doc_id": ["wire-a", "tax-b", "wire-b", "budget-c", "undated", "sport-a"],
        "date": pd.to_datetime(["2016-01-05", "2016-01-20", "2016-01-06", "2016-02-11", None, "2016-03-01"]),
        "title": ["Port strike", "Trump tax plan", "Strike goes on", "Budget", "Notes", "Cup final"],
        "text": [WIRE, "Donald Trump unveiled a tax plan.", WIRE.replace("day as", "day, as") + "\n\nMore later.",
                 "The council budget cuts taxes.", "Nothing dated here.", "The cup final ended 2-1."],
        "outlet": ["Outlet A", "Outlet B", "Outlet B", "Outlet C", "", "Outlet A"],
        "n_words": [100, 6, 101, 5, 3, 5],
        "duplicate_of": [None] * 6,
    })


def test_by_default_every_article_but_near_duplicate_copies_is_kept():
    selection = select_articles(articles_frame())
    assert selection.articles["doc_id"].tolist() == ["wire-a", "tax-b", "budget-c", "undated", "sport-a"]
    assert selection.near_duplicates.set_index("doc_id")["duplicate_of"].to_dict() == {"wire-b": "wire-a"}
    assert selection.description == "5 of 6 articles: one copy per near-duplicate story (1 copy left out)"
    assert "group" not in selection.articles.columns
    kept = select_articles(articles_frame(), keep_duplicates=True)
    assert len(kept.articles) == 6 and kept.description == "All 6 articles: near-duplicates kept"


def test_dates_outlets_and_query_narrow_the_articles_and_say_so():
    selection = select_articles(articles_frame(), date_from="2016-01-06", date_to="2016-02-29",
                                outlets=["outlet b", "Outlet C "], query="tax*")
    # wire-b is the only copy of the wire story in the chosen days and outlets: it stays.
    assert selection.articles["doc_id"].tolist() == ["tax-b", "budget-c"]
    assert selection.candidates["doc_id"].tolist() == ["tax-b", "wire-b", "budget-c"]
    assert selection.candidates["matches_query"].tolist() == [True, False, True]
    assert selection.description == ("2 of 6 articles: 2016-01-06–2016-02-29, outlet in outlet b, Outlet C, "
                                      "no near-duplicates found, matching 'tax*'")
    assert "from 2016-02-01" in select_articles(articles_frame(), date_from="2016-02-01").description
    assert "up to 2016-01-31" in select_articles(articles_frame(), date_to="2016-01-31").description
    # The title counts as text.
    assert select_articles(articles_frame(), query='"cup final" OR "port strike"').articles["doc_id"].tolist() == [
        "wire-a", "sport-a"]


def test_grouping_adds_a_group_column_with_missing_values_as_none():
    selection = select_articles(articles_frame(), group_by="outlet", keep_duplicates=True)
    assert selection.articles.set_index("doc_id")["group"].to_dict() == {
        "wire-a": "Outlet A", "tax-b": "Outlet B", "wire-b": "Outlet B", "budget-c": "Outlet C",
        "undated": NO_GROUP, "sport-a": "Outlet A"}
    assert selection.description.endswith("; grouped by outlet (4 groups)")
    quotes = pd.DataFrame({"doc_id": ["tax-b", "sport-a", "gone"], "quote": ["a", "b", "c"]})
    assert selection.with_groups(quotes)["group"].tolist() == ["Outlet B", "Outlet A"]
    assert list(selection.restrict(quotes).columns) == ["doc_id", "quote"]


def test_list_valued_columns_group_by_their_joined_values():
    frame = articles_frame().assign(authors=[["Ann", "Bo"], [], None, ["Cy"], ["Ann", "Bo"], "Dee"])
    groups = select_articles(frame, group_by="authors", keep_duplicates=True).articles["group"].tolist()
    assert groups == ["Ann; Bo", NO_GROUP, NO_GROUP, "Cy", "Ann; Bo", "Dee"]


@pytest.mark.parametrize("options, error, message", [
    ({"group_by": "author"}, SelectionError, "GROUP_BY 'author' is not a column of the articles; the columns are: date, title, outlet"),
    ({"date_from": "2016-13-01"}, SelectionError, "DATE_FROM '2016-13-01' is not a date"),
    ({"date_from": "2016-03-01", "date_to": "2016-01-01"}, SelectionError, "is after DATE_TO"),
    ({"query": "(tax AND"}, QueryError, "AND needs a term after it at character 6"),
])
def test_a_selection_that_cannot_be_made_says_why(options, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(")):
        select_articles(articles_frame(), **options)


def test_outlets_need_an_outlet_column_and_a_query_needs_text():
    with pytest.raises(SelectionError, match="OUTLETS needs an `outlet` column"):
        select_articles(articles_frame().drop(columns="outlet"), outlets=["A"])
    with pytest.raises(SelectionError, match="QUERY needs the articles' text"):
        select_articles(articles_frame().drop(columns="text"), query="tax", keep_duplicates=True)


def test_normalised_attention_is_the_share_of_each_groups_articles_that_match():
    selection = select_articles(articles_frame(), group_by="outlet", query="strike OR tax*", keep_duplicates=True)
    attention = query_attention(selection, "M")
    assert list(attention.columns) == ["group", "period", "articles", "matching", "share"]
    january = attention[attention["period"] == "2016-01-01"].set_index("group")
    assert january.loc["Outlet B", ["articles", "matching"]].tolist() == [2, 2]
    assert january.loc["Outlet A", ["articles", "matching", "share"]].tolist() == [1, 1, 1.0]
    march = attention[attention["period"] == "2016-03-01"].set_index("group")
    assert march.loc["Outlet A", "share"] == 0.0
    assert pd.isna(march.loc["Outlet B", "share"])  # no article: no share, not zero
    # Every group has every month, the undated article none.
    assert len(attention) == 3 * 3 and NO_GROUP not in set(attention["group"])
    whole = query_attention(select_articles(articles_frame(), query="tax*", keep_duplicates=True), "M")
    assert whole[["articles", "matching"]].sum().tolist() == [5, 2]
    with pytest.raises(SelectionError, match="needs a query"):
        query_attention(select_articles(articles_frame()))


def test_the_command_line_sets_only_the_parameters_given():
    parser = argparse.ArgumentParser()
    add_subcommands(parser.add_subparsers())
    args = parser.parse_args(["run", "--group-by", "outlet", "--since", "2016-01-01", "--query", "tax*",
                              "--outlets", "BBC News, Reuters", "--keep-duplicates"])
    assert selection_parameters(args) == {"GROUP_BY": "outlet", "DATE_FROM": "2016-01-01", "QUERY": "tax*",
                                          "OUTLETS": ["BBC News", "Reuters"], "KEEP_DUPLICATES": True}
    assert selection_parameters(parser.parse_args(["run"])) == {}
    assert set(selection_parameters(args)) <= set(SELECTION_PARAMETERS)


def test_bad_parameters_are_caught_before_the_run():
    assert check_parameters({"QUERY": "tax*", "DATE_FROM": "2016-01-01"}) == ""
    problem = check_parameters({"QUERY": "trump or clinton"})
    assert problem.startswith("--query cannot be read:\nlowercase `or` at character 7")
    assert "--until" in check_parameters({"DATE_TO": "tomorrow-ish"})


def test_parameters_are_injected_after_the_parameters_cell_as_papermill_does():
    nb = nbformat.read(paths.notebooks_dir() / "0-corpus.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    inject_parameters(nb, {"QUERY": "tax*", "OUTLETS": ["A", "B"], "KEEP_DUPLICATES": True})
    cell = nb.cells[at + 1]
    assert cell.metadata["tags"] == [INJECTED_TAG] and cell.cell_type == "code"
    namespace: dict = {}
    exec(cell.source, namespace)  # noqa: S102 - the cell the kernel will run
    assert (namespace["QUERY"], namespace["OUTLETS"], namespace["KEEP_DUPLICATES"]) == ("tax*", ["A", "B"], True)
    inject_parameters(nb, {"QUERY": "budget"})  # a second injection replaces the first
    assert sum(INJECTED_TAG in c.metadata.get("tags", []) for c in nb.cells) == 1
    inject_parameters(nb, {})
    assert not any(INJECTED_TAG in c.metadata.get("tags", []) for c in nb.cells)


@pytest.mark.slow
def test_the_corpus_notebook_runs_with_a_query_and_draws_normalised_attention(tmp_path):
    from analysis.pipeline import build_for_run
    from analysis.run import execute_notebook, notebook_environment

    cache, figures = tmp_path / "cache", tmp_path / "figures"
    build_for_run(MINI_CORPUS, cache)
    result = execute_notebook(paths.notebooks_dir() / "0-corpus.ipynb", tmp_path / "out.ipynb",
                              notebook_environment(MINI_CORPUS, figures, cache),
                              {"QUERY": "budget* OR detour*", "GROUP_BY": "title"})
    assert result.ok, result.error
    attention = pd.read_csv(figures / "corpus-query-attention-per-week.csv")
    assert attention["articles"].sum() == 5
    assert 0 < attention["matching"].sum() < 5


def test_run_refuses_a_bad_query_before_building_anything(tmp_path, capsys):
    from analysis.run import run

    code = run(corpus=MINI_CORPUS, figures=tmp_path / "figures", cache=tmp_path / "cache", report=tmp_path / "report",
               parameters={"QUERY": "(bridge AND"})
    assert code == 2
    error = capsys.readouterr().err
    assert error.startswith("error: --query cannot be read:\nAND needs a term after it at character 9: (bridge AND")
    assert not (tmp_path / "cache").exists(), "nothing was built"
