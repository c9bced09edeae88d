"""Which reporting verbs to list in `object_speech_verbs` and `topic_speech_verbs`, measured on the
development half of a PolNeAR-style folder only.

    python tools/object_verb_choice.py [DIR] [--sample dev] [--verbs announce,describe,deny]

It runs `extract_quotes` twice over the sample: once with every candidate verb in both lists and
once with neither list, and counts, for each verb, the predictions the lists add (joined as the
attribution view joins them) that match a gold speech attribution at overlap 0.3 and those that
match none. A verb is worth listing when more of what it adds matches than not (the lists were
chosen with this table on `dev`); the `check` half then tells whether the choice generalises.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from analysis.evaluate import quotes as qe
from analysis.extract.quotes import extract_quotes, frames
from analysis.extract.quotes.cues import FORM_TO_BASE, VERB_FORMS

#: Candidates tried when none are given: the reporting verbs that take a noun-phrase object.
CANDIDATES = ("acknowledge", "admit", "announce", "claim", "confirm", "deny", "describe", "explain", "note",
              "predict", "promise", "recall", "recount", "report", "reveal", "write", "joke", "tweet", "complain",
              "boast")
#: The candidates tried as topic verbs (`wrote about X`); the others as object verbs.
TOPIC_CANDIDATES = frozenset({"write", "joke", "tweet", "complain", "boast"})


def _predictions(folder: Path, names: list[str], gold: dict) -> dict:
    """{(article, fragments): (cue base, matched)} of the joined predictions over `names`."""
    out = {}
    for name in names:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        table = extract_quotes(text)
        joined = qe.join_attributions(text, table)
        matched = {pj for _, pj, _ in qe.match_spans([g.content for g in gold[name]], [f for f, _ in joined], 0.3)}
        for pj, (fragments, row) in enumerate(joined):
            cue = str(table["cue"].iloc[row]).lower() if row < len(table) else ""
            out[(name, tuple(fragments))] = (FORM_TO_BASE.get(cue, cue), pj in matched)
    return out


def verb_table(folder: Path, sample: str, verbs: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(verb, added predictions that match gold, added ones that do not) for each verb."""
    files = qe.first_annotator_files(folder)
    names = qe.select_articles([n for n in files if (folder / "text" / f"{n}.txt").exists()], sample, None)
    gold = {n: [g for g in qe.parse_ann(files[n].read_text(encoding="utf-8")) if g.is_speech] for n in names}
    saved = frames.OBJECT_SPEECH_VERBS, frames.TOPIC_SPEECH_VERBS
    try:
        frames.OBJECT_SPEECH_VERBS = frames.TOPIC_SPEECH_VERBS = frozenset()
        without = _predictions(folder, names, gold)
        frames.OBJECT_SPEECH_VERBS = frozenset(v for v in verbs if v not in TOPIC_CANDIDATES)
        frames.TOPIC_SPEECH_VERBS = frozenset(v for v in verbs if v in TOPIC_CANDIDATES)
        with_all = _predictions(folder, names, gold)
    finally:
        frames.OBJECT_SPEECH_VERBS, frames.TOPIC_SPEECH_VERBS = saved
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for key, (base, matched) in with_all.items():
        if key not in without and base in verbs:
            counts[base][0 if matched else 1] += 1
    return [(verb, *counts[verb]) for verb in verbs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, default=None)
    parser.add_argument("--sample", choices=("all", "dev", "check"), default="dev")
    parser.add_argument("--verbs", default=",".join(CANDIDATES), help="comma-separated base forms")
    args = parser.parse_args(argv)
    verbs = tuple(v for v in args.verbs.split(",") if v in VERB_FORMS)
    print(f"verb          added_matched  added_unmatched  ({args.sample})")
    for verb, hit, miss in verb_table(args.dir or qe.default_dir(), args.sample, verbs):
        keep = "keep" if hit > miss else ""
        print(f"{verb:<13} {hit:>13}  {miss:>15}  {keep}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
