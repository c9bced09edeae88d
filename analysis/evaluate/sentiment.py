"""`python -m analysis evaluate sentiment FILE`: tone against human ratings.

FILE is tab-separated, one text per line: `id <TAB> mean human rating <TAB> text`, the format of
the ground-truth files published with VADER (ratings from -4 to +4). Two figures are reported:

* Pearson's r between the predicted tone and the mean rating;
* three-class weighted F1: negative / neutral / positive, predicted at ±0.05 on the tone and
  gold at ±0.05 on the rating divided by 4, F1 per class weighted by the class's gold count.

Two methods are compared: `vader`, plain VADER on the whole text (`vaderSentiment`'s
`polarity_scores(text)["compound"]`), and `news`, this project's method
(`analysis.extract.sentiment.score_texts`): the same rules on the text prepared for news (typography
normalised, proper-noun phrases masked, words in a non-evaluative news sense such as `party`,
`security` or `like` as a preposition set aside), with negation reaching to the end of its
clause, concessive clauses weighed half, inflected forms (`deaths`) scored like their base and
every word's valence the mean of VADER's and AFINN's ratings (`tone_lexicon`). A snippet is scored whole, as VADER does: on short texts of
two or three sentences the summed valence tracked human ratings better than a mean over
sentences (which `analysis.summarise.sentiment` uses for paragraphs and articles, where a sum saturates).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.extract.sentiment import NEUTRAL_BAND, score_texts

METHODS = ("news", "vader")
LABELS = (-1, 0, 1)
LABEL_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}


def read_ratings(path: str | Path) -> pd.DataFrame:
    """The rated texts of a TSV file: columns `id` (str), `rating` (float), `text` (str).

    Lines that are blank, have fewer than three fields or a rating that is not a number are
    skipped; a text that contains tabs keeps them. The file is read as UTF-8, else cp1252.
    """
    raw = Path(path).read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="replace")
    rows = []
    for line in content.splitlines():
        fields = line.split("\t", 2)
        if len(fields) < 3 or not fields[2].strip():
            continue
        try:
            rating = float(fields[1])
        except ValueError:
            continue
        if not np.isfinite(rating):
            continue
        rows.append((fields[0].strip(), rating, fields[2]))
    return pd.DataFrame(rows, columns=["id", "rating", "text"]).astype({"rating": float})


def three_class(values, band: float = NEUTRAL_BAND) -> np.ndarray:
    """-1, 0 or +1 per value: negative below -band, positive above +band, else neutral."""
    values = np.asarray(values, dtype=float)
    return np.where(values >= band, 1, np.where(values <= -band, -1, 0))


def pearson_r(x, y) -> float:
    """Pearson's correlation of two equal-length sequences (NaN when either is constant)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) != len(y):
        raise ValueError("pearson_r: sequences of different lengths")
    if len(x) < 2:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    denominator = np.sqrt((dx * dx).sum() * (dy * dy).sum())
    return float((dx * dy).sum() / denominator) if denominator > 0 else float("nan")


def weighted_f1(gold, predicted, labels=LABELS) -> float:
    """F1 of each class, averaged with the class's share of `gold` as weight (scikit-learn's
    `average="weighted"`). A class with no predictions and no gold adds nothing."""
    gold = np.asarray(gold)
    predicted = np.asarray(predicted)
    if len(gold) != len(predicted):
        raise ValueError("weighted_f1: sequences of different lengths")
    if not len(gold):
        return float("nan")
    total = 0.0
    for label in labels:
        tp = int(np.sum((gold == label) & (predicted == label)))
        n_pred = int(np.sum(predicted == label))
        n_gold = int(np.sum(gold == label))
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total += f1 * n_gold
    return total / len(gold)


def score_predictions(ratings, predicted) -> dict[str, float]:
    """`n`, `pearson_r` and `weighted_f1` of predicted tones (-1..+1) against mean ratings (-4..+4)."""
    ratings = np.asarray(ratings, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    return {
        "n": int(len(ratings)),
        "pearson_r": pearson_r(predicted, ratings),
        "weighted_f1": weighted_f1(three_class(ratings / 4.0), three_class(predicted)),
    }


def predict(texts, method: str = "news") -> np.ndarray:
    """Predicted tone (-1..+1) per text by `method` (`news` or `vader`, see the module docstring)."""
    texts = list(texts)
    if method == "vader":
        return score_texts(texts, mask_names=False)["compound"].to_numpy(dtype=float)
    if method == "news":
        return score_texts(texts)["compound"].to_numpy(dtype=float)
    raise ValueError(f"unknown method {method!r}; choose from {METHODS}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="TSV of id, mean rating (-4..+4), text")
    parser.add_argument("--method", choices=[*METHODS, "both"], default="both",
                        help="news (this project's), vader (plain VADER) or both (default)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also list the N texts the news method gets most wrong")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    table = read_ratings(args.file)
    if not len(table):
        print(f"error: no rated texts in {args.file} (expected: id<TAB>rating<TAB>text)", file=sys.stderr)
        return 2
    methods = list(METHODS) if args.method == "both" else [args.method]
    print(f"{args.file}: {len(table):,} rated texts")
    print(f"{'method':8} {'pearson r':>10} {'weighted F1':>12} {'texts/s':>10}")
    predictions = {}
    for method in methods:
        started = time.perf_counter()
        predictions[method] = predict(table["text"], method)
        elapsed = max(time.perf_counter() - started, 1e-9)
        scores = score_predictions(table["rating"], predictions[method])
        print(f"{method:8} {scores['pearson_r']:10.3f} {scores['weighted_f1']:12.3f} {len(table) / elapsed:10,.0f}")
    if args.errors and "news" in predictions:
        table = table.assign(predicted=predictions["news"], gold=table["rating"] / 4.0)
        table["error"] = (table["predicted"] - table["gold"]).abs()
        worst = table.sort_values("error", ascending=False, kind="stable").head(args.errors)
        writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "gold/4", "news", "text"])
        for row in worst.itertuples(index=False):
            writer.writerow([row.id, f"{row.gold:+.2f}", f"{row.predicted:+.2f}", row.text[:200]])
    return 0
