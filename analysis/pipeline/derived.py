"""Derived tables: corpus-level results computed once per corpus and code version at the end of a
build and kept under ``<cache>/derived/`` (term and n-gram totals, the tone of each quote, who
the quoted names are).

Each is stored with a signature of what it was computed from (its format, the code versions of
the stages it reads and which articles make up the corpus), and recomputed when that changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.files import write_atomic
from analysis.pipeline.manifest import _column, manifest_path
from analysis.pipeline.stages import STAGE_BY_NAME
from analysis.pipeline.store import _META, KEY, Store, _describe
from analysis.pipeline.versions import stage_version

log = logging.getLogger(__name__)


def _corpus_weights(manifest: pd.DataFrame, load_store: Store) -> dict[str, int]:
    """Analysis key -> how many of the manifest's files are that article (byte-identical files and
    identical texts share one key, but each counts as an article); the values sum to the
    articles loaded."""
    weights: dict[str, int] = {}
    for raw_hash in _column(manifest, "raw_hash"):
        akey = load_store.article_keys.get(raw_hash) if raw_hash is not None else None
        if akey is not None:
            weights[akey] = weights.get(akey, 0) + 1
    return weights


#: Corpus-wide sums of a stage's count table: name -> (stage, the columns that identify a row).
#: One row per distinct combination of those columns, with `count` (occurrences in the corpus)
#: and `n_docs` (articles with such a row; every article has at most one row per term or n-gram,
#: so summing `n_docs` over a term's rows gives the articles that use it). Ranking functions
#: such as `analysis.summarise.terms.top_terms` accept these tables in place of the per-article counts.
TOTALS = {
    "term_totals": ("terms", ("term", "form", "kind", "entity")),
    "ngram_totals": ("ngrams", ("ngram", "form", "n")),
}
_DERIVED_FORMAT = 1
_TOTALS_COMPACT_ROWS = 2_000_000  # re-aggregate partial sums beyond this many rows


def _real_store(stores: Mapping[str, Store], stage: str) -> Store | None:
    """The store of `stage`, if it holds the real stage's table (not a stand-in's)."""
    store = stores.get(stage)
    return store if store is not None and store.version == stage_version(STAGE_BY_NAME[stage]) else None


def _quote_scores_store(stores: Mapping[str, Store]) -> Store | None:
    """The quotes store (if it holds the real quotes stage's table), whose quotes are scored."""
    return _real_store(stores, "quotes")


def _totals_store(stores: Mapping[str, Store], name: str) -> Store | None:
    """The store the totals `name` sum."""
    return _real_store(stores, TOTALS[name][0])


def _derived_file(corpus: Path, cache: Path, name: str) -> Path:
    return cache / "derived" / f"{manifest_path(corpus, cache).stem}-{name}.parquet"


def _read_derived(file: Path, signature: str, read: bool) -> tuple[bool, pa.Table | None]:
    """(whether `file` holds the table `signature` names, the table if `read`)."""
    try:
        if json.loads(pq.read_schema(file).metadata[_META]).get("signature") == signature:
            return True, (pq.read_table(file).replace_schema_metadata(None) if read else None)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged file is recomputed
        log.warning("cached table %s is unreadable (%s); recomputing it", file, _describe(exc))
    return False, None


def _write_derived(file: Path, table: pa.Table, signature: str) -> None:
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata({_META: json.dumps({"signature": signature}).encode()}), sink,
                   compression="zstd")
    write_atomic(file, sink.getvalue().to_pybytes())


def weights_digest(weights: dict[str, int]) -> str:
    """A hash of which analysis keys make up the corpus, and how many articles each stands for."""
    return hashlib.sha1("\n".join(f"{k}\t{w}" for k, w in sorted(weights.items())).encode()).hexdigest()


def _derived_signature(name: str, articles_digest: str, *versions: str) -> str:
    """What a derived table was computed from: its format, the code versions of the stages it
    reads and the corpus's articles."""
    return hashlib.sha1("|".join([name, str(_DERIVED_FORMAT), *versions, articles_digest]).encode()).hexdigest()


def _sum_counts(tables: list[pa.Table], by: list[str]) -> pa.Table:
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    summed = table.group_by(by, use_threads=False).aggregate([("count", "sum"), ("n_docs", "sum")])
    return summed.rename_columns([*by, "count", "n_docs"]).select([*by, "count", "n_docs"])


def _compute_totals(store: Store, name: str, weights: dict[str, int]) -> pa.Table:
    """Stream the stage's shards row group by row group, weighting each article's rows by the
    articles its key stands for, so memory is bounded by the number of distinct rows."""
    _, by = TOTALS[name]
    by = list(by)
    partials: list[pa.Table] = []
    rows = 0
    for shard, shard_keys in store.shards.items():
        mine = [k for k in shard_keys if store.owner.get(k) == shard and k in weights]
        if not mine:
            continue
        keys, key_weights = pa.array(mine, pa.string()), pa.array([weights[k] for k in mine], pa.int64())
        source = pq.ParquetFile(store.path(store.stage, shard))
        for group in range(source.num_row_groups):
            part = source.read_row_group(group, columns=[KEY, *by, "count"])
            where = pc.index_in(part[KEY], value_set=keys)
            if where.null_count:
                keep = pc.is_valid(where)
                part, where = part.filter(keep), where.filter(keep)
            if not len(part):
                continue
            docs = pc.take(key_weights, where)
            part = pa.table({**{c: part[c] for c in by}, "count": pc.multiply(part["count"].cast(pa.int64()), docs),
                             "n_docs": docs})
            partials.append(_sum_counts([part], by))
            rows += len(partials[-1])
            if rows > _TOTALS_COMPACT_ROWS and len(partials) > 1:
                partials = [_sum_counts(partials, by)]
                rows = len(partials[0])
    if not partials:
        schema = pq.read_schema(store.path(store.stage, next(iter(store.shards)))) if store.shards else None
        fields = [schema.field(c) if schema is not None and c in schema.names else pa.field(c, pa.string()) for c in by]
        return pa.schema([*fields, pa.field("count", pa.int64()), pa.field("n_docs", pa.int64())]).empty_table()
    return _sum_counts(partials, by).sort_by([(c, "ascending") for c in by])


def corpus_totals(corpus: Path, cache: Path, name: str, store: Store, weights: dict[str, int],
                  articles_digest: str | None = None, *, read: bool = True) -> pa.Table | None:
    """The `TOTALS` table `name` of the corpus, from the cache when the articles and the stage's
    code are those it was computed for; otherwise computed and stored. `articles_digest` is
    `weights_digest(weights)`, if already known. With `read` False, only make sure it is stored."""
    file = _derived_file(corpus, cache, name)
    signature = _derived_signature(name, articles_digest or weights_digest(weights), store.version)
    found, table = _read_derived(file, signature, read)
    if found:
        return table
    table = _compute_totals(store, name, weights)
    _write_derived(file, table, signature)
    return table


def corpus_quote_scores(corpus: Path, cache: Path, quotes: Store, weights: dict[str, int],
                        articles_digest: str | None = None, *, read: bool = True) -> pa.Table | None:
    """The sentiment of every distinct quote of the corpus: `quote` and the columns of
    `analysis.extract.sentiment.score_texts` (names masked), sorted by quote. Computed once per corpus
    and code version and kept in the cache, so the sentiment notebook's quote and speaker tone
    do not score every quote on each run (`analysis.summarise.sentiment.quote_sentiment(scores=...)`)."""
    from analysis.extract.sentiment import score_texts

    file = _derived_file(corpus, cache, "quote_scores")
    signature = _derived_signature("quote_scores", articles_digest or weights_digest(weights), quotes.version,
                                   stage_version(STAGE_BY_NAME["sentiment"]))
    found, table = _read_derived(file, signature, read)
    if found:
        return table
    rows = quotes.read("quotes", list(weights), columns=["quote"])
    texts = sorted(pc.unique(rows["quote"].drop_null()).to_pylist()) if rows is not None else []
    scores = score_texts(texts, mask_names=True)
    table = pa.Table.from_pandas(scores.assign(quote=pd.Series(texts, dtype="str"))[["quote", *scores.columns]],
                                 preserve_index=False)
    _write_derived(file, table, signature)
    return table



def corpus_speaker_identities(corpus: Path, cache: Path, quotes: Store, weights: dict[str, int],
                              articles_digest: str | None = None, *, read: bool = True) -> pa.Table | None:
    """Who the corpus's quoted names are (`analysis.summarise.speakers.speaker_identities`: one
    identity per person across articles, with the corpus folder's `speakers.csv` applied), kept in
    the cache until the quotes, the articles or `speakers.csv` change. Apply it to the quotes table
    with `analysis.summarise.speakers.apply_identities`."""
    from analysis.summarise.speakers import find_speaker_overrides, speaker_identities

    overrides = find_speaker_overrides(corpus)
    overrides_digest = hashlib.sha1(overrides.read_bytes()).hexdigest() if overrides else "none"
    file = _derived_file(corpus, cache, "speaker_identities")
    signature = _derived_signature("speaker_identities", articles_digest or weights_digest(weights), quotes.version,
                                   overrides_digest)
    found, table = _read_derived(file, signature, read)
    if found:
        return table
    columns = ["quote", "speaker", "speaker_kind", "speaker_gender", "gender_evidence", "source_role"]
    rows = quotes.read("quotes", list(weights), columns=columns)
    frame = rows.to_pandas().rename(columns={KEY: "doc_id"}) if rows is not None else pd.DataFrame(columns=columns)
    table = pa.Table.from_pandas(speaker_identities(frame, overrides).astype(str), preserve_index=False)
    _write_derived(file, table, signature)
    return table


def refresh_derived(corpus: Path, cache: Path, manifest: pd.DataFrame, load_store: Store,
                    stores: Mapping[str, Store]) -> int:
    """After a build: make sure every derived table of the corpus is stored (the notebooks rank
    the totals instead of reading every count). Returns the number of articles loaded."""
    weights = _corpus_weights(manifest, load_store)
    digest = weights_digest(weights)
    for name in TOTALS:
        store = _totals_store(stores, name)
        if store is not None:
            corpus_totals(corpus, cache, name, store, weights, digest, read=False)
    if _quote_scores_store(stores) is not None:
        corpus_quote_scores(corpus, cache, stores["quotes"], weights, digest, read=False)
        corpus_speaker_identities(corpus, cache, stores["quotes"], weights, digest, read=False)
    return sum(weights.values())
