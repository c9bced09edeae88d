"""Load speed and peak memory of the pipeline for rows (JSONL, CSV) against a folder of `.txt` files.

    python tools/bench_load.py --rows 100000 [--workers 2] [--build] [--work /tmp/bench-load]

Synthesises `--rows` articles by repeating the articles of the shared corpora (BBC, Reuters,
Wikinews; each copy made distinct by a closing sentence naming its number, so none is a duplicate)
and writes them three ways: one JSONL file, one CSV file and a folder of `.txt` files with a
`metadata.csv` sidecar. Each is then built into a fresh cache in a process of its own, with only
the load stage (reading, cleaning, paragraphs and sentences, storing) or, with `--build`, every
analysis stage. Printed per format: seconds, articles per second, CPU seconds (the build and its
workers: on a shared machine, articles per CPU second is the steadier figure), and the peak
resident memory of the build's process and of its largest worker process.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.load.corpus import read_article  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
SOURCES = {"BBC": "bbc-news", "Reuters": "reuters21578", "Wikinews": "wikinews"}
FIELDS = ["id", "outlet", "date", "title", "text"]


def base_articles(corpora: Path, per_outlet: int) -> list[dict]:
    """Up to `per_outlet` loadable articles of each shared corpus, in file order."""
    articles = []
    for outlet, name in SOURCES.items():
        files = sorted((corpora / name).rglob("*.txt"))
        taken = 0
        for path in files:
            if taken == per_outlet or path.name.lower().startswith("readme"):
                continue
            record = read_article(path, "x")
            if record.article is None:
                continue
            article = record.article
            articles.append({"outlet": outlet, "date": article["date_text"] or "", "title": article["title"] or "",
                             "text": article["text"]})
            taken += 1
    return articles


def synthesise(base: list[dict], rows: int):
    """`rows` distinct articles made from `base`, with ids."""
    for i in range(rows):
        article = dict(base[i % len(base)])
        copy = i // len(base)
        article["text"] = f"{article['text']}\n\nThis is copy {copy} of the article, number {i}."
        yield {"id": f"a{i:07d}", **article}


def write_inputs(work: Path, base: list[dict], rows: int) -> dict[str, Path]:
    """The JSONL file, the CSV file and the `.txt` folder of the same `rows` articles."""
    paths = {"jsonl": work / "rows.jsonl", "csv": work / "rows.csv", "txt": work / "txt"}
    if paths["txt"].exists():
        shutil.rmtree(paths["txt"])
    paths["txt"].mkdir(parents=True)
    with open(paths["jsonl"], "w", encoding="utf-8") as jl, open(paths["csv"], "w", encoding="utf-8", newline="") as cf, \
            open(paths["txt"] / "metadata.csv", "w", encoding="utf-8", newline="") as side:
        table = csv.DictWriter(cf, fieldnames=FIELDS)
        table.writeheader()
        sidecar = csv.DictWriter(side, fieldnames=["file", "outlet"])
        sidecar.writeheader()
        for article in synthesise(base, rows):
            jl.write(json.dumps(article, ensure_ascii=False) + "\n")
            table.writerow(article)
            name = f"{article['id']}.txt"
            header = (f"date {article['date']}\n" if article["date"] else "") + f"title: {article['title']}\n\n"
            (paths["txt"] / name).write_text(header + article["text"] + "\n", encoding="utf-8")
            sidecar.writerow({"file": name, "outlet": article["outlet"]})
    return paths


MEASURE = r"""
import json, resource, sys, time
from analysis.pipeline.builder import build
from analysis.pipeline.stages import STAGES
corpus, cache, workers, full = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
started = time.perf_counter()
result = build(corpus, cache, workers=workers, progress=False, stages=None if full else ())
seconds = time.perf_counter() - started
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "loaded": result.loaded,
                  "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, "rows": result.rows, "files": result.files,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measure(path: Path, cache: Path, workers: int, full: bool) -> dict:
    """Build `path` into a fresh `cache` in a new process; its figures."""
    if cache.exists():
        shutil.rmtree(cache)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(cache), str(workers), "1" if full else "0"],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the build of {path} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="articles to synthesise (default 100,000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of each build (default 2)")
    parser.add_argument("--build", action="store_true", help="run every analysis stage, not only the load stage")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-load"), help="folder for inputs and caches")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="folder of the shared corpora")
    parser.add_argument("--per-outlet", type=int, default=300, help="distinct base articles per outlet (default 300)")
    parser.add_argument("--formats", default="jsonl,csv,txt", help="which inputs to build (default jsonl,csv,txt)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths = write_inputs(args.work, base_articles(args.corpora, args.per_outlet), args.rows)
    print(f"wrote {args.rows:,} articles as JSONL, CSV and .txt files in {time.perf_counter() - started:.0f} s "
          f"({'every stage' if args.build else 'load stage only'}, {args.workers} worker(s))")
    print(f"{'format':<6} {'articles':>9} {'seconds':>8} {'articles/s':>11} {'CPU s':>7} {'art./CPU s':>11} "
          f"{'peak RSS MB':>12} {'worker RSS MB':>14}")
    for name in args.formats.split(","):
        figures = measure(paths[name], args.work / f"cache-{name}", args.workers, args.build)
        rate = figures["loaded"] / figures["seconds"] if figures["seconds"] else 0.0
        per_cpu = figures["loaded"] / figures["cpu"] if figures["cpu"] else 0.0
        print(f"{name:<6} {figures['loaded']:>9,} {figures['seconds']:>8.1f} {rate:>11,.0f} {figures['cpu']:>7.1f} "
              f"{per_cpu:>11,.0f} {figures['rss_mb']:>12,.0f} "
              f"{figures['worker_rss_mb']:>14,.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
