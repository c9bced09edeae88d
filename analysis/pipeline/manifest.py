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
from analysis.load.corpus import LINK_REFUSED, read_article, scan_folder
from analysis.files import write_atomic
from analysis.pipeline.store import _META, _describe, _parquet_bytes

log = logging.getLogger(__name__)

MANIFEST_COLUMNS = ["order", "doc_id", "path", "raw_hash", "size", "mtime_ns", "status", "reason"]
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


def scan_corpus(corpus: Path, previous: pd.DataFrame | None = None, max_bytes: int = MAX_FILE_BYTES,
                progress: bool = False, follow_links: bool = False) -> pd.DataFrame:
    """The corpus's files, in `find_files` order, with the hash of each file's bytes.

    A symbolic link leading outside the corpus folder is listed as skipped, with the reason, and
    never read, unless `follow_links` (see `analysis.load.corpus.scan_folder`).

    A file whose size and modification time match `previous` keeps its hash unread; when no file
    was added, removed or renamed since `previous` (see :func:`folders_signature`), its file list
    and doc ids are reused. Files that cannot be analysed at all (folders, broken links, over
    `max_bytes`, unreadable) get their load-report status and reason here and no hash.
    """
    known = {}
    signature = folders_signature(corpus)
    if signature is not None:
        signature += "|links" if follow_links else ""
    if previous is not None and len(previous):
        known = dict(zip(zip(*_columns(previous, "path", "size", "mtime_ns")), _column(previous, "raw_hash")))
    if signature is not None and previous is not None and previous.attrs.get("folders") == signature:
        refused_before = {p: r for p, r in zip(*_columns(previous, "path", "reason")) if r and r.startswith(LINK_REFUSED)}
        files = [(p, d, refused_before.get(p)) for p, d in zip(*_columns(previous, "path", "doc_id"))]
    else:
        files = [(str(file), doc_id, refused) for file, doc_id, refused in scan_folder(corpus, follow_links)]
    if progress:
        from tqdm import tqdm

        files = tqdm(files, desc="scanning", unit="file", mininterval=1.0)
    rows = []
    for order, (name, doc_id, refused) in enumerate(files):
        if refused is not None:
            rows.append((order, doc_id, name, None, -1, -1, "skipped", refused))
            continue
        try:
            info = os.stat(name)
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                raise _Direct
            raw_hash = known.get((name, info.st_size, info.st_mtime_ns))
            if raw_hash is None:
                with open(name, "rb") as handle:
                    raw_hash = hashlib.sha1(handle.read()).hexdigest()
            rows.append((order, doc_id, name, raw_hash, info.st_size, info.st_mtime_ns, None, None))
        except (_Direct, OSError):
            record = read_article(name, doc_id, max_bytes)  # says why, without analysing
            rows.append((order, doc_id, name, None, -1, -1, record.status, record.reason))
    manifest = pd.DataFrame(rows, columns=MANIFEST_COLUMNS).astype({"size": "int64", "mtime_ns": "int64"})
    manifest.attrs["folders"] = signature
    return manifest


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

