"""The main job: `python -m analysis run` (what `make run` calls).

1. loads the corpus and builds or refreshes its cached per-article tables (`analysis.pipeline`);
2. executes every numbered notebook in `notebooks/` in order, headless, with the corpus, figures
   and cache folders handed to the kernel as environment variables (`ANALYSIS_CORPUS`,
   `ANALYSIS_FIGURES`, `ANALYSIS_CACHE`), which is also how `analysis.paths` finds them when a
   notebook is run by hand;
3. writes the executed notebooks to `report/`, with an HTML page for each (without code cells)
   and a front page, `report/index.html` (`analysis.report.html`), and an index of every figure
   to `figures/README.md`.

The kernels draw charts with the inline backend, so every chart also appears in the executed
notebook and its page; each chart carries a source line (corpus, articles, dates) handed over in
$ANALYSIS_SOURCE. A figure an earlier run wrote and this run's notebooks no longer write (a
smaller corpus draws fewer charts) is removed with its files and caption.

The choice of articles and their grouping (`--group-by`, `--since`, `--until`, `--query`,
`--outlets`, `--keep-duplicates`) reaches every notebook as papermill would hand it over: a cell
tagged `injected-parameters` right after the cell tagged `parameters`, setting `GROUP_BY`,
`DATE_FROM`, `DATE_TO`, `QUERY`, `OUTLETS` and `KEEP_DUPLICATES`, which each notebook's `load` cell
passes to `analysis.summarise.select.select_articles`. The values are checked before the long run:
a query that cannot be read, a date that is not one or a column the articles lack stops it with
a message.

A failing notebook is reported by name, cell number and error; the other notebooks still run,
and the command exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.files import write_atomic
from analysis.pipeline.cli import add_load_options
from analysis.report import figures as report_figures
from analysis.report.figures import Source, read_index, write_index
from analysis.report.html import write_report

NOTEBOOK_GLOB = "[0-9]*-*.ipynb"
CELL_TIMEOUT_S = 1800


#: The selection parameters of every notebook's `parameters` cell, with their defaults.
SELECTION_PARAMETERS = {"GROUP_BY": None, "DATE_FROM": None, "DATE_TO": None, "QUERY": None, "OUTLETS": None,
                        "KEEP_DUPLICATES": False}
INJECTED_TAG = "injected-parameters"


@dataclass
class NotebookResult:
    name: str
    ok: bool
    seconds: float
    error: str = ""


def list_notebooks(folder: Path | None = None) -> list[Path]:
    """The numbered notebooks, in reading order (`0-corpus`, `1-quotes`, ...)."""
    folder = folder or paths.notebooks_dir()
    return sorted(folder.glob(NOTEBOOK_GLOB), key=lambda p: (int(p.name.split("-")[0]), p.name))


def notebook_environment(corpus: Path, figures: Path, cache: Path, source: str = "") -> dict[str, str]:
    """The variables a notebook's kernel needs to find the run's folders, draw its charts inline
    (so they show in the executed notebook) and write the source line under them."""
    return {
        paths.ENV_CORPUS: str(corpus),
        paths.ENV_FIGURES: str(figures),
        paths.ENV_CACHE: str(cache),
        report_figures.ENV_SOURCE: source,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
    }


def corpus_source(corpus: Path, cache: Path) -> Source:
    """The corpus's folder name, number of articles and first and last dates, from its built tables."""
    from analysis.pipeline.tables import load_tables

    articles = load_tables(corpus, cache, build=False).article_info
    dates = pd.to_datetime(articles["date"]).dropna()
    if not len(dates):
        return Source(Path(corpus).name, len(articles))
    return Source(Path(corpus).name, len(articles), dates.min().date(), dates.max().date())


def path_labels(corpus: Path, figures: Path, cache: Path, report: Path) -> dict[str, str]:
    """Absolute folders the notebooks print, and what a report page shows instead (no page
    tells a reader where the run happened)."""
    labels = {str(paths.PROJECT_ROOT) + os.sep: "", str(paths.PROJECT_ROOT): "."}
    for folder in (corpus, figures, cache, report):
        labels[str(Path(folder).resolve())] = Path(folder).name
    labels[sys.prefix] = labels[sys.base_prefix] = "<python>"
    labels[str(Path.home())] = "~"
    return labels


def _figure_notebook(row, notebooks: list[str]) -> str:
    """The notebook that wrote an index row: as recorded, else the one named by its prefix."""
    if row.notebook:
        return row.notebook
    topic = row.figure.split("-")[0]
    return next((stem for stem in notebooks if stem.split("-", 1)[-1] == topic), "")


def clear_stale_figures(figures: Path, previous, finished: list[str], notebooks: list[str]) -> list[str]:
    """Remove the figures the previous index listed that a notebook which ran to the end this time
    did not write again (their PNG, SVG and CSV, and their index row); figures of notebooks that
    failed or did not run keep their row. Nothing the previous index did not list is touched.
    Returns the names removed."""
    current = read_index(figures)
    written = set(current["figure"])
    kept, removed = [], []
    for row in previous.itertuples(index=False):
        if row.figure in written or not report_figures.is_figure_name(row.figure):
            continue
        if _figure_notebook(row, notebooks) in finished:
            removed.append(row.figure)
            for ext in ("png", "svg", "csv"):
                (figures / f"{row.figure}.{ext}").unlink(missing_ok=True)
        else:
            kept.append(row._asdict())
    if kept:
        write_index(figures, pd.concat([current, pd.DataFrame(kept, columns=current.columns)], ignore_index=True))
    return removed


def _describe_failure(exc: BaseException, nb) -> str:
    """'cell 7 (`quotes = corpus_quotes(...)`): ValueError: ...' for a failed execution."""
    from nbclient.exceptions import CellExecutionError

    cell_number = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            cell_number = index + 1
            first_line = cell.source.strip().splitlines()[0][:80] if cell.source.strip() else ""
            break
    if isinstance(exc, CellExecutionError):
        summary = f"{exc.ename}: {exc.evalue}"
    else:
        summary = f"{type(exc).__name__}: {exc}"
    where = f"cell {cell_number} (`{first_line}`)" if cell_number else "before any cell ran"
    return f"{where}: {summary}"


def inject_parameters(nb, parameters: dict | None) -> None:
    """Set `parameters` in `nb` as papermill does: a code cell tagged `injected-parameters`
    right after the cell tagged `parameters` (at the top when there is none), replacing an
    earlier injected cell. Values are written as Python literals."""
    import nbformat

    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    if not parameters:
        return
    lines = ["# Parameters set by `python -m analysis run`"] + [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    cell.id = INJECTED_TAG
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, cell)


def execute_notebook(source: Path, output: Path | None, env: dict[str, str],
                     parameters: dict | None = None) -> NotebookResult:
    """Execute one notebook top to bottom with `env` set and `parameters` injected
    (:func:`inject_parameters`); save the executed copy to `output`."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(source, as_version=4)
    inject_parameters(nb, parameters)
    started = time.perf_counter()
    saved_env = {key: os.environ.get(key) for key in env}
    os.environ.update(env)  # the kernel inherits the parent's environment
    try:
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name="python3",
            # The kernel listens on loopback only; its start-up warnings are noise in the run log.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            resources={"metadata": {"path": str(source.parent)}},
        )
        client.execute()
        ok, error = True, ""
    except Exception as exc:  # noqa: BLE001 - reported, the run goes on
        ok, error = False, _describe_failure(exc, nb)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, nbformat.writes(nb).encode("utf-8"))
    return NotebookResult(source.stem, ok, time.perf_counter() - started, error)


def write_figures_index(figures: Path) -> Path:
    """`figures/README.md`: every figure with its caption and its files."""
    index = read_index(figures)
    lines = [
        "# Figures",
        "",
        "Written by `make run` (`python -m analysis run`); every figure is a PNG and an SVG, with the",
        "CSV of exactly what it plots beside it. Re-running on the same corpus gives the same files.",
        "",
        "| figure | what it shows | files |",
        "|---|---|---|",
    ]
    for row in index.sort_values("figure").itertuples():
        name = row.figure
        files = " · ".join(f"[{ext}]({name}.{ext})" for ext in ("png", "svg", "csv") if (figures / f"{name}.{ext}").exists())
        caption = str(row.caption).replace("|", "\\|")
        lines.append(f"| ![{name}]({name}.png) `{name}` | {caption} | {files} |")
    target = figures / "README.md"
    write_atomic(target, ("\n".join(lines) + "\n").encode("utf-8"))
    return target


def prepare_tables(corpus: Path, cache: Path, follow_links: bool = False) -> None:
    """Build (or refresh) the cached per-article tables once, before any notebook reads them."""
    from analysis.pipeline import build_for_run

    build_for_run(corpus, cache, follow_links)


def check_parameters(parameters: dict | None) -> str:
    """What is wrong with the selection parameters before anything is built ('' when nothing):
    a query that cannot be read (with the caret under the problem), a date that is not one."""
    from analysis.summarise.query import QueryError, compile_query
    from analysis.summarise.select import SelectionError, check_dates

    parameters = parameters or {}
    try:
        if parameters.get("QUERY"):
            compile_query(parameters["QUERY"])
        check_dates(parameters.get("DATE_FROM"), parameters.get("DATE_TO"))
    except QueryError as exc:
        return f"--query cannot be read:\n{exc}"
    except SelectionError as exc:
        return str(exc).replace("DATE_FROM", "--since").replace("DATE_TO", "--until")
    return ""


def check_selection(corpus: Path, cache: Path, parameters: dict | None, chosen: dict | None = None) -> str:
    """Once built: whether the articles have the GROUP_BY column and the OUTLETS asked for, and
    whether any article is left to analyse ('' when all is well; the choice is printed, and kept
    in `chosen["description"]` for the front page when `chosen` is given)."""
    from analysis.pipeline.tables import load_tables
    from analysis.summarise.select import SelectionError, check_group_by, select_articles

    parameters = parameters or {}
    tables = load_tables(corpus, cache, build=False)
    articles = tables.article_info
    try:
        check_group_by(articles.columns, parameters.get("GROUP_BY"))
    except SelectionError as exc:
        return str(exc).replace("GROUP_BY", "--group-by")
    outlets = parameters.get("OUTLETS") or []
    if outlets and "outlet" not in articles.columns:
        return "--outlets: these articles have no outlet (no `outlet` column, header line or metadata.csv field)"
    known = set(articles["outlet"].fillna("").astype(str).str.strip().str.casefold()) if outlets else set()
    unknown = [o for o in outlets if o.strip().casefold() not in known]
    if unknown:
        print(f"warning: no article comes from {', '.join(unknown)}", file=sys.stderr)
    # Choosing once here also stores the near-duplicate table, so that no notebook waits for it.
    selection = select_articles(tables, group_by=parameters.get("GROUP_BY"), date_from=parameters.get("DATE_FROM"),
                                date_to=parameters.get("DATE_TO"), query=parameters.get("QUERY"), outlets=outlets or None,
                                keep_duplicates=bool(parameters.get("KEEP_DUPLICATES")))
    if selection.articles.empty:
        return f"no article is left to analyse: {selection.description}"
    print(f"Articles: {selection.description}.")
    if chosen is not None:
        chosen["description"] = selection.description
    return ""


def run(corpus: Path, figures: Path, cache: Path, report: Path, only: list[str] | None = None,
        follow_links: bool = False, parameters: dict | None = None) -> int:
    """Build, then execute the notebooks with `parameters` (names of SELECTION_PARAMETERS) injected."""
    from tqdm.auto import tqdm

    from analysis.load.corpus import EmptyCorpusError
    from analysis.pipeline import LostArticlesError, built_token

    problem = check_parameters(parameters)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        prepare_tables(corpus, cache, follow_links)
    except EmptyCorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except LostArticlesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    chosen: dict = {}
    problem = check_selection(corpus, cache, parameters, chosen)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    notebooks = [nb for nb in list_notebooks() if not only or any(nb.stem.startswith(o) for o in only)]
    if not notebooks:
        print("No notebooks to run.", file=sys.stderr)
        return 2
    source = corpus_source(corpus, cache)
    env = notebook_environment(corpus, figures, cache, source.line())
    env[paths.ENV_BUILT] = built_token(corpus, cache)  # built above: the notebooks need not check again
    # The notebooks write a fresh index; what the last run listed is compared with it at the end.
    previous = read_index(figures)
    (figures / report_figures.INDEX_NAME).unlink(missing_ok=True)
    results, executed = [], []
    with tqdm(notebooks, desc="notebooks", unit="nb") as bar:
        for notebook in bar:
            bar.set_postfix_str(notebook.stem)
            output = report / f"{notebook.stem}.ipynb"
            result = execute_notebook(notebook, output, {**env, report_figures.ENV_NOTEBOOK: notebook.stem}, parameters)
            results.append(result)
            executed.append(output)
            if not result.ok:
                tqdm.write(f"FAILED {notebook.name}: {result.error}")
    finished = [r.name for r in results if r.ok]
    removed = clear_stale_figures(figures, previous, finished, [nb.stem for nb in list_notebooks()])
    if removed:
        tqdm.write(f"Removed {len(removed)} figure(s) this corpus no longer draws: {', '.join(removed)}")
    write_figures_index(figures)
    page = write_report(executed, report / "index.html", source=source, index=read_index(figures), figures=figures,
                        replacements=path_labels(corpus, figures, cache, report),
                        failures={r.name: r.error for r in results if not r.ok},
                        parameters=parameters, description=chosen.get("description", ""))
    print()
    for result in results:
        status = "ok    " if result.ok else "FAILED"
        print(f"  {status} {result.name:<16} {result.seconds:6.1f} s  {result.error}")
    print(f"\nFigures: {figures}/README.md\nReport:  {page}")
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"\n{len(failed)} notebook(s) failed; open report/<name>.ipynb to see the error in place.", file=sys.stderr)
        return 1
    return 0


def selection_parameters(args: argparse.Namespace) -> dict:
    """The notebook parameters the command line sets (only those given, as papermill's `-p`)."""
    given = {
        "GROUP_BY": args.group_by,
        "DATE_FROM": args.since,
        "DATE_TO": args.until,
        "QUERY": args.query,
        "OUTLETS": [o.strip() for o in args.outlets.split(",") if o.strip()] if args.outlets else None,
        "KEEP_DUPLICATES": True if args.keep_duplicates else None,
    }
    return {name: value for name, value in given.items() if value not in (None, "", [])}


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis.pipeline.builder import ENV_DAYFIRST, ENV_FIELDS

    # The build and the notebooks it starts read the load options from the environment.
    if args.field:
        os.environ[ENV_FIELDS] = ",".join(f"{role}={column}" for role, column in args.field.items())
    if args.dayfirst:
        os.environ[ENV_DAYFIRST] = "1"
    return run(
        corpus=paths.seeds_dir(args.corpus),
        figures=paths.figures_dir(args.figures),
        cache=paths.cache_dir(args.cache),
        report=Path(args.report).resolve() if args.report else paths.report_dir(),
        only=args.only,
        follow_links=args.follow_links,
        parameters=selection_parameters(args),
    )


def add_subcommands(sub) -> None:
    parser = sub.add_parser(
        "run",
        help="the main job: analyse the corpus, execute every notebook, export figures and a report",
        description="Load the corpus, compute the per-article tables once, then execute every "
        "numbered notebook in notebooks/ headless, writing figures/ and report/. The selection "
        "options choose which articles every notebook analyses and how it groups them; they set the "
        "notebooks' GROUP_BY, DATE_FROM, DATE_TO, QUERY, OUTLETS and KEEP_DUPLICATES parameters, as "
        "papermill would, and are checked before the long run.",
        epilog="Example: python -m analysis run --corpus news.jsonl --group-by outlet --since 2016-01-01 "
        "--until 2016-12-31 --query '(trump OR clinton) AND tax*' --outlets 'The Guardian,BBC News'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, help="folder of articles (default: seeds/, or $ANALYSIS_CORPUS)")
    parser.add_argument("--figures", type=Path, help="where figures go (default: figures/, or $ANALYSIS_FIGURES)")
    parser.add_argument("--cache", type=Path, help="table cache (default: .cache/, or $ANALYSIS_CACHE)")
    parser.add_argument("--report", type=Path, help="where the executed notebooks and HTML report go (default: report/)")
    parser.add_argument("--only", nargs="+", metavar="PREFIX", help="run only notebooks whose name starts with PREFIX (e.g. 0 2-terms)")
    parser.add_argument("--follow-links", action="store_true",
                        help="also read symbolic links that lead outside the corpus folder")
    add_load_options(parser)
    chosen = parser.add_argument_group("choosing and grouping the articles (every notebook)")
    chosen.add_argument("--group-by", metavar="COLUMN",
                        help="compare groups of articles by this column of the articles table, e.g. "
                        "--group-by outlet (or author, section, any metadata column); a missing value "
                        "is the group '(none)'")
    chosen.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only articles published on or after this day, e.g. --since 2016-01-01")
    chosen.add_argument("--until", metavar="YYYY-MM-DD",
                        help="only articles published on or before this day, e.g. --until 2016-12-31")
    chosen.add_argument("--query", metavar="QUERY",
                        help="only articles whose title or text matches this boolean keyword query, "
                        "e.g. --query '(trump OR clinton) AND \"tax plan\" NOT poll*': AND, OR, NOT in "
                        "capitals, quoted phrases, parentheses, a trailing * for any ending; case is ignored. "
                        "The corpus notebook also shows the share of articles matching it over time")
    chosen.add_argument("--outlets", metavar="A,B",
                        help="only articles from these outlets, comma-separated, e.g. --outlets 'BBC News,Reuters'")
    chosen.add_argument("--keep-duplicates", action="store_true",
                        help="count every near-duplicate copy of a story (wire copies, updated versions); "
                        "by default each story is counted once, from its earliest copy")
    parser.set_defaults(func=_cmd_run)
