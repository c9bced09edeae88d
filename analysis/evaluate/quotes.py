"""Scoring `analysis.extract.quotes.extract_quotes` against brat-standoff attribution annotations.

    python -m analysis evaluate quotes [DIR] [--limit N] [--sample {all,dev,check}]

DIR holds PolNeAR's layout: `text/<article>.txt` and `attributions/<article>_<annotator>.ann`
(default: `$POLNEAR_DIR`, else `<project>/../shared/eval/polnear-train`).

The conventions (`../shared/eval/ANCHORS.md`):

- gold = every attribution event (`E` line) with a cue and a content span, from the FIRST
  annotator's `.ann` file of each article (file names sorted);
- "speech" = the events whose cue text contains a reporting word (:data:`SPEECH_WORDS`) or a colon;
- a gold content span is matched greedily to the unused prediction with the highest overlap, where
  overlap = shared characters / the LONGER of the two spans; a match needs overlap >= 0.3 (or 0.8);
- precision = matched / predicted, recall = matched / gold;
- speaker accuracy, over matched pairs whose gold has a source: the predicted mention span overlaps
  the gold source span; with no predicted mention (a follow-on quote), every word of the gold
  source appears in the predicted speaker.

Two views are reported: `fragment` (each row of `extract_quotes` is one prediction) and
`attribution` (the rows that share an `attribution` id are one prediction with several fragments,
as PolNeAR annotates `“A,” he said. “B.”`), each with recall per kind of gold content (`direct`,
`indirect`, `mixed`). `--sample dev` and `--sample check` are two fixed halves of the articles:
tune rules on `dev` only and watch that `check` moves with it.

Everything but `run` and `benchmark` is a pure function, unit-tested on tiny examples.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths

Fragments = tuple[tuple[int, int], ...]

#: Words whose presence in a cue makes an attribution "speech" (lower case, matched as substrings
#: of the cue's words, so "said", "says" and "saying" all contain "sa...": see SPEECH_CUE).
SPEECH_WORDS = (
    "say", "said", "says", "saying", "told", "tell", "according", "add", "ask", "write", "wrote",
    "note", "explain", "claim", "argue", "insist", "state", "announce", "report", "warn", "declare",
    "tweet", "acknowledge", "admit", "recall", "suggest", "call", "describe", "reply", "respond",
    "continue", "urge", "predict", "promise", "vow", "deny", "contend", "concede", "recount",
    "quip", "joke", "shout", "yell", "emailed", "statement", "interview",
)
SPEECH_CUE = re.compile(r"\b(?:" + "|".join(map(re.escape, SPEECH_WORDS)) + r")|:", re.IGNORECASE)
THRESHOLDS = (0.3, 0.8)
_WORD = re.compile(r"[^\W_]+(?:[’'.-][^\W_]+)*")


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: content, cue and (optional) source, as character fragments."""

    content: Fragments
    cue: Fragments
    cue_text: str
    source: Fragments = ()
    source_text: str = ""
    content_text: str = ""

    @property
    def is_speech(self) -> bool:
        return is_speech_cue(self.cue_text)


@dataclass
class Score:
    """Counts behind the metrics for one subset of gold at one threshold."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_judged: int = 0
    speaker_correct: int = 0
    gold_by_kind: dict = field(default_factory=dict)
    matched_by_kind: dict = field(default_factory=dict)

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.speaker_judged += other.speaker_judged
        self.speaker_correct += other.speaker_correct
        for kind, n in other.gold_by_kind.items():
            self.gold_by_kind[kind] = self.gold_by_kind.get(kind, 0) + n
        for kind, n in other.matched_by_kind.items():
            self.matched_by_kind[kind] = self.matched_by_kind.get(kind, 0) + n

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_judged if self.speaker_judged else 0.0

    def recall_of(self, kind: str) -> float:
        n = self.gold_by_kind.get(kind, 0)
        return self.matched_by_kind.get(kind, 0) / n if n else float("nan")


# --- reading brat ---------------------------------------------------------------------------


def _parse_fragments(offsets: str) -> Fragments:
    pieces = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return tuple(sorted(pieces))


def parse_ann(ann: str) -> list[GoldAttribution]:
    """The attributions in one brat `.ann` file: every `E` event with a cue and a content.

    Text-bound lines look like `T3<TAB>Content 283 332<TAB>text` (discontinuous spans as
    `2103 2168;2170 2425`); events like `E1<TAB>Attribution:T6 Source:T5 Cue:T4 Content:T3`.
    Events missing a cue or a content are left out; several spans in one role are merged.
    """
    spans: dict[str, tuple[str, Fragments, str]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        ident = parts[0]
        if ident.startswith("T"):
            head = parts[1].split(" ", 1)
            if len(head) != 2:
                continue
            try:
                fragments = _parse_fragments(head[1])
            except ValueError:
                continue
            spans[ident] = (head[0], fragments, parts[2] if len(parts) > 2 else "")
        elif ident.startswith("E"):
            roles = []
            for arg in parts[1].split():
                if ":" in arg:
                    role, ref = arg.split(":", 1)
                    roles.append((re.sub(r"\d+$", "", role), ref))
            events.append(roles)

    result = []
    for roles in events:
        found: dict[str, list[tuple[Fragments, str]]] = {}
        for role, ref in roles:
            if role in ("Content", "Cue", "Source") and ref in spans:
                found.setdefault(role, []).append(spans[ref][1:])
        if "Content" not in found or "Cue" not in found:
            continue

        def merged(role: str) -> tuple[Fragments, str]:
            items = found.get(role, [])
            fragments = tuple(sorted(f for fr, _ in items for f in fr))
            return fragments, " ".join(t for _, t in items)

        content, content_text = merged("Content")
        cue, cue_text = merged("Cue")
        source, source_text = merged("Source")
        result.append(GoldAttribution(content, cue, cue_text, source, source_text, content_text))
    result.sort(key=lambda g: g.content)
    return result


def is_speech_cue(cue_text: str) -> bool:
    """True when a cue contains a reporting word or a colon (the ANCHORS.md speech filter)."""
    return bool(SPEECH_CUE.search(cue_text))


_DIRECT = re.compile(r"(?:“|``|''|\"|«)(?P<inner>.*)(?:”|''|\"|»)[.,;:!?]*", re.DOTALL)
_ANY_MARK = re.compile(r"[“”\"«»]|''|``")


def gold_kind(text: str, content: Fragments) -> str:
    """`direct` when the gold content is one quotation, or fragments that are each a whole
    quotation (brat spans include the marks); `mixed` when it contains quote marks; else `indirect`."""
    pieces = [text[s:e].strip() for s, e in content]
    pieces = [p for p in pieces if p]
    if not pieces:
        return "indirect"

    def whole_quotation(piece: str) -> bool:
        match = _DIRECT.fullmatch(piece)
        return bool(match) and not _ANY_MARK.search(match["inner"])

    # a quotation split by its attribution is annotated as one content of several fragments
    if all(whole_quotation(p) for p in pieces):
        return "direct"
    return "mixed" if any(_ANY_MARK.search(p) for p in pieces) else "indirect"


def first_annotator_files(folder: Path) -> dict[str, Path]:
    """{article name: its first annotator's .ann file (by sorted file name)}."""
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(article, ann)
    return chosen


# --- matching and scoring -------------------------------------------------------------------


def fragments_length(spans: Fragments) -> int:
    return sum(max(0, e - s) for s, e in spans)


def overlap(gold: Fragments, predicted: Fragments) -> float:
    """Shared characters divided by the longer of the two spans' lengths (0 when either is empty)."""
    longer = max(fragments_length(gold), fragments_length(predicted))
    if longer == 0:
        return 0.0
    shared = 0
    for gs, ge in gold:
        for ps, pe in predicted:
            shared += max(0, min(ge, pe) - max(gs, ps))
    return shared / longer


def match_spans(gold: list[Fragments], predicted: list[Fragments], threshold: float) -> list[tuple[int, int, float]]:
    """Greedy matching: each gold span (in order) takes the unused prediction with the highest
    overlap, if that overlap is at least `threshold`. Returns (gold index, prediction index, overlap)."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        g_start, g_end = g[0][0], g[-1][1]
        best, best_j = 0.0, -1
        for pj, p in enumerate(predicted):
            if pj in used or p[-1][1] <= g_start or p[0][0] >= g_end:
                continue
            value = overlap(g, p)
            if value > best:
                best, best_j = value, pj
        if best_j >= 0 and best >= threshold:
            used.add(best_j)
            pairs.append((gi, best_j, best))
    return pairs


def speaker_correct(gold: GoldAttribution, mention_start: int, mention_end: int, speaker: str | None) -> bool:
    """The ANCHORS.md rule: the mention span overlaps the gold source; with no mention, every word
    of the gold source appears (case-insensitively) in the predicted speaker."""
    if mention_start is not None and mention_start >= 0 and mention_end > mention_start:
        return any(min(e, mention_end) > max(s, mention_start) for s, e in gold.source)
    if not speaker:
        return False
    have = {w.lower() for w in _WORD.findall(speaker)}
    need = [w.lower() for w in _WORD.findall(gold.source_text)]
    return bool(need) and all(w in have for w in need)


def score_article(
    text: str, gold: list[GoldAttribution], predicted: pd.DataFrame, threshold: float, speech_only: bool,
    joined: bool = False,
) -> Score:
    """Counts for one article: gold (all or speech), every prediction, matches and speakers.

    With `joined`, the predictions are whole attributions (:func:`join_attributions`): the rows
    of one attribution are one prediction with several fragments; otherwise each row is one."""
    subset = [g for g in gold if g.is_speech] if speech_only else list(gold)
    if joined:
        pred_spans, speaker_rows = [], []
        for fragments, row_index in join_attributions(text, predicted):
            pred_spans.append(fragments)
            speaker_rows.append(row_index)
    else:
        pred_spans = [((int(s), int(e)),) for s, e in zip(predicted["quote_start"], predicted["quote_end"])]
        speaker_rows = list(range(len(pred_spans)))
    score = Score(gold=len(subset), predicted=len(pred_spans))
    kinds = [gold_kind(text, g.content) for g in subset]
    for kind in kinds:
        score.gold_by_kind[kind] = score.gold_by_kind.get(kind, 0) + 1
    pairs = match_spans([g.content for g in subset], pred_spans, threshold)
    score.matched = len(pairs)
    for gi, pj, _ in pairs:
        score.matched_by_kind[kinds[gi]] = score.matched_by_kind.get(kinds[gi], 0) + 1
        g = subset[gi]
        if g.source:
            score.speaker_judged += 1
            row = predicted.iloc[speaker_rows[pj]]
            score.speaker_correct += speaker_correct(
                g, int(row["mention_start"]), int(row["mention_end"]), row["speaker"]
            )
    return score


def attribution_groups(predicted: pd.DataFrame) -> list[list[int]]:
    """The row positions of each attribution, in order of their first row.

    With an `attribution` column, the rows that share its value; without it (a system that gives
    only fragments), the ANCHORS.md rule: a row with no cue and no mention joins the row before it
    when both have the same speaker and that row's cue lies between them (`"A," he said. "B."`)."""
    if "attribution" in predicted.columns:
        groups: dict[object, list[int]] = {}
        for position, ident in enumerate(predicted["attribution"]):
            groups.setdefault(ident, []).append(position)
        return list(groups.values())
    result: list[list[int]] = []
    rows = list(predicted[["quote_start", "quote_end", "cue_start", "mention_start", "speaker"]].itertuples(index=False))
    for position, row in enumerate(rows):
        if result and row.cue_start < 0 and row.mention_start < 0:
            prev = rows[position - 1]
            if prev.speaker == row.speaker and prev.quote_end <= prev.cue_start < row.quote_start:
                result[-1].append(position)
                continue
        result.append([position])
    return result


def join_attributions(text: str, predicted: pd.DataFrame) -> list[tuple[Fragments, int]]:
    """(content fragments, the row that speaks for it) per attribution of :func:`attribution_groups`:
    the fragments are the rows' quote spans; the speaking row is the first one with a mention."""
    starts, ends = predicted["quote_start"].tolist(), predicted["quote_end"].tolist()
    mentions = predicted["mention_start"].tolist()
    joined = []
    for group in attribution_groups(predicted):
        fragments = tuple(sorted((int(starts[i]), int(ends[i])) for i in group))
        speaking = next((i for i in group if mentions[i] >= 0), group[0])
        joined.append((fragments, speaking))
    return joined


# --- the command ----------------------------------------------------------------------------


def default_dir() -> Path:
    from_env = os.environ.get("POLNEAR_DIR")
    return Path(from_env) if from_env else paths.PROJECT_ROOT.parent / "shared" / "eval" / "polnear-train"


def select_articles(names: list[str], sample: str, limit: int | None, seed: int = 0) -> list[str]:
    """`all`, or one of two fixed random halves (`dev` for tuning, `check` for overfitting)."""
    names = sorted(names)
    if sample in ("dev", "check"):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        half = len(shuffled) // 2
        names = sorted(shuffled[:half] if sample == "dev" else shuffled[half:])
    return names[:limit] if limit else names


#: The views reported: (view, gold subset). `fragment`: one prediction per row; `attribution`: the
#: rows of one attribution joined (see :func:`join_attributions`).
VIEWS = (("fragment", "speech"), ("attribution", "speech"), ("fragment", "all"))


def evaluate_folder(folder: Path, sample: str = "all", limit: int | None = None) -> tuple[dict, int, float]:
    """Scores {(view, subset, threshold): Score} over a PolNeAR-style folder (see :data:`VIEWS`),
    articles scored and seconds spent in `extract_quotes`."""
    from analysis.extract.quotes import extract_quotes

    files = first_annotator_files(folder)
    names = select_articles([n for n in files if (folder / "text" / f"{n}.txt").exists()], sample, limit)
    totals = {(view, subset, t): Score() for view, subset in VIEWS for t in THRESHOLDS}
    seconds = 0.0
    for name in names:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        gold = parse_ann(files[name].read_text(encoding="utf-8"))
        started = time.perf_counter()
        predicted = extract_quotes(text)
        seconds += time.perf_counter() - started
        for (view, subset, t), total in totals.items():
            total.add(score_article(text, gold, predicted, t, subset == "speech", joined=view == "attribution"))
    return totals, len(names), seconds


def format_scores(totals: dict) -> str:
    rows = []
    for (view, subset, t), s in totals.items():
        rows.append({
            "view": view, "gold": subset, "overlap": t, "n_gold": s.gold, "n_pred": s.predicted,
            "matched": s.matched, "precision": s.precision, "recall": s.recall, "F1": s.f1,
            "speaker_acc": s.speaker_accuracy, "recall_direct": s.recall_of("direct"),
            "recall_indirect": s.recall_of("indirect"), "recall_mixed": s.recall_of("mixed"),
        })
    return pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", type=Path, default=None,
                        help="PolNeAR-style folder (text/, attributions/); default $POLNEAR_DIR or ../shared/eval/polnear-train")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--sample", choices=("all", "dev", "check"), default="all",
                        help="all articles, or one fixed random half (dev: for tuning rules; check: to detect overfitting)")


def run(args: argparse.Namespace) -> int:
    folder = args.dir or default_dir()
    if not (folder / "attributions").is_dir() or not (folder / "text").is_dir():
        print(f"evaluate quotes: no PolNeAR-style folder at {folder} (needs text/ and attributions/)")
        return 2
    totals, n, seconds = evaluate_folder(folder, args.sample, args.limit)
    print(f"Quote attribution on {n} articles of {folder} (sample: {args.sample})")
    print(format_scores(totals))
    print("view fragment: one prediction per row of extract_quotes; attribution: the rows that share an\n"
          "  `attribution` id joined into one prediction of several fragments, as PolNeAR annotates them.")
    print(f"extract_quotes: {n / seconds if seconds else float('inf'):.0f} articles/s ({seconds:.2f} s)")
    return 0


def benchmark(corpus_dir: str | os.PathLike | None = None, repeat: int = 3) -> dict:
    """Articles per second of `extract_quotes` on one core over a corpus (default: wikinews).

    Loads the corpus once, then times `repeat` passes over every article's cleaned text and
    reports the best pass.
    """
    from analysis.load.corpus import load_corpus
    from analysis.extract.quotes import extract_quotes

    folder = Path(corpus_dir) if corpus_dir else paths.PROJECT_ROOT.parent / "shared" / "corpora" / "wikinews"
    texts = list(load_corpus(folder, workers=1).articles["text"])
    best = float("inf")
    n_quotes = 0
    for _ in range(repeat):
        started = time.perf_counter()
        n_quotes = sum(len(extract_quotes(t)) for t in texts)
        best = min(best, time.perf_counter() - started)
    return {"articles": len(texts), "quotes": n_quotes, "seconds": best, "articles_per_second": len(texts) / best}
