"""Peak memory of the build and of each notebook on one very long article.

    PYTHONPATH=$PWD .venv/bin/python tools/measure_memory.py              # 1 MB and 1 MB one-line
    PYTHONPATH=$PWD .venv/bin/python tools/measure_memory.py --sizes 1 9.9 --single-line 1

For each article it writes a corpus folder holding only that article (news-like paragraphs made
by repeating and varying the body of the seed article: other names, dates, places, quotes),
then runs, each in a fresh measuring process so that every figure is its own peak:

* `python -m analysis build --workers 1` into a fresh cache, and
* `python -m analysis run --only N` for each notebook N (on the cache the build filled).

Peak RSS is `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` in the measuring process after its
one child has exited: the largest resident set of that child or of any process it waited for
(notebook kernels included). Prints one table row per (article, step): MB of peak RSS and seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NOTEBOOKS = ROOT / "notebooks"

_NAMES = [("Nicolás Maduro", "Maria Gonzalez"), ("Trump", "Obama"), ("John Bolton", "Susan Rice"),
          ("Guaidó", "Alvarez"), ("Venezuela", "Colombia"), ("Caracas", "Bogotá"), ("Friday", "Tuesday"),
          ("Saturday", "Monday"), ("Thursday", "Wednesday"), ("Pentagon", "State Department")]
_EXTRA = [
    '"We are watching the situation very closely," said {who}, a spokesman for the {org}, on {day}.',
    'The talks began on {month} {n}, {year}, and are expected to last until next {day}, according to {who}.',
    '{who} told reporters in {place} that the plan was "a step in the right direction" but warned of delays.',
    'In {year}, the {org} reported that prices had risen by {n} percent over the previous three months.',
]
_WHO = ["Sen. Marco Rubio", "Dr. Anna Keller", "Mr. Li Wei", "Gen. Paul Ortiz", "Ms. Sarah Brown"]
_ORG = ["State Department", "United Nations", "World Bank", "European Union", "Red Cross"]
_PLACE = ["Washington", "Caracas", "Geneva", "Madrid", "Brasília"]
_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_MONTH = ["January", "March", "May", "August", "November"]


def seed_article() -> tuple[str, list[str]]:
    """(the header line, the body paragraphs) of the first seed article."""
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    return header, [p.strip() for p in body.split("\n\n") if p.strip()]


def make_article(size: int, single_line: bool = False) -> str:
    """A news-like article of about `size` bytes (UTF-8): the seed's header, then its paragraphs
    and a few quote/date/name paragraphs, repeated with names, years and places varied."""
    header, paragraphs = seed_article()
    out = [header, ""]
    total, i = len(header.encode()) + 1, 0
    sep = " " if single_line else "\n\n"
    while total < size:
        k = i // len(paragraphs)
        paragraph = paragraphs[i % len(paragraphs)]
        old, new = _NAMES[k % len(_NAMES)]
        paragraph = paragraph.replace(old, new) if k % 2 else paragraph
        if i % 3 == 0:
            paragraph += " " + _EXTRA[i % len(_EXTRA)].format(
                who=_WHO[i % 5], org=_ORG[(i // 5) % 5], place=_PLACE[(i // 7) % 5], day=_DAY[(i // 3) % 5],
                month=_MONTH[(i // 11) % 5], n=1 + i % 28, year=1990 + i % 35)
        out.append(paragraph)
        total += len(paragraph.encode()) + len(sep)
        i += 1
    body = sep.join(out[2:])
    text = header + "\n\n" + body
    return text.encode()[:size].decode(errors="ignore")


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "rc = done.returncode\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)\n"
)


def measure(command: list[str], env: dict) -> tuple[int, float, float]:
    """(exit status, peak RSS in MB, seconds) of `command`, measured in a fresh process."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, capture_output=True, text=True)
    rc, kb, seconds = result.stdout.split()
    if int(rc):
        print("\n".join("    " + line for line in result.stderr.strip().splitlines()[-8:]), file=sys.stderr)
    return int(rc), int(kb) / 1024, float(seconds)


def notebook_prefixes() -> list[str]:
    return [nb.name.split("-")[0] for nb in sorted(NOTEBOOKS.glob("[0-9]*-*.ipynb"))]


def run_case(label: str, text: str, work: Path, notebooks: list[str], env: dict) -> list[dict]:
    corpus = work / label / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "long.txt").write_text(text, encoding="utf-8")
    cache, figures, report = work / label / "cache", work / label / "figures", work / label / "report"
    py = [sys.executable, "-m", "analysis"]
    rows = []
    steps = [("build", [*py, "build", "--corpus", str(corpus), "--cache", str(cache), "--workers", "1", "--quiet"])]
    if notebooks:
        steps += [(f"notebook {n}", [*py, "run", "--corpus", str(corpus), "--figures", str(figures),
                                     "--cache", str(cache), "--report", str(report), "--only", n])
                  for n in notebooks]
    for step, command in steps:
        rc, mb, seconds = measure(command, env)
        rows.append({"article": label, "bytes": len(text.encode()), "step": step, "status": rc,
                     "peak_rss_mb": round(mb, 1), "seconds": round(seconds, 1)})
        print(f"{label:<16} {len(text.encode()):>10} {step:<12} {rc:>3} {mb:>10.1f} {seconds:>8.1f}", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=float, default=[1.0], help="article sizes in MB (10**6 bytes)")
    parser.add_argument("--single-line", nargs="*", type=float, default=[1.0],
                        help="sizes in MB of articles written as one line (no paragraph breaks)")
    parser.add_argument("--no-notebooks", action="store_true", help="measure only the build")
    parser.add_argument("--notebooks", nargs="+", metavar="N", help="measure only these notebooks (e.g. 1 3)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    work = Path(tempfile.mkdtemp(prefix="measure-memory-"))
    print(f"{'article':<16} {'bytes':>10} {'step':<12} {'rc':>3} {'peak MB':>10} {'seconds':>8}", flush=True)
    rows = []
    try:
        cases = [(f"{s:g}MB", make_article(int(s * 10**6))) for s in args.sizes]
        cases += [(f"{s:g}MB-one-line", make_article(int(s * 10**6), single_line=True)) for s in args.single_line]
        for label, text in cases:
            notebooks = [] if args.no_notebooks else (args.notebooks or notebook_prefixes())
            rows += run_case(label, text, work, notebooks, env)
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0 if all(r["status"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
