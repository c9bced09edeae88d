"""Reading the rows of tabular and JSON corpus files: one small reader per format.

:data:`READERS` maps a file suffix to its reader; `.gz` is taken off first, so `news.csv.gz` is
read by the CSV reader through gzip. A reader gets the open binary file and yields a
:class:`Row` per record, in file order, streaming where the format allows (CSV, TSV, JSONL and
Parquet are read row by row or batch by batch; a `.json` file is one document and is parsed
whole). A record that cannot be used is yielded with its `problem`, never dropped.

`.txt` (and files with no suffix) are articles, read by :mod:`analysis.load.corpus`; they are not
in this registry. Any other suffix is an unsupported file: listed in the load report, never read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from analysis.load.clean import MAX_FILE_BYTES

#: The suffixes read as one article each (by `analysis.load.corpus.read_article`).
ARTICLE_SUFFIXES = (".txt", "")


@dataclass
class Row:
    """One record of a file: `number` counts records from 1 (the CSV header is not one), `line`
    is the line it starts on (None for formats without lines), `record` its fields by name, or
    `problem` why it cannot be read."""

    number: int
    line: int | None
    record: dict | None = None
    problem: str | None = None

    @property
    def where(self) -> str:
        """`row 3 (line 7)`: how the load report points at the record."""
        return f"row {self.number}" + (f" (line {self.line})" if self.line is not None else "")


Reader = Callable[[BinaryIO], Iterator[Row]]
#: Suffix -> (format name, reader).
READERS: dict[str, tuple[str, Reader]] = {}


def reader(name: str, *suffixes: str):
    """Register the decorated function as the reader of `suffixes`, under the format `name`."""

    def register(function: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = (name, function)
        return function

    return register


def split_suffix(path: Path) -> tuple[str, bool]:
    """(the suffix that names the format, whether the file is gzip-compressed): `a.csv.gz` ->
    ('.csv', True)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), compressed


def format_name(path: Path) -> str | None:
    """The format of a tabular/JSON file (`csv`, `jsonl`, ... with `+gz`), or None if unsupported."""
    suffix, compressed = split_suffix(path)
    if suffix in ARTICLE_SUFFIXES and compressed:
        return "txt+gz"  # one article, gzip-compressed
    if suffix not in READERS:
        return None
    return READERS[suffix][0] + ("+gz" if compressed else "")


def supported_suffixes() -> str:
    """`.txt, .csv, .tsv, ...` for messages."""
    return ", ".join([".txt", *sorted(READERS)]) + " (and .gz of each)"


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it ends in `.gz`."""
    return gzip.open(path, "rb") if split_suffix(path)[1] else open(path, "rb")


def iter_rows(path: Path) -> Iterator[Row]:
    """Every record of a supported file, in order. Raises ValueError for an unsupported suffix and
    OSError / gzip errors when the file cannot be opened (the caller reports them)."""
    suffix, _ = split_suffix(path)
    if suffix not in READERS:
        raise ValueError(f"unsupported file type {suffix or '(none)'!r}")
    with open_binary(path) as handle:
        yield from READERS[suffix][1](handle)


# --- the readers -------------------------------------------------------------------------------

def _text(handle: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")


def _delimited(handle: BinaryIO, delimiter: str) -> Iterator[Row]:
    csv.field_size_limit(MAX_FILE_BYTES)  # article bodies are longer than csv's 128 KiB default
    text = _text(handle)
    rows = csv.reader(text, delimiter=delimiter)
    header = next(rows, None)
    if header is None:
        return
    offset = 0
    if delimiter == "," and len(header) == 1 and ";" in header[0]:
        offset = rows.line_num
        rows = csv.reader(text, delimiter=";")  # a spreadsheet's `;`-separated export
        header = header[0].split(";")
    header = [h.strip() for h in header]
    number, line = 0, offset + rows.line_num + 1
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield Row(number, line, problem=f"bad CSV: {exc}")
            line = offset + rows.line_num + 1
            continue
        start, line = line, offset + rows.line_num + 1
        if not values:  # a blank line is no record
            continue
        number += 1
        if len(values) > len(header):
            yield Row(number, start, problem=f"{len(values)} fields where the header has {len(header)}")
            continue
        yield Row(number, start, dict(zip(header, values + [""] * (len(header) - len(values)))))


@reader("csv", ".csv")
def read_csv(handle: BinaryIO) -> Iterator[Row]:
    """Comma-separated (or `;`-separated) with a header row; quoted fields may span lines."""
    return _delimited(handle, ",")


@reader("tsv", ".tsv", ".tab")
def read_tsv(handle: BinaryIO) -> Iterator[Row]:
    """Tab-separated with a header row."""
    return _delimited(handle, "\t")


def _object_row(number: int, line: int | None, value) -> Row:
    if isinstance(value, dict):
        return Row(number, line, value)
    return Row(number, line, problem=f"a JSON {type(value).__name__}, not an object with fields")


@reader("jsonl", ".jsonl", ".ndjson")
def read_jsonl(handle: BinaryIO) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped."""
    number = 0
    for line_number, line in enumerate(_text(handle), start=1):
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except ValueError as exc:
            yield Row(number, line_number, problem=f"bad JSON: {exc}")
            continue
        yield _object_row(number, line_number, value)


@reader("json", ".json")
def read_json(handle: BinaryIO) -> Iterator[Row]:
    """One article (an object) or an array of them."""
    try:
        value = json.load(_text(handle))
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        yield Row(1, line, problem=f"bad JSON: {exc}")
        return
    for number, item in enumerate(value if isinstance(value, list) else [value], start=1):
        yield _object_row(number, None, item)


@reader("parquet", ".parquet")
def read_parquet(handle: BinaryIO) -> Iterator[Row]:
    """A Parquet table, read batch by batch."""
    import pyarrow.parquet as pq

    source = handle if handle.seekable() and not isinstance(handle, gzip.GzipFile) else io.BytesIO(handle.read())
    number = 0
    for batch in pq.ParquetFile(source).iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            number += 1
            yield Row(number, None, record)
