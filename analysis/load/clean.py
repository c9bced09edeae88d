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

#: Files larger than this are skipped with a reason rather than read (a single news article is
#: rarely over 200 KB; a 20 MB "article" is an export gone wrong).
MAX_FILE_BYTES = 10 * 1024 * 1024

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
    """One article split into its parts; `text` is the cleaned body the analyses read."""

    date: pd.Timestamp | None
    title: str | None
    text: str
    credits: str | None
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


def _parse_date(value: str) -> pd.Timestamp | None:
    value = value.strip().rstrip(".,;")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", value) or re.fullmatch(
        r"(\d{4})/(\d{1,2})/(\d{1,2})", value
    )
    if not match:
        return None
    try:
        return pd.Timestamp(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _parse_written_date(value: str) -> pd.Timestamp | None:
    from datetime import datetime

    value = " ".join(value.replace("Sept.", "Sep.").split()).rstrip(".,;")
    for fmt in _WRITTEN_DATE_FORMATS:
        try:
            return pd.Timestamp(datetime.strptime(value, fmt))
        except ValueError:
            continue
    return None


def _is_title(line: str) -> bool:
    """A short line that does not end like a sentence ("Economy 'stronger than forecast'" does not;
    a trailing ellipsis, as in "Rivals of the Apple...", is a headline habit)."""
    words = line.split()
    ending = line.rstrip().rstrip(_CLOSING_QUOTES)
    ends_like_sentence = ending.endswith(_TITLE_END_PUNCT) and not ending.endswith(("...", "…"))
    return 0 < len(words) <= 25 and len(line) <= 200 and not ends_like_sentence


def parse_article(raw: str) -> ParsedArticle:
    """Split an article's decoded text into date, title, cleaned body and credits.

    Accepts ` date 2019-01-25 First paragraph...`, a date on its own line (ISO, or written out:
    `date: January 25, 2019`, `Date: 25 Jan 2019`, `date 01/25/2019`), a title line after it,
    no date at all, and an unparseable date (kept out of the body, with a warning).
    """
    warnings: list[str] = []
    text = raw.lstrip("\ufeff")
    date = None
    match = _DATE_LINE.match(text) or _BARE_ISO_DATE.match(text)
    if match:
        date = _parse_date(match["value"])
        end = match.end()
        if date is None:
            # Not ISO: a written-out date fills the rest of its line ("date: January 25, 2019").
            # An ISO-shaped but impossible date (2019-13-45) ends at its token, as a valid one does.
            iso_shaped = re.match(r"\d{4}[-/]", match["value"])
            line = None if iso_shaped else _DATE_LINE_REST.match(text)
            value = line["value"] if line else match["value"]
            date = _parse_written_date(value) if line else None
            if date is None:
                warnings.append(f"unparseable date {value[:40]!r}")
            end = line.end() if line else end
        text = text[end:]
    else:
        warnings.append("no date line")
    body = clean_text(text)
    paragraphs = body.split("\n\n") if body else []

    title = None
    if len(paragraphs) > 1 and _is_title(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]

    credits = []
    while paragraphs and _CREDIT.match(paragraphs[-1]):
        credits.insert(0, paragraphs.pop())
    return ParsedArticle(
        date=date,
        title=title,
        text="\n\n".join(paragraphs),
        credits=" ".join(credits) or None,
        warnings=warnings,
    )
