"""Train the weights of `score_targets` (tone toward a person) on the NewsMTSC training split.

    python tools/train_targets.py [../shared/eval/newsmtsc/train.jsonl] [--write] [--search]

The inputs are those of :mod:`analysis.extract.sentiment.targets`: the hand-built features
(:func:`model_inputs`) and the learned word inputs (:func:`lexical_features`: the words left and
right of the mention by distance bucket, and the sentence's words, the mention and other names
masked) that occur in at least MIN_COUNT dev targets. The model is a multinomial logistic
regression (softmax) with an L2 penalty, one strength for the hand features and one for the
words, fitted by L-BFGS (scipy, a training-only dependency: the `lexicons` extra).

It is trained on the `dev` part of the file only (80% of the sentences, by a hash of the sentence
text: `analysis.evaluate.targets.part_of`); the `check` part is never used for fitting or
choosing. Within dev, a five-fold cross-validation by sentence gives out-of-fold scores from which
the offsets of the negative and positive classes that maximise macro-F1 are chosen (the neutral
class otherwise takes too many targets) and added to the bias. `--search` prints the cross-
validated macro-F1 of a grid of penalties (how PENALTY_HAND and PENALTY_WORDS were chosen).
The macro-F1 of both parts is printed. `--write` saves the weights to
`analysis/lexicons/target_tone_weights.tsv` (one row per input: the weights of negative, neutral,
positive), the table `score_targets` reads; nothing is fetched at run time. Deterministic: the
same data give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.evaluate.targets import macro_f1, read_targets  # noqa: E402
from analysis.extract.sentiment.targets import FEATURES, model_inputs, target_inputs  # noqa: E402
from analysis.lexicons import LEXICON_DIR  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "eval" / "newsmtsc" / "train.jsonl"
WEIGHTS_FILE = LEXICON_DIR / "target_tone_weights.tsv"
# L2 on the hand features (not the bias); cross-validated in dev, with offsets: 1e-4 0.643, 1e-3 0.644, 1e-2 0.639
PENALTY_HAND = 1e-3
# L2 on the word inputs; --search, without offsets: 1e-3 0.633, 3e-3 0.641, 1e-2 0.641, 3e-2 0.632
PENALTY_WORDS = 3e-3
MIN_COUNT = 5         # a word input is kept when it occurs in this many dev targets
FOLDS = 5
MAX_ITERATIONS = 500
OFFSETS = np.round(np.arange(-0.6, 0.61, 0.05), 2)  # the grid of class offsets tried


def fold_of(sentence: str) -> int:
    """A cross-validation fold per sentence, by another part of the hash than `part_of` uses."""
    return int(hashlib.md5(sentence.encode("utf-8")).hexdigest()[8:16], 16) % FOLDS


def vocabulary(lexical: list[list[str]], rows: np.ndarray) -> list[str]:
    """The word inputs that occur in at least MIN_COUNT of the targets `rows`, sorted."""
    counts = Counter(name for row in rows for name in lexical[row])
    return sorted(name for name, n in counts.items() if n >= MIN_COUNT)


def design_matrix(features: np.ndarray, lexical: list[list[str]], vocab: list[str]):
    """The sparse design: the hand inputs (:func:`model_inputs`), then one column per word input."""
    names, hand = model_inputs(features)
    index = {name: k for k, name in enumerate(vocab)}
    rows, cols = [], []
    for row, inputs in enumerate(lexical):
        for name in inputs:
            if name in index:
                rows.append(row)
                cols.append(index[name])
    words = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lexical), len(vocab)))
    return [*names, *vocab], sparse.hstack([sparse.csr_matrix(hand), words]).tocsr(), len(names)


def fit(design, gold: np.ndarray, n_hand: int, penalty_words: float = PENALTY_WORDS) -> np.ndarray:
    """Softmax regression weights, shape (inputs, 3); the first column of `design` is the bias,
    the next `n_hand - 1` the hand features; gold in -1/0/+1."""
    n, d = design.shape
    target = np.zeros((n, 3))
    target[np.arange(n), gold + 1] = 1.0
    penalty = np.full((d, 1), penalty_words)
    penalty[:n_hand] = PENALTY_HAND
    penalty[0] = 0.0

    def loss(flat):
        weights = flat.reshape(d, 3)
        logits = design @ weights
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        p = np.exp(logits - log_norm)
        value = -np.sum(target * (logits - log_norm)) / n + 0.5 * np.sum(penalty * weights ** 2)
        return value, np.asarray(design.T @ (p - target) / n + penalty * weights).ravel()

    result = minimize(loss, np.zeros(d * 3), jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITERATIONS})
    weights = result.x.reshape(d, 3)
    return weights - weights.mean(axis=1, keepdims=True)  # softmax is unchanged; the table reads better


def out_of_fold(features, lexical, gold, dev_rows, folds, penalty_words=PENALTY_WORDS) -> np.ndarray:
    """Logits of each dev row from a model fitted on the other folds (vocabulary included)."""
    logits = np.zeros((len(gold), 3))
    for k in range(FOLDS):
        train, test = dev_rows[folds[dev_rows] != k], dev_rows[folds[dev_rows] == k]
        _, design, n_hand = design_matrix(features, lexical, vocabulary(lexical, train))
        weights = fit(design[train], gold[train], n_hand, penalty_words)
        logits[test] = design[test] @ weights
    return logits


def best_offsets(logits: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """The (negative, 0, positive) logit offsets on the OFFSETS grid with the highest macro-F1
    (the first in grid order on a tie)."""
    best, chosen = -1.0, np.zeros(3)
    for negative in OFFSETS:
        for positive in OFFSETS:
            offsets = np.array([negative, 0.0, positive])
            score = macro_f1(gold, (logits + offsets).argmax(axis=1) - 1)
            if score > best + 1e-12:
                best, chosen = score, offsets
    return chosen


def write_weights(names, weights: np.ndarray, path: Path = WEIGHTS_FILE) -> None:
    lines = [
        "# Weights of score_targets' logistic regression (analysis/extract/sentiment/targets.py).",
        "# input<TAB>weights of negative neutral positive. Written by tools/train_targets.py --write",
        "# from the dev part of NewsMTSC train.jsonl (Hamborg and Donnay 2021, MIT licence).",
        "# First the hand-built inputs (bias and features), then the word inputs (`L1:word`: a word",
        "# 1-3 tokens left of the mention, L2 4-10, L3 further, R the same to the right, S anywhere).",
    ]
    for name, row in zip(names, weights):
        lines.append(f"{name}\t" + " ".join(f"{w:.4f}" for w in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def search(features, lexical, gold, dev_rows, folds) -> None:
    for penalty in (1e-3, 3e-3, 1e-2, 3e-2):
        logits = out_of_fold(features, lexical, gold, dev_rows, folds, penalty)
        score = macro_f1(gold[dev_rows], logits[dev_rows].argmax(axis=1) - 1)
        print(f"  words penalty {penalty:g}: cross-validated macro-F1 {score:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--write", action="store_true", help=f"save the weights to {WEIGHTS_FILE.name}")
    parser.add_argument("--search", action="store_true", help="cross-validate a grid of word penalties first")
    args = parser.parse_args(argv)
    table = read_targets(args.file)
    started = time.perf_counter()
    features, lexical = target_inputs(table["sentence"], zip(table["start"], table["end"]))
    print(f"{len(table):,} targets, inputs in {1000 * (time.perf_counter() - started) / len(table):.2f} ms/target")
    dev = (table["part"] == "dev").to_numpy()
    dev_rows, gold = np.flatnonzero(dev), table["gold"].to_numpy()
    folds = np.array([fold_of(s) for s in table["sentence"]])
    if args.search:
        search(features, lexical, gold, dev_rows, folds)
    logits = out_of_fold(features, lexical, gold, dev_rows, folds)
    offsets = best_offsets(logits[dev_rows], gold[dev_rows])
    plain = macro_f1(gold[dev_rows], logits[dev_rows].argmax(axis=1) - 1)
    shifted = macro_f1(gold[dev_rows], (logits[dev_rows] + offsets).argmax(axis=1) - 1)
    print(f"dev cross-validated macro-F1 {plain:.3f}, {shifted:.3f} with class offsets {offsets.tolist()}")
    names, design, n_hand = design_matrix(features, lexical, vocabulary(lexical, dev_rows))
    weights = fit(design[dev_rows], gold[dev_rows], n_hand)
    weights[0] += offsets - offsets.mean()
    for part, rows in (("dev", dev), ("check", ~dev)):
        predicted = np.asarray(design[rows] @ weights).argmax(axis=1) - 1
        print(f"{part:7} {int(rows.sum()):6,} targets  macro-F1 {macro_f1(gold[rows], predicted):.3f}")
    print(f"{len(names):,} inputs: {n_hand} hand-built ({len(FEATURES)} features), {len(names) - n_hand:,} words")
    if args.write:
        write_weights(names, weights)
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
