"""The word lists, kept as data files beside this module, with one small reader.

Each list is a UTF-8 text file `<name>.txt`: one entry per line; a line starting with `#`, or
the rest of a line after two spaces and `#`, is a comment; blank lines are ignored. A table is
`<name>.tsv`: tab-separated `key<TAB>value` lines, with the same comments.
Entries are kept as written (case included); callers lower-case where they compare lower-cased.

    >>> from analysis.lexicons import words, table
    >>> "monday" in words("weekdays")

Adding a word is one line in one file. The pipeline's cache key of a stage covers the lexicon
files its modules read (it looks for calls of these functions with a literal name), so editing
a list re-analyses exactly the stages that use it.
"""

from __future__ import annotations

import functools
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent


def lexicon_path(name: str) -> Path:
    """The file of lexicon `name` (a `.txt` list or a `.tsv` table)."""
    for suffix in (".txt", ".tsv"):
        path = LEXICON_DIR / f"{name}{suffix}"
        if path.is_file():
            return path
    raise FileNotFoundError(f"no lexicon {name!r} in {LEXICON_DIR} (expected {name}.txt or {name}.tsv)")


def _lines(name: str) -> list[str]:
    out = []
    for line in lexicon_path(name).read_text(encoding="utf-8").splitlines():
        line = line.split("  #", 1)[0].strip()  # a comment: a line starting with #, or after two spaces
        if line and not line.startswith("#"):
            out.append(line)
    return out


@functools.cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of list `name`, in file order (duplicates kept once)."""
    return tuple(dict.fromkeys(_lines(name)))


@functools.cache
def words(name: str) -> frozenset[str]:
    """The entries of list `name` as a set."""
    return frozenset(entries(name))


@functools.cache
def table(name: str) -> dict[str, str]:
    """The `key<TAB>value` rows of table `name`, in file order (a later key overrides)."""
    rows: dict[str, str] = {}
    for line in _lines(name):
        key, sep, value = line.partition("\t")
        if not sep:
            raise ValueError(f"lexicon {name!r}: line {line!r} has no tab between key and value")
        rows[key.strip()] = value.strip()
    return rows


#: The reader functions whose literal first argument names a lexicon (the pipeline's cache key
#: looks for calls of these).
READERS = ("entries", "words", "table")
