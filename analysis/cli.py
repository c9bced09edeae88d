"""Command line: `python -m analysis <command>`. Run `python -m analysis --help` for the list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_setup(args: argparse.Namespace) -> int:
    from analysis.load.nlp_data import ensure_nltk_data, punkt_tokenizer

    folder = ensure_nltk_data()
    punkt_tokenizer()
    print(f"NLP data ready in {folder} (punkt_tab English, VADER lexicon); nothing was downloaded.")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from analysis.load.corpus import EmptyCorpusError, load_corpus

    try:
        corpus = load_corpus(args.path, progress=sys.stderr.isatty())
    except EmptyCorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(corpus.summary())
    if args.details:
        problems = corpus.report[corpus.report["status"] != "loaded"]
        if len(problems):
            print(problems.to_string(index=False, max_colwidth=80))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="News analysis toolkit: quotes, terms, sentiment and timelines for a folder of articles.",
        epilog="Start with `make run` (everything) or `python -m analysis load seeds/` (check a corpus).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("setup", help="prepare the offline NLP data (punkt, VADER lexicon)")
    p.set_defaults(func=_cmd_setup)

    p = sub.add_parser("load", help="load a corpus and print what was loaded, warned about or skipped")
    p.add_argument("path", nargs="?", type=Path, help="folder (or file) of articles; default: the project's seeds/")
    p.add_argument("--details", action="store_true", help="list every file with a warning or skipped")
    p.set_defaults(func=_cmd_load)

    _register_module_commands(sub)
    return parser


def _register_module_commands(sub) -> None:
    """Commands contributed by the other modules (each adds its own sub-parser)."""
    from analysis import bench
    from analysis import evaluate
    from analysis import pipeline
    from analysis import run

    for module in (evaluate, run, pipeline, bench):
        module.add_subcommands(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
