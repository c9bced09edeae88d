"""The report a reader opens and the figures ready to publish: source lines under charts, literal
chart text, the figures index, stale figures, the front page, notebook pages, the TimelineJS
export, and (slow) a whole run rendered in headless Chromium."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import figures as figures_facade  # noqa: E402
from analysis import paths  # noqa: E402
from analysis.report import figures as F  # noqa: E402
from analysis.report import html as H  # noqa: E402
from analysis.report.timelinejs import event_dates, timelinejs_events, to_timelinejs, write_timelinejs  # noqa: E402
from analysis.run import clear_stale_figures, list_notebooks, notebook_environment, path_labels, run  # noqa: E402
from analysis.run import check_selection  # noqa: E402
from conftest import MINI_CORPUS  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _no_source_or_notebook(monkeypatch):
    """Each test starts with no source line and no notebook name, whatever the environment."""
    monkeypatch.delenv(F.ENV_SOURCE, raising=False)
    monkeypatch.delenv(F.ENV_NOTEBOOK, raising=False)
    F.set_source(None)
    yield
    F.set_source(None)
    plt.close("all")


def _chart(title: str = "A chart"):
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title(title)
    ax.set_xlabel("things")
    return fig


def _source_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_gid() == F.SOURCE_GID]


# --- the source line and the house style ---------------------------------------------------------

def test_source_line_names_corpus_articles_and_dates():
    one = F.Source("seeds", 1, dt.date(2019, 1, 25), dt.date(2019, 1, 25))
    assert one.line() == "Source: seeds (1 article, 25 Jan 2019)"
    many = F.Source("wikinews", 1293, dt.date(2021, 3, 1), dt.date(2021, 5, 13))
    assert many.line() == "Source: wikinews (1,293 articles, 1 Mar 2021 to 13 May 2021)"
    assert F.Source("bbc", 2, None, None).line() == "Source: bbc (2 articles)"


def test_save_figure_puts_the_source_line_under_the_chart(tmp_path):
    F.set_source(F.Source("seeds", 1, dt.date(2019, 1, 25), dt.date(2019, 1, 25)))
    fig = _chart()
    F.save_figure(fig, pd.DataFrame({"x": [1]}), "with-source", folder=tmp_path)
    F.save_figure(fig, pd.DataFrame({"x": [1]}), "with-source", folder=tmp_path)
    assert _source_texts(fig) == ["Source: seeds (1 article, 25 Jan 2019)"], "one line, even when saved twice"
    renderer = fig.canvas.get_renderer()
    line = next(t for t in fig.texts if t.get_gid() == F.SOURCE_GID).get_window_extent(renderer)
    label = fig.axes[0].xaxis.label.get_window_extent(renderer)
    assert line.y1 <= label.y0, "the source line sits below the axis label"
    assert b"Source: seeds (1 article, 25 Jan 2019)" in (tmp_path / "with-source.svg").read_bytes()
    assert (tmp_path / "with-source.png").stat().st_size > 0


def test_the_source_line_comes_from_the_environment_and_is_optional(tmp_path, monkeypatch):
    fig = _chart()
    F.save_figure(fig, pd.DataFrame({"x": [1]}), "no-source", folder=tmp_path)
    assert _source_texts(fig) == [], "a notebook run by hand without a source gets no line"
    monkeypatch.setenv(F.ENV_SOURCE, "Source: mini corpus, 5 articles")
    F.save_figure(fig, pd.DataFrame({"x": [1]}), "no-source", folder=tmp_path)
    assert _source_texts(fig) == ["Source: mini corpus, 5 articles"]
    F.set_source("")
    F.save_figure(fig, pd.DataFrame({"x": [1]}), "no-source", folder=tmp_path)
    assert _source_texts(fig) == []


def test_figures_with_a_source_line_are_byte_reproducible(tmp_path):
    F.set_source(F.Source("seeds", 3, dt.date(2019, 1, 25), dt.date(2019, 2, 1)))
    for folder in ("a", "b"):
        F.save_figure(_chart(), pd.DataFrame({"x": [1.5]}), "same", folder=tmp_path / folder)
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / "a" / f"same.{ext}").read_bytes() == (tmp_path / "b" / f"same.{ext}").read_bytes(), ext


def test_chart_text_from_articles_is_drawn_literally(tmp_path):
    assert plt.rcParams["text.parse_math"] is False
    fig = _chart("Prices rose from $5 by 20% to $6")
    fig.axes[0].set_xticks([0, 1], ["$x^2$ of $", "a_b$"])
    F.save_figure(fig, pd.DataFrame({"x": [1]}), "dollars", folder=tmp_path)  # mathtext would raise here
    assert fig.axes[0].get_title(loc="left") == "Prices rose from $5 by 20% to $6"
    assert mpimg.imread(tmp_path / "dollars.png").std() > 0.01


def test_random_state_is_still_exported():
    assert F.RANDOM_STATE == 0
    assert figures_facade.RANDOM_STATE == 0
    assert figures_facade.set_source is F.set_source and figures_facade.Source is F.Source


# --- the figures index ---------------------------------------------------------------------------

def test_the_index_records_which_notebook_saved_each_figure(tmp_path, monkeypatch):
    monkeypatch.setenv(F.ENV_NOTEBOOK, "1-quotes")
    F.save_figure(_chart(), pd.DataFrame({"x": [1]}), "quotes-b", caption="B, with a comma", folder=tmp_path)
    monkeypatch.setenv(F.ENV_NOTEBOOK, "0-corpus")
    F.save_figure(_chart(), pd.DataFrame({"x": [1]}), "corpus-a", caption="A", folder=tmp_path)
    monkeypatch.delenv(F.ENV_NOTEBOOK)
    F.save_figure(_chart(), pd.DataFrame({"x": [1]}), "quotes-b", caption="B again", folder=tmp_path)
    assert (tmp_path / "index.csv").read_text(encoding="utf-8") == (
        "figure,caption,notebook\ncorpus-a,A,0-corpus\nquotes-b,B again,1-quotes\n"
    ), "sorted by name; a save by hand keeps the notebook already known"


def test_an_index_written_before_the_notebook_column_still_reads(tmp_path):
    (tmp_path / "index.csv").write_text("figure,caption\nterms-trends,Old caption.\n", encoding="utf-8")
    index = F.read_index(tmp_path)
    assert index.to_dict("records") == [{"figure": "terms-trends", "caption": "Old caption.", "notebook": ""}]
    assert list(F.read_index(tmp_path / "none").columns) == ["figure", "caption", "notebook"]


def _figure_files(folder: Path, name: str) -> None:
    for ext in ("png", "svg", "csv"):
        (folder / f"{name}.{ext}").write_bytes(b"x")


def test_figures_the_run_no_longer_writes_are_removed_and_nothing_else(tmp_path):
    previous = pd.DataFrame(
        [["terms-keyness", "old", "2-terms"], ["terms-top-terms", "old", "2-terms"],
         ["timeline-coverage", "old", ""],  # an index from before the notebook column
         ["sentiment-timeline", "old", "3-sentiment"]],  # its notebook failed this time
        columns=F.INDEX_COLUMNS,
    )
    for name in previous["figure"]:
        _figure_files(tmp_path, name)
    (tmp_path / "terms-keyness.notes.txt").write_text("mine", encoding="utf-8")
    _figure_files(tmp_path, "never-indexed")
    # this run's notebooks wrote a fresh index with one of the old figures
    F.write_index(tmp_path, pd.DataFrame([["terms-top-terms", "new", "2-terms"]], columns=F.INDEX_COLUMNS))

    removed = clear_stale_figures(tmp_path, previous, finished=["2-terms", "4-timeline"],
                                  notebooks=["0-corpus", "2-terms", "3-sentiment", "4-timeline"])

    assert sorted(removed) == ["terms-keyness", "timeline-coverage"]
    left = {p.name for p in tmp_path.iterdir()}
    assert not left & {"terms-keyness.png", "terms-keyness.svg", "terms-keyness.csv", "timeline-coverage.png"}
    assert {"terms-keyness.notes.txt", "never-indexed.png", "never-indexed.csv", "terms-top-terms.png",
            "sentiment-timeline.png"} <= left
    index = F.read_index(tmp_path)
    assert index["figure"].tolist() == ["sentiment-timeline", "terms-top-terms"]
    assert index.set_index("figure")["caption"].to_dict() == {"sentiment-timeline": "old", "terms-top-terms": "new"}


# --- the pages -----------------------------------------------------------------------------------

def _png(folder: Path, name: str) -> None:
    fig = _chart()
    fig.savefig(folder / f"{name}.png")


def test_front_page_escapes_text_and_links_each_analysis(tmp_path):
    _png(tmp_path, "quotes-source-kinds")
    index = pd.DataFrame([
        ["quotes-source-kinds", "<script>alert(1)</script> & 64% unnamed", "1-quotes"],
        ["quotes-top-speakers", "Someone is quoted most", "1-quotes"],
    ], columns=F.INDEX_COLUMNS)
    pages = [H.NotebookPage("1-quotes", "1 · Quotes: <who>?"),
             H.NotebookPage("2-terms", "2 · Terms", ok=False, error="cell 3: ValueError: <bad>")]
    source = F.Source("my<corpus>", 2, dt.date(2021, 3, 1), dt.date(2021, 5, 3))
    page = H.front_page(source, pages, index, tmp_path)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 64% unnamed" in page
    assert "my&lt;corpus&gt;" in page and "1 Mar 2021 to 3 May 2021" in page and ">2</b>articles" in page
    assert "1 · Quotes: &lt;who&gt;?" in page
    assert re.search(r'<a href="1-quotes.html"><img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="', page)
    assert "This analysis failed: cell 3: ValueError: &lt;bad&gt;" in page
    for number in ("F1 0.84", "overlap of 0.3", "half kept for checking", "Value F1 0.81", "strict span F1 0.88",
                   "TimeBank", "AQUAINT", "r 0.46", "NewsMTSC", "348 named sources", "0.90 of the named people",
                   "right for 0.98", "right for 0.72", "Macro-F1 0.60"):
        assert number in page, number
    for limit in ("phrase patterns", "names are masked before scoring", "machine normalised",
                  "Names do not determine anyone's gender", "estimates a share", "not for single sentences"):
        assert html.escape(limit) in page, limit
    assert str(tmp_path) not in page


def test_the_main_figure_is_the_preferred_one_else_the_first(tmp_path):
    index = pd.DataFrame([["terms-word-cloud", "cloud", "2-terms"], ["terms-top-bigrams", "pairs", "2-terms"],
                          ["timeline-zzz", "z", ""], ["timeline-aaa", "a", "9-other"]], columns=F.INDEX_COLUMNS)
    assert H.main_figure(H.NotebookPage("2-terms", "t"), index)["figure"] == "terms-top-bigrams"
    assert H.main_figure(H.NotebookPage("4-timeline", "t"), index)["figure"] == "timeline-zzz"
    assert H.main_figure(H.NotebookPage("3-sentiment", "t"), index) is None


def test_a_notebook_page_has_no_code_no_absolute_path_and_a_link_back(tmp_path):
    corpus = tmp_path / "where" / "my-corpus"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = nbformat.v4.new_code_cell("secret_code_line = 1\nprint(CORPUS_DIR)")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"corpus:  {corpus}\nfigures: {tmp_path / 'figs'}\n"),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# 7 · A <test> notebook\n\nSome prose."), code]
    executed = tmp_path / "7-test.ipynb"
    nbformat.write(nb, executed)
    labels = path_labels(corpus, tmp_path / "figs", tmp_path / "cache", tmp_path / "report")
    title = H.write_notebook_page(executed, tmp_path / "7-test.html", labels)
    page = (tmp_path / "7-test.html").read_text(encoding="utf-8")
    assert title == "7 · A <test> notebook"
    assert "secret_code_line" not in page
    assert str(tmp_path) not in page and "corpus:  my-corpus" in page and "figures: figs" in page
    assert page.count('<a href="index.html">') == 1
    assert len(re.findall(r"<img\b", page)) == 1


# --- the TimelineJS export -----------------------------------------------------------------------

def _timexes() -> pd.DataFrame:
    ts = pd.Timestamp
    return pd.DataFrame({
        "text": ["Friday", "the 1960s", "last fall", "recent days", "March <b>", "a week"],
        "value": ["2019-01-25", "196", "2018-FA", "PAST_REF", "2019-03", "P1W"],
        "earliest": [ts("2019-01-25"), ts("1960-01-01"), ts("2018-09-01"), pd.NaT, ts("2019-03-01"), ts("2019-01-18")],
        "latest": [ts("2019-01-25"), ts("1969-12-31"), ts("2018-11-30"), pd.NaT, ts("2019-03-31"), ts("2019-01-25")],
        "event": ["talks <i>resumed</i> & ended", "a partner", "a ship sailed", "declined", None, "a week of talks"],
    })


def test_timelinejs_events_are_dated_at_their_precision_and_escaped():
    events = timelinejs_events(_timexes())
    assert [e["text"]["headline"] for e in events] == ["the 1960s", "last fall", "a week", "Friday", "March &lt;b&gt;"]
    by_headline = {e["text"]["headline"]: e for e in events}
    assert by_headline["the 1960s"]["start_date"] == {"year": 1960}
    assert by_headline["the 1960s"]["end_date"] == {"year": 1969}
    assert by_headline["last fall"]["start_date"] == {"year": 2018, "month": 9}
    assert by_headline["last fall"]["end_date"] == {"year": 2018, "month": 11}
    assert by_headline["Friday"]["start_date"] == {"year": 2019, "month": 1, "day": 25}
    assert "end_date" not in by_headline["Friday"]
    assert by_headline["March &lt;b&gt;"] == {"start_date": {"year": 2019, "month": 3},
                                             "text": {"headline": "March &lt;b&gt;", "text": " <small>(2019-03)</small>"}}
    assert by_headline["Friday"]["text"]["text"] == "talks &lt;i&gt;resumed&lt;/i&gt; &amp; ended <small>(2019-01-25)</small>"
    assert event_dates(pd.Timestamp("2019-01-18"), pd.Timestamp("2019-01-25"))["end_date"] == {"year": 2019, "month": 1, "day": 25}


def test_timelinejs_file_is_the_format_and_the_same_bytes_every_time(tmp_path):
    first = write_timelinejs(_timexes(), title="An <article>", folder=tmp_path / "a")
    second = write_timelinejs(_timexes(), title="An <article>", folder=tmp_path / "b")
    assert first.name == "timeline-article.timelinejs.json"
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["title"]["text"]["headline"] == "An &lt;article&gt;"
    assert len(document["events"]) == 5
    assert all(set(e) <= {"start_date", "end_date", "text"} and isinstance(e["start_date"]["year"], int)
               for e in document["events"])
    assert to_timelinejs(_timexes().iloc[:0]) == {"events": []}
    with pytest.raises(ValueError, match="event"):
        timelinejs_events(_timexes().drop(columns="event"))


# --- run -----------------------------------------------------------------------------------------

def test_the_kernels_draw_inline_and_get_the_source_line(tmp_path):
    env = notebook_environment(tmp_path / "c", tmp_path / "f", tmp_path / "k", "Source: c corpus, 1 article")
    assert env["MPLBACKEND"] == "module://matplotlib_inline.backend_inline"
    assert env[F.ENV_SOURCE] == "Source: c corpus, 1 article"


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("report-run")
    out = {"figures": base / "figures", "report": base / "report", "cache": base / "cache", "base": base}
    assert run(corpus=MINI_CORPUS, figures=out["figures"], cache=out["cache"], report=out["report"]) == 0
    return out


def _images(page: Path) -> int:
    return len(re.findall(r"<img\b", page.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_each_report_page_shows_every_figure_its_notebook_saved(mini_run):
    index = F.read_index(mini_run["figures"])
    assert (index["notebook"] != "").all()
    for notebook in list_notebooks():
        saved = int((index["notebook"] == notebook.stem).sum())
        assert saved, f"{notebook.stem} saved no figure"
        assert _images(mini_run["report"] / f"{notebook.stem}.html") == saved, notebook.stem
    # one thumbnail per analysis, and one for who the sources are when notebook 1 drew it
    sources_card = int(H.SOURCES_FIGURE in set(index["figure"]))
    assert _images(mini_run["report"] / "index.html") == len(list_notebooks()) + sources_card


@pytest.mark.slow
def test_report_pages_hold_no_absolute_path_and_link_back(mini_run):
    pages = sorted(mini_run["report"].glob("*.html"))
    assert len(pages) == len(list_notebooks()) + 1
    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        for folder in (mini_run["base"], paths.PROJECT_ROOT, MINI_CORPUS):
            assert str(folder) not in text, (page.name, folder)
        if page.name != "index.html":
            assert '<a href="index.html">' in page.read_text(encoding="utf-8"), page.name
    front = (mini_run["report"] / "index.html").read_text(encoding="utf-8")
    assert "mini-corpus" in front and ">5</b>articles" in front and "1 Mar 2021 to 3 May 2021" in front
    for notebook in list_notebooks():
        assert f'href="{notebook.stem}.html"' in front


@pytest.mark.slow
def test_charts_carry_the_source_line_and_the_timeline_is_exported(mini_run):
    svg = (mini_run["figures"] / "corpus-article-length.svg").read_text(encoding="utf-8")
    assert 'id="source-line' in svg
    document = json.loads((mini_run["figures"] / "timeline-article.timelinejs.json").read_text(encoding="utf-8"))
    assert document["events"] and all("start_date" in e for e in document["events"])


@pytest.mark.slow
def test_a_smaller_corpus_leaves_no_stale_figures(mini_run, tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(mini_run["figures"], figures)
    (figures / "notes.txt").write_text("kept", encoding="utf-8")
    assert (figures / "timeline-coverage.png").exists(), "the mini corpus spans several days"
    code = run(corpus=paths.seeds_dir(), figures=figures, cache=tmp_path / "cache", report=tmp_path / "report",
               only=["4-timeline"])
    assert code == 0
    assert not any(figures.glob("timeline-coverage.*")), "the one-article seed draws no coverage"
    assert "timeline-coverage" not in (figures / "README.md").read_text(encoding="utf-8")
    index = F.read_index(figures)
    assert "corpus-articles-per-week" in set(index["figure"]), "figures of notebooks that did not run stay"
    assert (figures / "corpus-articles-per-week.png").exists() and (figures / "notes.txt").exists()


# --- headless Chromium ---------------------------------------------------------------------------

def _screenshot(page: Path, target: Path, profile: Path) -> Path:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--hide-scrollbars", "--window-size=1280,1400", f"--screenshot={target}", page.as_uri()]
    subprocess.run(command, capture_output=True, timeout=180, check=False)
    return target


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed")
def test_front_page_and_a_notebook_page_render_in_chromium(mini_run, tmp_path):
    for name in ("index", "1-quotes"):
        shot = _screenshot(mini_run["report"] / f"{name}.html", tmp_path / f"{name}.png", tmp_path / "profile")
        assert shot.exists(), f"chromium wrote no screenshot of {name}.html"
        pixels = mpimg.imread(shot)[..., :3]
        assert pixels.std() > 0.05, f"{name}.html renders blank"
        assert (pixels.mean(axis=2) < 0.3).mean() > 0.005, f"{name}.html shows almost no dark text"


# --- Figures a reader would question: calendar words in the cloud, its colours, coverage labels.

def _close_days():
    """Five heavily mentioned days within a week, each with a long event, and a quieter month."""
    cover = pd.DataFrame({"period": pd.to_datetime(["2021-03-01", "2021-03-08", "2021-03-15", "2021-03-22"]),
                          "articles": [2, 3, 1, 2]})
    days = pd.DataFrame({"day": pd.to_datetime(["2021-03-10", "2021-03-11", "2021-03-12", "2021-03-13",
                                                "2021-03-14", "2021-03-25"]),
                         "mentions": [5, 4, 4, 3, 3, 1],
                         "event": ["the bridge closes to all traffic for inspection"] * 5 + ["a council vote"]})
    return cover, days


def test_coverage_labels_of_close_days_do_not_overlap():
    from matplotlib.text import Text

    from analysis.report.timeline import plot_coverage

    cover, days = _close_days()
    fig = plot_coverage(cover, days, labels=5)
    fig.draw_without_rendering()  # places the labels as a saved figure has them
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[1]
    labels = [t for t in ax.texts if ": the bridge" in t.get_text()]
    assert labels, "the most mentioned day is always labelled"
    assert "Mar 10: the bridge" in " ".join(t.get_text() for t in labels)
    boxes = [Text.get_window_extent(t, renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two day labels overlap"
        assert ax.get_window_extent(renderer).contains(a.x0 + a.width / 2, a.y0), "labels stay above the axis"
    plt.close(fig)


def test_the_word_cloud_leaves_out_calendar_words_but_the_tables_keep_them():
    from analysis.report import terms as RT
    from analysis.summarise.terms import top_terms

    totals = pd.DataFrame({"term": ["year", "bridge", "last", "monday", "january 25", "council", "week", "jan."],
                           "form": ["year", "bridge", "last", "Monday", "January 25", "council", "week", "Jan."],
                           "kind": ["word", "word", "word", "name", "name", "word", "word", "word"],
                           "entity": [None, None, None, None, None, None, None, None],
                           "count": [9, 8, 7, 6, 5, 4, 3, 2], "n_docs": [1] * 8})
    ranked = top_terms(totals, 100)
    assert "year" in set(ranked["term"]), "the term tables keep calendar words"
    assert list(RT.cloud_terms(ranked, 100)["term"]) == ["bridge", "council"]
    assert list(RT.cloud_terms(ranked, 1)["term"]) == ["bridge"]
    assert {"today", "yesterday", "month", "december", "sunday"} <= RT.calendar_words()


def test_the_word_cloud_is_drawn_in_colours_readable_on_white():
    import numpy as np

    from analysis.report import terms as RT

    assert all(RT.contrast_with_white(c) >= 4.5 for c in RT.CLOUD_COLOURS)
    assert RT.contrast_with_white("#FDE725") < 4.5, "viridis's yellow is what the check refuses"
    image = RT.word_cloud_image({f"word{i}": 100 - i for i in range(60)}, width=400, height=200)
    pixels = image.reshape(-1, 3)
    colours, counts = np.unique(pixels[(pixels < 250).any(axis=1)], axis=0, return_counts=True)
    commonest = colours[np.argsort(-counts)[:5]]  # glyph cores, not their antialiased edges
    assert {"#{:02X}{:02X}{:02X}".format(*c) for c in commonest} <= set(RT.CLOUD_COLOURS)
    yellowish = (pixels[:, 0] > 150) & (pixels[:, 1] > 150) & (pixels[:, 2] < 100)
    assert not yellowish.any(), "no pale yellow anywhere"


# --- the front page of a grouped, chosen run -----------------------------------------------------

HOSTILE = '<script>alert("x")</script>'


def _grouped_index(tmp_path: Path) -> pd.DataFrame:
    """An index as a run grouped by outlet leaves it, with a hostile outlet name in two captions."""
    rows = [
        ["corpus-articles-per-month", "Most articles came out in May.", "0-corpus"],
        ["corpus-query-attention-per-month", "The query matches 12% of the articles.", "0-corpus"],
        ["groups-articles-over-time", "Articles per month for each outlet.", "0-corpus"],
        ["groups-articles", f"{HOSTILE} has most articles (40, 50%).", "0-corpus"],
        ["quotes-source-kinds", "10% of quotes come from unnamed sources.", "1-quotes"],
        ["groups-source-mix", f"{HOSTILE} gives 16% of its quotes to unnamed sources.", "1-quotes"],
        ["quotes-sources-by-gender", "Women give 13% of the quotes from named people.", "1-quotes"],
        ["quotes-sources-by-gender-per-group", "Women's share ranges from 0% to 18%.", "1-quotes"],
        ["terms-top-terms", "The most frequent term is “tax”.", "2-terms"],
    ]
    for name, _, _ in rows:
        _png(tmp_path, name)
    return pd.DataFrame(rows, columns=F.INDEX_COLUMNS)


def _pages() -> list:
    return [H.NotebookPage("0-corpus", "0 · Corpus"), H.NotebookPage("1-quotes", "1 · Quotes"),
            H.NotebookPage("2-terms", "2 · Terms")]


def _section(page: str, heading: str) -> str:
    """The HTML from the <h2> `heading` to the next <h2> (or the end)."""
    start = page.index(f"<h2>{heading}</h2>")
    following = page.find("<h2>", start + 4)
    return page[start:following if following >= 0 else len(page)]


def test_a_grouped_front_page_says_the_choice_and_compares_the_groups(tmp_path):
    index = _grouped_index(tmp_path)
    source = F.Source("news", 80, dt.date(2021, 3, 1), dt.date(2021, 5, 3))
    parameters = {"GROUP_BY": "outlet", "DATE_FROM": "2021-03-01", "QUERY": f'tax* AND "{HOSTILE}"',
                  "OUTLETS": [HOSTILE, "BBC"]}
    page = H.front_page(source, _pages(), index, tmp_path, parameters,
                        "40 of 80 articles: outlet in …; grouped by outlet (2 groups)")
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "What the articles chosen (see below) from the 80 in the corpus" in page  # not "the 80 articles say"
    choice = _section(page, "Which articles")
    for shown in ("outlet", "2021-03-01", "tax* AND &quot;&lt;script&gt;", f"{html.escape(HOSTILE)}, BBC",
                  "one copy per story", "Analysed: 40 of 80 articles"):
        assert shown in choice, shown
    assert "until" not in choice  # no DATE_TO was given
    compared = _section(page, "Compared by outlet")
    # the corpus notebook's headline comparison is the bar of articles, not the one over time
    assert f"{html.escape(HOSTILE)} has most articles" in compared and "Articles per month" not in compared
    assert f"{html.escape(HOSTILE)} gives 16%" in compared and "ranges from 0% to 18%" in compared
    assert compared.count("<img ") == 3 and compared.count('href="1-quotes.html"') >= 2
    assert 'href="2-terms.html"' not in compared  # the terms notebook drew no comparison here
    findings = _section(page, "Findings")
    assert "groups-" not in findings and "has most articles" not in findings
    assert "Who the sources are" in findings and "Women give 13%" in findings
    assert "The query matches 12%" in findings
    assert findings.index("1 · Quotes") < findings.index("Who the sources are") < findings.index("2 · Terms")


def test_an_ungrouped_front_page_keeps_todays_sections(tmp_path):
    index = _grouped_index(tmp_path)
    index = index[~index["figure"].str.startswith(("groups-", "corpus-query", "quotes-sources"))]
    source = F.Source("seeds", 1, dt.date(2019, 1, 25), dt.date(2019, 1, 25))
    page = H.front_page(source, _pages(), index, tmp_path)
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["Findings", "How this was made"]
    assert "Who the sources are" not in page and "compared by" not in page.lower()
    assert "What the one article in the corpus “seeds”, dated 25 Jan 2019,\nsays:" in page
    assert _section(page, "Findings").count('<div class="card">') == 3
    # a choice without grouping is said, but nothing is compared
    dated = H.front_page(source, _pages(), index, tmp_path, {"DATE_TO": "2019-12-31", "KEEP_DUPLICATES": True})
    assert re.findall(r"<h2>(.*?)</h2>", dated) == ["Which articles", "Findings", "How this was made"]
    assert "every copy counted" in dated and "2019-12-31" in dated


def test_a_source_figure_of_a_failed_notebook_is_not_shown(tmp_path):
    index = _grouped_index(tmp_path)
    pages = _pages()
    pages[1] = H.NotebookPage("1-quotes", "1 · Quotes", ok=False, error="cell 2: KeyError")
    page = H.front_page(F.Source("news", 80), pages, index, tmp_path, {"GROUP_BY": "outlet"})
    assert "Who the sources are" not in page and "Women give" not in page
    assert "gives 16%" not in _section(page, "Compared by outlet")


def test_the_run_hands_the_selection_it_made_to_the_front_page(tmp_path, monkeypatch):
    """check_selection keeps the line it prints, which write_report puts on the front page."""
    import analysis.pipeline.tables as tables_module

    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": pd.to_datetime(["2021-01-01", "2021-02-01", None]),
                             "outlet": ["X", "Y", "X"], "text": ["one", "two", "three"]})
    monkeypatch.setattr(tables_module, "load_tables", lambda *args, **kwargs: type("T", (), {"article_info": articles}))
    chosen: dict = {}
    parameters = {"GROUP_BY": "outlet", "OUTLETS": ["X"], "KEEP_DUPLICATES": True}
    assert check_selection(tmp_path, tmp_path, parameters, chosen) == ""
    assert chosen["description"].startswith("2 of 3 articles") and "grouped by outlet" in chosen["description"]
