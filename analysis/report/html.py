"""The HTML report `python -m analysis run` writes to `report/`.

- `index.html`, the front page a reader can use alone: which corpus (its folder's name), how
  many articles and which dates; which articles the run chose and how it grouped them, when it
  was asked to (`--group-by`, `--since`, `--until`, `--query`, `--outlets`, `--keep-duplicates`);
  the headline finding of each analysis (the caption of its main figure) with that chart as a
  thumbnail linking to the analysis's page, and who the quoted sources are (their gender) when
  that figure exists; when grouped, a "Compared by <column>" section with each analysis's
  comparison of the groups; and how the numbers were made, with the accuracy measured for each
  method and its known limits.
- `<notebook>.html`, one page per executed notebook: its text and outputs without the code,
  with a link back to the front page.

No page holds an absolute path (the notebooks print the folders they read and write: they become
the folders' names), and every piece of text that comes from the corpus or a notebook is
escaped, since article text can contain HTML.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.files import write_atomic
from analysis.report.figures import Source

#: The figure that carries each analysis's headline, best first; a notebook whose preferred
#: figures are all missing is represented by the first figure it saved.
MAIN_FIGURES = {
    "corpus": ("corpus-articles-per-week", "corpus-articles-per-day", "corpus-articles-per-month",
               "corpus-articles-per-year", "corpus-article-length"),
    "quotes": ("quotes-source-kinds", "quotes-top-speakers", "quotes-reporting-verbs"),
    "terms": ("terms-top-terms", "terms-top-bigrams", "terms-word-cloud"),
    "sentiment": ("sentiment-distribution", "sentiment-by-voice", "sentiment-arc"),
    "timeline": ("timeline-offsets", "timeline-coverage", "timeline-article"),
}

#: The figure that compares the groups in each analysis when the run is grouped, best first.
GROUP_FIGURES = {
    "corpus": ("groups-articles", "groups-articles-over-time"),
    "quotes": ("groups-source-mix", "groups-top-speakers", "groups-reporting-verbs"),
    "terms": ("groups-keyness",),
    "sentiment": ("groups-tone-over-time",),
    "timeline": ("groups-referred-periods", "groups-attention-over-time"),
}

#: Who the quoted sources are: the overall figure, and the one per group when grouped.
SOURCES_FIGURE = "quotes-sources-by-gender"
SOURCES_GROUP_FIGURE = "quotes-sources-by-gender-per-group"

#: Normalised attention to the run's query (the share of articles matching it), per time bin.
ATTENTION_FIGURES = tuple(f"corpus-query-attention-per-{unit}" for unit in ("day", "week", "month", "year"))

#: How each method was checked: (method, what we measured and on which data, known limits).
METHODS = (
    ("Quotes and their speakers",
     "F1 0.84 at a character overlap of 0.3 on 840 PolNeAR articles, 0.835 on the half kept for "
     "checking (speech attributions; the fragments of one quote joined into one attribution).",
     "Anonymous sources (“officials said”) are found by phrase patterns; a quote whose speaker is "
     "named only sentences away can get the wrong speaker."),
    ("Temporal expressions",
     "Value F1 0.81 and strict span F1 0.88 on TimeBank and AQUAINT (TBAQ).",
     "TIMEX values (the calendar dates) are machine normalised against the article's date; an "
     "undated article's relative dates (“last week”) cannot be placed."),
    ("Sentence tone",
     "Pearson r 0.46 between our scores and the coders' labels of the NewsMTSC news sentences we "
     "held out for checking (the part never used to choose words).",
     "A word list (VADER with news senses), not a reading of the sentence; names are masked "
     "before scoring, so a name is never read as a feeling. Read it over many sentences."),
    ("Source gender",
     "On 348 named sources in PolNeAR articles that we annotated by hand: 0.90 of the named people "
     "found are given a gender, and it is right for 0.98 of those.",
     "Names do not determine anyone's gender: it is read from pronouns, honorifics, nouns such as "
     "“chairwoman” and first-name statistics, so the chart estimates a share. Never guessed for "
     "anonymous sources, organisations or groups; shown as unknown when the evidence is weak or "
     "conflicts."),
    ("Source role",
     "Role class (official, politician, expert, business, citizen…) right for 0.72 of the same "
     "hand-annotated sources, on the half kept for checking.",
     "Read from titles, descriptions and the organisation named; a person described nowhere in "
     "the article gets “other”."),
    ("Tone toward a person",
     "Macro-F1 0.60 over negative, neutral and positive on the NewsMTSC sentences held out from "
     "training (plain VADER: 0.52; the best published neural models: about 0.83).",
     "A small model over word features near the name: read it for patterns over many mentions, "
     "not for single sentences."),
)

#: How each selection parameter reads on the front page, in this order.
SELECTION_LABELS = (("GROUP_BY", "compared by"), ("DATE_FROM", "from"), ("DATE_TO", "until"),
                    ("QUERY", "matching the query"), ("OUTLETS", "outlets"), ("KEEP_DUPLICATES", "near-duplicates"))

STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       background: #fafafa; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; }
.lede { font-size: 1.1rem; color: #444; margin-top: 0; }
.facts { display: flex; flex-wrap: wrap; gap: 0.75rem; padding: 0; list-style: none; }
.facts li { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 0.9rem; }
.facts b { display: block; font-size: 1.25rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.9rem; }
.cards.wide { grid-template-columns: repeat(auto-fill, minmax(27rem, 1fr)); }
.cards.wide .card img { height: 15rem; }
.card h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
.card img { width: 100%; height: 11rem; object-fit: contain; object-position: left top;
            border: 1px solid #eee; background: #fff; }
.card p { margin: 0.5rem 0 0; }
.failed { color: #a00; }
.choices { display: flex; flex-wrap: wrap; gap: 0.4rem 1.5rem; padding: 0; margin: 0; list-style: none; }
.choices span { color: #555; }
.analysed { color: #444; margin: 0.6rem 0 0; }
a { color: #1a5490; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #ddd; padding: 0.5rem 0.7rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
footer { margin-top: 2.5rem; color: #666; font-size: 0.9rem; }
"""

BACK_LINK = (
    "<style>.jp-Notebook { max-width: 72rem; margin: 0 auto; } nav.report-back { font: 15px system-ui, sans-serif; "
    "padding: 0.6rem 1rem; background: #f0f0f0; border-bottom: 1px solid #ddd; } nav.report-back a { color: #1a5490; }</style>"
    '<nav class="report-back"><a href="index.html">&larr; Back to the report&rsquo;s front page</a></nav>'
)


@dataclass
class NotebookPage:
    """One executed notebook as the front page shows it."""

    stem: str  # "1-quotes"
    title: str  # from the notebook's first heading
    ok: bool = True
    error: str = ""

    @property
    def topic(self) -> str:
        """'quotes' for '1-quotes': the prefix of the figures the notebook saves."""
        return self.stem.split("-", 1)[-1]


def redact_paths(text: str, replacements: dict[str, str]) -> str:
    """`text` with every absolute folder in `replacements` (longest first) replaced by its label."""
    for folder in sorted(replacements, key=len, reverse=True):
        if folder and folder != "/":
            text = text.replace(folder, replacements[folder])
    return text


def _redact_notebook(nb, replacements: dict[str, str]) -> None:
    """Redact the paths in every output of `nb` (text, HTML, tracebacks), in place."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if isinstance(output.get("text"), str):
                output["text"] = redact_paths(output["text"], replacements)
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") and isinstance(value, str):
                    output["data"][mime] = redact_paths(value, replacements)
            if "traceback" in output:
                output["traceback"] = [redact_paths(line, replacements) for line in output["traceback"]]
            if isinstance(output.get("evalue"), str):
                output["evalue"] = redact_paths(output["evalue"], replacements)


def notebook_title(nb, default: str) -> str:
    """The text of the notebook's first Markdown heading, or `default`."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+?)\s*$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1)
    return default


def write_notebook_page(executed: Path, target: Path, replacements: dict[str, str]) -> str:
    """Write `executed` as an HTML page without code cells and with a link to the front page;
    returns the notebook's title."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    _redact_notebook(nb, replacements)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + BACK_LINK, body, count=1)
    write_atomic(target, body.encode("utf-8"))
    return notebook_title(nb, executed.stem)


def _figure_row(rows: pd.DataFrame, names) -> pd.Series | None:
    """The index row of the first of `names` that `rows` holds, or None."""
    present = set(rows["figure"])
    for name in names:
        if name in present:
            return rows[rows["figure"] == name].iloc[0]
    return None


def _notebook_rows(page: NotebookPage, index: pd.DataFrame) -> pd.DataFrame:
    """The index rows of the figures `page`'s notebook saved (by its name, else by its prefix)."""
    return index[(index["notebook"] == page.stem)
                 | ((index["notebook"] == "") & index["figure"].str.startswith(page.topic + "-"))]


def main_figure(page: NotebookPage, index: pd.DataFrame) -> pd.Series | None:
    """The index row of the figure that carries `page`'s headline, or None when it saved none.
    The comparisons between groups (`groups-*`) have their own section and are never it."""
    mine = _notebook_rows(page, index)
    mine = mine[~mine["figure"].str.startswith("groups-")]
    row = _figure_row(mine, MAIN_FIGURES.get(page.topic, ()))
    if row is not None:
        return row
    return mine.iloc[0] if len(mine) else None


def group_figure(page: NotebookPage, index: pd.DataFrame) -> pd.Series | None:
    """The index row of the figure in which `page`'s notebook compares the groups, or None."""
    mine = _notebook_rows(page, index)
    row = _figure_row(mine, GROUP_FIGURES.get(page.topic, ()))
    if row is not None:
        return row
    groups = mine[mine["figure"].str.startswith("groups-")]
    return groups.iloc[0] if len(groups) else None


def _thumbnail(png: Path, alt: str) -> str:
    """The PNG inline (the front page works when copied on its own), or '' when it is missing."""
    if not png.exists():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'


def _figure_card(heading: str, href: str, figure: pd.Series, figures: Path) -> str:
    """A card: `heading` (a linked title), the figure's thumbnail and caption, and a link on."""
    image = _thumbnail(figures / f"{figure['figure']}.png", figure["caption"])
    return (f'<div class="card">{heading}<a href="{href}">{image}</a>'
            f'<p>{html.escape(figure["caption"])}</p>'
            f'<p><a href="{href}">Read the analysis &rarr;</a></p></div>')


def _card(page: NotebookPage, index: pd.DataFrame, figures: Path) -> str:
    href = html.escape(f"{page.stem}.html", quote=True)
    heading = f'<h3><a href="{href}">{html.escape(page.title)}</a></h3>'
    if not page.ok:
        return (f'<div class="card">{heading}<p class="failed">This analysis failed: '
                f"{html.escape(page.error)}</p></div>")
    figure = main_figure(page, index)
    if figure is None:
        return f'<div class="card">{heading}<p>This analysis drew no chart for this corpus.</p></div>'
    return _figure_card(heading, href, figure, figures)


def _page_of(figure: pd.Series, pages: list[NotebookPage]) -> NotebookPage | None:
    """The page of the notebook that saved `figure` (by the index, else by the name's prefix)."""
    stem = figure["notebook"] or next((p.stem for p in pages if figure["figure"].startswith(p.topic + "-")), "")
    return next((p for p in pages if p.stem == stem), None)


def _extra_card(pages: list[NotebookPage], index: pd.DataFrame, figures: Path, names, title: str) -> str:
    """The card of the first figure of `names` in the index, under `title`, or '' when no
    notebook that ran to the end saved one."""
    figure = _figure_row(index, names)
    page = _page_of(figure, pages) if figure is not None else None
    if page is None or not page.ok:
        return ""
    href = html.escape(f"{page.stem}.html", quote=True)
    return _figure_card(f'<h3><a href="{href}">{html.escape(title)}</a></h3>', href, figure, figures)


def _selection_value(name: str, value) -> str:
    """How one selection parameter reads: a list joined, the duplicates policy in words."""
    if name == "KEEP_DUPLICATES":
        return "every copy counted" if value else "one copy per story (the earliest)"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _selection(parameters: dict | None, description: str) -> str:
    """The list of the choices the run was given, and the articles they left ('' when none)."""
    if not parameters:
        return ""
    choices = dict(parameters)
    choices.setdefault("KEEP_DUPLICATES", False)
    items = [f"<li><span>{html.escape(label)}</span> <b>{html.escape(_selection_value(name, choices[name]))}</b></li>"
             for name, label in SELECTION_LABELS if choices.get(name) not in (None, "", [])
             or name == "KEEP_DUPLICATES"]
    analysed = f'<p class="analysed">Analysed: {html.escape(description)}.</p>' if description else ""
    return (f'<section class="selection"><h2>Which articles</h2><ul class="choices">{"".join(items)}</ul>'
            f"{analysed}</section>")


def _compared(group_by: str | None, pages: list[NotebookPage], index: pd.DataFrame, figures: Path) -> str:
    """The "Compared by <column>" section: each analysis's comparison of the groups ('' ungrouped)."""
    if not group_by:
        return ""
    cards = []
    for page in pages:
        figure = group_figure(page, index) if page.ok else None
        if figure is not None:
            href = html.escape(f"{page.stem}.html", quote=True)
            cards.append(_figure_card(f'<h3><a href="{href}">{html.escape(page.title)}</a></h3>', href, figure, figures))
    cards.append(_extra_card(pages, index, figures, (SOURCES_GROUP_FIGURE,), f"Who the sources are, by {group_by}"))
    cards = [card for card in cards if card]
    body = ("\n".join(cards) if cards else
            "<p>No analysis drew a comparison of the groups for these articles.</p>")
    return (f"<h2>Compared by {html.escape(group_by)}</h2>\n<p>The same analyses, one group of articles "
            f"against another (every group on the same scale).</p>\n<div class=\"cards wide\">\n{body}\n</div>")


def _facts(source: Source) -> str:
    items = [("corpus", source.corpus), ("article" if source.n_articles == 1 else "articles", f"{source.n_articles:,}"),
             ("dates", source.dates() or "no article is dated")]
    return "".join(f"<li><b>{html.escape(value)}</b>{html.escape(label)}</li>" for label, value in items)


def _methods() -> str:
    rows = "".join(f"<tr><th scope='row'>{html.escape(m)}</th><td>{html.escape(a)}</td><td>{html.escape(lim)}</td></tr>"
                   for m, a, lim in METHODS)
    return ("<table><thead><tr><th>method</th><th>accuracy we measured</th><th>known limits</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _findings(pages: list[NotebookPage], index: pd.DataFrame, figures: Path) -> str:
    """One card per analysis; after the corpus, the attention to the query, and after the quotes,
    "Who the sources are", when they were drawn."""
    cards = []
    for page in pages:
        cards.append(_card(page, index, figures))
        if page.topic == "corpus":
            cards.append(_extra_card(pages, index, figures, ATTENTION_FIGURES, "Attention to the query"))
        if page.topic == "quotes":
            cards.append(_extra_card(pages, index, figures, (SOURCES_FIGURE,), "Who the sources are"))
    return "\n".join(card for card in cards if card)


def _lede(source: Source, parameters: dict | None, group_by: str | None) -> str:
    """The opening sentence: what the articles say, or the ones chosen from them when the run chose."""
    corpus = html.escape(source.corpus)
    n = source.n_articles
    dates = f", dated {html.escape(source.dates())}," if source.dates() else ""
    chose = any(name != "GROUP_BY" for name in (parameters or {}))
    if chose:
        subject, one = f"the articles chosen (see below) from the {n:,} in the corpus “{corpus}”{dates}", False
    else:
        subject, one = (f"{'the one article' if n == 1 else f'the {n:,} articles'} in the corpus “{corpus}”{dates}",
                        n == 1)
    compared = f", compared by {html.escape(group_by)}" if group_by else ""
    return (f"What {subject}\n{'says' if one else 'say'}: who is quoted, which words dominate, what tone "
            f"{'it takes' if one else 'they take'}\nand which dates {'it mentions' if one else 'they mention'}{compared}.")


def front_page(source: Source, pages: list[NotebookPage], index: pd.DataFrame, figures: Path,
               parameters: dict | None = None, description: str = "") -> str:
    """The front page's HTML; `parameters` are the run's selection parameters (GROUP_BY, ...)
    and `description` the line saying which articles they left."""
    corpus = html.escape(source.corpus)
    group_by = (parameters or {}).get("GROUP_BY")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>News analysis: {corpus}</title><style>{STYLE}</style></head>
<body><main>
<h1>News analysis: {corpus}</h1>
<p class="lede">{_lede(source, parameters, group_by)}</p>
<ul class="facts">{_facts(source)}</ul>
{_selection(parameters, description)}
<h2>Findings</h2>
<div class="cards">
{_findings(pages, index, figures)}
</div>
{_compared(group_by, pages, index, figures)}
<h2>How this was made</h2>
<p>Every article is read by the same programs; the tables behind each chart are saved beside it in
<code>figures/</code>, so every number can be checked. Each method was measured against texts that
people annotated by hand:</p>
{_methods()}
<footer>Written by <code>make run</code> (<code>python -m analysis run</code>). Each page after this one
is a notebook executed on the corpus, shown without its code.</footer>
</main></body></html>
"""


def write_report(executed: list[Path], target: Path, *, source: Source, index: pd.DataFrame, figures: Path,
                 replacements: dict[str, str], failures: dict[str, str] | None = None,
                 parameters: dict | None = None, description: str = "") -> Path:
    """Write one page per executed notebook beside `target` and the front page as `target`;
    `parameters` and `description` say which articles the run chose (see :func:`front_page`)."""
    failures = failures or {}
    pages = []
    for path in executed:
        title = write_notebook_page(path, target.parent / f"{path.stem}.html", replacements) if path.exists() else path.stem
        error = redact_paths(failures.get(path.stem, ""), replacements)
        pages.append(NotebookPage(path.stem, title, ok=path.stem not in failures, error=error))
    write_atomic(target, front_page(source, pages, index, figures, parameters, description).encode("utf-8"))
    return target
