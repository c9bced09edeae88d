"""Loading a folder of articles into tidy tables, accounting for every file.

    >>> from analysis.load.corpus import load_corpus
    >>> corpus = load_corpus()          # the project's seeds/
    >>> corpus.articles                 # one row per article
    >>> corpus.report                   # one row per file found, loaded or not, and why

The per-file work (`read_article`) is a pure function of the file's bytes, so the pipeline can
run it in worker processes; `load_corpus` only assembles the results.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from analysis import paths
from analysis.load.clean import (
    MAX_FILE_BYTES, ParsedArticle, clean_text, decode_bytes, parse_article, take_credits, too_large_reason,
)
from analysis.load.text import paragraph_spans, sentence_spans

LOADED, WARNING, SKIPPED = "loaded", "warning", "skipped"

ARTICLE_COLUMNS = [
    "doc_id", "path", "date", "date_text", "title", "text", "credits", "n_words", "n_paragraphs",
    "n_sentences", "encoding", "content_hash", "duplicate_of",
]
PARAGRAPH_COLUMNS = ["doc_id", "paragraph", "start", "end", "text"]
SENTENCE_COLUMNS = ["doc_id", "sentence", "paragraph", "start", "end", "text"]
REPORT_COLUMNS = ["path", "doc_id", "status", "reason"]
#: The columns `load_corpus` adds after ARTICLE_COLUMNS ('' when the source does not say), before
#: the metadata columns of the source (a `meta_` prefix when a name is taken).
FIELD_COLUMNS = ["outlet", "authors", "section", "url", "language"]
SOURCE_COLUMNS = ["path", "format", "fields", "rows", "loaded", "skipped", "ambiguous_dates", "note"]


class EmptyCorpusError(ValueError):
    """Nothing under the given path could be loaded."""


@dataclass
class Corpus:
    """The loaded corpus: four tables, all keyed by `doc_id`.

    - `articles`: doc_id, path, date (datetime64, NaT when none or outside 1677-09-22..2262-04-11),
      date_text (the stated date as `YYYY-MM-DD`, also when `date` cannot hold it), title, text (cleaned body),
      credits, n_words, n_paragraphs, n_sentences, encoding, content_hash, duplicate_of.
    - `paragraphs`: doc_id, paragraph (0-based), start, end (offsets into the article's text), text.
    - `sentences`: doc_id, sentence (0-based), paragraph, start, end, text.
      Then outlet, authors, section, url, language ('' when no source states them: a table, JSON,
      `.txt` header lines, a `metadata.csv`) and the sources' metadata columns.
    - `paragraphs`: doc_id, paragraph (0-based), start, end (offsets into the article's text), text.
    - `sentences`: doc_id, sentence (0-based), paragraph, start, end, text.
    - `report`: path, doc_id, status (loaded | warning | skipped), reason. A row of a table or JSON
      file has its own line, whose reason starts with `row N (line L):` when it is not `loaded`.
    - `sources`: per file that is not a `.txt` article: path, format, fields (which column filled
      each role), rows, loaded, skipped, ambiguous_dates, note.
    """

    root: Path
    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    report: pd.DataFrame
    sources: pd.DataFrame | None = None
    dayfirst: bool = False
    ambiguous_dates: int = 0

    def summary(self, details: bool = False) -> str:
        """A few lines for people: what was loaded, what was skipped and why; with `details`, the
        format and field mapping of every table or JSON file."""
        text = summarize_report(self.report, self.root, self.articles)
        return text + summarize_sources(self.sources, self.dayfirst, self.ambiguous_dates, details)

    def unique_articles(self) -> pd.DataFrame:
        """Articles without the exact duplicates of an earlier file."""
        return self.articles[self.articles["duplicate_of"].isna()]


@dataclass
class ArticleRecord:
    """What `read_article` learns from one file (tables is None when the file was skipped)."""

    path: str
    doc_id: str
    status: str
    reason: str
    article: dict | None = None
    paragraphs: list[tuple] | None = None
    sentences: list[tuple] | None = None


def analyse_text(doc_id: str, raw: str) -> tuple[dict, list[tuple], list[tuple], list[str]]:
    """Parse one decoded article: its row, paragraph rows, sentence rows and any warnings."""
    return _article_tables(doc_id, parse_article(raw))


def analyse_body(doc_id: str, body: str, title: str | None, date, date_text: str | None) -> tuple[dict, list[tuple], list[tuple]]:
    """:func:`analyse_text` for an article whose parts come as fields (a CSV or JSON record): the
    body is cleaned and its credit lines taken off as a file's are; the title and date are given."""
    cleaned = clean_text(body)
    paragraphs = cleaned.split("\n\n") if cleaned else []
    credits = take_credits(paragraphs)
    parsed = ParsedArticle(date=date, title=title, text="\n\n".join(paragraphs), credits=credits,
                           date_text=date_text)
    article, paragraph_rows, sentence_rows, _ = _article_tables(doc_id, parsed)
    return article, paragraph_rows, sentence_rows


def _article_tables(doc_id: str, parsed: ParsedArticle) -> tuple[dict, list[tuple], list[tuple], list[str]]:
    text = parsed.text
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, paragraphs)
    paragraph_rows = [(doc_id, i, s, e, text[s:e]) for i, (s, e) in enumerate(paragraphs)]
    sentence_rows = []
    p = 0
    for i, (s, e) in enumerate(sentences):
        while p + 1 < len(paragraphs) and s >= paragraphs[p + 1][0]:
            p += 1
        sentence_rows.append((doc_id, i, p, s, e, text[s:e]))
    article = {
        "doc_id": doc_id,
        "date": parsed.date,
        "date_text": parsed.date_text,
        "title": parsed.title,
        "text": text,
        "credits": parsed.credits,
        "n_words": len(text.split()),
        "n_paragraphs": len(paragraphs),
        "n_sentences": len(sentences),
        "content_hash": parsed.content_hash,
        **parsed.headers,
    }
    return article, paragraph_rows, sentence_rows, parsed.warnings


def read_article(path: str | os.PathLike, doc_id: str, max_bytes: int = MAX_FILE_BYTES) -> ArticleRecord:
    """Read, decode, clean and split one file. Never raises: problems become the record's reason."""
    name = str(path)
    try:
        file = Path(path)
        if file.is_symlink() and not file.exists():
            return ArticleRecord(name, doc_id, SKIPPED, "broken symbolic link")
        if file.is_dir():
            return ArticleRecord(name, doc_id, SKIPPED, "a folder, not a file")
        size = file.stat().st_size
        if size > max_bytes:
            return ArticleRecord(name, doc_id, SKIPPED, too_large_reason(size, max_bytes))
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)  # never more than the limit, even if the file grew
        if len(data) > max_bytes:
            return ArticleRecord(name, doc_id, SKIPPED, too_large_reason(max(len(data), file.stat().st_size), max_bytes))
        return article_from_bytes(name, doc_id, data)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a corpus
        return ArticleRecord(name, doc_id, SKIPPED, f"could not be read: {type(exc).__name__}: {exc}")


def article_from_bytes(name: str, doc_id: str, data: bytes) -> ArticleRecord:
    """The record of one article file's bytes (already read and within the size limit)."""
    try:
        decoded = decode_bytes(data)
        if decoded.text is None:
            return ArticleRecord(name, doc_id, SKIPPED, decoded.problem or "unreadable")
        article, paragraphs, sentences, warnings = analyse_text(doc_id, decoded.text)
        if not article["text"]:
            return ArticleRecord(name, doc_id, SKIPPED, "no body text (only a date or title line)")
        if decoded.warning:
            warnings.insert(0, decoded.warning)
        article["path"] = name
        article["encoding"] = decoded.encoding
        status = WARNING if warnings else LOADED
        return ArticleRecord(name, doc_id, status, "; ".join(warnings), article, paragraphs, sentences)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a corpus
        return ArticleRecord(name, doc_id, SKIPPED, f"could not be read: {type(exc).__name__}: {exc}")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def make_doc_id(relative: Path) -> str:
    """A file-system-safe id from a file's path below the corpus root (`sub/a b.txt` -> `sub__a_b`)."""
    parts = [*relative.parent.parts, relative.stem if relative.suffix.lower() == ".txt" else relative.name]
    doc_id = "__".join(_UNSAFE.sub("_", part).strip("._") or "_" for part in parts)
    return doc_id[:150] or "_"


def find_files(root: Path, follow_links: bool = False) -> list[tuple[Path, str]]:
    """Every candidate file below `root` (or `root` itself), sorted, with a unique doc_id each.

    Hidden files and folders (`.git`, `.ipynb_checkpoints`) are ignored; everything else that is
    named `*.txt`, or has no suffix, is a candidate, including folders so named, so the report can
    say why they were skipped. Symbolic links that lead outside `root` are left out unless
    `follow_links` (see :func:`scan_folder`, which also lists them with the reason).
    """
    return [(file, doc_id) for file, doc_id, refused in scan_folder(root, follow_links) if refused is None]


def scan_folder(root: Path, follow_links: bool = False) -> list[tuple[Path, str, str | None]]:
    """:func:`find_files` with the links it refuses: (path, doc_id, None) for every file to read,
    (path, doc_id, reason) for a symbolic link (to a file or a folder) whose target is outside
    `root`, which is not followed unless `follow_links`. With `follow_links`, linked folders are
    walked too (each real folder once, so a link loop ends). Doc ids do not depend on
    `follow_links`."""
    root = Path(root)
    if root.is_file() or (root.is_symlink() and not root.exists()):
        # A single file is an article only if it is named like one: a `news.csv` is never prose.
        if root.suffix.lower() not in {".txt", ""}:
            return []
        return [(root, make_doc_id(Path(root.name)), None)]
    inside = _Inside(root)
    found: list[tuple[Path, str | None]] = []
    walked: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links):
        here = Path(dirpath)
        if follow_links:
            real = os.path.realpath(here)
            if real in walked:
                dirnames[:] = []
                continue
            walked.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames) + [d for d in dirnames if d.lower().endswith(".txt")]:
            if name.startswith(".") or name.lower() in {"readme.md", "license", "metadata.csv"}:
                continue
            if Path(name).suffix.lower() not in {".txt", ""}:
                continue
            found.append((here / name, None if follow_links else inside.refusal(here / name)))
        if not follow_links:  # a linked folder is not walked; say so when it leads outside
            found.extend((here / d, inside.refusal(here / d)) for d in dirnames
                         if not d.lower().endswith(".txt") and os.path.islink(here / d) and inside.refusal(here / d))
    found.sort(key=lambda item: item[0])
    seen: dict[str, int] = {}
    result = []
    for file, refused in found:
        doc_id = make_doc_id(file.relative_to(root))
        if doc_id in seen:
            seen[doc_id] += 1
            doc_id = f"{doc_id}-{seen[doc_id]}"
        else:
            seen[doc_id] = 0
        result.append((file, doc_id, refused))
    return result


#: How the reason for a refused symbolic link starts (the pipeline's scan keeps such rows).
LINK_REFUSED = "symbolic link"


class _Inside:
    """Whether a link's target is inside the corpus folder (compared as real paths)."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)

    def refusal(self, path: Path) -> str | None:
        """Why `path` is not followed (a link whose target is outside the root), or None."""
        if not os.path.islink(path):
            return None
        target = os.path.realpath(path)
        if os.path.commonpath([self.root, target]) == self.root:
            return None
        kind = "a folder" if os.path.isdir(path) else "a file" if os.path.exists(path) else "a missing path"
        return (f"{LINK_REFUSED} to {kind} outside the corpus folder ({os.readlink(path)}): not followed "
                "(pass follow_links=True to load_corpus, or --follow-links, to read it)")


def _read_many(jobs: list[tuple[Path, str, str | None]], max_bytes: int, workers: int) -> Iterable[ArticleRecord]:
    """A record per job, in order: read (in worker processes when many), or refused as scanned."""
    records = iter(_read_files([(path, doc_id) for path, doc_id, reason in jobs if not reason], max_bytes, workers))
    for path, doc_id, reason in jobs:
        yield ArticleRecord(str(path), doc_id, SKIPPED, reason) if reason else next(records)


def _read_files(jobs: list[tuple[Path, str]], max_bytes: int, workers: int) -> Iterable[ArticleRecord]:
    if workers <= 1 or len(jobs) < 400:
        return (read_article(path, doc_id, max_bytes) for path, doc_id in jobs)
    paths_, ids = zip(*jobs)
    pool = ProcessPoolExecutor(max_workers=workers)
    return _closing_map(pool, paths_, ids, max_bytes)


def _closing_map(pool, paths_, ids, max_bytes):
    with pool:
        yield from pool.map(read_article, paths_, ids, [max_bytes] * len(ids), chunksize=64)


def load_corpus(
    path: str | os.PathLike | None = None,
    fields: dict[str, str] | None = None,
    dayfirst: bool = False,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    workers: int | None = None,
    progress: bool = False,
    follow_links: bool = False,
) -> Corpus:
    """Load every article under `path` (default: the project's seeds folder), or in the one file
    `path`: `.txt` articles, CSV/TSV, JSON (an article or an array), JSONL, Parquet, `.gz` of each.

    Returns a :class:`Corpus`. Every file found, and every row of a table, is in `corpus.report`;
    an article with the same cleaned text as an earlier one is loaded with a warning and its
    `duplicate_of` set. Raises :class:`EmptyCorpusError` (naming the path) if nothing could be loaded.

    Fields of tables and JSON are found by common names (:data:`analysis.load.fields.FIELD_NAMES`);
    `fields={"text": "content", "date": "scraped_at"}` overrides them. Numeric dates such as
    `03/04/2024` are read month-first unless `dayfirst`; `corpus.ambiguous_dates` counts those
    whose day and month could be swapped. A `metadata.csv` keyed by file name adds fields to the
    `.txt` articles of its folder.

    Files over `max_bytes` (default :data:`MAX_FILE_BYTES`, 10 MiB) are refused with their size
    and the limit. A symbolic link whose target is outside `path` is not followed (it is listed as
    skipped, with the reason) unless `follow_links` is true.
    """
    from analysis.load.fields import detect_fields
    from analysis.load.records import CorpusReader

    detect_fields((), fields)  # an unknown role is a ValueError here, not a note on every file
    root = paths.seeds_dir(path)
    if not root.exists() and not root.is_symlink():
        raise EmptyCorpusError(f"No corpus at {root}: the path does not exist.")
    workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
    reader = CorpusReader(root, fields, dayfirst, max_bytes, workers, follow_links)
    records = reader.records()
    if progress:
        from tqdm.auto import tqdm

        records = tqdm(records, desc="loading", unit="article")
    articles, paragraphs, sentences, report = _collect(records)

    report_table = pd.DataFrame(report, columns=REPORT_COLUMNS)
    if not articles:
        reasons = report_table["reason"].value_counts().head(3).to_dict() if len(report_table) else {}
        detail = (f" Files found: {len(report_table)}; reasons: {reasons}." if reasons
                  else " No article files (.txt, .csv, .tsv, .json, .jsonl, .parquet, .gz) were found.")
        raise EmptyCorpusError(f"Nothing could be loaded from {root}.{detail}")

    # Every corpus has the FIELD_COLUMNS ('' when no source says), then its sources' metadata.
    article_table = pd.DataFrame(articles).reindex(columns=ARTICLE_COLUMNS + FIELD_COLUMNS + reader.extra_columns)
    article_table["date"] = _date_column(article_table["date"])
    for column in FIELD_COLUMNS:
        article_table[column] = article_table[column].astype(object).where(article_table[column].notna(), "")
    return Corpus(
        root=root,
        articles=article_table,
        paragraphs=pd.DataFrame(paragraphs, columns=PARAGRAPH_COLUMNS),
        sentences=pd.DataFrame(sentences, columns=SENTENCE_COLUMNS),
        report=report_table,
        sources=pd.DataFrame([vars(s) for s in reader.sources], columns=SOURCE_COLUMNS),
        dayfirst=dayfirst,
        ambiguous_dates=reader.ambiguous_dates,
    )


def _collect(records: Iterable[ArticleRecord]) -> tuple[list, list, list, list]:
    """Articles, paragraph rows, sentence rows and report rows of `records`, marking duplicates."""
    articles, paragraphs, sentences, report = [], [], [], []
    first_with_hash: dict[str, str] = {}
    for record in records:
        if record.article is not None:
            article = record.article
            original = first_with_hash.setdefault(article["content_hash"], record.doc_id)
            article["duplicate_of"] = None if original == record.doc_id else original
            if article["duplicate_of"]:
                record.status = WARNING
                record.reason = "; ".join(filter(None, [record.reason, f"duplicate of {original}"]))
            articles.append(article)
            paragraphs.extend(record.paragraphs)
            sentences.extend(record.sentences)
        report.append((record.path, record.doc_id, record.status, record.reason))
    return articles, paragraphs, sentences, report


def _date_column(dates: pd.Series) -> pd.Series:
    """The articles' dates as datetime64[ns]. `parse_article` only gives dates pandas can hold; a
    value that still does not fit becomes NaT on its own, without failing the other articles."""
    try:
        return pd.to_datetime(dates).astype("datetime64[ns]")
    except (ValueError, OverflowError, TypeError):
        return pd.to_datetime(dates.map(_one_date)).astype("datetime64[ns]")


def _one_date(value):
    try:
        return None if value is None or pd.isna(value) else pd.Timestamp(value).as_unit("ns")
    except (ValueError, OverflowError, TypeError):
        return None


def summarize_report(report: pd.DataFrame, root: Path | str, articles: pd.DataFrame | None = None) -> str:
    """A short, printable account of a load: counts by status, dates covered, skip reasons."""
    counts = report["status"].value_counts()
    lines = [
        f"Corpus: {root}",
        f"  files found: {len(report):,}",
        f"  loaded:      {counts.get(LOADED, 0):,}",
        f"  warnings:    {counts.get(WARNING, 0):,} (loaded, see reasons)",
        f"  skipped:     {counts.get(SKIPPED, 0):,}",
    ]
    if articles is not None and len(articles):
        dates = articles["date"].dropna()
        if len(dates):
            lines.append(f"  dates:       {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d} ({len(dates):,} dated)")
        lines.append(f"  words:       {int(articles['n_words'].sum()):,}")
    for status in (WARNING, SKIPPED):
        rows = report[report["status"] == status]
        if len(rows):
            # Group reasons by their kind so 2,000 "no date line" warnings read as one line.
            kinds = rows["reason"].str.replace(r"duplicate of \S+", "duplicate of another file", regex=True)
            lines.append(f"  {status} reasons:")
            for reason, n in kinds.value_counts().head(10).items():
                lines.append(f"    {n:>6,}  {reason}")
    return "\n".join(lines)


def summarize_sources(sources: pd.DataFrame | None, dayfirst: bool, ambiguous: int, details: bool = False) -> str:
    """The lines :meth:`Corpus.summary` adds for table and JSON files: counts, the date convention
    and, with `details`, each file's format and the field that filled each role."""
    if sources is None or not len(sources):
        return ""
    read = sources[~sources["format"].isin(["unsupported", "refused"])]
    lines = [f"  table/JSON files: {len(read):,} ({int(read['rows'].sum()):,} rows); "
             f"not read: {len(sources) - len(read):,}"]
    if len(read):
        order = "day-first (dayfirst=True)" if dayfirst else "month-first (dayfirst=False)"
        lines.append(f"  numeric dates read {order}; {ambiguous:,} row(s) had a day and month that could be swapped")
    if details:
        lines.append("  files:")
        for source in sources.itertuples():
            counts = f"{source.rows:,} rows, {source.loaded:,} loaded, {source.skipped:,} skipped"
            lines.append(f"    {source.path}  [{source.format}]  {counts}")
            if source.fields:
                lines.append(f"      fields: {source.fields}")
            if source.note:
                lines.append(f"      note: {source.note}")
    return "\n" + "\n".join(lines)
