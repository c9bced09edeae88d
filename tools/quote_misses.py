"""Print the speech attributions that `extract_quotes` misses on a PolNeAR-style folder, grouped
by the shape of the gold attribution, with the words around each.

    python tools/quote_misses.py [DIR] [--sample dev] [--overlap 0.3] [--per-group 8] [--kind indirect]
    python tools/quote_misses.py [DIR] --boundaries [--sample dev] [--per-group 8]
    python tools/quote_misses.py [DIR] --false-positives [--sample dev] [--per-group 8]

A gold content span is missed when the attribution view (the rows of one `attribution` joined)
matches nothing to it at the overlap given. Each miss is put in the first group that fits (see
`GROUPS`): long content, `according to`, a speech noun as cue, a colon, a question, a passive cue
(`was first reported by`), a cue after the content across a sentence break, a verb that is not in
the reporting-verb lexicon, and the rest. Tune on `--sample dev` only; `check` is the half that tells whether a rule generalises.

With `--boundaries`, it prints instead the pairs matched at overlap 0.3 but not at 0.8, grouped by
how the predicted span differs from the gold one (extra or missing words at either end, or a
different number of fragments), with the words that differ. With `--false-positives`, it prints the
joined predictions that match no speech gold, grouped by the text of their cue.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

from analysis.evaluate import quotes as qe
from analysis.extract.quotes import REPORTING_VERBS, extract_quotes

_NOUN_CUE = re.compile(r"\b(?:statement|claim|claims|remarks?|interview|comments?|testimony|speech|tweet|"
                       r"post|letter|message|report|announcement|argument|assertion|warning|view|position|"
                       r"accusations?|allegations?|promise|pledge|suggestion|insistence|memo|op-ed|column)\b", re.I)
_ASK = re.compile(r"\b(?:ask|asked|asks|asking|wonder|wondered|question|questioned)\b", re.I)
_PASSIVE = re.compile(r"(?i)\b(?:is|are|was|were|been)\s+(?:\w+ly\s+|first\s+)?(?:\w+ed|told|said|written)\b")
_SENTENCE_END = re.compile(r"[.!?][”\"’']*\s")
_VERBS = set(REPORTING_VERBS)


def _between(text: str, gold: qe.GoldAttribution) -> str:
    """The text between the end of the content and the start of the cue (cue after content)."""
    return text[gold.content[-1][1]:gold.cue[0][0]] if gold.cue[0][0] >= gold.content[-1][1] else ""


def group_of(text: str, gold: qe.GoldAttribution) -> str:
    """The first group (of `GROUPS`) whose test the missed gold attribution passes."""
    for name, test in GROUPS:
        if test(text, gold):
            return name
    return "other"


GROUPS = (
    ("according to", lambda text, g: "accord" in g.cue_text.lower()),
    ("colon", lambda text, g: ":" in g.cue_text),
    ("question (ask, whether)", lambda text, g: bool(_ASK.search(g.cue_text))),
    ("speech noun (statement, claim, remarks)", lambda text, g: bool(_NOUN_CUE.search(g.cue_text))),
    ("passive cue (was first reported by X, is tweeted)", lambda text, g: bool(_PASSIVE.search(g.cue_text))),
    ("cue after the content across a sentence break", lambda text, g: bool(_SENTENCE_END.search(_between(text, g)))),
    ("verb outside the lexicon", lambda text, g: not any(w in _VERBS for w in re.findall(r"[\w’'-]+", g.cue_text.lower()))),
    ("long content (over 250 characters)", lambda text, g: qe.fragments_length(g.content) > 250),
    ("cue before the content", lambda text, g: g.cue[0][0] < g.content[0][0]),
    ("cue after the content", lambda text, g: g.cue[0][0] >= g.content[-1][1]),
)


def _context(text: str, gold: qe.GoldAttribution, predicted) -> str:
    """The gold content (in [[...]]) and cue (in <<...>>) within its surroundings, one line, and the
    best prediction that overlaps it."""
    marks = [(s, "[[") for s, _ in gold.content] + [(e, "]]") for _, e in gold.content]
    marks += [(s, "<<") for s, _ in gold.cue] + [(e, ">>") for _, e in gold.cue]
    lo = max(0, min(m for m, _ in marks) - 80)
    hi = min(len(text), max(m for m, _ in marks) + 80)
    pieces, last = [], lo
    for pos, mark in sorted(marks):
        pieces += [text[last:pos], mark]
        last = pos
    pieces.append(text[last:hi])
    line = re.sub(r"\s+", " ", "".join(pieces))
    best = max(((qe.overlap(gold.content, f), f) for f, _ in predicted), default=(0.0, None))
    seen = f"\n      best prediction ({best[0]:.2f}): {text[best[1][0][0]:best[1][-1][1]][:200]!r}" if best[0] > 0 else ""
    return f"    {line}{seen}"


def misses(folder: Path, sample: str, threshold: float, kind: str | None):
    """(article, text, gold attribution, joined predictions) of every missed speech attribution."""
    files = qe.first_annotator_files(folder)
    names = qe.select_articles([n for n in files if (folder / "text" / f"{n}.txt").exists()], sample, None)
    for name in names:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        gold = [g for g in qe.parse_ann(files[name].read_text(encoding="utf-8")) if g.is_speech]
        predicted = qe.join_attributions(text, extract_quotes(text))
        matched = {gi for gi, _, _ in qe.match_spans([g.content for g in gold], [f for f, _ in predicted], threshold)}
        for gi, g in enumerate(gold):
            if gi not in matched and (kind is None or qe.gold_kind(text, g.content) == kind):
                yield name, text, g, predicted


def boundary_differences(folder: Path, sample: str):
    """(difference, article, overlap, differing words, gold text, predicted text) for every pair
    matched at overlap 0.3 but not 0.8, once per way the two spans differ."""
    files = qe.first_annotator_files(folder)
    names = qe.select_articles([n for n in files if (folder / "text" / f"{n}.txt").exists()], sample, None)
    flat = lambda a, b: re.sub(r"\s+", " ", text[a:b])  # noqa: E731
    for name in names:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        gold = [g for g in qe.parse_ann(files[name].read_text(encoding="utf-8")) if g.is_speech]
        predicted = qe.join_attributions(text, extract_quotes(text))
        for gi, pj, value in qe.match_spans([g.content for g in gold], [f for f, _ in predicted], 0.3):
            if value >= 0.8:
                continue
            g, p = gold[gi].content, predicted[pj][0]
            (gs, ge), (ps, pe) = (g[0][0], g[-1][1]), (p[0][0], p[-1][1])
            found = [("predicted starts earlier", ps, gs), ("predicted starts later", gs, ps),
                     ("predicted ends later", ge, pe), ("predicted ends earlier", pe, ge)]
            pieces = [(kind, flat(a, b)) for kind, a, b in found if a < b]
            if len(g) != len(p):
                pieces.append((f"{len(g)} gold fragments, {len(p)} predicted", ""))
            for kind, words in pieces:
                yield kind, name, value, words, flat(gs, ge), flat(ps, pe)


def false_positives(folder: Path, sample: str, threshold: float):
    """(cue text, article, predicted text, words before it) of every joined prediction that matches
    no speech gold at the overlap given."""
    files = qe.first_annotator_files(folder)
    names = qe.select_articles([n for n in files if (folder / "text" / f"{n}.txt").exists()], sample, None)
    for name in names:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        gold = [g for g in qe.parse_ann(files[name].read_text(encoding="utf-8")) if g.is_speech]
        rows = extract_quotes(text)
        predicted = qe.join_attributions(text, rows)
        matched = {pj for _, pj, _ in qe.match_spans([g.content for g in gold], [f for f, _ in predicted], threshold)}
        for pj, (fragments, row) in enumerate(predicted):
            if pj not in matched:
                cue = rows["cue"].iloc[row]
                start, end = fragments[0][0], fragments[-1][1]
                yield (str(cue).lower() if cue else "(no cue)"), name, re.sub(r"\s+", " ", text[start:end]), \
                    re.sub(r"\s+", " ", text[max(0, start - 100):start])


def print_false_positives(folder: Path, sample: str, threshold: float, per_group: int) -> None:
    """The predictions of :func:`false_positives`, grouped by cue text, biggest group first."""
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for cue, name, words, before in false_positives(folder, sample, threshold):
        groups[cue].append(f"  {name}: ...{before[-100:]!r}\n      pred: {words[:200]!r}")
    print(f"{sum(map(len, groups.values()))} predictions matching no speech gold ({sample}, overlap {threshold})")
    for cue, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {cue}: {len(items)}")
        print("\n".join(items[:per_group]))


def print_boundaries(folder: Path, sample: str, per_group: int) -> None:
    """The pairs of :func:`boundary_differences`, biggest group first."""
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for kind, name, value, words, gold, predicted in boundary_differences(folder, sample):
        groups[re.sub(r"^\d+ gold fragments, \d+ predicted$", "fragments differ", kind)].append(
            f"  {name} ({value:.2f}) {kind}: {words[:150]!r}\n      gold: {gold[:200]!r}\n      pred: {predicted[:200]!r}")
    print(f"pairs matched at 0.3 but not 0.8, by difference ({sample})")
    for kind, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {kind}: {len(items)}")
        print("\n".join(items[:per_group]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, default=None)
    parser.add_argument("--sample", choices=("all", "dev", "check"), default="dev")
    parser.add_argument("--overlap", type=float, default=0.3)
    parser.add_argument("--per-group", type=int, default=8, help="examples printed per group")
    parser.add_argument("--kind", choices=("direct", "indirect", "mixed"), default=None)
    parser.add_argument("--boundaries", action="store_true", help="the pairs matched at 0.3 but not at 0.8")
    parser.add_argument("--false-positives", action="store_true", help="predictions that match no speech gold")
    args = parser.parse_args(argv)
    folder = args.dir or qe.default_dir()
    if args.false_positives:
        print_false_positives(folder, args.sample, args.overlap, args.per_group)
        return 0
    if args.boundaries:
        print_boundaries(folder, args.sample, args.per_group)
        return 0
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for name, text, gold, predicted in misses(folder, args.sample, args.overlap, args.kind):
        groups[group_of(text, gold)].append(f"  {name}\n{_context(text, gold, predicted)}")
    total = sum(len(v) for v in groups.values())
    print(f"{total} missed speech attributions ({args.sample}, overlap {args.overlap}, kind {args.kind or 'any'})")
    for name, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {name}: {len(items)}")
        print("\n".join(items[:args.per_group]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
