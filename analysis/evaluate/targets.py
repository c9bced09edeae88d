"""`python -m analysis evaluate targets FILE.jsonl`: tone toward a person, against NewsMTSC labels.

FILE is in the NewsMTSC format: one JSON object per line with `sentence_normalized` and `targets`,
each target a mention with `from`/`to` character offsets and `polarity` (2 negative, 4 neutral,
6 positive). One prediction per target; the figure is macro-F1 over the three classes. Methods:

* `targets`: :func:`analysis.extract.sentiment.targets.score_targets` (tone toward the mention);
* `news`: the tone of the whole sentence by `score_texts` (names masked), classes at ±0.05;
* `vader`: plain VADER on the whole sentence, classes at ±0.05.

`--sample dev|check` keeps one part of a deterministic 80/20 split by a hash of the sentence
text (:func:`part_of`), so that a sentence never sits in both parts: `tools/train_targets.py`
trains on `dev` only and `check` is the honest held-out figure. The default scores every line.

`--sentences` scores sentence tone instead (the development proxy for human ratings): the distinct
sentences whose targets all carry the same label, rating = label in -1/0/+1, with Pearson r and
weighted F1 (as `evaluate sentiment`) for `news` and `vader`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.evaluate.sentiment import score_predictions, three_class
from analysis.extract.sentiment import score_texts

METHODS = ("targets", "news", "vader")
PARTS = ("all", "dev", "check")
#: One sentence in CHECK_SHARE goes to the `check` part.
CHECK_SHARE = 5
POLARITY = {2.0: -1, 4.0: 0, 6.0: 1}


def part_of(sentence: str) -> str:
    """`check` for one sentence in five (by the MD5 of its text), else `dev`."""
    digest = hashlib.md5(sentence.encode("utf-8")).hexdigest()
    return "check" if int(digest[:8], 16) % CHECK_SHARE == 0 else "dev"


def read_targets(path: str | Path, part: str = "all") -> pd.DataFrame:
    """One row per target of a NewsMTSC file: `sentence`, `start`, `end`, `mention`, `gold`
    (-1/0/+1) and `part`; only the rows of `part` unless it is `all`. Lines that are not JSON,
    targets without offsets or with another polarity are skipped."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        sentence = record.get("sentence_normalized") if isinstance(record, dict) else None
        if not isinstance(sentence, str):
            continue
        for target in record.get("targets") or []:
            gold = POLARITY.get(target.get("polarity"))
            if gold is None or not isinstance(target.get("from"), int) or not isinstance(target.get("to"), int):
                continue
            rows.append((sentence, target["from"], target["to"], target.get("mention", ""), gold, part_of(sentence)))
    table = pd.DataFrame(rows, columns=["sentence", "start", "end", "mention", "gold", "part"])
    return table if part == "all" else table[table["part"] == part].reset_index(drop=True)


def macro_f1(gold, predicted, labels=(-1, 0, 1)) -> float:
    """The unweighted mean of the per-class F1 over `labels`."""
    gold, predicted = np.asarray(gold), np.asarray(predicted)
    scores = []
    for label in labels:
        tp = int(np.sum((gold == label) & (predicted == label)))
        n_pred, n_gold = int(np.sum(predicted == label)), int(np.sum(gold == label))
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores)) if len(gold) else float("nan")


def predict(table: pd.DataFrame, method: str) -> np.ndarray:
    """-1/0/+1 per target row by `method`."""
    if method == "targets":
        from analysis.extract.sentiment.targets import score_targets

        labels = score_targets(table["sentence"], zip(table["start"], table["end"]))["label"]
        return labels.map({"negative": -1, "neutral": 0, "positive": 1}).to_numpy()
    distinct = table["sentence"].drop_duplicates()
    compound = score_texts(distinct, mask_names=method != "vader")["compound"].to_numpy()
    by_sentence = dict(zip(distinct, compound))
    return three_class(table["sentence"].map(by_sentence).to_numpy(dtype=float))


def agreed_sentences(table: pd.DataFrame) -> pd.DataFrame:
    """The distinct sentences whose target rows all carry one label: `sentence`, `rating` (-1/0/+1)."""
    labels = table.groupby("sentence", sort=False)["gold"].agg(["min", "max"])
    agreed = labels[labels["min"] == labels["max"]]
    return pd.DataFrame({"sentence": agreed.index, "rating": agreed["min"].to_numpy(dtype=float)})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="NewsMTSC JSON lines (sentence_normalized, targets)")
    parser.add_argument("--sample", choices=PARTS, default="all",
                        help="score only the dev or the check part of the 80/20 sentence split (default: all)")
    parser.add_argument("--method", choices=[*METHODS, "all"], default="all")
    parser.add_argument("--sentences", action="store_true",
                        help="sentence tone on the sentences whose targets agree (Pearson r, weighted F1)")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    table = read_targets(args.file, args.sample)
    if not len(table):
        print(f"error: no labelled targets in {args.file} (part {args.sample})", file=sys.stderr)
        return 2
    if args.sentences:
        return _run_sentences(args, table)
    methods = list(METHODS) if args.method == "all" else [args.method]
    print(f"{args.file} (part {args.sample}): {len(table):,} targets in {table['sentence'].nunique():,} sentences")
    print(f"{'method':8} {'macro F1':>9} {'neg F1':>7} {'neu F1':>7} {'pos F1':>7} {'ms/target':>10}")
    for method in methods:
        started = time.perf_counter()
        predicted = predict(table, method)
        elapsed = time.perf_counter() - started
        per_class = [macro_f1(table["gold"], predicted, labels=(label,)) for label in (-1, 0, 1)]
        print(f"{method:8} {macro_f1(table['gold'], predicted):9.3f} "
              + " ".join(f"{f:7.3f}" for f in per_class) + f" {1000 * elapsed / len(table):10.3f}")
    return 0


def _run_sentences(args: argparse.Namespace, table: pd.DataFrame) -> int:
    sentences = agreed_sentences(table)
    print(f"{args.file} (part {args.sample}): {len(sentences):,} distinct sentences whose targets agree")
    print(f"{'method':8} {'pearson r':>10} {'weighted F1':>12}")
    for method in ("news", "vader"):
        compound = score_texts(sentences["sentence"], mask_names=method != "vader")["compound"]
        scores = score_predictions(sentences["rating"] * 4.0, compound)
        print(f"{method:8} {scores['pearson_r']:10.3f} {scores['weighted_f1']:12.3f}")
    return 0
