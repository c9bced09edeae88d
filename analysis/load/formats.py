"""Reading the rows of tabular and JSON corpus files: one small reader per format.

:data:`READERS` maps a file suffix to its reader; `.gz` is taken off first, so `news.csv.gz` is
read by the CSV reader through gzip. A reader gets the open binary file and yields a
:class:`Row` per record, in file order, streaming where the format allows (CSV, TSV, JSONL and
Parquet are read row by row or batch by batch; a `.json` file is one document and is parsed
whole). A record that cannot be used is yielded with its `problem`, never dropped.

`.txt` (and files with no suffix) are articles, read by :mod:`analysis.load.corpus`; they are not
in this registry. Any other suffix is an unsupported file: listed in the load report, never read.

Hostile files are bounded by `max_bytes` (default :data:`MAX_FILE_BYTES`, the one size limit): a
record (a CSV/TSV line, a JSONL line) longer than it is a problem row and is skipped without being
held in memory; a `.json` document longer than it is refused unread (it would be parsed whole);
a `.gz` stops being read once it has decompressed to more than :data:`MAX_GZIP_RATIO` times its
compressed size (and more than `max_bytes`): a gzip bomb. Bytes that are not UTF-8 make their
record a problem row; JSON nested too deeply is a problem, not a crash.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from analysis.load.clean import MAX_FILE_BYTES

#: A `.gz` that decompresses to more than this many times its own size (and to more than the size
#: limit) is a gzip bomb: reading stops there. Text and tables compress 3-15 times.
MAX_GZIP_RATIO = 100


class TooLarge(ValueError):
    """A file that would be read past the size limit (the message says which limit)."""

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


Reader = Callable[[BinaryIO, int], Iterator[Row]]
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


class _Capped(io.RawIOBase):
    """A decompressing stream that raises :class:`TooLarge` once more than `limit` bytes came out."""

    def __init__(self, raw: BinaryIO, limit: int, compressed: int) -> None:
        self._raw, self.limit, self.compressed, self.total = raw, limit, compressed, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        self.total += n
        if self.total > self.limit:
            raise TooLarge(
                f"gzip bomb: {self.compressed:,} compressed bytes decompress to more than {self.limit:,} bytes "
                f"(over {MAX_GZIP_RATIO} times their size and over the size limit); not read further")
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_binary(path: Path, max_bytes: int = MAX_FILE_BYTES) -> BinaryIO:
    """The file's bytes, decompressed when it ends in `.gz` (at most `max(max_bytes,
    MAX_GZIP_RATIO * compressed size)` of them: past that, reading raises :class:`TooLarge`)."""
    if not split_suffix(path)[1]:
        return open(path, "rb")
    compressed = Path(path).stat().st_size
    return io.BufferedReader(_Capped(gzip.open(path, "rb"), max(max_bytes, MAX_GZIP_RATIO * compressed), compressed))


def iter_rows(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    """Every record of a supported file, in order. Raises ValueError for an unsupported suffix,
    :class:`TooLarge` for a gzip bomb and OSError / gzip errors when the file cannot be opened
    (the caller reports them)."""
    suffix, _ = split_suffix(path)
    if suffix not in READERS:
        raise ValueError(f"unsupported file type {suffix or '(none)'!r}")
    with open_binary(path, max_bytes) as handle:
        yield from READERS[suffix][1](handle, max_bytes)


# --- the readers -------------------------------------------------------------------------------

def _text(handle: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")


def _too_long(max_bytes: int) -> str:
    return f"longer than the size limit of {max_bytes:,} bytes; skipped, not read"


class _Lines:
    """The lines of a binary file as text, none held longer than `max_bytes`: a longer line is
    read through and given as an empty line, and its number kept in `long`. Bytes that are not
    UTF-8 are kept as lone surrogates (`surrogateescape`) for :func:`_bad_utf8` to find."""

    def __init__(self, handle: BinaryIO, max_bytes: int) -> None:
        self.handle, self.max_bytes, self.number, self.long = handle, max_bytes, 0, set()
        self.first = True

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.handle.readline(self.max_bytes + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.max_bytes and not line.endswith(b"\n"):
            while (rest := self.handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            self.long.add(self.number)
            line = b"\n"
        if self.first:
            line, self.first = line.removeprefix(b"\xef\xbb\xbf"), False
        return line.decode("utf-8", "surrogateescape")


_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that was not UTF-8, as surrogateescape keeps it


def _bad_utf8(values) -> str | None:
    """Why a record's values are not text (bytes that are not UTF-8), or None."""
    for value in values:
        if isinstance(value, str) and (found := _ESCAPED.search(value)):
            return (f"not valid UTF-8 (byte 0x{ord(found.group()) - 0xDC00:02X} at character {found.start()}); "
                    "re-save the file as UTF-8")
    return None


def _delimited(handle: BinaryIO, delimiter: str, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    csv.field_size_limit(max_bytes)  # article bodies are longer than csv's 128 KiB default
    text = _Lines(handle, max_bytes)
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
            text.long.clear()
            yield Row(number, line, problem=f"bad CSV: {exc}")
            line = offset + rows.line_num + 1
            continue
        start, line = line, offset + rows.line_num + 1
        long = sorted(text.long)
        text.long.clear()
        if long:
            number += 1
            yield Row(number, start, problem=f"line {long[0]} is {_too_long(max_bytes)}")
            continue
        if not values:  # a blank line is no record
            continue
        number += 1
        if (bad := _bad_utf8(values)) is not None:
            yield Row(number, start, problem=bad)
            continue
        if len(values) > len(header):
            yield Row(number, start, problem=f"{len(values)} fields where the header has {len(header)}")
            continue
        yield Row(number, start, dict(zip(header, values + [""] * (len(header) - len(values)))))


@reader("csv", ".csv")
def read_csv(handle: BinaryIO, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    """Comma-separated (or `;`-separated) with a header row; quoted fields may span lines."""
    return _delimited(handle, ",", max_bytes)


@reader("tsv", ".tsv", ".tab")
def read_tsv(handle: BinaryIO, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    """Tab-separated with a header row."""
    return _delimited(handle, "\t", max_bytes)


def _object_row(number: int, line: int | None, value) -> Row:
    if isinstance(value, dict):
        return Row(number, line, value)
    return Row(number, line, problem=f"a JSON {type(value).__name__}, not an object with fields")


def _loads(text: str) -> tuple[object, str | None, int | None]:
    """(the JSON value, None, None) or (None, why it is not one, the line of the error or None)."""
    try:
        return json.loads(text), None, None
    except ValueError as exc:
        return None, f"bad JSON: {exc}", getattr(exc, "lineno", None)
    except RecursionError:
        return None, "bad JSON: nested too deeply to read", None


@reader("jsonl", ".jsonl", ".ndjson")
def read_jsonl(handle: BinaryIO, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped."""
    number = 0
    lines = _Lines(handle, max_bytes)
    for line_number, line in enumerate(lines, start=1):
        if line_number in lines.long:
            number += 1
            yield Row(number, line_number, problem=f"the line is {_too_long(max_bytes)}")
            continue
        if not line.strip():
            continue
        number += 1
        if (bad := _bad_utf8([line])) is not None:
            yield Row(number, line_number, problem=bad)
            continue
        value, problem, _ = _loads(line)
        if problem:
            yield Row(number, line_number, problem=problem)
            continue
        yield _object_row(number, line_number, value)



@reader("json", ".json")
def read_json(handle: BinaryIO, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    """One article (an object) or an array of them, parsed whole: refused over `max_bytes`."""
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Row(1, None, problem=f"a JSON document {_too_long(max_bytes)} (it is parsed whole: "
                                   "write one article a line as JSONL instead)")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Row(1, None, problem=f"not valid UTF-8 (byte 0x{data[exc.start]:02X} at byte {exc.start}); re-save the file as UTF-8")
        return
    value, problem, line = _loads(text)
    if problem:
        yield Row(1, line, problem=problem)
        return
    for number, item in enumerate(value if isinstance(value, list) else [value], start=1):
        yield _object_row(number, None, item)


@reader("parquet", ".parquet")
def read_parquet(handle: BinaryIO, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Row]:
    """A Parquet table, read batch by batch."""
    import pyarrow.parquet as pq

    source = handle if handle.seekable() else io.BytesIO(handle.read())
    number = 0
    for batch in pq.ParquetFile(source).iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            number += 1
            yield Row(number, None, record)
