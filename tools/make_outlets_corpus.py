"""Write one JSONL corpus of several outlets from the shared corpora, for demos of group-by.

    python tools/make_outlets_corpus.py --per-outlet 150 --out /tmp/outlets.jsonl

Each line is one article: id, outlet (BBC, Reuters or Wikinews), section (the BBC topic; Reuters'
first topic code; empty for Wikinews), date (from the corpus's `metadata.csv` or the article's
date line; BBC articles have none), title, url (Wikinews only) and text (the article body as the
loader cleans it). Articles are drawn with a fixed seed from each corpus's `metadata.csv`, so the
same command writes the same file. Articles the loader cannot use (no body) are passed over.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.load.corpus import read_article  # noqa: E402
from analysis.paths import PROJECT_ROOT  # noqa: E402

DEFAULT_CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
#: outlet -> (corpus folder, the metadata column naming its section or None)
OUTLETS = {"BBC": ("bbc-news", "topic"), "Reuters": ("reuters21578", "topics"), "Wikinews": ("wikinews", None)}


def _article_file(folder: Path, name: str) -> Path:
    path = folder / name
    return path if path.exists() else folder / "articles" / Path(name).name


def _article_id(outlet: str, stem: str) -> str:
    """`bbc-business-016` stays; `reut-00001` becomes `reuters-reut-00001`."""
    return stem if stem.lower().startswith(outlet.lower()) else f"{outlet.lower()}-{stem}"


def outlet_rows(corpora: Path, outlet: str, n: int, seed: int) -> list[dict]:
    """`n` articles of one outlet, drawn with `seed`, in the order of their `metadata.csv`."""
    folder_name, section_column = OUTLETS[outlet]
    folder = corpora / folder_name
    with open(folder / "metadata.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    order = list(range(len(rows)))
    random.Random(f"{seed}-{outlet}").shuffle(order)
    chosen = []
    for index in order:
        if len(chosen) == n:
            break
        row = rows[index]
        record = read_article(_article_file(folder, row["file"]), "x")
        if record.article is None:
            continue
        article = record.article
        section = (row.get(section_column) or "").split("|")[0] if section_column else ""
        date = row.get("date") or (article["date_text"] or "")
        chosen.append((index, {
            "id": _article_id(outlet, Path(row["file"]).stem), "outlet": outlet, "section": section,
            "date": date, "title": article["title"] or row.get("title") or "", "url": row.get("url") or "",
            "text": article["text"],
        }))
    return [article for _, article in sorted(chosen, key=lambda pair: pair[0])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-outlet", type=int, default=150, help="articles per outlet (default 150)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/outlets.jsonl"), help="the JSONL file to write")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder of the shared corpora")
    parser.add_argument("--seed", type=int, default=14, help="the sampling seed (default 14)")
    args = parser.parse_args(argv)
    missing = [name for name, (folder, _) in OUTLETS.items() if not (args.corpora / folder / "metadata.csv").exists()]
    if missing:
        print(f"error: no corpus for {', '.join(missing)} under {args.corpora}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    counts = {}
    with open(args.out, "w", encoding="utf-8") as handle:
        for outlet in OUTLETS:
            rows = outlet_rows(args.corpora, outlet, args.per_outlet, args.seed)
            counts[outlet] = len(rows)
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {sum(counts.values()):,} articles to {args.out}: "
          + ", ".join(f"{outlet} {n:,}" for outlet, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
