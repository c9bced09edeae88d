"""The HTML report `python -m analysis run` writes to `report/`.

- `index.html`, the front page a reader can use alone: which corpus (its folder's name), how
  many articles and which dates; the headline finding of each analysis (the caption of its main
  figure) with that chart as a thumbnail linking to the analysis's page; and how the numbers were
  made, with the accuracy measured for each method and its known limits.
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
    "corpus": ("corpus-articles-per-week", "corpus-article-length"),
    "quotes": ("quotes-source-kinds", "quotes-top-speakers", "quotes-reporting-verbs"),
    "terms": ("terms-top-terms", "terms-top-bigrams", "terms-word-cloud"),
    "sentiment": ("sentiment-distribution", "sentiment-by-voice", "sentiment-arc"),
    "timeline": ("timeline-offsets", "timeline-coverage", "timeline-article"),
}

#: How each method was checked: (method, what we measured, known limits).
METHODS = (
    ("Quotes and their speakers",
     "F1 0.81 at a token overlap of 0.3 on PolNeAR (speech attributions, fragments of one quote joined).",
     "Anonymous sources (“officials said”) are found by phrase patterns."),
    ("Temporal expressions",
     "Value F1 0.80 and strict span F1 0.88 on TimeBank and AQUAINT.",
     "TIMEX values (the calendar dates) are machine normalised against the article's date."),
    ("Sentence tone",
     "Pearson r 0.51 between our scores and human ratings of the same sentences.",
     "Names are masked before scoring tone, so a name is never read as a feeling."),
)

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
.card h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
.card img { width: 100%; height: 11rem; object-fit: contain; object-position: left top;
            border: 1px solid #eee; background: #fff; }
.card p { margin: 0.5rem 0 0; }
.failed { color: #a00; }
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


def main_figure(page: NotebookPage, index: pd.DataFrame) -> pd.Series | None:
    """The index row of the figure that carries `page`'s headline, or None when it saved none."""
    mine = index[(index["notebook"] == page.stem)
                 | ((index["notebook"] == "") & index["figure"].str.startswith(page.topic + "-"))]
    for name in MAIN_FIGURES.get(page.topic, ()):
        if name in set(mine["figure"]):
            return mine[mine["figure"] == name].iloc[0]
    return mine.iloc[0] if len(mine) else None


def _thumbnail(png: Path, alt: str) -> str:
    """The PNG inline (the front page works when copied on its own), or '' when it is missing."""
    if not png.exists():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'


def _card(page: NotebookPage, index: pd.DataFrame, figures: Path) -> str:
    href = html.escape(f"{page.stem}.html", quote=True)
    heading = f'<h3><a href="{href}">{html.escape(page.title)}</a></h3>'
    if not page.ok:
        return (f'<div class="card">{heading}<p class="failed">This analysis failed: '
                f"{html.escape(page.error)}</p></div>")
    figure = main_figure(page, index)
    if figure is None:
        return f'<div class="card">{heading}<p>This analysis drew no chart for this corpus.</p></div>'
    image = _thumbnail(figures / f"{figure['figure']}.png", figure["caption"])
    return (f'<div class="card">{heading}<a href="{href}">{image}</a>'
            f'<p>{html.escape(figure["caption"])}</p>'
            f'<p><a href="{href}">Read the analysis &rarr;</a></p></div>')


def _facts(source: Source) -> str:
    items = [("corpus", source.corpus), ("article" if source.n_articles == 1 else "articles", f"{source.n_articles:,}"),
             ("dates", source.dates() or "no article is dated")]
    return "".join(f"<li><b>{html.escape(value)}</b>{html.escape(label)}</li>" for label, value in items)


def _methods() -> str:
    rows = "".join(f"<tr><th scope='row'>{html.escape(m)}</th><td>{html.escape(a)}</td><td>{html.escape(lim)}</td></tr>"
                   for m, a, lim in METHODS)
    return ("<table><thead><tr><th>method</th><th>accuracy we measured</th><th>known limits</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def front_page(source: Source, pages: list[NotebookPage], index: pd.DataFrame, figures: Path) -> str:
    """The front page's HTML."""
    corpus = html.escape(source.corpus)
    n = source.n_articles
    dates = f", dated {html.escape(source.dates())}," if source.dates() else ""
    cards = "\n".join(_card(page, index, figures) for page in pages)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>News analysis: {corpus}</title><style>{STYLE}</style></head>
<body><main>
<h1>News analysis: {corpus}</h1>
<p class="lede">What {'the one article' if n == 1 else f'the {n:,} articles'} in the corpus “{corpus}”{dates}
{'says' if n == 1 else 'say'}: who is quoted, which words dominate, what tone {'it takes' if n == 1 else 'they take'}
and which dates {'it mentions' if n == 1 else 'they mention'}.</p>
<ul class="facts">{_facts(source)}</ul>
<h2>Findings</h2>
<div class="cards">
{cards}
</div>
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
                 replacements: dict[str, str], failures: dict[str, str] | None = None) -> Path:
    """Write one page per executed notebook beside `target` and the front page as `target`."""
    failures = failures or {}
    pages = []
    for path in executed:
        title = write_notebook_page(path, target.parent / f"{path.stem}.html", replacements) if path.exists() else path.stem
        error = redact_paths(failures.get(path.stem, ""), replacements)
        pages.append(NotebookPage(path.stem, title, ok=path.stem not in failures, error=error))
    write_atomic(target, front_page(source, pages, index, figures).encode("utf-8"))
    return target
