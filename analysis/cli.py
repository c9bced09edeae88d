"""Command line: `python -m analysis <command>`. Run `python -m analysis --help` for the list."""

from __future__ import annotations

import argparse
import errno
import sys
import traceback
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
        corpus = load_corpus(args.path, args.field, bool(args.dayfirst), progress=sys.stderr.isatty(),
                             follow_links=args.follow_links)
    except (EmptyCorpusError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(corpus.summary(details=args.details))
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
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when a file or folder cannot be read or written")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("setup", help="prepare the offline NLP data (punkt, VADER lexicon)")
    p.set_defaults(func=_cmd_setup)

    p = sub.add_parser("load", help="load a corpus and print what was loaded, warned about or skipped")
    p.add_argument("path", nargs="?", type=Path, help="folder (or file) of articles; default: the project's seeds/")
    p.add_argument("--details", action="store_true", help="list every file with a warning or skipped")
    p.add_argument("--follow-links", action="store_true",
                   help="also read symbolic links that lead outside the corpus folder (by default they are skipped)")
    from analysis.pipeline.cli import add_load_options

    add_load_options(p)
    p.set_defaults(func=_cmd_load)

    _register_module_commands(sub)
    for command in sub.choices.values():  # `--debug` also after the command: `build --debug`
        try:
            command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                                 help="show the full traceback of an error from the file system")
        except argparse.ArgumentError:
            pass  # the command has its own --debug
    return parser


def _register_module_commands(sub) -> None:
    """Commands contributed by the other modules (each adds its own sub-parser)."""
    from analysis import bench
    from analysis import evaluate
    from analysis import pipeline
    from analysis import run

    for module in (evaluate, run, pipeline, bench):
        module.add_subcommands(sub)


#: What to do about an error from the environment, by errno (the message says what happened).
_ADVICE = {
    errno.EACCES: "check the permissions of that path, or point the command at a folder you can use",
    errno.EPERM: "check the permissions of that path, or point the command at a folder you can use",
    errno.ENOSPC: "free some disk space, or write elsewhere (--cache, --figures, --report)",
    errno.EDQUOT: "free some space within your disk quota, or write elsewhere (--cache, --figures, --report)",
    errno.ENOENT: "check that the path exists and is spelt correctly",
    errno.ENOTDIR: "a part of that path is a file, not a folder: choose another path",
    errno.EISDIR: "that path is a folder where a file was expected: choose another path",
    errno.EROFS: "that file system is read-only: write elsewhere (--cache, --figures, --report)",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) or use fewer --workers",
    errno.EIO: "the disk or network file system reported an error: check it, then run again",
}


def describe_os_error(exc: OSError, debug: bool = False) -> str:
    """One paragraph for people: which path, what happened, what to do."""
    paths_ = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    where = " -> ".join(paths_) if paths_ else "(the path was not reported)"
    what = exc.strerror or str(exc) or type(exc).__name__
    advice = _ADVICE.get(exc.errno, "check that path and the disk it is on, then run again")
    hint = "" if debug else "\n  (run with --debug for the full traceback)"
    return f"error: {where}: {what}.\n  What to do: {advice}.{hint}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the environment: permissions, a full disk, a missing folder
        if args.debug:
            traceback.print_exc()
        print(describe_os_error(exc, args.debug), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
