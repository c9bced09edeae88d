"""The article records of any corpus path, in order: `.txt` files, table and JSON rows, sidecars.

    >>> reader = CorpusReader(Path("my-corpus"), fields={"text": "content"}, dayfirst=True)
    >>> for record in reader.records(): ...      # ArticleRecord per article file or row
    >>> reader.sources                           # per file: format, fields used, rows, problems

Files are taken in path order (`sorted`), every `.txt` through
:func:`analysis.load.corpus.read_article` exactly as before, every CSV/TSV/JSON/JSONL/Parquet
file (and `.gz` of each) row by row (:mod:`analysis.load.formats`). A row's doc id is its `id`
field when that is present and unique in its file, else `<file>-<row number>`; ids are made
file-system safe and unique over the corpus. A `metadata.csv` in a folder adds fields, keyed by
file name, to the `.txt` articles below it (a field the article states itself wins).
"""

from __future__ import annotations

import csv
import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from analysis.load.clean import MAX_FILE_BYTES, too_large_reason
from analysis.load.corpus import (
    ARTICLE_COLUMNS, LOADED, SKIPPED, WARNING, ArticleRecord, _Inside, _read_many, _UNSAFE, analyse_body,
    article_from_bytes, make_doc_id, scan_folder,
)
from analysis.load.fields import (
    EXTRA_ROLES, FIELD_NAMES, FieldMap, authors_value, detect_fields, is_empty, outlet_from_url, parse_date, plain_value,
    text_value,
)
from analysis.load.formats import ARTICLE_SUFFIXES, Row, format_name, iter_rows, split_suffix, supported_suffixes

SIDECAR = "metadata.csv"
_IGNORED = {"readme.md", "license", SIDECAR}
_SIDECAR_KEYS = ("file", "filename", "file_name", "path")
#: Columns of the articles table a metadata column may not take (it gets a `meta_` prefix).
RESERVED = {*ARTICLE_COLUMNS, *EXTRA_ROLES}


@dataclass
class Source:
    """What the load did with one file: its format, the fields that filled each role, counts."""

    path: str
    format: str
    fields: str = ""
    rows: int = 0
    loaded: int = 0
    skipped: int = 0
    ambiguous_dates: int = 0
    note: str = ""


@dataclass
class _Job:
    path: Path
    kind: str  # "txt", a format name, or "unsupported"
    doc_id: str | None = None
    refused: str | None = None


def _suffix_text(path: Path) -> str:
    suffix, compressed = split_suffix(path)
    return (suffix or "(none)") + (".gz" if compressed else "")


def unsupported_reason(path: Path) -> str:
    """Why a file of an unsupported type is listed and not read."""
    return f"unsupported file type {_suffix_text(Path(path))}: not read (supported: {supported_suffixes()})"


def claim_id(doc_id: str, seen: set[str]) -> str:
    """`doc_id`, or `doc_id-1`, `doc_id-2`... if taken: the first one not in `seen`, which is
    added to `seen`."""
    base, n = doc_id, 0
    while doc_id in seen:
        n += 1
        doc_id = f"{base}-{n}"
    seen.add(doc_id)
    return doc_id


def safe_id(value: str) -> str:
    """`value` made safe the way :func:`make_doc_id` makes a file name safe."""
    return (_UNSAFE.sub("_", str(value)).strip("._") or "_")[:150]


def row_stem(relative: Path) -> str:
    """`sub/news.csv.gz` -> `sub__news`: the prefix of row ids without an id field."""
    name = relative.name[:-3] if relative.name.lower().endswith(".gz") else relative.name
    return make_doc_id(relative.parent / f"{Path(name).stem or name}.txt")


def scan_other(root: Path, follow_links: bool = False) -> list[_Job]:
    """Every file below `root` (or `root` itself) that is not a `.txt` article: a supported table
    or JSON file, or an unsupported one (listed, never read). Hidden files, README.md, LICENSE and
    `metadata.csv` sidecars are left out, as :func:`scan_folder` leaves them out."""
    root = Path(root)
    if root.is_file():
        return [] if root.suffix.lower() in {".txt", ""} else [_Job(root, format_name(root) or "unsupported")]
    inside = _Inside(root)
    jobs = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or name.lower() in _IGNORED or path.suffix.lower() in {".txt", ""}:
                continue
            refused = None if follow_links else inside.refusal(path)
            jobs.append(_Job(path, format_name(path) or "unsupported", refused=refused))
    return jobs


class Sidecars:
    """The `metadata.csv` files below a corpus root: rows by the article file they describe."""

    def __init__(self, root: Path) -> None:
        self.by_path: dict[str, dict] = {}
        self.by_name: dict[Path, dict[str, dict | None]] = {}
        folder = root if root.is_dir() else root.parent
        for path in sorted({folder / SIDECAR, *(folder.rglob(SIDECAR) if root.is_dir() else ())}):
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                self._read(path)

    def _read(self, path: Path) -> None:
        names: dict[str, dict | None] = {}
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                key = next((row.pop(k) for k in _SIDECAR_KEYS if k in row), None)
                if not key:
                    continue
                self.by_path[os.path.normpath(path.parent / key)] = row
                name = Path(key).name
                names[name] = None if name in names else row  # a name used twice matches nothing
        self.by_name[path.parent] = names

    def __len__(self) -> int:
        return len(self.by_path)

    def lookup(self, file: Path) -> dict | None:
        """The sidecar row of an article file: by its path, else by its name in a sidecar of a
        folder above it (`metadata.csv` listing `reut-00001.txt` for `articles/reut-00001.txt`)."""
        row = self.by_path.get(os.path.normpath(file))
        if row is not None:
            return row
        for folder in Path(file).parents:
            names = self.by_name.get(folder)
            if names and names.get(Path(file).name):
                return names[Path(file).name]
        return None


@dataclass
class CorpusReader:
    """Reads every article of a corpus path (see the module docstring); `sources` and the date
    counts fill in as `records()` is consumed."""

    root: Path
    fields: dict[str, str] | None = None
    dayfirst: bool = False
    max_bytes: int = MAX_FILE_BYTES
    workers: int = 1
    follow_links: bool = False
    sources: list[Source] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    ambiguous_dates: int = 0
    n_jobs: int = 0

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self._sidecars = Sidecars(self.root) if self.root.exists() else None
        self._sidecar_maps: dict[tuple, FieldMap] = {}
        self._seen: set[str] = set()

    def jobs(self) -> list[_Job]:
        txt = [_Job(path, "txt", doc_id, refused) for path, doc_id, refused in scan_folder(self.root, self.follow_links)]
        self._seen = {job.doc_id for job in txt}
        jobs = sorted(txt + scan_other(self.root, self.follow_links), key=lambda job: job.path)
        self.n_jobs = len(jobs)
        return jobs

    def records(self) -> Iterator[ArticleRecord]:
        """An :class:`ArticleRecord` per `.txt` file and per row of the other files, in order;
        an unsupported or refused file is one skipped record."""
        jobs = self.jobs()
        txt = [(job.path, job.doc_id, job.refused) for job in jobs if job.kind == "txt"]
        read = iter(_read_many(txt, self.max_bytes, self.workers))
        for job in jobs:
            if job.kind == "txt":
                yield self._with_sidecar(next(read))
            elif job.refused or job.kind == "unsupported":
                yield self._refuse(job)
            else:
                yield from self._rows(job)

    # --- .txt files --------------------------------------------------------------------------

    def _with_sidecar(self, record: ArticleRecord) -> ArticleRecord:
        if record.article is None or not self._sidecars:
            return record
        row = self._sidecars.lookup(Path(record.path))
        if row is None:
            return record
        keys = tuple(row)  # sidecars of different folders may have different columns
        fmap = self._sidecar_maps.get(keys) or self._sidecar_maps.setdefault(keys, detect_fields(keys, self.fields))
        apply_sidecar(record.article, row, fmap, self.dayfirst)
        self._note_extra(record.article)
        return record

    def _refuse(self, job: _Job) -> ArticleRecord:
        reason = job.refused or unsupported_reason(job.path)
        self.sources.append(Source(str(job.path), job.kind if not job.refused else "refused", skipped=1, note=reason))
        return ArticleRecord(str(job.path), "", SKIPPED, reason)

    # --- rows ----------------------------------------------------------------------------------

    def _rows(self, job: _Job) -> Iterator[ArticleRecord]:
        source = Source(str(job.path), job.kind)
        self.sources.append(source)
        relative = job.path.relative_to(self.root) if job.path != self.root else Path(job.path.name)
        try:
            ids = self._unique_ids(job.path)
            if split_suffix(job.path)[0] in ARTICLE_SUFFIXES:
                yield self._compressed_article(job, relative, source)
                return
            maps: dict[tuple, FieldMap] = {}
            for row in iter_rows(job.path, self.max_bytes):
                record = self._row_record(row, job.path, relative, ids, maps, source)
                source.rows += 1
                if record.status == SKIPPED:
                    source.skipped += 1
                else:
                    source.loaded += 1
                yield record
            source.fields = "; ".join(dict.fromkeys(m.describe() for m in maps.values()))
        except Exception as exc:  # noqa: BLE001 - a broken file is reported, the corpus goes on
            reason = f"could not be read after {source.rows} row(s): {type(exc).__name__}: {exc}"
            source.note = reason
            source.skipped += 1
            yield ArticleRecord(str(job.path), "", SKIPPED, reason)

    def _compressed_article(self, job: _Job, relative: Path, source: Source) -> ArticleRecord:
        """A `.txt.gz`: one article, read like a `.txt` once decompressed."""
        with gzip.open(job.path, "rb") as handle:
            data = handle.read(self.max_bytes + 1)
        doc_id = self._unique(make_doc_id(relative.with_suffix("")))
        if len(data) > self.max_bytes:
            record = ArticleRecord(str(job.path), doc_id, SKIPPED, too_large_reason(len(data), self.max_bytes))
        else:
            record = article_from_bytes(str(job.path), doc_id, data)
        source.rows, source.loaded, source.skipped = 1, int(record.article is not None), int(record.article is None)
        return self._with_sidecar(record)

    def _unique_ids(self, path: Path) -> set[str]:
        return unique_ids(path, self.fields, self.max_bytes)

    def _unique(self, doc_id: str) -> str:
        return claim_id(doc_id, self._seen)

    def _row_record(self, row: Row, path: Path, relative: Path, ids: set[str], maps: dict, source: Source) -> ArticleRecord:
        if row.record is None:
            return ArticleRecord(str(path), "", SKIPPED, f"{row.where}: {row.problem}")
        keys = tuple(row.record)
        fmap = maps.get(keys) or maps.setdefault(keys, detect_fields(keys, self.fields))
        doc_id = self._unique(row_doc_id(row, fmap, ids, relative))
        record, ambiguous = row_article(row.record, fmap, self.dayfirst, str(path), doc_id, row.where)
        if ambiguous:
            self.ambiguous_dates += 1
            source.ambiguous_dates += 1
        if record.article is not None:
            self._note_extra(record.article)
        return record

    def _note_extra(self, values: dict) -> None:
        for name in values:
            if name not in _BASE_KEYS and name not in self.extra_columns:
                self.extra_columns.append(name)


def unique_ids(path: Path, fields: dict[str, str] | None = None, max_bytes: int = MAX_FILE_BYTES) -> set[str]:
    """The `id` values that occur exactly once in a table or JSON file (a pass over it)."""
    if split_suffix(path)[0] in ARTICLE_SUFFIXES:
        return set()
    counts: dict[str, int] = {}
    maps: dict[tuple, FieldMap] = {}
    for row in iter_rows(path, max_bytes):
        keys = tuple(row.record or ())
        fmap = maps.get(keys) or maps.setdefault(keys, detect_fields(keys, fields))
        column = fmap.roles["id"] if row.record else None
        if column and not is_empty(row.record.get(column)):
            key = str(row.record[column]).strip()
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n == 1}


#: The keys of an article dict that are not metadata columns of the source.
_BASE_KEYS = {*ARTICLE_COLUMNS, *EXTRA_ROLES, "path", "paragraphs"}


def row_doc_id(row: Row, fmap: FieldMap, ids: set[str], relative: Path) -> str:
    """A row's doc id before it is made unique over the corpus: its `id` field when that value
    occurs once in its file (`ids`), else `<file>-<row number>`."""
    id_value = plain_value(row.record.get(fmap.roles["id"])) if fmap.roles["id"] else ""
    return safe_id(id_value) if id_value in ids else f"{row_stem(relative)}-{row.number}"


def row_article(record: dict, fmap: FieldMap, dayfirst: bool, path: str, doc_id: str,
                where: str = "") -> tuple[ArticleRecord, bool]:
    """The :class:`ArticleRecord` of one table or JSON record, and whether its date was ambiguous.
    Pure (the pipeline's workers call it): reasons start with `where` (`row 3 (line 7)`) if given."""
    prefix = f"{where}: " if where else ""
    values, warnings, ambiguous = record_values(record, fmap, dayfirst)
    if ambiguous:
        order = "day-first" if dayfirst else "month-first"
        date_value = record.get(fmap.roles["date"])
        warnings.append(f"ambiguous date {str(date_value)[:20]!r} read {order} as {values['date_text']} (dayfirst={dayfirst})")
    if not values["text"].strip():
        return ArticleRecord(path, doc_id, SKIPPED, f"{prefix}no text" + (
            f" (no field named {', '.join(FIELD_NAMES['text'])}; pass fields={{'text': ...}})"
            if not fmap.roles["text"] else f" (field {fmap.roles['text']!r} is empty)")), ambiguous
    article, paragraphs, sentences = analyse_body(doc_id, values.pop("text"), values["title"] or None,
                                                  values["date"], values["date_text"])
    if not article["text"]:
        return ArticleRecord(path, doc_id, SKIPPED, f"{prefix}no text after cleaning"), ambiguous
    values["title"] = values["title"] or None  # as a `.txt` without a title line
    article.update(values, path=path, encoding="utf-8" if not job_is_parquet(Path(path)) else None)
    status = WARNING if warnings else LOADED
    reason = prefix + "; ".join(warnings) if warnings else ""
    return ArticleRecord(path, doc_id, status, reason, article, paragraphs, sentences), ambiguous


def record_values(record: dict, fmap: FieldMap, dayfirst: bool) -> tuple[dict, list[str], bool]:
    """The article fields of a record (text, title, date, date_text, the extra roles and the other
    columns as metadata, a `meta_` prefix on a name that is taken), the warnings about them, and
    whether the date's day and month could be swapped."""
    roles = fmap.roles
    get = lambda role: record.get(roles[role]) if roles[role] else None  # noqa: E731
    warnings: list[str] = []
    date = parse_date(get("date"), dayfirst)
    if date.problem:
        warnings.append(date.problem)
    elif roles["date"] is None or is_empty(get("date")):
        warnings.append("no date")
    values = {"text": text_value(get("text")), "title": plain_value(get("title")), "date": date.stamp,
              "date_text": date.text, "authors": authors_value(get("authors"))}
    for role in ("outlet", "section", "url", "language"):
        values[role] = plain_value(get(role))
    if not values["outlet"] and values["url"]:
        values["outlet"] = outlet_from_url(values["url"])
    for column in fmap.others:
        name = f"meta_{column}" if column in RESERVED or column in values else column
        values[name] = record[column]
    return values, warnings, bool(date.ambiguous)


def apply_sidecar(article: dict, row: dict, fmap: FieldMap, dayfirst: bool) -> None:
    """Fill an article's missing title, date and roles from its `metadata.csv` row, and add the
    row's other columns as metadata (a field the article states itself wins)."""
    values, _, _ = record_values(row, fmap, dayfirst)
    for role in ("title", "date", "date_text", *EXTRA_ROLES):
        if is_empty(article.get(role)) and not is_empty(values.get(role)):
            article[role] = values[role]
    for key, value in values.items():
        if key not in RESERVED and key not in article:
            article[key] = value


def metadata_of(article: dict) -> dict:
    """The metadata columns of an article dict (its source's extra columns), in their order."""
    return {key: value for key, value in article.items() if key not in _BASE_KEYS}


def job_is_parquet(path: Path) -> bool:
    return split_suffix(path)[0] == ".parquet"


def iter_records(path, **options) -> Iterable[ArticleRecord]:
    """The article records of any corpus path, in order (see :class:`CorpusReader`)."""
    return CorpusReader(Path(path), **options).records()
