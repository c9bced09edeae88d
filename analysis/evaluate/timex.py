"""Scoring `analysis.extract.timex.extract_timexes` against TimeML `.tml` files (TimeBank, AQUAINT).

    python -m analysis evaluate timex [DIR] [--limit N] [--sample {all,dev,check}] [--errors N] [--groups N]

`--sample dev` scores the files at even positions of each sub-folder (sorted by name), `check` the
odd ones: tune on one half, confirm on the other. `--groups N` prints every mismatch counted by
kind (missed, spurious, wider/narrower span, value, type, mod) and shape (`WD night`, `MON 9`), with
N examples each. `--classes` prints where value F1 is lost, by the class of the value (`day`,
`week`, `quarter`, `PAST_REF`, `duration`, ...): gold expressions missed, paired with a wrong value,
and predictions paired with none. Value F1 = 2 x same-value pairs / (predictions + gold), so a
missed or spurious expression costs as much as a wrong value.

DIR holds `.tml` files, directly or in sub-folders (TempEval-3's `TimeBank/` and `AQUAINT/`);
default: `$TBAQ_DIR`, else `<project>/../shared/eval/tbaq`. Each sub-folder is scored on its own
and all together.

The conventions (`../shared/eval/ANCHORS.md`):

- gold = every TIMEX3 inside `<TEXT>`, with offsets into the tag-stripped text of `<TEXT>` (XML
  character entities such as `&amp;` are decoded, as a reader sees them); the document date is
  the value of the TIMEX3 inside `<DCT>`;
- each gold expression is paired with the FIRST unused prediction that overlaps it (relaxed
  match); a strict match has the identical span; a value match has the identical value string,
  where a decade or century written with trailing X (`196X`, `19XX`) equals the short form;
  a type match has the identical type;
- precision = matches / predictions, recall = matches / gold, F1 their harmonic mean, for each of
  strict span, relaxed span, value and type;
- the TIMEX3 `mod` (START, MID, END, APPROX, ...) is scored apart, over the matched pairs: precision
  = same mod / pairs whose prediction has one, recall = same mod / pairs whose gold has one.

Everything but `run` is a pure function, unit-tested on tiny hand-made TimeML strings.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from analysis import paths

ENV_DIR = "TBAQ_DIR"

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>.*?<TIMEX3\b([^>]*)>", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)\b([^>]*)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_TRAILING_X = re.compile(r"^(\d{1,3})X+$")


@dataclass(frozen=True)
class Timex:
    """One temporal expression: span in the plain text, type and TIMEX3 value."""

    start: int
    end: int
    type: str
    value: str
    text: str = ""
    mod: str = ""


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    text: str
    dct: str | None
    gold: tuple[Timex, ...]


def parse_timeml(source: str, name: str = "") -> TimeMLDocument:
    """The plain text of `<TEXT>`, its document date and its gold TIMEX3 expressions.

    Tags are removed and character entities decoded; gold offsets index the resulting text.
    """
    dct = None
    dct_match = _DCT.search(source)
    if dct_match:
        dct = dict(_ATTR.findall(dct_match.group(1))).get("value")
    body_match = _TEXT.search(source)
    body = body_match.group(1) if body_match else ""
    pieces: list[str] = []
    length = 0
    open_timex: tuple[int, dict] | None = None
    gold: list[Timex] = []
    position = 0
    for tag in _TAG.finditer(body):
        chunk = _decode(body[position:tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = tag.end()
        closing, name_, attributes = tag.group(1), tag.group(2), tag.group(3)
        if name_ != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attributes)))
        elif open_timex is not None:
            start, attrs = open_timex
            open_timex = None
            gold.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", ""), "", attrs.get("mod", "")))
    pieces.append(_decode(body[position:]))
    text = "".join(pieces)
    gold = [Timex(t.start, t.end, t.type, t.value, text[t.start:t.end], t.mod) for t in gold]
    return TimeMLDocument(name=name, text=text, dct=dct, gold=tuple(gold))


def _decode(chunk: str) -> str:
    return html.unescape(chunk) if "&" in chunk and _ENTITY.search(chunk) else chunk


def normalize_value(value: str) -> str:
    """`196X` -> `196`, `19XX` -> `19`: decades and centuries compare in their short form."""
    match = _TRAILING_X.match(value or "")
    return match.group(1) if match else (value or "")


@dataclass
class Counts:
    """Match counts over some documents (predicted, gold, and matches of each kind)."""

    predicted: int = 0
    gold: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    type: int = 0
    mod_gold: int = 0  # matched pairs whose gold has a mod
    mod_predicted: int = 0  # matched pairs whose prediction has a mod
    mod: int = 0  # matched pairs with the same (non-empty) mod
    documents: int = 0
    seconds: float = 0.0

    def add(self, other: "Counts") -> None:
        for field_name in self.__dataclass_fields__:
            setattr(self, field_name, getattr(self, field_name) + getattr(other, field_name))

    def prf(self, kind: str) -> tuple[float, float, float]:
        matched = getattr(self, kind)
        precision = matched / self.predicted if self.predicted else 0.0
        recall = matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def match_timexes(gold: list[Timex] | tuple[Timex, ...], predicted: list[Timex]) -> Counts:
    """Pair each gold expression with the first unused overlapping prediction and count matches."""
    counts = Counts(predicted=len(predicted), gold=len(gold))
    order = sorted(range(len(predicted)), key=lambda i: (predicted[i].start, predicted[i].end))
    used: set[int] = set()
    for g in gold:
        for i in order:
            p = predicted[i]
            if i in used or p.start >= g.end or p.end <= g.start:
                continue
            used.add(i)
            counts.relaxed += 1
            counts.strict += (p.start, p.end) == (g.start, g.end)
            counts.value += normalize_value(p.value) == normalize_value(g.value)
            counts.type += p.type == g.type
            counts.mod_gold += bool(g.mod)
            counts.mod_predicted += bool(p.mod)
            counts.mod += bool(g.mod) and p.mod == g.mod
            break
    return counts


def predict(document: TimeMLDocument) -> list[Timex]:
    """Run the tagger on one document, as `Timex` records."""
    from analysis.extract.timex import extract_timexes

    table = extract_timexes(document.text, document.dct)
    mods = table["mod"] if "mod" in table.columns else [""] * len(table)
    return [
        Timex(int(r.start), int(r.end), str(r.type), str(r.value), str(r.text), str(mod))
        for r, mod in zip(table.itertuples(index=False), mods)
    ]


def score_document(document: TimeMLDocument) -> Counts:
    # CPU time of this process: a fair speed figure on a machine other jobs share
    started = time.process_time()
    predicted = predict(document)
    elapsed = time.process_time() - started
    counts = match_timexes(document.gold, predicted)
    counts.documents = 1
    counts.seconds = elapsed
    return counts


def find_documents(root: Path) -> dict[str, list[Path]]:
    """The `.tml` files under `root`, grouped by sub-folder (`.` for files directly in it)."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(root.rglob("*.tml")):
        group = path.parent.relative_to(root).as_posix() or "."
        groups.setdefault(group, []).append(path)
    return groups


def select_sample(files: list[Path], sample: str) -> list[Path]:
    """`dev` = files at even positions (sorted by name), `check` = odd positions, `all` = every file."""
    if sample == "dev":
        return files[0::2]
    if sample == "check":
        return files[1::2]
    return files


def format_counts(label: str, counts: Counts) -> str:
    cells = [f"{label:<10}", f"{counts.documents:>5} docs", f"{counts.gold:>5} gold", f"{counts.predicted:>5} pred"]
    for kind in ("strict", "relaxed"):
        p, r, f = counts.prf(kind)
        cells.append(f"{kind} P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}")
    cells.append(f"value F1 {counts.prf('value')[2]:.3f}")
    cells.append(f"type F1 {counts.prf('type')[2]:.3f}")
    mod_p = counts.mod / counts.mod_predicted if counts.mod_predicted else 0.0
    mod_r = counts.mod / counts.mod_gold if counts.mod_gold else 0.0
    cells.append(f"mod P/R {mod_p:.2f}/{mod_r:.2f} of {counts.mod_gold}")
    per_doc = counts.seconds / counts.documents if counts.documents else 0.0
    cells.append(f"{per_doc * 1000:.2f} CPU ms/article")
    return "  ".join(cells)


def default_dir() -> Path:
    from_env = os.environ.get(ENV_DIR)
    if from_env:
        return Path(from_env).expanduser()
    return paths.PROJECT_ROOT.parent / "shared" / "eval" / "tbaq"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", type=Path, default=None,
                        help=f"folder of .tml files (default: ${ENV_DIR} or ../shared/eval/tbaq)")
    parser.add_argument("--limit", type=int, default=None, help="score at most N files per sub-folder")
    parser.add_argument("--sample", choices=("all", "dev", "check"), default="all",
                        help="dev = even-numbered files, check = odd-numbered ones (default: all)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N mismatches (for development)")
    parser.add_argument("--classes", action="store_true",
                        help="print the value F1 lost per value class: missed, wrong value, spurious (development)")
    parser.add_argument("--groups", type=int, default=0,
                        help="print the mismatches grouped by kind and pattern, N examples per group (development)")


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir) if args.dir else default_dir()
    if not root.is_dir():
        print(f"evaluate timex: no folder {root} (set ${ENV_DIR} or pass DIR)")
        return 2
    groups = find_documents(root)
    from analysis.extract import timex  # noqa: F401  (imported, and its regexes compiled, before the clock runs)

    if not groups:
        print(f"evaluate timex: no .tml files under {root}")
        return 2
    total = Counts()
    lines = []
    errors_left = getattr(args, "errors", 0) or 0
    examples = getattr(args, "groups", 0) or 0
    mismatches: list[tuple[str, str, str]] = []
    classes: dict[str, list[int]] | None = {} if getattr(args, "classes", False) else None
    for group, files in groups.items():
        files = select_sample(files, args.sample)
        if args.limit is not None:
            files = files[: args.limit]
        counts = Counts()
        for path in files:
            document = parse_timeml(path.read_text(encoding="utf-8"), path.stem)
            doc_counts = score_document(document)
            counts.add(doc_counts)
            if errors_left > 0:
                errors_left -= _print_errors(document, errors_left)
            if examples or classes is not None:
                predicted = predict(document)
                if examples:
                    mismatches.extend(mismatch_kinds(document, predicted))
                if classes is not None:
                    add_value_classes(classes, document.gold, predicted)
        total.add(counts)
        lines.append(format_counts(group, counts))
    print(f"TIMEX3 scores on {root} (sample: {args.sample})")
    for line in lines:
        print(line)
    print(format_counts("overall", total))
    if examples:
        print_groups(mismatches, examples)
    if classes is not None:
        print_value_classes(classes, total)
    return 0


_VALUE_CLASSES = (
    ("time of day", re.compile(r"T")),
    ("day", re.compile(r"^\d{4}-\d\d-\d\d$")),
    ("week", re.compile(r"^\d{4}-W")),
    ("quarter/half", re.compile(r"^\d{4}-[QH]")),
    ("season", re.compile(r"^\d{4}-(?:SP|SU|FA|WI)")),
    ("month", re.compile(r"^\d{4}-\d\d$")),
    ("year", re.compile(r"^\d{4}$")),
    ("decade/century", re.compile(r"^\d{1,3}X*$")),
    ("partly unknown (X)", re.compile(r"X")),
)


def value_class(timex: Timex) -> str:
    """The kind of a TIMEX3 value: `PAST_REF` and the like, `SET`, `duration PnY` / `duration PXY`
    (a known or unknown amount), else the calendar grain of a date (`day`, `week`, `quarter/half`...)."""
    value = timex.value or ""
    if value.endswith("_REF"):
        return value
    if timex.type == "SET":
        return "SET"
    if value.startswith("P"):
        return "duration PX" if "X" in value else "duration Pn"
    for name, pattern in _VALUE_CLASSES:
        if pattern.search(value):
            return name
    return "other"


def add_value_classes(classes: dict[str, list[int]], gold, predicted: list[Timex]) -> None:
    """Count, per value class, [gold, gold missed, gold paired with a wrong value, spurious
    predictions], pairing as `match_timexes` does (a gold's class for the first three, the
    prediction's for the last)."""
    order = sorted(range(len(predicted)), key=lambda i: (predicted[i].start, predicted[i].end))
    used: set[int] = set()
    for g in gold:
        row = classes.setdefault(value_class(g), [0, 0, 0, 0])
        row[0] += 1
        hit = next((i for i in order if i not in used and predicted[i].start < g.end and predicted[i].end > g.start), None)
        if hit is None:
            row[1] += 1
            continue
        used.add(hit)
        row[2] += normalize_value(predicted[hit].value) != normalize_value(g.value)
    for i in order:
        if i not in used:
            classes.setdefault(value_class(predicted[i]), [0, 0, 0, 0])[3] += 1


def print_value_classes(classes: dict[str, list[int]], total: Counts) -> None:
    """The value classes, the costliest first, with the value F1 each would add if all its errors
    were gone (one at a time): a wrong value fixed adds 2 / (predictions + gold); a spurious
    prediction dropped F1 / (predictions + gold); a missed one found, with its value, the difference."""
    size = total.predicted + total.gold
    if not size:
        return
    f1 = total.prf("value")[2]
    weights = ((2 - f1) / size, 2 / size, f1 / size)  # missed, wrong value, spurious
    print("value F1 lost per value class:   gold  missed  wrong value  spurious   F1 lost")

    def lost(row: list[int]) -> float:
        return sum(count * weight for count, weight in zip(row[1:], weights))

    for name, row in sorted(classes.items(), key=lambda kv: -lost(kv[1])):
        n, missed, wrong, spurious = row
        print(f"  {name:<28} {n:>6} {missed:>7} {wrong:>12} {spurious:>9}   {lost(row):.3f}")


_WEEKDAY_WORD = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")
_MONTH_WORD = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
                         r"|jan\.|feb\.|mar\.|apr\.|jun\.|jul\.|aug\.|sept?\.|oct\.|nov\.|dec\.)(?!\w)")


def pattern_of(text: str) -> str:
    """A mismatch's shape: lower case, digits as 9, weekday names as WD, month names as MON."""
    shape = re.sub(r"\d", "9", " ".join(text.lower().split()))
    return _MONTH_WORD.sub("MON", _WEEKDAY_WORD.sub("WD", shape))


def mismatch_kinds(document: TimeMLDocument, predicted: list[Timex]) -> list[tuple[str, str, str]]:
    """(kind, pattern, example) for each mismatch of one document, paired as the scorer pairs them.

    Kinds: `missed`, `spurious`, `span:wider` / `span:narrower` / `span:shifted` (the prediction
    covers more, less or other text than the gold), `value` and `type` (of a matched pair), `mod`."""
    order = sorted(range(len(predicted)), key=lambda i: (predicted[i].start, predicted[i].end))
    used: set[int] = set()
    out: list[tuple[str, str, str]] = []
    for g in document.gold:
        hit = next((i for i in order if i not in used and predicted[i].start < g.end and predicted[i].end > g.start), None)
        if hit is None:
            out.append(("missed", pattern_of(g.text), f"[{g.text}] {g.type} {g.value}"))
            continue
        used.add(hit)
        p = predicted[hit]
        example = f"gold [{g.text}] {g.type} {g.value} / pred [{p.text}] {p.type} {p.value}  ({document.name})"
        if (p.start, p.end) != (g.start, g.end):
            wider, narrower = p.start <= g.start and p.end >= g.end, p.start >= g.start and p.end <= g.end
            kind = "span:wider" if wider else ("span:narrower" if narrower else "span:shifted")
            out.append((kind, f"{pattern_of(g.text)} / {pattern_of(p.text)}", example))
        if normalize_value(p.value) != normalize_value(g.value):
            out.append(("value", f"{pattern_of(g.text)}: {g.type}", example))
        elif p.type != g.type:
            out.append(("type", f"{g.type} -> {p.type}", example))
        if p.mod != g.mod:
            out.append(("mod", f"{g.mod or '-'} -> {p.mod or '-'}", example + f" mod {g.mod or '-'}/{p.mod or '-'}"))
    for i in order:
        if i not in used:
            p = predicted[i]
            out.append(("spurious", pattern_of(p.text), f"[{p.text}] {p.type} {p.value}  ({document.name})"))
    return out


def print_groups(mismatches: list[tuple[str, str, str]], examples: int) -> None:
    """The mismatches counted by kind, then by (kind, pattern), largest groups first."""
    by_kind: dict[str, int] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for kind, pattern, example in mismatches:
        by_kind[kind] = by_kind.get(kind, 0) + 1
        groups.setdefault((kind, pattern), []).append(example)
    print("mismatches: " + ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1])))
    for (kind, pattern), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"{len(items):>4}  {kind:<14} {pattern}")
        for example in items[:examples]:
            print(f"        {example}")


def _print_errors(document: TimeMLDocument, budget: int) -> int:
    """Print gold/predicted mismatches of one document (development aid); returns lines printed."""
    predicted = predict(document)
    printed = 0
    used: set[int] = set()
    for g in document.gold:
        hit = None
        for i, p in enumerate(predicted):
            if i not in used and p.start < g.end and p.end > g.start:
                hit = i
                used.add(i)
                break
        if hit is None:
            line = f"MISS {document.name} [{g.text}] {g.type} {g.value}"
        else:
            p = predicted[hit]
            if (p.start, p.end) == (g.start, g.end) and normalize_value(p.value) == normalize_value(g.value) and p.type == g.type:
                continue
            line = f"DIFF {document.name} [{g.text}] {g.type} {g.value}  vs  [{p.text}] {p.type} {p.value}"
        context = document.text[max(0, g.start - 40):g.end + 40].replace("\n", " ")
        print(f"{line}   | {context}")
        printed += 1
        if printed >= budget:
            return printed
    for i, p in enumerate(predicted):
        if i not in used and printed < budget:
            context = document.text[max(0, p.start - 40):p.end + 40].replace("\n", " ")
            print(f"FP   {document.name} [{p.text}] {p.type} {p.value}   | {context}")
            printed += 1
    return printed
