"""Hostile input: every public function that takes text returns a valid table (offsets inside
the text, end not before start) for any Unicode string, and pathological inputs finish quickly.

The time limits here are generous guards against catastrophic regex backtracking (which takes
minutes or hours), not speed measurements: those live in `python -m analysis bench`.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.load.clean import clean_text, decode_bytes, parse_article
from analysis.load.text import paragraph_spans, sentence_spans, word_spans

QUOTE_MARKS = "\"'“”‘’«»`´„‚"
# Text biased towards what breaks news parsers: quote marks, punctuation, capitals, digits,
# line breaks, control and zero-width characters, plus any other Unicode character.
_PIECES = list(QUOTE_MARKS + " \n.,:;!?-—()[]\x00\u200b\r") + ["said", "Mr.", "U.S.", " he said", "Smith", "\n\n"]
hostile_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=80).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PATHOLOGICAL = {
    "quote marks": "“" * 100_000,
    "straight quotes": '"' * 100_000,
    "alternating quotes": "“”" * 50_000,
    "backticks": "``" * 50_000,
    "periods": "." * 100_000,
    "capitals": "A " * 50_000,
    "one long word": "a" * 100_000,
    "said said": "said " * 20_000,
    "digits": "1" * 100_000,
    "unbalanced": ("“He said, " * 10_000),
}


def assert_spans_valid(text: str, spans) -> None:
    for start, end in spans:
        assert 0 <= start <= end <= len(text)


def assert_ordered(spans) -> None:
    starts = [s for s, _ in spans]
    assert starts == sorted(starts)


@SETTINGS
@given(st.binary(max_size=600))
def test_decoding_any_bytes_never_raises(data):
    decoded = decode_bytes(data)
    assert (decoded.text is None) == (decoded.problem is not None)


@SETTINGS
@given(hostile_text)
def test_cleaning_and_parsing_any_text(text):
    cleaned = clean_text(text)
    assert "\r" not in cleaned and "\x00" not in cleaned
    parsed = parse_article(text)
    assert isinstance(parsed.text, str)


@SETTINGS
@given(hostile_text)
def test_splitting_any_text(text):
    text = clean_text(text)
    paragraphs = paragraph_spans(text)
    assert_spans_valid(text, paragraphs)
    assert_ordered(paragraphs)
    sentences = sentence_spans(text, paragraphs)
    assert_spans_valid(text, sentences)
    assert_ordered(sentences)
    tokens = list(word_spans(text))
    for token, start, end in tokens:
        assert text[start:end] == token and start < end


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_inputs_finish_quickly_in_the_loader(name):
    text = PATHOLOGICAL[name]
    started = time.perf_counter()
    parsed = parse_article(text)
    sentence_spans(parsed.text)
    list(word_spans(parsed.text))
    assert time.perf_counter() - started < 10, "catastrophic backtracking?"


# --- the analyses ---------------------------------------------------------------------------

from analysis.extract.quotes import extract_quotes  # noqa: E402
from analysis.extract.sentiment import score_texts  # noqa: E402
from analysis.extract.terms import article_ngrams, article_terms  # noqa: E402
from analysis.extract.timex import extract_timexes  # noqa: E402


def assert_quote_table_valid(text, quotes):
    assert list(quotes.columns[:3]) == ["quote", "quote_start", "quote_end"]
    for row in quotes.itertuples():
        assert 0 <= row.quote_start <= row.quote_end <= len(text)
        assert text[row.quote_start:row.quote_end] == row.quote
        for start, end in ((row.cue_start, row.cue_end), (row.mention_start, row.mention_end)):
            assert (start, end) == (-1, -1) or 0 <= start <= end <= len(text)
    assert list(quotes["quote_start"]) == sorted(quotes["quote_start"])


def assert_timex_table_valid(text, timexes):
    for row in timexes.itertuples():
        assert 0 <= row.start < row.end <= len(text)
        assert text[row.start:row.end] == row.text
        assert row.type in {"DATE", "TIME", "DURATION", "SET"}


@SETTINGS
@given(hostile_text)
def test_extract_quotes_on_any_text(text):
    assert_quote_table_valid(text, extract_quotes(text))


@SETTINGS
@given(hostile_text, st.sampled_from([None, "2019-01-25", "1999-12-31"]))
def test_extract_timexes_on_any_text(text, reference_date):
    assert_timex_table_valid(text, extract_timexes(text, reference_date))


@SETTINGS
@given(st.lists(hostile_text, max_size=5))
def test_score_texts_on_any_text(texts):
    for mask in (True, False):
        scores = score_texts(texts, mask_names=mask)
        assert len(scores) == len(texts)
        assert scores["compound"].between(-1, 1).all()


@SETTINGS
@given(hostile_text)
def test_term_counts_on_any_text(text):
    terms = article_terms(text)
    assert (terms["count"] > 0).all()
    for n in (2, 3):
        article_ngrams(text, n)


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_inputs_finish_quickly_in_every_analysis(name):
    text = PATHOLOGICAL[name]
    for analyse in (
        extract_quotes,
        lambda t: extract_timexes(t, "2019-01-25"),
        lambda t: score_texts([t]),
        article_terms,
    ):
        started = time.perf_counter()
        analyse(text)
        assert time.perf_counter() - started < 10, f"{name}: catastrophic backtracking?"


@pytest.mark.slow  # about 20 s: the linear-time guard for a whole-corpus-sized paragraph
def test_quotes_on_a_five_megabyte_paragraph():
    paragraph = ("“We will not back down,” the official said, and Smith said the plan would work. " * 62_000)[:5_000_000]
    quotes = extract_quotes(paragraph)
    assert_quote_table_valid(paragraph, quotes)
    assert len(quotes) > 1000


# --- article text that becomes HTML is escaped ------------------------------------------------

HOSTILE_ARTICLE = (
    " date 2020-05-01 “<script>alert('quote')</script> is what we saw,” said Mallory Black, "
    "a <b>security</b> researcher.\n\n"
    "Officials said the page <img src=x onerror=alert('img')> had been removed on Friday.\n\n"
    "<script>alert('body')</script>"
)


def test_highlighted_quotes_escape_the_article_text():
    from analysis.report.quotes import highlight_quotes

    text = parse_article(HOSTILE_ARTICLE).text
    page = highlight_quotes(text, extract_quotes(text))
    assert "<script>" not in page and "<img" not in page and "<b>security" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page


@pytest.mark.slow  # runs notebooks 0 and 1
def test_the_html_report_shows_markup_in_articles_as_text(tmp_path):
    from analysis.run import run

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile <script>.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    code = run(corpus=corpus, figures=tmp_path / "figures", cache=tmp_path / "cache",
               report=tmp_path / "report", only=["0", "1"])
    assert code == 0
    for page in (tmp_path / "report").glob("*.html"):
        html_text = page.read_text(encoding="utf-8")
        for raw in ("<script>alert(", "<img src=x", "<b>security"):
            assert raw not in html_text, f"{page.name} contains unescaped {raw!r}"
    quotes_page = (tmp_path / "report" / "1-quotes.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in quotes_page or "&amp;lt;script&amp;gt;" in quotes_page


# --- outputs: permissions and spreadsheet-safe CSV --------------------------------------------

import os  # noqa: E402
import stat  # noqa: E402

import pandas as pd  # noqa: E402

from analysis import files  # noqa: E402


@pytest.fixture()
def umask():
    """Set the process umask for one test and put the old one back."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda mask: os.umask(mask)
    os.umask(saved)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_new_outputs_get_the_users_umask(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "out" / "table.csv"
    files.write_atomic(target, b"a,b\n1,2\n")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]  # no temporary file left


def test_a_replaced_output_keeps_its_permissions(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "shared.csv"
    target.write_bytes(b"old")
    target.chmod(0o664)
    files.write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o664


def test_write_csv_neutralises_formulas_but_not_numbers(tmp_path):
    frame = pd.DataFrame({
        "speaker": ["=HYPERLINK(\"http://x\")", "+1 555", "-cmd", "@SUM(A1)", "\tTab", "\rCR", "Smith", "-2.5", "+3", "-"],
        "score": [-2.5, 1.0, -0.25, 3.0, 0.5, 2.0, 1.5, -1e-5, 7.0, 0.0],
        "count": [-1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    })
    path = files.write_csv(frame, tmp_path / "fig.csv")
    # (read as lines of text: the csv module leaves a lone "\r" in a cell unquoted, as before)
    rows = path.read_bytes().decode("utf-8").split("\n")
    assert [row.rsplit(",", 2)[0] for row in rows[1:-1]] == [
        "\"'=HYPERLINK(\"\"http://x\"\")\"", "'+1 555", "'-cmd", "'@SUM(A1)", "'\tTab", "'\rCR", "Smith", "-2.5", "+3", "'-",
    ]
    assert [row.rsplit(",", 2)[1] for row in rows[1:-1]] == ["-2.5", "1", "-0.25", "3", "0.5", "2", "1.5", "-1e-05", "7", "0"]
    assert rows[1].endswith(",-2.5,-1")  # negative numbers are numbers, not formulas
    assert frame["speaker"].iloc[0].startswith("=")  # the caller's table is not changed


def test_write_csv_keeps_the_figure_csv_format(tmp_path):
    from analysis.report.figures import table_to_csv_bytes

    frame = pd.DataFrame({"term": ["Maduro", "U.S.", "“quoted”, said"], "share": [0.123456789, 2.0, float("nan")],
                          "n": [3, 2, 1], "week": pd.to_datetime(["2019-01-21", "2019-01-28", None])})
    assert files.write_csv(frame, tmp_path / "t.csv").read_bytes() == table_to_csv_bytes(frame)
    assert b"\r" not in (tmp_path / "t.csv").read_bytes()


def test_saved_figures_write_their_csv_through_write_csv(tmp_path):
    import matplotlib.pyplot as plt

    from analysis.report.figures import save_figure

    fig, ax = plt.subplots()
    ax.bar(["=cmd()", "Smith"], [1, 2])
    written = save_figure(fig, pd.DataFrame({"speaker": ["=cmd()", "Smith"], "n": [1, 2]}), "speakers", folder=tmp_path)
    plt.close(fig)
    assert written["csv"].read_text(encoding="utf-8") == "speaker,n\n'=cmd(),1\nSmith,2\n"


# --- hostile files in the table and JSON formats ------------------------------------------------

import gzip  # noqa: E402
import json  # noqa: E402
import tracemalloc  # noqa: E402

from analysis.load.clean import MAX_FILE_BYTES  # noqa: E402
from analysis.load.corpus import load_corpus  # noqa: E402
from analysis.load.formats import iter_rows  # noqa: E402

_BODY = "The council met on Monday. “We will decide soon,” the mayor said.\n\n"


def _report(corpus) -> list[tuple[str, str]]:
    return list(zip(corpus.report["status"], corpus.report["reason"]))


@pytest.mark.parametrize("size", [
    # over csv's default field limit of 128 KiB: the limit is raised (quick)
    pytest.param(300_000, id="300kB"),
    # a whole five-megabyte article through the loader: about 10 s
    pytest.param(5_000_000, id="5MB", marks=pytest.mark.slow),
])
def test_a_csv_with_a_huge_cell_loads(tmp_path, size):
    body = _BODY * (size // len(_BODY.encode()) + 1)
    assert len(body.encode()) > size
    frame = pd.DataFrame({"id": ["big", "small"], "date": ["2024-01-02", "2024-01-03"], "text": [body, _BODY]})
    frame.to_csv(tmp_path / "big.csv", index=False)
    corpus = load_corpus(tmp_path / "big.csv")
    assert corpus.report["status"].tolist() == ["loaded", "loaded"]
    articles = corpus.articles.set_index("doc_id")
    assert articles.loc["big", "n_paragraphs"] == body.count("\n\n")
    assert articles.loc["small", "text"] == _BODY.strip()


def test_a_jsonl_with_a_truncated_last_line_keeps_the_rest(tmp_path):
    lines = [json.dumps({"id": f"a{i}", "date": "2024-01-02", "text": _BODY}) for i in range(3)]
    (tmp_path / "cut.jsonl").write_text("\n".join(lines)[:-25], encoding="utf-8")  # no newline, cut mid-string
    corpus = load_corpus(tmp_path / "cut.jsonl")
    assert corpus.articles["doc_id"].tolist() == ["a0", "a1"]
    status, reason = _report(corpus)[2]
    assert status == "skipped" and reason.startswith("row 3 (line 3): bad JSON")


def test_invalid_utf8_in_a_csv_skips_that_row_with_the_reason(tmp_path):
    data = ("id,date,text\nu1,2024-01-02,Fine text here.\n".encode()
            + b"u2,2024-01-02,Caf\xe9 society \xff met.\n"
            + "u3,2024-01-03,Also fine: café.\n".encode())
    (tmp_path / "latin.csv").write_bytes(data)
    corpus = load_corpus(tmp_path / "latin.csv")
    assert corpus.articles["doc_id"].tolist() == ["u1", "u3"]
    assert corpus.articles["text"].tolist() == ["Fine text here.", "Also fine: café."]
    status, reason = _report(corpus)[1]
    assert status == "skipped"
    assert reason == "row 2 (line 3): not valid UTF-8 (byte 0xE9 at character 3); re-save the file as UTF-8"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_100000_deep_is_a_problem_not_a_crash(tmp_path, suffix):
    deep = '{"id": "d", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    good = json.dumps({"id": "g", "date": "2024-01-02", "text": _BODY})
    (tmp_path / f"deep{suffix}").write_text(deep + "\n", encoding="utf-8")
    (tmp_path / "good.jsonl").write_text(good + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, workers=1)
    assert corpus.articles["doc_id"].tolist() == ["g"]
    problems = [reason for status, reason in _report(corpus) if status == "skipped"]
    assert problems == [f"row 1{' (line 1)' if suffix == '.jsonl' else ''}: bad JSON: nested too deeply to read"]


@pytest.mark.parametrize("name, head, filler", [
    ("bomb.csv.gz", b"id,date,text\nb1,2024-01-02,", b"a" * 2**20),          # one endless cell
    ("lines.csv.gz", b"id,date,text\n", b"b2,2024-01-02," + b" " * 2**17 + b"\n"),  # endless rows
    ("bomb.jsonl.gz", b'{"id": "b1", "text": "', b" " * 2**20),
    ("bomb.json.gz", b'{"id": "b1", "text": "', b" " * 2**20),
    ("bomb.parquet.gz", b"PAR1", b"\0" * 2**20),
])
def test_a_gzip_bomb_is_refused_without_reading_past_the_limit(tmp_path, name, head, filler):
    """Each file is a few kB that decompresses to 40 MiB; reading stops after the 10 MiB limit
    (the peak of Python allocations stays under 4 times the limit: a `.json` is read whole up to it) and the file is listed."""
    path = tmp_path / name
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(head)
        for _ in range(40 * 2**20 // len(filler)):
            handle.write(filler)
    (tmp_path / "ok.txt").write_text("Title\n\n" + _BODY, encoding="utf-8")
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        corpus = load_corpus(tmp_path, workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_FILE_BYTES
    assert "ok" in corpus.articles["doc_id"].tolist()
    reasons = [reason for status, reason in _report(corpus) if status == "skipped"]
    assert reasons and all("gzip bomb" in r or "size limit" in r for r in reasons), reasons


def test_a_jsonl_line_over_the_limit_is_skipped_and_the_next_loads(tmp_path):
    limit = 100_000
    long_line = json.dumps({"id": "long", "text": "x " * limit})
    good = json.dumps({"id": "g", "date": "2024-01-02", "text": _BODY})
    (tmp_path / "long.jsonl").write_text(long_line + "\n" + good + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path / "long.jsonl", max_bytes=limit)
    assert corpus.articles["doc_id"].tolist() == ["g"]
    assert _report(corpus)[0] == ("skipped", "row 1 (line 1): the line is longer than the size limit of "
                                             "100,000 bytes; skipped, not read")


def test_a_csv_line_over_the_limit_is_skipped_and_the_next_loads(tmp_path):
    limit = 100_000
    text = "id,date,text\nlong,2024-01-02," + "y" * (2 * limit) + "\nok,2024-01-03,Short text.\n"
    (tmp_path / "long.csv").write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path / "long.csv", max_bytes=limit)
    assert corpus.articles["doc_id"].tolist() == ["ok"]
    assert _report(corpus)[0] == ("skipped", "row 1 (line 2): line 2 is longer than the size limit of "
                                             "100,000 bytes; skipped, not read")


def test_a_json_document_over_the_limit_is_refused_unread(tmp_path):
    limit = 100_000
    (tmp_path / "big.json").write_text(json.dumps([{"id": f"j{i}", "text": _BODY} for i in range(2000)]))
    rows = list(iter_rows(tmp_path / "big.json", limit))
    assert len(rows) == 1 and rows[0].problem.startswith("a JSON document longer than the size limit of 100,000 bytes")
    assert len(list(iter_rows(tmp_path / "big.json"))) == 2000  # under the default limit it loads


def test_formula_cells_load_as_text_and_are_written_neutralised(tmp_path):
    payload = "=cmd|' /C calc'!A0"
    data = ("id,date,title,text,desk\n"
            f'f1,2024-01-02,"{payload}","{payload} and more text.",+SUM(A1:A2)\n')
    (tmp_path / "formula.csv").write_text(data, encoding="utf-8")
    corpus = load_corpus(tmp_path / "formula.csv")
    article = corpus.articles.set_index("doc_id").loc["f1"]
    assert article["title"] == payload and article["text"] == f"{payload} and more text."
    assert article["desk"] == "+SUM(A1:A2)"
    written = pd.read_csv(files.write_csv(corpus.articles[["doc_id", "title", "desk"]], tmp_path / "out.csv"))
    assert written.loc[0, "title"] == "'" + payload and written.loc[0, "desk"] == "'+SUM(A1:A2)"
