"""Check that the analysis stages give exactly the tables a reference checkout gives.

    python tools/check_stage_outputs.py --reference ../wt-ref [--reuters 3000]

Used when changing how a stage computes its tables (speed-ups, batch functions) rather than what
it computes. One set of inputs is made once: every article of the corpus folders under
``../shared/corpora`` (Reuters: a random sample of `--reuters`), ``seeds/``, the test mini corpus,
adversarial strings (empty, only quote marks, unbalanced quotes, a 50,000-character
paragraph, ...) and 1,500 seeded random strings of the words, marks and numbers the extractors
key on. Then each checkout, imported in its own process (``PYTHONPATH``), runs on them:

* every stage's per-article function (`Stage.run`), article by article;
* the pipeline's chunk runner (`_run_stage`, which uses a stage's batch function when the
  module has one) on chunks of 200 articles, with the Parquet bytes it stores;
* the chunk function `analyse_chunk` on the corpus files (load stage, every stage and storing),
  whose Parquet shards are compared byte for byte (where the bytes differ, the tables read back
  must be equal, schema and metadata included: that is reported as a note, not a difference).

The results are pickled to ``--work`` (the reference's are reused while the inputs and the
reference's commit are unchanged) and compared: per-article tables and chunk tables of the
reference against this checkout, and this checkout's chunk tables against its own per-article
tables concatenated, as the pipeline concatenates them. The pipeline's parts are imported from
the package layout (`analysis.pipeline.chunks`, ...) or, in an older checkout, from the single
module `analysis.pipeline` (:func:`pipeline_parts`). Tables are compared with
`pandas.testing.assert_frame_equal` (exact values, dtypes) and, in object columns, value by value
so that None and NaN are told apart. Prints every difference and exits with status 1 if any.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CHUNK = 200
RANDOM_STATE = 0


def _adversarial_texts() -> list[str]:
    """Texts meant to hit edge cases of the extractors and of table building."""
    long_paragraph = " ".join(f"The minister said “it is {i} times better” on Monday, March {i % 28 + 1}."
                              for i in range(700))
    return [
        "", " ", "\n\n\n", "“", "”", "\"", "''", "“”", "\"\"\"\"", "“" * 500, "”“" * 300,
        "“He said it would never happen", "It would never happen,” he said.",
        "“Yes.” “No.” “Maybe,” she said. “", "\"Unbalanced \"quotes\" everywhere,\" said Mr. Smith \"",
        "Mr. Smith said: ", "Clinton: ", "A:\n\nB:", ":", "said said said", "He said.",
        long_paragraph[:50_000], "word " * 10_000, "The Army said. " * 3000,
        "On Monday, Tuesday and next Friday; in 2019, the 1990s, ’70s, last spring, 3:15 p.m., "
        "two weeks ago, the past three years, Q3 2020, Christmas 2021, 5/6/2020.",
        "2019 2020 2021 1100 2099 0 00 12:00 a.m. p.m. 31/12 99%",
        "Nicolás Maduro and Maduro’s U.S. allies; Maduro said “no”. The State Department said so.",
        "ΟΔΟΣ ΣΟΦΙΑΣ. Οδυσσέας said “hello”. İstanbul İSTANBUL straße STRASSE ǅemal",
        "हम नहीं। Nicola\u0301s said “नहीं”.", "\u00a0\u2009“quoted”\u2009\u00a0said he.",
        "F-16 F-16 f-16 the U.S. u.s. U.S.-led 50,000 3.5% 16-year-old ’70s '70s",
        "NEW YORK (Reuters) - SHARES ROSE 5 PCT, TRADERS SAID. \"WE ARE HAPPY,\" SAID ONE.",
    ]


#: Pieces that random texts are made of: the words, marks and numbers the extractors key on.
_PIECES = (
    "said", "says", "told", "according to", "he", "she", "they", "Mr.", "Dr.", "President", "Nicolás",
    "Maduro", "Maduro’s", "the", "The", "of", "a", "State", "Department", "U.S.", "officials", "spokeswoman",
    "“", "”", "\"", "'", "’", ",", ".", ":", ";", "-", "—", "(", ")", " ", "  ", "\n", "\n\n",
    "Monday", "May", "March 3", "Jan.", "1990", "2019", "’70s", "1960s", "last", "next", "this", "week",
    "year", "years", "ago", "earlier", "later", "two", "nearly", "quarter", "third-quarter", "fiscal",
    "3", "12", "7:30", "3.5", "p.m.", "a.m.", "pm", "noon", "midnight", "o’clock", "today", "tomorrow",
    "1/25/19", "2019-01-25", "spring", "every", "daily", "Christmas", "that day", "50,000", "F-16", "$",
    "%", "pct", "mln", "dlrs", "İstanbul", "ΟΔΟΣ", "नहीं",
)


def _random_texts(n: int) -> list[str]:
    """`n` seeded random texts of the pieces above, spaced and unspaced."""
    rng = random.Random(RANDOM_STATE)
    texts = []
    for i in range(n):
        pieces = rng.choices(_PIECES, k=rng.randint(1, 60))
        texts.append((" " if i % 3 else "").join(pieces))
    return texts


def pipeline_parts():
    """What this tool uses of the imported checkout's pipeline, wherever that checkout keeps it:
    the pipeline package's modules (`analysis.pipeline.stages`, `.chunks`, `.store`), else the
    one-module pipeline of older checkouts (`analysis.pipeline`)."""
    from types import SimpleNamespace

    try:
        from analysis.pipeline.chunks import Job, _read, _run_stage, analyse_chunk
        from analysis.pipeline.stages import STAGES
        from analysis.pipeline.store import KEY, _parquet_bytes
    except ImportError:
        from analysis.pipeline import KEY, STAGES, Job, _parquet_bytes, _read, _run_stage, analyse_chunk
    return SimpleNamespace(Job=Job, _read=_read, _run_stage=_run_stage, analyse_chunk=analyse_chunk,
                           STAGES=STAGES, KEY=KEY, _parquet_bytes=_parquet_bytes)


def make_inputs(reuters: int) -> dict:
    """The articles every checkout analyses: `articles` (the dicts the pipeline's stages get) and
    `files` (paths for `analyse_chunk`)."""
    from analysis.load.corpus import analyse_text, find_files

    P = pipeline_parts()

    corpora = PROJECT.parent / "shared" / "corpora"
    files: list[Path] = []
    for folder in sorted(p for p in corpora.iterdir() if p.is_dir()):
        found = [f for f, _ in find_files(folder / "articles" if (folder / "articles").is_dir() else folder)]
        if folder.name.startswith("reuters") and len(found) > reuters:
            found = random.Random(RANDOM_STATE).sample(found, reuters)
        files += found
    for folder in (PROJECT / "seeds", PROJECT / "tests" / "fixtures" / "mini-corpus"):
        files += [f for f, _ in find_files(folder)]
    articles = []
    for i, file in enumerate(files):
        record = P._read(P.Job(i, str(file), f"f{i}", str(i), True, ()))
        if record.article is not None:
            article = record.article
            articles.append({"doc_id": f"f{i}", "path": str(file), "text": article["text"],
                             "date": article["date"], "title": article["title"],
                             "sentences": [s[1:] for s in record.sentences]})
    dates = [None, articles[0]["date"]]
    for i, text in enumerate(_adversarial_texts() + _random_texts(1500)):
        # as given (the stages must cope with any string) and as the loader would clean it
        articles.append({"doc_id": f"a{i}", "path": "", "text": text, "date": dates[i % 2], "title": "",
                         "sentences": []})
        article, _, sentences, _ = analyse_text(f"c{i}", text)
        if article["text"]:
            articles.append({"doc_id": f"c{i}", "path": "", "text": article["text"], "date": article["date"],
                             "title": article["title"], "sentences": [s[1:] for s in sentences]})
    return {"articles": articles, "files": [str(f) for f in files]}


def run_checkout(inputs: dict) -> dict:
    """Every stage of the imported `analysis` on `inputs`: per-article tables (or the error),
    chunk results of `_run_stage` with their Parquet bytes, and `analyse_chunk`'s shards."""
    P = pipeline_parts()
    articles = inputs["articles"]
    out: dict = {"per_article": {}, "chunks": {}, "shards": []}
    for stage in P.STAGES:
        tables = []
        for article in articles:
            try:
                tables.append(stage.run(article))
            except Exception as exc:  # noqa: BLE001 - an error is an output to compare too
                tables.append(f"{type(exc).__name__}: {exc}")
        out["per_article"][stage.name] = tables
        chunks = []
        for k in range(0, len(articles), CHUNK):
            todo = [(a["doc_id"], a) for a in articles[k:k + CHUNK]]
            frame, row_keys, errors = P._run_stage(stage, todo)
            stored = frame.copy()
            stored.insert(0, P.KEY, [key for key, n in row_keys for _ in range(n)])
            chunks.append((frame, row_keys, errors, P._parquet_bytes(stored, {"errors": errors}),
                           _batch_status(stage, [article for _, article in todo])))
        out["chunks"][stage.name] = chunks
    jobs = [P.Job(i, path, f"f{i}", str(i), True, tuple(s.name for s in P.STAGES))
            for i, path in enumerate(inputs["files"])]
    for k in range(0, len(jobs), CHUNK):
        out["shards"].append(P.analyse_chunk(jobs[k:k + CHUNK], P.STAGES)["shards"])
    return out


def _batch_status(stage, articles: list[dict]) -> str:
    """Whether the stage's batch function ran on the chunk: `_run_stage` silently runs the
    articles one by one when it raises, which would hide a broken batch function."""
    if stage.batch is None:
        return "none"
    try:
        stage.batch(articles)
    except NotImplementedError:
        return "none"
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}: {exc}"
    return "ok"


# --- comparing ------------------------------------------------------------------------------


def _same_value(a, b) -> bool:
    if a is b:
        return True
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def assert_same_table(left, right, what: str) -> None:
    """Raise AssertionError (naming `what`) unless two tables (or two error messages) are identical."""
    import pandas as pd

    if isinstance(left, str) or isinstance(right, str):
        assert left == right, f"{what}: {left!r} != {right!r}"
        return
    pd.testing.assert_frame_equal(left, right, check_dtype=True, check_exact=True, obj=what)
    for column in left.columns:
        if left[column].dtype == object:
            pairs = zip(left[column].tolist(), right[column].tolist())
            bad = next((i for i, (a, b) in enumerate(pairs) if not _same_value(a, b)), None)
            assert bad is None, f"{what}, column {column}, row {bad}: {left[column].iloc[bad]!r} != {right[column].iloc[bad]!r}"


def concatenated(tables: list) -> "pd.DataFrame":
    """Per-article tables joined as the pipeline's `_run_stage` joins them (without its batch)."""
    import pandas as pd

    frames = [t for t in tables if not isinstance(t, str) and len(t)]
    if frames:
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    empty = next((t for t in tables if not isinstance(t, str)), pd.DataFrame())
    return empty.iloc[:0].reset_index(drop=True)


def compare(reference: dict, current: dict, articles: list[dict]) -> tuple[list[str], list[str]]:
    """(every difference found, notes on stored bytes that differ only in their encoding), one
    line each; no differences means identical tables."""
    problems, notes = [], []
    for stage, ref_tables in reference["per_article"].items():
        tables = current["per_article"][stage]
        for article, ref, new in zip(articles, ref_tables, tables, strict=True):
            try:
                assert_same_table(ref, new, f"{stage} per article, {article['doc_id']}")
            except AssertionError as exc:
                problems.append(str(exc).splitlines()[0] + f" [{article['path'] or article['text'][:60]!r}]")
        for c, (ref_chunk, new_chunk) in enumerate(zip(reference["chunks"][stage], current["chunks"][stage], strict=True)):
            what = f"{stage} chunk {c}"
            try:
                assert_same_table(ref_chunk[0], new_chunk[0], what)
                assert ref_chunk[1:3] == new_chunk[1:3], f"{what}: row counts or errors differ"
                notes += _compare_parquet(ref_chunk[3], new_chunk[3], what)
                assert not new_chunk[4].startswith("error"), f"{what}: the batch function failed ({new_chunk[4]})"
                own = concatenated([t for t in tables[c * CHUNK:(c + 1) * CHUNK]])
                assert_same_table(own, new_chunk[0], f"{what}: batch vs per-article concatenated")
            except AssertionError as exc:
                problems.append(str(exc).splitlines()[0])
    for c, (ref_shards, new_shards) in enumerate(zip(reference["shards"], current["shards"], strict=True)):
        if ref_shards.keys() != new_shards.keys():
            problems.append(f"analyse_chunk {c}: tables {sorted(ref_shards)} != {sorted(new_shards)}")
        for key in ref_shards.keys() & new_shards.keys():
            try:
                notes += _compare_parquet(ref_shards[key], new_shards[key], f"analyse_chunk {c} {key}")
            except AssertionError as exc:
                problems.append(str(exc))
    return problems, notes


def _compare_parquet(reference: bytes, current: bytes, what: str) -> list[str]:
    """Nothing when the stored bytes are identical; a note when only the encoding differs (the
    tables read back are equal, schema and metadata included: a dictionary that overflows is
    cut into pages where the Arrow chunks end, and one chunk per chunk of articles ends elsewhere
    than one chunk per article); AssertionError when the stored tables differ."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if reference == current:
        return []
    tables = [pq.read_table(pa.BufferReader(data)) for data in (reference, current)]
    assert tables[0].equals(tables[1], check_metadata=True), f"{what}: the stored tables differ"
    return [f"{what}: same stored table, different Parquet encoding ({len(reference)} vs {len(current)} bytes)"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, required=True, help="checkout to compare against")
    parser.add_argument("--reuters", type=int, default=3000, help="Reuters articles sampled (default 3000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/check_stage_outputs"), help="folder for the pickles")
    parser.add_argument("--run", nargs=2, metavar=("INPUTS", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:  # a child process: analyse the inputs with the `analysis` on PYTHONPATH
        with open(args.run[0], "rb") as file:
            inputs = pickle.load(file)
        partial = Path(args.run[1] + ".partial")
        with open(partial, "wb") as file:
            pickle.dump(run_checkout(inputs), file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(args.run[1])
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    inputs_file = args.work / "inputs.pkl"
    inputs = make_inputs(args.reuters)
    with open(inputs_file, "wb") as file:
        pickle.dump(inputs, file, protocol=pickle.HIGHEST_PROTOCOL)
    reference = args.reference.resolve()
    commit = subprocess.run(["git", "-C", str(reference), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    digest = hashlib.sha1(inputs_file.read_bytes() + commit.encode()).hexdigest()[:12]
    outputs = {"reference": args.work / f"reference-{digest}.pkl", "current": args.work / "current.pkl"}
    children = []  # both checkouts at once, each in its own process
    for name, checkout in (("reference", reference), ("current", PROJECT)):
        if name == "reference" and outputs[name].exists():
            continue
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        children.append(subprocess.Popen([sys.executable, __file__, "--reference", str(checkout), "--run",
                                          str(inputs_file), str(outputs[name])], env=env, cwd=checkout))
    if any(child.wait() for child in children):
        print("a checkout failed to run", file=sys.stderr)
        return 2
    loaded = {}
    for name, file in outputs.items():
        with open(file, "rb") as handle:
            loaded[name] = pickle.load(handle)
    problems, notes = compare(loaded["reference"], loaded["current"], inputs["articles"])
    print("\n".join(notes))
    n_articles, n_files = len(inputs["articles"]), len(inputs["files"])
    if problems:
        print(f"{len(problems)} difference(s) over {n_articles} articles and {n_files} files:")
        print("\n".join(problems[:50]))
        return 1
    batched = sorted({stage for stage, chunks in loaded["current"]["chunks"].items() if chunks[0][4] == "ok"})
    print(f"identical: {len(loaded['current']['per_article'])} stages on {n_articles} articles "
          f"(per article and in chunks of {CHUNK}; batch functions: {', '.join(batched)}), "
          f"analyse_chunk on {n_files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
