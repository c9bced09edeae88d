"""How many named sources get a gender, and from what evidence, over a folder of articles (no gold
needed): the share of named-speaker quotes with a gender per article and after the corpus
identity step, the share of distinct named people, and the mix of kinds and role classes.

    python tools/speaker_coverage.py /work/shared/eval/polnear-train

Coverage is not accuracy: only a gold file of sources annotated by reading the articles measures that.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.summarise.quotes import corpus_quotes
from analysis.summarise.speakers import identify_speakers, speaker_table


def main(folder: str) -> None:
    files = sorted(Path(folder).rglob("*.txt"))
    articles = pd.DataFrame({"doc_id": [str(f) for f in files],
                             "text": [f.read_text(encoding="utf-8", errors="replace") for f in files]})
    quotes = corpus_quotes(articles)
    named = quotes[quotes["speaker_kind"] == "named"]
    identified = identify_speakers(quotes)
    people = speaker_table(identified)
    people = people[people["speaker_kind"] == "named"]
    print(f"{len(articles)} articles, {len(quotes)} quotes, {len(named)} by named speakers")
    print(f"gender coverage, named quotes, per article: {(named['speaker_gender'] != 'unknown').mean():.3f}")
    named_after = identified[identified["speaker_kind"] == "named"]
    print(f"gender coverage, named quotes, corpus identities: {(named_after['speaker_gender'] != 'unknown').mean():.3f}")
    print(f"gender coverage, {len(people)} distinct named people: {(people['speaker_gender'] != 'unknown').mean():.3f}")
    print("evidence (named quotes, per article):", named["gender_evidence"].replace("", "none").value_counts().to_dict())
    print("people by gender:", people["speaker_gender"].value_counts().to_dict())
    print("quotes by kind:", quotes["speaker_kind"].value_counts().to_dict())
    print("quotes by role:", identified["source_role"].value_counts().to_dict())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "seeds")
