"""`python -m analysis bench`: how fast the pipeline analyses a corpus, against a naive notebook.

    python -m analysis bench --corpus ../shared/corpora/reuters21578/articles --copies 5

1. The corpus is copied `--copies` times into a scratch folder; each copy's articles end with a
   line naming the copy, so no cache or de-duplication can skip work.
2. A naive baseline, written the way a notebook user would (`nltk.sent_tokenize`, VADER per
   sentence, a quote regex and a `Counter` of words, one article after another), runs on a
   sample of the copies.
3. `build` runs every analysis on all the copies into a fresh cache, while a sampler adds up the
   resident memory of the whole process tree (this process and its workers) from /proc.
4. The tables are then read back from the cache, as the notebooks do.

The headline is the ratio of build to baseline articles per second, measured in the same run on
the same machine, so it holds on a noisy machine where absolute figures do not.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from analysis import paths
from analysis.load.corpus import find_files

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# --- memory of a process tree ---------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(p) for p in handle.read().split())
    except OSError:
        pass
    return found


def tree_rss(pid: int | None = None) -> int:
    """Resident memory, in bytes, of process `pid` (default: this one) and all its descendants."""
    total, todo, seen = 0, [pid or os.getpid()], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(_children(current))
    return total


class MemorySampler:
    """Samples `tree_rss()` in a background thread; `peak` and `samples` (seconds, bytes)."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.perf_counter()
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - start, tree_rss()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)

    def peaks_by_quarter(self) -> list[int]:
        """The peak in each quarter of the run: flat when memory does not grow with the corpus."""
        if not self.samples:
            return []
        end = self.samples[-1][0] or 1.0
        quarters = [0, 0, 0, 0]
        for t, rss in self.samples:
            q = min(3, int(4 * t / end))
            quarters[q] = max(quarters[q], rss)
        return quarters


# --- the corpus copies ----------------------------------------------------------------------


def _closing_line(copy: int, data: bytes) -> bytes:
    line = f"\n\nBenchmark copy {copy}.\n"
    if data.startswith(b"\xff\xfe"):
        return line.encode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return line.encode("utf-16-be")
    return line.encode("utf-8")


def make_copies(corpus: Path, target: Path, copies: int, limit: int | None = None) -> int:
    """Write `copies` copies of the corpus's files under `target/copy-K/`; returns files written.

    Each copy's files end with a line naming the copy, so every copy's text is distinct.
    """
    files = find_files(corpus)[:limit] if limit else find_files(corpus)
    written = 0
    for copy in range(1, copies + 1):
        for file, _ in files:
            if not file.is_file():
                continue
            relative = file.relative_to(corpus) if file != corpus else Path(file.name)
            out = target / f"copy-{copy}" / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            data = file.read_bytes()
            out.write_bytes(data + _closing_line(copy, data))
            written += 1
    return written


# --- the naive baseline ---------------------------------------------------------------------

# What a notebook user would write: straight double quotes or curly quotes, non-greedy.
NAIVE_QUOTE = re.compile(r"[\"“]([^\"”]{1,1000}?)[\"”]")
NAIVE_WORD = re.compile(r"[a-z]+")


def naive_baseline(files: list[Path]) -> dict:
    """Analyse `files` one by one the way a notebook would; returns articles, words, seconds."""
    import nltk
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.load.nlp_data import STOPWORDS, ensure_nltk_data

    ensure_nltk_data()  # punkt_tab for nltk.sent_tokenize, offline
    analyzer = SentimentIntensityAnalyzer()
    nltk.sent_tokenize("Warm up. The model loads once.")
    words = n_quotes = 0
    terms: Counter = Counter()
    started, cpu_started = time.perf_counter(), time.process_time()
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        sentences = nltk.sent_tokenize(text)
        scores = [analyzer.polarity_scores(s)["compound"] for s in sentences]
        n_quotes += len(NAIVE_QUOTE.findall(text))
        tokens = NAIVE_WORD.findall(text.lower())
        terms.update(w for w in tokens if w not in STOPWORDS)
        words += len(text.split())
        del scores
    seconds = time.perf_counter() - started
    return {"articles": len(files), "words": words, "seconds": seconds,
            "cpu_seconds": time.process_time() - cpu_started, "quotes": n_quotes}


# --- the benchmark --------------------------------------------------------------------------


def run_bench(corpus: Path, copies: int = 1, limit: int | None = None, sample: int = 1000,
              workers: int | None = None, workdir: Path | None = None, keep: bool = False,
              progress: bool = False) -> dict:
    """Copy, run the baseline and the build, read the tables back; returns every figure."""
    from analysis.pipeline import build, load_tables

    scratch = Path(tempfile.mkdtemp(prefix="analysis-bench-", dir=workdir))
    results: dict = {"corpus": str(corpus), "copies": copies, "limit": limit, "cores": os.cpu_count()}
    try:
        started = time.perf_counter()
        copied = scratch / "corpus"
        results["files"] = make_copies(corpus, copied, copies, limit)
        results["copy_seconds"] = time.perf_counter() - started

        every = [f for f, _ in find_files(copied)]
        step = max(1, len(every) // sample)
        naive = naive_baseline(every[::step][:sample])
        results["naive"] = naive | _rates(naive["articles"], naive["words"], naive["seconds"])

        cache = scratch / "cache"
        with MemorySampler() as memory:
            result = build(copied, cache, workers=workers, progress=progress)
        results["build"] = {
            "articles": result.analysed, "words": result.words, "seconds": result.seconds,
            "workers": workers or os.cpu_count(), "stages": ["load", *result.stages],
            "errors": len(result.errors),
            "peak_rss_mb": memory.peak / 2**20,
            "peak_rss_by_quarter_mb": [round(q / 2**20) for q in memory.peaks_by_quarter()],
            **_rates(result.analysed, result.words, result.seconds),
        }
        results["stages"] = {
            name: {"cpu_seconds": seconds, **_rates(result.analysed, result.words, seconds)}
            for name, seconds in result.stage_seconds.items()
        }
        started = time.perf_counter()
        again = build(copied, cache, workers=workers, progress=False)
        results["rebuild_seconds"] = time.perf_counter() - started
        results["rebuild_analysed"] = again.analysed
        results["read_seconds"], results["rows"] = {}, {}
        with MemorySampler() as memory:
            started = time.perf_counter()
            tables = load_tables(copied, cache, build=False)
            for name in ("articles", "report", "paragraphs", "sentences", "quotes", "timexes", "sentiment", "terms", "ngrams", "errors"):
                table_started = time.perf_counter()
                results["rows"][name] = len(getattr(tables, name))
                results["read_seconds"][name] = time.perf_counter() - table_started
            results["read_tables_seconds"] = time.perf_counter() - started
            del tables
        results["read_tables_peak_rss_mb"] = memory.peak / 2**20
        started = time.perf_counter()
        load_tables(copied, cache).articles  # what a notebook does: check for changes, then read
        results["check_and_read_articles_seconds"] = time.perf_counter() - started
        results["cache_mb"] = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 2**20
        results["ratio"] = results["build"]["articles_per_s"] / max(results["naive"]["articles_per_s"], 1e-9)
        # The same comparison in CPU time (articles per CPU-second), which other programs running
        # on the machine do not distort; times the worker count, it is the ratio on idle cores.
        build_cpu = sum(result.stage_seconds.values())
        results["build"]["cpu_seconds"] = build_cpu
        results["naive"]["articles_per_cpu_s"] = naive["articles"] / max(naive["cpu_seconds"], 1e-9)
        results["build"]["articles_per_cpu_s"] = result.analysed / max(build_cpu, 1e-9)
        results["cpu_ratio"] = results["build"]["articles_per_cpu_s"] / results["naive"]["articles_per_cpu_s"]
    finally:
        if keep:
            results["scratch"] = str(scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return results


def _rates(articles: int, words: int, seconds: float) -> dict:
    seconds = max(seconds, 1e-9)
    return {"articles_per_s": articles / seconds, "words_per_s": words / seconds}


def format_report(results: dict) -> str:
    """The bench figures as a few readable lines."""
    naive, built = results["naive"], results["build"]
    lines = [
        f"Corpus {results['corpus']} x {results['copies']} copies"
        + (f" (first {results['limit']} files each)" if results.get("limit") else "")
        + f": {results['files']:,} files, {results['cores']} cores.",
        f"Naive notebook baseline (1 process, {naive['articles']:,} articles sampled): "
        f"{naive['articles_per_s']:,.1f} articles/s, {naive['words_per_s']:,.0f} words/s.",
        f"build ({built['workers']} workers, stages {', '.join(built['stages'])}): {built['articles']:,} articles "
        f"in {built['seconds']:,.1f} s = {built['articles_per_s']:,.1f} articles/s, {built['words_per_s']:,.0f} words/s.",
        f"Speed-up over the naive baseline: {results['ratio']:.2f}x in articles/s; in CPU time "
        f"{results['cpu_ratio']:.3f}x per core ({built['articles_per_cpu_s']:,.1f} vs {naive['articles_per_cpu_s']:,.1f} "
        f"articles per CPU-second), so {results['cpu_ratio'] * built['workers']:.2f}x on {built['workers']} idle cores.",
        f"Peak memory (all processes): {built['peak_rss_mb']:,.0f} MB; by quarter of the run: "
        + ", ".join(f"{q:,}" for q in built["peak_rss_by_quarter_mb"]) + " MB.",
        "Per stage (CPU time summed over workers; rates per core):",
    ]
    for name, stage in results["stages"].items():
        lines.append(f"  {name:<10} {stage['cpu_seconds']:>9,.1f} s  {stage['articles_per_s']:>10,.1f} articles/s"
                     f"  {stage['words_per_s']:>12,.0f} words/s")
    if built["errors"]:
        lines.append(f"Articles that failed in a stage: {built['errors']:,}.")
    lines += [
        f"Re-build with nothing new: {results['rebuild_seconds']:.1f} s ({results['rebuild_analysed']} analysed).",
        f"Reading every table back from the cache: {results['read_tables_seconds']:.1f} s ("
        + ", ".join(f"{k} {v:.1f}" for k, v in results["read_seconds"].items())
        + f"), peak {results['read_tables_peak_rss_mb']:,.0f} MB; cache on disk {results['cache_mb']:,.0f} MB.",
        f"A notebook's load_tables() (check the corpus for changes, read articles): "
        f"{results['check_and_read_articles_seconds']:.1f} s.",
        "Rows: " + ", ".join(f"{k} {v:,}" for k, v in results["rows"].items()) + ".",
    ]
    return "\n".join(lines)


def _cmd_bench(args: argparse.Namespace) -> int:
    corpus = paths.seeds_dir(args.corpus)
    if not corpus.exists():
        print(f"error: no corpus at {corpus}", file=sys.stderr)
        return 2
    results = run_bench(corpus, args.copies, args.limit, args.sample, args.workers, args.workdir,
                        args.keep, progress=sys.stderr.isatty())
    print(format_report(results))
    if args.json:
        from analysis.files import write_atomic

        write_atomic(args.json, json.dumps(results, indent=2).encode("utf-8"))
    return 0


def add_subcommands(sub) -> None:
    """Register `bench` with the `python -m analysis` command line."""
    parser = sub.add_parser(
        "bench",
        help="measure build speed and memory against a naive notebook baseline",
        description=(
            "Copy a corpus N times (each copy's texts made distinct), run a naive notebook-style "
            "baseline (nltk.sent_tokenize, VADER per sentence, a quote regex, a Counter) on a sample, "
            "then `build` on everything into a fresh cache. Reports articles/s and words/s per stage, "
            "peak memory of all processes, and the build/baseline speed ratio. Scratch files are "
            "deleted afterwards."
        ),
        epilog="Example: python -m analysis bench --corpus ../shared/corpora/reuters21578/articles --copies 5",
    )
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder of articles to copy; default: $ANALYSIS_CORPUS or seeds/")
    parser.add_argument("--copies", type=int, default=1, help="how many distinct copies to analyse (default 1)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N files of the corpus in each copy")
    parser.add_argument("--sample", type=int, default=1000, help="articles the naive baseline analyses (default 1000)")
    parser.add_argument("--workers", type=int, default=None, help="build worker processes (default: every core)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the scratch copies and cache go (default: the system temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies and cache")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    parser.set_defaults(func=_cmd_bench)
