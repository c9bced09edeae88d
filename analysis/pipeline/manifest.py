"""The manifest: a corpus's file list with the hash of each file's bytes, kept in the cache so
that the next build re-hashes only files whose size or modification time changed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from analysis.load.clean import MAX_FILE_BYTES
from analysis.load.corpus import LINK_REFUSED, make_doc_id, read_article
from analysis.load.fields import FieldMap, detect_fields, plain_value
from analysis.load.formats import iter_rows
from analysis.load.records import CorpusReader, Sidecars, claim_id, row_stem, safe_id, unsupported_reason
from analysis.files import write_atomic
from analysis.pipeline.store import _META, _describe, _parquet_bytes

log = logging.getLogger(__name__)

#: Per article or file: `kind` is "txt", "txt+gz", "row" (a row of a table or JSON file, `row`
#: its number and `where` how the report names it) or the format of a file that gave no rows;
#: `sidecar` the JSON of a `.txt` file's `metadata.csv` row (with the load options); `file_hash`
#: the hash of a `.txt` file's bytes (`raw_hash` adds its sidecar row's).
MANIFEST_COLUMNS = ["order", "doc_id", "path", "raw_hash", "size", "mtime_ns", "status", "reason", "kind", "row",
                    "where", "sidecar", "file_hash"]
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def manifest_path(corpus: Path, cache: Path) -> Path:
    """Where the file list of `corpus` is kept: a sanitised name plus a hash of the full path."""
    slug = _SLUG.sub("_", corpus.name).strip("._")[:60] or "corpus"
    digest = hashlib.sha1(str(corpus).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return cache / "manifests" / f"{slug}-{digest}.parquet"


def _read_manifest(file: Path) -> pd.DataFrame | None:
    try:
        table = pq.read_table(file)
        manifest = table.replace_schema_metadata(None).to_pandas()
        meta = json.loads((table.schema.metadata or {}).get(_META, b"{}"))
        manifest.attrs["folders"], manifest.attrs["retry"] = meta.get("folders"), meta.get("retry", [])
        return manifest
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged manifest is only a lost shortcut
        log.warning("manifest %s is unreadable (%s); files will be re-hashed", file, _describe(exc))
        file.unlink(missing_ok=True)
        return None


def save_manifest(file: Path, manifest: pd.DataFrame) -> None:
    """Store `manifest` (with its folder signature and the files to retry) unless `file` already
    holds exactly that: a build that found nothing new writes nothing, so a read-only cache
    can still be opened with `load_tables()`."""
    data = _parquet_bytes(manifest, {"folders": manifest.attrs.get("folders"), "retry": manifest.attrs.get("retry", [])})
    try:
        if file.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(file, data)


def folders_signature(corpus: Path) -> str | None:
    """A hash of the modification times of `corpus` and its (non-hidden) sub-folders: it changes
    whenever a file is added, removed or renamed, so an unchanged signature lets a scan reuse the
    previous file list instead of listing and naming every file again. None for a single file."""
    if not corpus.is_dir():
        return None
    digest = hashlib.sha1()
    for dirpath, dirnames, _ in os.walk(corpus, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        digest.update(f"{dirpath}\0{os.stat(dirpath).st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def load_options(fields: dict[str, str] | None = None, dayfirst: bool = False) -> str:
    """The load options that change what a table row or a sidecar gives, as a key fragment."""
    return json.dumps({"fields": dict(sorted((fields or {}).items())), "dayfirst": bool(dayfirst)}, sort_keys=True)


def row_hash(record: dict, options: str) -> str:
    """The cache key of a table or JSON row: its fields (names, order and values) and the options."""
    return hashlib.sha1(f"row\0{row_json(record)}\0{options}".encode("utf-8", "surrogatepass")).hexdigest()


def row_json(record: dict) -> str:
    """A row as JSON: Parquet's lists (NumPy arrays) as lists, NumPy numbers as numbers, other
    values JSON cannot hold (timestamps) as text."""
    return json.dumps(record, ensure_ascii=False, default=_plain)


def _plain(value):
    if hasattr(value, "tolist"):  # a NumPy array or number
        return value.tolist()
    return str(value)


def scan_corpus(corpus: Path, previous: pd.DataFrame | None = None, max_bytes: int = MAX_FILE_BYTES,
                progress: bool = False, follow_links: bool = False, fields: dict[str, str] | None = None,
                dayfirst: bool = False) -> pd.DataFrame:
    """The corpus's articles in corpus order: a row per `.txt` file (with the hash of its bytes and
    of its `metadata.csv` row), a row per row of each CSV/TSV/JSON/JSONL/Parquet file (keyed by the
    hash of the row's fields, so an unchanged row keeps its key when others change), and a row per
    file that is not read (unsupported type, refused link).

    A symbolic link leading outside the corpus folder is listed as skipped, with the reason, and
    never read, unless `follow_links` (see `analysis.load.corpus.scan_folder`).

    A file whose size and modification time match `previous` keeps its hash (a table file: its
    rows) unread; when no file was added, removed or renamed since `previous` (see
    :func:`folders_signature`), its file list and doc ids are reused. Files that cannot be
    analysed at all (folders, broken links, over `max_bytes`, unreadable) get their load-report
    status and reason here and no hash.
    """
    options = load_options(fields, dayfirst)
    if previous is not None and (previous.attrs.get("options") != options or "kind" not in previous.columns):
        previous = None  # other options give other articles: nothing can be reused
    signature = folders_signature(corpus)
    if signature is not None:
        signature += "|links" if follow_links else ""
    if signature is not None and previous is not None and previous.attrs.get("folders") == signature:
        files = _files_from(previous)
    else:
        files = [(j.path, j.kind, j.doc_id, j.refused) for j in CorpusReader(corpus, follow_links=follow_links).jobs()]
    scanner = _Scanner(corpus, previous, max_bytes, fields, options)
    scanner.seen = {doc_id for _, kind, doc_id, _ in files if kind == "txt"}  # as `CorpusReader` names rows
    if progress:
        from tqdm import tqdm

        files = tqdm(files, desc="scanning", unit="file", mininterval=1.0)
    for path, kind, doc_id, refused in files:
        scanner.add_file(Path(path), kind, doc_id, refused)
    manifest = pd.DataFrame(scanner.rows, columns=MANIFEST_COLUMNS).astype(
        {"order": "int64", "size": "int64", "mtime_ns": "int64", "row": "int64"})
    manifest.attrs["folders"], manifest.attrs["options"] = signature, options
    return manifest


def _files_from(previous: pd.DataFrame) -> list[tuple[Path, str, str | None, str | None]]:
    """The file list of a previous scan: (path, kind, doc_id, refusal) per file, in order."""
    files, seen = [], set()
    for path, kind, doc_id, reason, row in zip(*_columns(previous, "path", "kind", "doc_id", "reason", "row")):
        if path in seen:
            continue
        seen.add(path)
        refused = reason if reason and reason.startswith(LINK_REFUSED) else None
        files.append((Path(path), kind, doc_id if kind == "txt" else None, refused))
    return files


class _Scanner:
    """Builds the manifest's rows file by file (see :func:`scan_corpus`)."""

    def __init__(self, corpus: Path, previous: pd.DataFrame | None, max_bytes: int, fields, options: str):
        self.corpus, self.max_bytes, self.fields, self.options = corpus, max_bytes, fields, options
        self.rows: list[tuple] = []
        self.seen: set[str] = set()
        self.known: dict[tuple, str] = {}  # (path, size, mtime) -> hash of a file's bytes
        self.previous_rows: dict[str, list[tuple]] = {}  # table file -> its rows last time
        self.sidecars = Sidecars(corpus) if corpus.exists() else None
        if previous is not None and len(previous):
            names = ("doc_id", "path", "raw_hash", "size", "mtime_ns", "status", "reason", "kind", "row", "where",
                     "sidecar", "file_hash")
            for values in zip(*_columns(previous, *names)):
                if values[7] == "row" or (values[7] not in ("txt", "txt+gz") and values[8] == 0):
                    self.previous_rows.setdefault(values[1], []).append(values)
                elif values[11] is not None:
                    self.known[(values[1], values[3], values[4])] = values[11]

    def _add(self, doc_id, path, raw_hash=None, size=-1, mtime=-1, status=None, reason=None, kind="txt", row=0,
             where=None, sidecar=None, file_hash=None) -> None:
        self.rows.append((len(self.rows), doc_id, str(path), raw_hash, size, mtime, status, reason, kind, row, where,
                          sidecar, file_hash))

    def unique(self, doc_id: str) -> str:
        return claim_id(doc_id, self.seen)

    def add_file(self, path: Path, kind: str, doc_id: str | None, refused: str | None) -> None:
        if refused is not None:
            self._add(doc_id or "", path, status="skipped", reason=refused, kind=kind)
        elif kind == "unsupported":
            self._add("", path, status="skipped", reason=unsupported_reason(path), kind=kind)
        elif kind in ("txt", "txt+gz"):
            if kind == "txt+gz":
                doc_id = make_doc_id(self._relative(path).with_suffix(""))
                doc_id = self.unique(doc_id)
            self._add_article_file(path, doc_id, kind)
        else:
            self._add_table(path, kind)

    def _relative(self, path: Path) -> Path:
        return path.relative_to(self.corpus) if path != self.corpus else Path(path.name)

    def _add_article_file(self, path: Path, doc_id: str, kind: str) -> None:
        name = str(path)
        try:
            info = os.stat(name)
            if not stat.S_ISREG(info.st_mode) or (kind == "txt" and info.st_size > self.max_bytes):
                raise _Direct
            file_hash = self.known.get((name, info.st_size, info.st_mtime_ns))
            if file_hash is None:
                with open(name, "rb") as handle:
                    file_hash = hashlib.sha1(handle.read()).hexdigest()
        except (_Direct, OSError):
            record = read_article(name, doc_id, self.max_bytes)  # says why, without analysing
            self._add(doc_id, name, status=record.status, reason=record.reason, kind=kind)
            return
        side = self.sidecars.lookup(path) if self.sidecars else None
        sidecar = None if side is None else json.dumps({"row": side, "options": json.loads(self.options)})
        raw_hash = file_hash if sidecar is None else hashlib.sha1(f"{file_hash}\0{sidecar}".encode()).hexdigest()
        self._add(doc_id, name, raw_hash, info.st_size, info.st_mtime_ns, kind=kind, sidecar=sidecar,
                  file_hash=file_hash)

    def _add_table(self, path: Path, kind: str) -> None:
        name = str(path)
        try:
            info = os.stat(name)
        except OSError as exc:
            self._add("", name, status="skipped", reason=f"could not be read: {_describe(exc)}", kind=kind)
            return
        before = self.previous_rows.get(name)
        if before and all((v[3], v[4]) == (info.st_size, info.st_mtime_ns) for v in before):
            for doc_id, _, raw_hash, size, mtime, status, reason, kind_, row, where, _, _ in before:
                self._add(self.unique(doc_id) if doc_id else "", name, raw_hash, size, mtime, status, reason, kind_,
                          row, where)
            return
        self._read_table(path, kind, info)

    def _read_table(self, path: Path, kind: str, info: os.stat_result) -> None:
        """One pass over the rows: their keys and `id` values; doc ids once the file's ids are counted."""
        name, relative, count = str(path), self._relative(path), 0
        size, mtime = info.st_size, info.st_mtime_ns
        maps: dict[tuple, FieldMap] = {}
        found: list[tuple] = []  # (number, where, id value or "", key) per record; (number, where, None, problem)
        try:
            for row in iter_rows(path, self.max_bytes):
                count += 1
                if row.record is None:
                    found.append((row.number, row.where, None, f"{row.where}: {row.problem}"))
                    continue
                keys = tuple(row.record)
                fmap = maps.get(keys) or maps.setdefault(keys, detect_fields(keys, self.fields))
                id_value = plain_value(row.record.get(fmap.roles["id"])) if fmap.roles["id"] else ""
                found.append((row.number, row.where, id_value, row_hash(row.record, self.options)))
        except Exception as exc:  # noqa: BLE001 - a broken file is reported, the corpus goes on
            reason = f"could not be read after {count} row(s): {type(exc).__name__}: {exc}"
            self._add_rows(name, size, mtime, relative, found)
            self._add("", name, None, size, mtime, "skipped", reason, kind, 0)
            return
        self._add_rows(name, size, mtime, relative, found)

    def _add_rows(self, name: str, size: int, mtime: int, relative: Path, found: list[tuple]) -> None:
        counts: dict[str, int] = {}
        for _, _, id_value, _ in found:
            if id_value:
                counts[id_value] = counts.get(id_value, 0) + 1
        stem = row_stem(relative)
        for number, where, id_value, value in found:
            if id_value is None:
                self._add("", name, None, size, mtime, "skipped", value, "row", number, where)
                continue
            base = safe_id(id_value) if counts.get(id_value) == 1 else f"{stem}-{number}"
            self._add(self.unique(base), name, value, size, mtime, kind="row", row=number, where=where)


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column as a Python list, missing values as None. Much faster than iterating the rows:
    pandas 3 keeps text in Arrow, where each row read from Python costs a conversion."""
    values = frame[name].tolist()
    if frame[name].dtype.kind in "iufb":
        return values
    return [None if v is None or v != v else v for v in values]  # NaN is the only v != v


def _columns(frame: pd.DataFrame, *names: str) -> list[list]:
    return [_column(frame, name) for name in names]


class _Direct(Exception):
    """A file the loader skips without reading (folder, broken link, too large)."""

