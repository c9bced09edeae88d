"""`python -m analysis build`: the build as a subcommand of the project's command line."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from analysis.load.corpus import EmptyCorpusError
from analysis.pipeline.builder import BuildTerminated, build
from analysis.pipeline.engines import WORKER_TIMEOUT_S, NoDaskWorkersError


def _cmd_build(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        result = build(args.corpus, args.cache, engine=args.engine, workers=args.workers,
                       scheduler=args.scheduler, progress=None if not args.quiet else False,
                       follow_links=args.follow_links, worker_timeout=args.worker_timeout,
                       fields=args.field, dayfirst=args.dayfirst)
    except (EmptyCorpusError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except NoDaskWorkersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (BuildTerminated)
        signum = exc.signum if isinstance(exc, BuildTerminated) else signal.SIGINT
        print(f"\nbuild interrupted by {signal.Signals(signum).name}: its worker processes were stopped. What "
              "was analysed so far is kept in the cache; run the same command again to resume.", file=sys.stderr)
        return 128 + int(signum)
    if not result.files:
        print(f"error: No article files in {result.corpus}: nothing to build.", file=sys.stderr)
        return 2
    print(result.summary())
    if result.failed:
        print(f"{len(result.failed)} file(s) were lost to the machine (unreadable, or a worker process died), not "
              "to their content; they will be retried by the next build. Exiting with status 1.", file=sys.stderr)
        return 1
    if args.strict and len(result.errors):
        print(f"--strict: {len(result.errors)} article(s) failed; exiting with status 1.", file=sys.stderr)
        return 1
    return 0


def field_option(value: str) -> tuple[str, str]:
    """`text=content` -> ("text", "content") for `--field`."""
    role, sep, column = value.partition("=")
    if not sep or not role.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"expected ROLE=COLUMN (such as text=content), not {value!r}")
    return role.strip(), column.strip()


class _Fields(argparse.Action):
    """Collects repeated `--field ROLE=COLUMN` into a dict."""

    def __call__(self, parser, namespace, value, option_string=None):
        fields = dict(getattr(namespace, self.dest) or {})
        fields[value[0]] = value[1]
        setattr(namespace, self.dest, fields)


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """`--field ROLE=COLUMN` (repeatable) and `--dayfirst`, for the commands that read a corpus."""
    parser.add_argument("--field", type=field_option, action=_Fields, metavar="ROLE=COLUMN", default=None,
                        help="the column of tables/JSON that fills a role (text, date, title, outlet, authors, "
                             "section, url, language, id), overriding the names found by default; repeatable, "
                             "e.g. --field text=content --field date=scraped_at")
    parser.add_argument("--dayfirst", action="store_true", default=None,
                        help="read numeric dates such as 03/04/2024 day-first (default: month-first; the load "
                             "report counts the dates whose day and month could be swapped)")


def add_subcommands(sub) -> None:
    """Register `build` with the `python -m analysis` command line."""
    parser = sub.add_parser(
        "build",
        help="analyse a corpus into the table cache (only what changed since the last build)",
        description=(
            "Run every per-article analysis (cleaning, sentences, quotes, temporal expressions, "
            "sentence sentiment, term counts) over a corpus and store the tables as Parquet in the "
            "cache, keyed by each article's content and the analysis code's version. A second build "
            "analyses only new or changed articles; an interrupted build resumes. Notebooks read the "
            "cache through analysis.pipeline.load_tables(). Ctrl-C or SIGTERM stops the build and its "
            "worker processes (exit status 130 or 143), and workers end by themselves if the build is killed."
        ),
        epilog=(
            "Examples: `python -m analysis build --corpus ../shared/corpora/wikinews`; "
            "on a Dask cluster: `python -m analysis build --corpus DIR --engine dask --scheduler tcp://HOST:8786`."
        ),
    )
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder (or file) of articles; default: $ANALYSIS_CORPUS or the project's seeds/")
    parser.add_argument("--cache", type=Path, default=None,
                        help="cache folder; default: $ANALYSIS_CACHE or the project's .cache/")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: worker processes on this machine (default); dask: a dask.distributed cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="Dask scheduler address such as tcp://10.0.0.5:8786 (with --engine dask); "
                             "without it a LocalCluster is started")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: every core); for a LocalCluster, its worker count")
    parser.add_argument("--worker-timeout", type=float, metavar="SECONDS", default=WORKER_TIMEOUT_S,
                        help="with --engine dask: fail with a message when the cluster has had no worker for "
                             f"this long, at the start or after losing them all (default: {WORKER_TIMEOUT_S:g})")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 if any article failed in an analysis (they are reported either way)")
    parser.add_argument("--follow-links", action="store_true",
                        help="also read symbolic links that lead outside the corpus folder")
    add_load_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--verbose", action="store_true", help="log more about the cache")
    parser.set_defaults(func=_cmd_build)
