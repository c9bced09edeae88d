"""Train the weights of `score_targets` (tone toward a person) on the NewsMTSC training split.

    python tools/train_targets.py [../shared/eval/newsmtsc/train.jsonl] [--write]

The features are those of :mod:`analysis.extract.sentiment.targets`; the model is a multinomial
logistic regression (softmax, L2 penalty) fitted by full-batch gradient descent in numpy. It is
trained on the `dev` part of the file only (80% of the sentences, by a hash of the sentence
text: `analysis.evaluate.targets.part_of`) and the macro-F1 of both parts is printed; the `check`
part is never used for fitting or choosing. `--write` saves the weights to
`analysis/lexicons/target_tone_weights.tsv` (one row per feature: the weights of negative, neutral,
positive), the table `score_targets` reads; nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.evaluate.targets import macro_f1, read_targets  # noqa: E402
from analysis.extract.sentiment.targets import LABELS, feature_matrix, model_inputs, probabilities  # noqa: E402
from analysis.lexicons import LEXICON_DIR  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "eval" / "newsmtsc" / "train.jsonl"
WEIGHTS_FILE = LEXICON_DIR / "target_tone_weights.tsv"
PENALTY = 1e-3  # L2 on the feature weights (not the bias)
STEPS = 3000
LEARNING_RATE = 0.5


def fit(design: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Softmax regression weights, shape (inputs, 3), for a design matrix whose first column is
    the bias (:func:`model_inputs`); gold in -1/0/+1."""
    target = np.zeros((len(gold), 3))
    target[np.arange(len(gold)), gold + 1] = 1.0
    weights = np.zeros((design.shape[1], 3))
    penalty = np.full((design.shape[1], 1), PENALTY)
    penalty[0] = 0.0
    for _ in range(STEPS):
        logits = design @ weights
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        gradient = design.T @ (p - target) / len(gold) + penalty * weights
        weights -= LEARNING_RATE * gradient
    return weights - weights.mean(axis=1, keepdims=True)  # softmax is unchanged; the table reads better


def write_weights(names, weights: np.ndarray, path: Path = WEIGHTS_FILE) -> None:
    lines = [
        "# Weights of score_targets' logistic regression (analysis/extract/sentiment/targets.py).",
        "# feature<TAB>weights of negative neutral positive. Written by tools/train_targets.py --write",
        "# from the dev part of NewsMTSC train.jsonl (Hamborg and Donnay 2021, MIT licence).",
    ]
    for name, row in zip(names, weights):
        lines.append(f"{name}\t" + " ".join(f"{w:.4f}" for w in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--write", action="store_true", help=f"save the weights to {WEIGHTS_FILE.name}")
    args = parser.parse_args(argv)
    table = read_targets(args.file)
    started = time.perf_counter()
    features = feature_matrix(table["sentence"], zip(table["start"], table["end"]))
    print(f"{len(table):,} targets, features in {1000 * (time.perf_counter() - started) / len(table):.2f} ms/target")
    dev = (table["part"] == "dev").to_numpy()
    gold = table["gold"].to_numpy()
    names, design = model_inputs(features)
    weights = fit(design[dev], gold[dev])
    for part, rows in (("dev", dev), ("check", ~dev)):
        predicted = probabilities(features[rows], names, weights).argmax(axis=1) - 1
        print(f"{part:7} {int(rows.sum()):6,} targets  macro-F1 {macro_f1(gold[rows], predicted):.3f}")
    for name, row in zip(names, weights):
        print(f"  {name:16} " + " ".join(f"{label[:3]} {w:+.3f}" for label, w in zip(LABELS, row)))
    if args.write:
        write_weights(names, weights)
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
