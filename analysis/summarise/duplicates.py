"""Near-duplicate articles: wire copies, updated versions and near-identical texts.

Each text becomes the set of its word shingles (every run of `SHINGLE_WORDS` consecutive words,
lowercased, punctuation dropped); two texts are near-duplicates when the Jaccard similarity of
those sets (shared shingles over all shingles) reaches a threshold. When a fraction f of a text
is rewritten, the similarity is about (1 - f) / (1 + f): at the default 0.8 a copy may differ in
about a tenth of its words, the closing paragraph of a dozen, or a headline (which is not part
of the text at all). The similarity is estimated
with MinHash signatures and candidate pairs are found with locality-sensitive hashing
(`datasketch`), so the work grows with the number of articles, not with the number of pairs.

Exact copies (the same cleaned text) are already marked by the loader (`duplicate_of` in the
articles table) and stay handled as they are: they are left out here.

The corpus-level table is cached under ``<cache>/derived/`` with a signature of the articles
(doc id, content hash and date of each) and the settings, so a notebook re-opens it instantly:
:func:`corpus_near_duplicates`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.pipeline.manifest import manifest_path
from analysis.settings import RANDOM_STATE

__all__ = ["COLUMNS", "near_duplicates", "corpus_near_duplicates", "shingles"]

#: The columns of a near-duplicates table.
COLUMNS = ["doc_id", "duplicate_of", "similarity"]
#: Words per shingle: five keeps shared stock phrases ("said in a statement on") from making
#: different stories look alike, while a changed headline or closing paragraph leaves most of a
#: wire story's shingles intact.
SHINGLE_WORDS = 5
#: MinHash permutations: at a similarity J the estimate's standard error is sqrt(J(1 - J) / 128),
#: 0.035 at J = 0.8.
NUM_PERM = 128
DEFAULT_THRESHOLD = 0.8
#: How far below the threshold LSH looks for candidate pairs.
CANDIDATE_MARGIN = 0.1
#: Texts read at a time when the corpus's table is computed.
TEXT_BATCH = 5_000
#: Bumped when the method changes, so cached tables are recomputed.
_FORMAT = 1

_WORD = re.compile(r"[^\W_]+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of `size`-word shingles of `text` (lowercased words, punctuation dropped); a text
    shorter than `size` words is one shingle of all its words, and an empty text has none."""
    words = _WORD.findall(str(text or "").lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def _signatures(texts: pd.Series):
    from datasketch import MinHash

    template = MinHash(num_perm=NUM_PERM, seed=RANDOM_STATE)
    signatures = []
    for text in texts:
        found = shingles(text)
        if not found:
            signatures.append(None)
            continue
        signature = template.copy()
        signature.update_batch([s.encode("utf-8") for s in found])
        signatures.append(signature)
    return signatures


def _first_copy_order(texts: pd.Series, dates: pd.Series | None) -> np.ndarray:
    """Positions of `texts` from the earliest-dated (undated last), ties in the order given."""
    if dates is None:
        return np.arange(len(texts))
    stamps = pd.to_datetime(pd.Series(dates).reindex(texts.index), errors="coerce")
    key = stamps.to_numpy(dtype="datetime64[ns]").astype("int64")
    key = np.where(stamps.isna().to_numpy(), np.iinfo("int64").max, key)
    return np.argsort(key, kind="stable")


def near_duplicates(texts: pd.Series, threshold: float = DEFAULT_THRESHOLD, dates: pd.Series | None = None) -> pd.DataFrame:
    """The near-duplicates among `texts` (a Series indexed by doc_id): one row per article that
    copies an earlier one, with `doc_id`, `duplicate_of` (the first copy of the story: the
    earliest by `dates` when given, undated ones last, else the first in order) and `similarity`
    (estimated Jaccard similarity of their shingles, rounded to two places). The first copy of
    each story has no row. Deterministic: the MinHash seed is the project's one seed."""
    texts = pd.Series(texts)
    if not texts.index.is_unique:
        raise ValueError("texts must be indexed by unique doc ids")
    return _match_copies([str(i) for i in texts.index], _signatures(texts), _first_copy_order(texts, dates), threshold)


def _match_copies(ids: list[str], signatures: list, order: np.ndarray, threshold: float) -> pd.DataFrame:
    """Go through the articles in `order`; each either copies a first copy already seen (a row)
    or becomes the first copy of a new story."""
    from datasketch import MinHashLSH

    if not 0 < threshold <= 1:
        raise ValueError(f"threshold is a Jaccard similarity in (0, 1], not {threshold}")
    # The bands are tuned below the threshold, so that a pair just above it is rarely missed; each
    # candidate is then held to the threshold by its estimated similarity.
    lsh = MinHashLSH(threshold=max(threshold - CANDIDATE_MARGIN, 0.05), num_perm=NUM_PERM)
    rows = []
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    for position in order:
        signature, doc_id = signatures[position], ids[position]
        if signature is None:
            continue
        best, best_similarity = None, -1.0
        # The most similar earlier first copy; between equals, the one that came first.
        for candidate in sorted(lsh.query(signature), key=lambda c: rank[c]):
            similarity = signature.jaccard(signatures[candidate])
            if similarity >= threshold and similarity > best_similarity:
                best, best_similarity = candidate, similarity
        if best is not None:  # only first copies are indexed: `best` is the story's first copy
            rows.append((doc_id, ids[best], round(float(best_similarity), 2)))
        else:
            lsh.insert(position, signature)
    return pd.DataFrame(rows, columns=COLUMNS).astype({"doc_id": "str", "duplicate_of": "str", "similarity": "float64"})


def _signature(articles: pd.DataFrame, threshold: float) -> str:
    """What a corpus's table depends on: each article's doc id, content hash and date, the
    threshold and the method's settings."""
    digest = hashlib.sha1(f"{_FORMAT}|{SHINGLE_WORDS}|{NUM_PERM}|{RANDOM_STATE}|{threshold}".encode())
    for row in articles[["doc_id", "content_hash", "date", "duplicate_of"]].itertuples(index=False):
        digest.update(("\t".join(map(str, row)) + "\n").encode("utf-8"))
    return digest.hexdigest()[:16]


def _cache_folder(tables) -> Path | None:
    """The cache folder the tables were read from (None for tables built in memory)."""
    cache = getattr(tables, "cache", None)
    return Path(cache) if cache is not None else None


def corpus_near_duplicates(tables, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """:func:`near_duplicates` of a corpus's articles (``load_tables()``), leaving out the exact
    copies the loader marked, read from the cache when the articles and settings are those it was
    computed for; otherwise computed (reading every text once) and stored."""
    articles = tables.article_info
    cache = _cache_folder(tables)
    signature = _signature(articles, threshold)
    name = f"{manifest_path(Path(tables.root), cache or Path()).stem}-near-duplicates"
    file = cache / "derived" / f"{name}-{signature}.parquet" if cache is not None else None
    if file is not None and file.exists():
        try:
            return pd.read_parquet(file).astype({"doc_id": "str", "duplicate_of": "str", "similarity": "float64"})
        except Exception:  # noqa: BLE001 - a damaged file is recomputed
            pass
    firsts = articles[articles["duplicate_of"].isna()]
    ids = firsts["doc_id"].astype(str).tolist()
    # The texts are read a batch at a time: only their signatures (1 KB each) are kept.
    signatures = []
    for start in range(0, len(ids), TEXT_BATCH):
        signatures += _signatures(tables.article_texts(ids[start:start + TEXT_BATCH]))
    order = _first_copy_order(pd.Series(ids, index=ids), firsts.set_index("doc_id")["date"])
    found = _match_copies(ids, signatures, order, threshold)
    if file is not None:
        from analysis.files import write_atomic

        for old in file.parent.glob(f"{name}-*.parquet"):
            old.unlink(missing_ok=True)
        file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(file, found.to_parquet(index=False))
    return found
