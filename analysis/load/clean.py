"""Reading article files and cleaning their text.

`decode_bytes` turns a file's bytes into text (or says why it cannot), and `parse_article` turns
that text into a date, an optional title, a cleaned body and its credit lines. Both are pure
functions, so the pipeline can run them in any process.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

# --- decoding -------------------------------------------------------------------------------

#: The size limit of one article file, in bytes (10 MiB), for the loader, the pipeline and the
#: notebooks alike (`from analysis.load import MAX_FILE_BYTES`). A larger file is refused, not split:
#: a single news article is rarely over 200 KB, so a 10 MiB "article" is an export of many
#: articles or a file that is not an article, and cutting it at arbitrary points would invent
#: articles that were never written. The load report lists it with its size and this limit;
#: `load_corpus(..., max_bytes=...)` and `build(..., max_bytes=...)` raise it for one run.
MAX_FILE_BYTES = 10 * 1024 * 1024


def too_large_reason(size: int, limit: int = MAX_FILE_BYTES) -> str:
    """The load report's reason for refusing a file of `size` bytes: its size and the limit."""
    return (
        f"too large: {size:,} bytes ({size / 2**20:.1f} MiB), over the limit of {limit:,} bytes "
        f"({limit / 2**20:.1f} MiB); refused, not split (pass max_bytes= to load_corpus or build to raise it)"
    )

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    """The outcome of decoding one file: `text` is None when the file was skipped."""

    text: str | None
    encoding: str | None
    problem: str | None = None  # why it was skipped (text is None)
    warning: str | None = None  # loaded, but the user should know


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def decode_bytes(data: bytes) -> Decoded:
    """Decode an article file: UTF-8 (with or without BOM), UTF-16 with a BOM, or cp1252."""
    if not data.strip():
        return Decoded(None, None, problem="empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return Decoded(None, None, problem=f"undecodable: starts with a {encoding} byte-order mark but is not valid {encoding}")
            warning = None if encoding == "utf-8-sig" else f"decoded as {encoding.upper()} (byte-order mark)"
            return Decoded(text, encoding, warning=warning)
    if _looks_binary(data):
        return Decoded(None, None, problem="binary file (NUL or control bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return Decoded(None, None, problem="undecodable: not valid UTF-8, UTF-16 or cp1252; re-save it as UTF-8")
    return Decoded(text, "cp1252", warning="not UTF-8; decoded as cp1252 (Windows Latin-1)")


# --- cleaning -------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def clean_text(raw: str) -> str:
    """Normalise a body: NFC, one space between words, one blank line between paragraphs.

    Removes zero-width characters, soft hyphens and control characters; joins lines broken
    inside a paragraph; keeps every quote mark as written (curly, straight, ``...'').
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\u2028", "\n").replace("\u2029", "\n\n"))
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        # A line wrapped inside a paragraph is joined with a space; a word hyphenated across the
        # wrap keeps its hyphen (we cannot tell "well-\nknown" from "inter-\nnational").
        joined = re.sub(r"(?<=\w-)\n\s*(?=\w)", "", block)
        joined = _SPACES.sub(" ", joined.replace("\n", " ")).strip()
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


# --- header and credits ---------------------------------------------------------------------

# " date 2019-01-25 " at the very start, with the first paragraph on the same line or the next.
_DATE_LINE = re.compile(r"\A\s*(?:date\s*[:=]?\s*)(?P<value>\S+)[ \t]*", re.IGNORECASE)
# The rest of a date line, for dates written out: "date: January 25, 2019", "Date: 25 Jan 2019".
_DATE_LINE_REST = re.compile(r"\A\s*date\s*[:=]?[ \t]*(?P<value>[^\n]{1,60}?)[ \t]*(?:\n|\Z)", re.IGNORECASE)
_WRITTEN_DATE_FORMATS = (
    "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y",
    "%A, %B %d, %Y", "%a, %d %b %Y", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d",
)
_BARE_ISO_DATE = re.compile(r"\A\s*(?P<value>\d{4}-\d{2}-\d{2})(?=\s)")
# What may follow a date on its line and belongs to it, not to the title or body: times
# (`10:30`, `10:30:00`, `7:15 p.m.`, `10:30Z`) and time zones (`EST`, `(GMT)`, `UTC+1`, `-05:00`).
_TIME_ZONES = (
    "UTC|GMT|UT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AKST|AKDT|HST|AST|ADT|NST|NDT|ET|CT|MT|PT|"
    "BST|IST|CET|CEST|EET|EEST|WET|MSK|JST|KST|HKT|SGT|AEST|AEDT|ACST|ACDT|AWST|NZST|NZDT"
)
_DATE_TRAILER = re.compile(
    rf"""[ \t]*(?:
        (?: \d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?Z?(?:[ \t]*(?:[AaPp]\.[Mm]\.|[AaPp][Mm]\b))?
          | \(?(?:{_TIME_ZONES})(?:[+-]\d{{1,2}}(?::?\d{{2}})?)?\)?
          | [+-]\d{{2}}:?\d{{2}}
        )(?=\s|\Z)[ \t]*
    )+""",
    re.VERBOSE,
)
_WRITTEN_DATE_TRAILER = re.compile(rf"(?:[ \t,]+(?:at[ \t]+)?{_DATE_TRAILER.pattern})\Z", re.VERBOSE)

#: Pandas holds dates as nanoseconds around 1970: 1677-09-22 to 2262-04-11 at day precision.
#: A date outside that (a history piece's `date 1066-10-14`, a placeholder `0001-01-01` or
#: `9999-12-31`) is kept as text in `date_text`; `date` stays empty, with a warning.
PANDAS_DATE_RANGE = ("1677-09-22", "2262-04-11")
_TITLE_END_PUNCT = tuple(".:;,")
_CLOSING_QUOTES = "\"”’'»"

# Credit and production lines that belong to the byline, not the story.
_CREDIT = re.compile(
    r"""^(?:
        .{0,200}\bcontributed\b.{0,40}\b(?:report|reporting|article|story|research)\b.{0,20}
      | \(?(?:additional\s+)?(?:reporting|writing|editing|research|compiled)\s+by\b.{0,300}
      | (?:[\w.'’ -]+\s+)?in\s+[\w .,'’-]+\s+contributed\s+to\s+this\s+(?:report|article|story)\.?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass
class ParsedArticle:
    """One article split into its parts; `text` is the cleaned body the analyses read.

    `date` is the stated date as a `pd.Timestamp` (None when there is none, it cannot be read, or
    pandas cannot hold it); `date_text` is the same date as `YYYY-MM-DD` text whenever the text
    states a real calendar date, including one outside :data:`PANDAS_DATE_RANGE`.
    """

    date: pd.Timestamp | None
    title: str | None
    text: str
    credits: str | None
    warnings: list[str] = field(default_factory=list)
    date_text: str | None = None
    #: Header lines after the date line, by role: outlet, authors, section, url, language.
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


#: (timestamp or None, ISO text or None) for a stated date; (None, None) when there is none.
StatedDate = tuple["pd.Timestamp | None", "str | None"]
_NO_DATE: StatedDate = (None, None)


def _calendar_date(year: int, month: int, day: int) -> StatedDate:
    """A real calendar date as (timestamp, `YYYY-MM-DD`); the timestamp is None when pandas cannot
    hold it. (None, None) when it is no date at all (2019-13-45)."""
    from datetime import date

    try:
        date(year, month, day)
    except ValueError:
        return _NO_DATE
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        stamp = pd.Timestamp(year, month, day)
        stamp.as_unit("ns")  # raises OutOfBoundsDatetime outside PANDAS_DATE_RANGE
    except (ValueError, OverflowError):
        return None, text
    return stamp, text


def _parse_date(value: str) -> StatedDate:
    value = value.strip().rstrip(".,;")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", value) or re.fullmatch(
        r"(\d{4})/(\d{1,2})/(\d{1,2})", value
    )
    if not match:
        return _NO_DATE
    return _calendar_date(int(match[1]), int(match[2]), int(match[3]))


def _parse_written_date(value: str) -> StatedDate:
    from datetime import datetime

    value = " ".join(value.replace("Sept.", "Sep.").split()).rstrip(".,;")
    value = _WRITTEN_DATE_TRAILER.sub("", value) or value  # "January 25, 2019 10:30 EST"
    for fmt in _WRITTEN_DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return _calendar_date(parsed.year, parsed.month, parsed.day)
    return _NO_DATE


def _read_date_line(text: str, warnings: list[str]) -> tuple[StatedDate, str]:
    """The date stated at the start of `text` and the text after its line's date part.

    Appends to `warnings` when a date line cannot be read, when the date is outside what pandas
    can hold, or when there is no date line."""
    match = _DATE_LINE.match(text) or _BARE_ISO_DATE.match(text)
    if not match:
        warnings.append("no date line")
        return _NO_DATE, text
    stated = _parse_date(match["value"])
    end = match.end()
    if stated[1] is not None:
        trailer = _DATE_TRAILER.match(text, end)  # "date 2019-01-25 10:30 EST": not the title
        end = trailer.end() if trailer else end
    else:
        # Not ISO: a written-out date fills the rest of its line ("date: January 25, 2019").
        # An ISO-shaped but impossible date (2019-13-45) ends at its token, as a valid one does.
        iso_shaped = re.match(r"\d{4}[-/]", match["value"])
        line = None if iso_shaped else _DATE_LINE_REST.match(text)
        value = line["value"] if line else match["value"]
        stated = _parse_written_date(value) if line else _NO_DATE
        if stated[1] is None:
            warnings.append(f"unparseable date {value[:40]!r}")
        end = line.end() if line else end
    if stated[1] is not None and stated[0] is None:
        low, high = PANDAS_DATE_RANGE
        warnings.append(f"date {stated[1]} is outside the dates pandas can hold ({low} to {high}): "
                        "kept as text in date_text, date left empty")
    return stated, text[end:]


def _is_title(line: str) -> bool:
    """A short line that does not end like a sentence ("Economy 'stronger than forecast'" does not;
    a trailing ellipsis, as in "Rivals of the Apple...", is a headline habit)."""
    words = line.split()
    ending = line.rstrip().rstrip(_CLOSING_QUOTES)
    ends_like_sentence = ending.endswith(_TITLE_END_PUNCT) and not ending.endswith(("...", "…"))
    return 0 < len(words) <= 25 and len(line) <= 200 and not ends_like_sentence


# Header lines an article may carry after its date line (`title: ...`, `source: Reuters`), by the
# role each fills. Only a block of such lines right after a date line is read as headers.
HEADER_ROLES = {
    "title": "title", "headline": "title",
    "outlet": "outlet", "source": "outlet",
    "author": "authors", "authors": "authors", "by": "authors",
    "section": "section", "url": "url", "language": "language",
}
_HEADER_LINE = re.compile(
    r"[ \t]*(?P<key>" + "|".join(HEADER_ROLES) + r")[ \t]*:[ \t]*(?P<value>[^\n]*?)[ \t]*(?:\r?\n|\Z)",
    re.IGNORECASE,
)


def _read_headers(text: str) -> tuple[dict[str, str], str]:
    """The `key: value` header lines at the start of `text` (after its date line) and the rest.

    Headers start on the line after the date (blank lines between are allowed) and end at the
    first line that is not one; a date line followed by its first paragraph has none."""
    start = re.match(r"[ \t]*\r?\n(?:[ \t]*\r?\n)*", text)
    if not start or not _HEADER_LINE.match(text, start.end()):
        return {}, text
    headers: dict[str, str] = {}
    pos = start.end()
    while match := _HEADER_LINE.match(text, pos):
        role = HEADER_ROLES[match["key"].lower()]
        if match["value"]:
            headers.setdefault(role, match["value"])
        pos = match.end()
    return headers, "\n" + text[pos:]


def take_credits(paragraphs: list[str]) -> str | None:
    """Remove the credit lines at the end of `paragraphs` (in place) and return them joined."""
    credits = []
    while paragraphs and _CREDIT.match(paragraphs[-1]):
        credits.insert(0, paragraphs.pop())
    return " ".join(credits) or None


def parse_article(raw: str) -> ParsedArticle:
    """Split an article's decoded text into date, title, cleaned body and credits.

    Accepts ` date 2019-01-25 First paragraph...`, a date on its own line (ISO, or written out:
    `date: January 25, 2019`, `Date: 25 Jan 2019`, `date 01/25/2019`), a title line after it,
    no date at all, and an unparseable date (kept out of the body, with a warning). A time or time
    zone after the date (`date 2019-01-25 10:30 EST`) is part of the date line, not the title. A
    date pandas cannot hold (`date 1066-10-14`) is kept in `date_text` only, with a warning.

    Lines right after the date line such as `title: ...`, `outlet:`/`source:`, `author:`/`by:`,
    `section:`, `url:` and `language:` are headers (see :data:`HEADER_ROLES`): the title goes to
    `title`, the others to `headers`, and none of them to the body.
    """
    warnings: list[str] = []
    (date, date_text), text = _read_date_line(raw.lstrip("\ufeff"), warnings)
    headers: dict[str, str] = {}
    if not warnings or warnings[0] != "no date line":
        headers, text = _read_headers(text)
    body = clean_text(text)
    paragraphs = body.split("\n\n") if body else []

    title = headers.pop("title", None)
    if title is None and len(paragraphs) > 1 and _is_title(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]

    credits = take_credits(paragraphs)
    return ParsedArticle(
        date=date,
        title=title,
        text="\n\n".join(paragraphs),
        credits=credits,
        warnings=warnings,
        date_text=date_text,
        headers=headers,
    )
