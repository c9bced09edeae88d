"""Writing files so that an interrupted run never leaves a truncated file behind.

`write_atomic(path, data)` writes any bytes; `write_csv(frame, path)` writes a table as the
project's CSV (no index, `\\n` line ends, floats to 6 significant digits) with spreadsheet
formulas neutralised. Both give new files the permissions a plain `open(path, "w")` would
(`0666` less the user's umask) and keep those of a file they replace.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import threading
from pathlib import Path

import pandas as pd

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # elsewhere the only way to read it is to set it and put it back
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """Permission bits for `target`: those of the file it replaces, else 0666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file in the same folder, then rename.

    A reader sees either the old file or the complete new one, never a partial write. The file
    gets the permissions a plain write would give it (see the module docstring), not the 0600
    of the temporary file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- CSV ------------------------------------------------------------------------------------

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)*|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralise_cell(value):
    """`value` with a leading `'` if it is text a spreadsheet would run as a formula.

    Text that is a plain number (`-2.5`, `+3`, `-1e-05`) is left alone, as is anything not text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names are safe to open in a spreadsheet.

    Numeric columns are untouched (a number is never a formula); in other columns only text
    values starting with one of :data:`FORMULA_STARTS` change.
    """
    safe = frame.copy()
    safe.columns = [neutralise_cell(c) for c in frame.columns]
    for i, column in enumerate(frame.columns):
        series = frame.iloc[:, i]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(series.dtype):
            continue
        values = series.astype(object)
        if any(neutralise_cell(v) is not v for v in values):
            safe.isetitem(i, values.map(neutralise_cell))
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as the project's CSV bytes, formulas neutralised (see :func:`write_csv`)."""
    table = neutralise_formulas(pd.DataFrame(frame))
    return table.to_csv(index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write `frame` as CSV to `path`, atomically; the one CSV writer of the project.

    No index, `\\n` line ends, UTF-8, floats to 6 significant digits. A text cell starting with
    `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so that a spreadsheet shows it
    instead of running it, unless it is a number (`-2.5` stays as it is). Returns the path.
    """
    target = Path(path)
    write_atomic(target, csv_bytes(frame))
    return target
