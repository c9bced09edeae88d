"""The notebooks' front door to the corpus tables.

`load_tables()` returns every per-article table of the corpus from the pipeline's cache, building
what is missing first, so re-opening a notebook is instant. See :class:`Tables` for the tables
and the README's data dictionary for their columns.

    >>> from analysis.pipeline.tables import load_tables
    >>> tables = load_tables()            # builds what is missing, then reads the cache
    >>> tables.quotes                     # one row per quote, with doc_id
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import paths
from analysis.load.corpus import (
    ARTICLE_COLUMNS,
    FIELD_COLUMNS,
    PARAGRAPH_COLUMNS,
    REPORT_COLUMNS,
    SENTENCE_COLUMNS,
    SKIPPED,
    SOURCE_COLUMNS,
    WARNING,
    EmptyCorpusError,
)
from analysis.load.fields import detect_fields
from analysis.load.formats import format_name, iter_rows
from analysis.pipeline.builder import build as _build  # `load_tables(build=...)` shadows the name
from analysis.pipeline.builder import errors_table
from analysis.pipeline.derived import (
    TOTALS,
    _corpus_weights,
    _quote_scores_store,
    _totals_store,
    corpus_quote_scores,
    corpus_speaker_identities,
    corpus_totals,
    weights_digest,
)
from analysis.pipeline.manifest import _read_manifest, manifest_path
from analysis.pipeline.stages import STAGES, Stage
from analysis.pipeline.store import KEY, LOAD_ARTICLE_COLUMNS, CorruptShard, Store
from analysis.pipeline.versions import LOAD

__all__ = ["Tables", "load_tables", "doc_ids_within"]

log = logging.getLogger(__name__)


TABLE_NAMES = ("articles", "article_info", "paragraphs", "sentences", "quotes", "timexes", "sentiment", "terms", "ngrams",
               "term_totals", "ngram_totals", "quote_scores", "speaker_identities", "report", "errors", "sources")


class Tables:
    """Every table of a corpus, keyed by doc_id, in corpus order; each is read from the cache the
    first time it is used, so a notebook that needs only quotes never reads the term counts.

    - `articles`, `paragraphs`, `sentences`, `report`: as :class:`analysis.load.corpus.Corpus`.
    - `article_info`: `articles` without the `text` column, for analyses that never read the
      text: on a large corpus it is read in a fraction of the time.
    - `quotes`: doc_id + the columns of `analysis.extract.quotes.extract_quotes`.
    - `timexes`: doc_id + the columns of `analysis.extract.timex.extract_timexes`.
    - `sentiment`: doc_id, sentence, paragraph, start, end + the columns of
      `analysis.extract.sentiment.score_texts` (one row per sentence).
    - `terms`: doc_id + the columns of `analysis.extract.terms.article_terms`.
    - `ngrams`: doc_id + the columns of `analysis.extract.terms.article_ngrams` for n = 1, 2 and 3.
    - `term_totals`, `ngram_totals`: `terms` and `ngrams` summed over the corpus (see
      :data:`TOTALS`); computed once per corpus and code version and kept in the cache.
    - `quote_scores`: the sentiment of each distinct quote (:func:`corpus_quote_scores`), cached
      the same way.
    - `speaker_identities`: who each quoted name is across the corpus, with `speakers.csv` applied
      (:func:`corpus_speaker_identities`; `analysis.summarise.speakers.apply_identities(quotes, ...)`).
    - `errors`: doc_id, path, stage, error: the articles an analysis failed on.
    - `sources`: per file that is not a `.txt` article, as :class:`analysis.load.corpus.Corpus`:
      path, format, fields (which column filled each role), rows, loaded, skipped,
      ambiguous_dates, note.
    A stage the build did not run (a build with `stages=`) gives a table with only a doc_id column.
    """

    def __init__(self, root: Path, load: Callable[[str], pd.DataFrame],
                 texts: Callable[[Iterable[str]], pd.Series] | None = None, cache: Path | None = None):
        self.root = root
        self.cache = cache  # the cache folder the tables are read from (corpus-level tables go beside them)
        self._load = load
        self._texts = texts
        self._tables: dict[str, pd.DataFrame] = {}

    def article_texts(self, doc_ids: Iterable[str]) -> pd.Series:
        """The texts of some articles, indexed by doc_id: with `article_info`, what a notebook
        that shows a few articles needs instead of every text of the corpus."""
        wanted = list(doc_ids)
        if self._texts is None or "articles" in self._tables:
            articles = self.articles
            return articles.set_index("doc_id")["text"].reindex(wanted)
        return self._texts(wanted)

    def summary(self) -> str:
        from analysis.load.corpus import summarize_report

        return summarize_report(self.report, self.root, self.article_info)

    def unique_articles(self) -> pd.DataFrame:
        """Articles without the exact duplicates of an earlier file."""
        return self.articles[self.articles["duplicate_of"].isna()]

    def __repr__(self) -> str:
        loaded = ", ".join(f"{n}={len(t):,} rows" for n, t in self._tables.items())
        return f"Tables(root={str(self.root)!r}{', ' + loaded if loaded else ''})"


def _lazy_table(name: str) -> property:
    def get(self: Tables) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = self._load(name)
        return self._tables[name]

    def set_(self: Tables, value: pd.DataFrame) -> None:
        self._tables[name] = value

    return property(get, set_, doc=f"The `{name}` table (read from the cache on first use).")


for _name in TABLE_NAMES:
    setattr(Tables, _name, _lazy_table(_name))


def load_tables(
    corpus_dir: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    build: bool = True,
    **build_options,
) -> Tables:
    """The corpus's tables from the cache, building whatever is missing first (unless `build`
    is False, when only what a previous build stored is read).

    `corpus_dir` defaults to $ANALYSIS_CORPUS or `seeds/`, `cache_dir` to $ANALYSIS_CACHE or
    `.cache/`; `build_options` go to :func:`build` (engine, workers, progress...). Returns a
    :class:`Tables`, whose tables are read on first use. Raises
    :class:`~analysis.load.corpus.EmptyCorpusError` when no article could be loaded.
    """
    corpus = paths.seeds_dir(corpus_dir)
    cache = paths.cache_dir(cache_dir)
    stores = None
    # `python -m analysis run` builds the corpus just before running the notebooks: no need to check
    # every file again (a damaged cache file still triggers a rebuild).
    just_built = not build_options and os.environ.get(paths.ENV_BUILT) == built_token(corpus, cache)
    if build and not just_built:
        result = _build(corpus, cache, **build_options)
        manifest, failed, stores = result.manifest, result.failed, result.stores
    else:
        manifest = _read_manifest(manifest_path(corpus, cache))
        if manifest is None or "kind" not in manifest.columns:  # none, or one of an older version
            raise FileNotFoundError(
                f"No build of {corpus} in {cache}: run `python -m analysis build --corpus {corpus}`.")
        failed = []
    reader = _TableReader(corpus, cache, manifest, failed, build_options.get("stages"),
                          rebuild=(lambda: _build(corpus, cache, **build_options)) if build else None,
                          stores=stores)
    tables = Tables(corpus, reader.table, reader.texts, cache=cache)
    if not reader.n_loaded:
        tables.report  # noqa: B018 - raises EmptyCorpusError with the reasons
    return tables


def built_token(corpus: Path, cache: Path) -> str:
    """The value of `ANALYSIS_BUILT` that tells `load_tables` this corpus and cache are built."""
    return f"{Path(corpus).resolve()}|{Path(cache).resolve()}"


class _StoresOnDemand(Mapping):
    """The analysis stages' stores by name, each opened on first use."""

    def __init__(self, cache: Path, stages: Iterable[Stage] | None):
        self.cache = cache
        self.candidates = {s.name: s for s in (STAGES if stages is None else stages)}
        self.opened: dict[str, Store | None] = {}

    def __getitem__(self, name: str) -> Store:
        if name not in self.opened:
            stage = self.candidates.get(name)
            self.opened[name] = Store(self.cache, stage) if stage is not None else None
        store = self.opened[name]
        if store is None:
            raise KeyError(name)
        return store

    def __iter__(self) -> Iterator[str]:
        return iter([name for name in self.candidates if name in self])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except KeyError:
            return False
        return True


class _TableReader:
    """Reads one table at a time from the stores and attaches doc ids in corpus order."""

    def __init__(self, corpus: Path, cache: Path, manifest: pd.DataFrame, failed, stages, rebuild,
                 stores: dict[str, Store] | None = None):
        self.corpus, self.cache, self.manifest, self.failed = corpus, cache, manifest, failed
        self.stages, self.rebuild = stages, rebuild
        self._merged: pd.DataFrame | None = None
        self._texts: pa.ChunkedArray | None = None
        self._weights_digest: str | None = None
        self.open_stores(stores)

    @property
    def n_loaded(self) -> int:
        return sum(self._weights.values())

    def articles_digest(self) -> str:
        if self._weights_digest is None:
            self._weights_digest = weights_digest(self._weights)
        return self._weights_digest

    def open_stores(self, stores: dict[str, Store] | None = None) -> None:
        """Use the stores a build just left open, or open each when first read (opening one scans
        every shard's keys)."""
        stores = dict(stores) if stores else {}
        self.load_store = stores.pop(LOAD, None) or Store(self.cache, LOAD)
        self.stores = stores or _StoresOnDemand(self.cache, self.stages)
        self._weights = _corpus_weights(self.manifest, self.load_store)  # analysis key -> articles

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self._table(name)
        except CorruptShard as exc:
            if self.rebuild is None:
                raise
            log.warning("%s; rebuilding", exc)
            result = self.rebuild()
            self.manifest, self.failed = result.manifest, result.failed
            self._merged = self._texts = self._weights_digest = None
            self.open_stores(result.stores)
            return self._table(name)

    def texts(self, doc_ids: list[str]) -> pd.Series:
        """The text of each of `doc_ids` (NaN for one that is not a loaded article)."""
        merged = self.merged()
        rows = merged[merged["content_hash"].notna() & merged["doc_id"].isin(doc_ids)]
        found = take_runs(self.all_texts(), rows[_TEXT_ROW].to_numpy(dtype="int64")).to_pandas() if len(rows) else []
        return pd.Series(list(found), index=rows["doc_id"].tolist(), dtype="str").reindex(doc_ids)

    def all_texts(self) -> pa.ChunkedArray:
        """Every stored article text, in the order `_text_row` counts."""
        if self._texts is None:
            self._texts = _article_texts(self.manifest, self.load_store)
        return self._texts

    def merged(self) -> pd.DataFrame:
        """The manifest joined to the load stage's article rows, with report status and duplicates."""
        if self._merged is None:
            self._merged = _merge_articles(self.manifest, self.load_store)
        return self._merged

    def _table(self, name: str) -> pd.DataFrame:
        if name == "report":
            merged = self.merged()
            report = merged[REPORT_COLUMNS].copy()
            report["reason"] = report["reason"].fillna("")
            if not merged["content_hash"].notna().any():
                reasons = report["reason"].value_counts().head(3).to_dict()
                raise EmptyCorpusError(
                    f"Nothing could be loaded from {self.corpus}. Files found: {len(report)}; reasons: {reasons}.")
            return report
        if name == "errors":
            return errors_table(self.manifest, self.load_store, self.stores, self.failed)
        if name == "sources":
            return sources_table(self.merged(), self.manifest.attrs.get("options"))
        merged = self.merged()
        has_text = merged["content_hash"].notna()
        if name in ("articles", "article_info"):
            articles = _with_metadata(merged[has_text].reset_index(drop=True))
            rows = merged.loc[has_text, _TEXT_ROW].to_numpy(dtype="int64")
            if name == "article_info":
                articles = articles.drop(columns="text")
            elif len(rows):
                articles["text"] = take_runs(self.all_texts(), rows).to_pandas()
            articles["date"] = pd.to_datetime(articles["date"]).astype("datetime64[ns]")
            # Inferred as `load_corpus` infers it: object when all None, text otherwise.
            for column in ("duplicate_of", "credits"):
                articles[column] = pd.Series([d if isinstance(d, str) else None for d in articles[column]])
            for column in ("n_words", "n_paragraphs", "n_sentences"):
                articles[column] = articles[column].astype("int64")
            return articles
        doc_map = merged.loc[has_text, ["order", "doc_id", "raw_hash", "article_key"]]
        if name in TOTALS:
            store = _totals_store(self.stores, name)
            if store is None:
                return pd.DataFrame(columns=[*TOTALS[name][1], "count", "n_docs"])
            return corpus_totals(self.corpus, self.cache, name, store, self._weights, self.articles_digest()).to_pandas()
        if name == "quote_scores":
            store = _quote_scores_store(self.stores)
            if store is None:
                return pd.DataFrame(columns=["quote"])
            return corpus_quote_scores(self.corpus, self.cache, store, self._weights, self.articles_digest()).to_pandas()
        if name == "speaker_identities":
            store = _quote_scores_store(self.stores)  # the real quotes stage's store
            if store is None:
                return pd.DataFrame(columns=["speaker"])
            return corpus_speaker_identities(self.corpus, self.cache, store, self._weights,
                                             self.articles_digest()).to_pandas()
        if name in ("paragraphs", "sentences"):
            keys = doc_map["raw_hash"].unique().tolist()
            columns = PARAGRAPH_COLUMNS if name == "paragraphs" else SENTENCE_COLUMNS
            return _attach(self.load_store.read(name, keys), doc_map, "raw_hash", columns)
        store = self.stores.get(name)
        if store is None:
            return pd.DataFrame(columns=["doc_id"])
        keys = doc_map["article_key"].unique().tolist()
        missing = sum(1 for k in keys if k not in store.owner)
        if missing:
            log.warning("stage %s: %d of %d articles are not analysed by the current code yet; "
                        "run `python -m analysis build`", name, missing, len(keys))
        return _attach(store.read(name, keys), doc_map, "article_key", None)


_TEXT_ROW = "_text_row"  # in the merged article rows: where the article's text is in `texts`


def _merge_articles(manifest: pd.DataFrame, load_store: Store) -> pd.DataFrame:
    """The manifest joined to the load stage's article rows (with report status and duplicates);
    `_text_row` numbers the rows as :func:`_article_texts` returns the texts."""
    docs = manifest[["order", "doc_id", "path", "raw_hash", "status", "reason", "where", "kind"]].rename(
        columns={"status": "status0", "reason": "reason0"})
    hashed = docs["raw_hash"].dropna().unique().tolist()
    # Without the texts, read only when needed (`articles`, `article_texts`): the merge carries a
    # row number into them instead.
    without_text = [c for c in LOAD_ARTICLE_COLUMNS if c not in (KEY, "text")]
    loaded = _to_pandas(load_store.read("articles", hashed, columns=without_text), [KEY, *without_text])
    loaded[_TEXT_ROW] = range(len(loaded))
    merged = docs.merge(loaded, how="left", left_on="raw_hash", right_on=KEY, sort=False)
    merged = merged.sort_values("order", kind="stable").reset_index(drop=True)
    missing = merged["raw_hash"].notna() & merged[KEY].isna()
    merged["status"] = merged["status"].where(merged["raw_hash"].notna(), merged["status0"])
    merged["reason"] = merged["reason"].where(merged["raw_hash"].notna(), merged["reason0"])
    # A row's stored reason does not say where the row is (it may move): the manifest does.
    rows = merged["where"].notna() & merged["raw_hash"].notna() & (merged["reason"].fillna("") != "")
    merged.loc[rows, "reason"] = merged.loc[rows, "where"] + ": " + merged.loc[rows, "reason"]
    merged.loc[missing, "status"] = SKIPPED
    merged.loc[missing, "reason"] = "not analysed: run `python -m analysis build` (the build failed or was interrupted)"
    has_text = merged["content_hash"].notna()
    first = merged[has_text].drop_duplicates("content_hash").set_index("content_hash")["doc_id"]
    merged["duplicate_of"] = merged["content_hash"].map(first)
    merged.loc[merged["duplicate_of"] == merged["doc_id"], "duplicate_of"] = None
    merged.loc[~has_text, "duplicate_of"] = None
    dup = merged["duplicate_of"].notna()
    merged.loc[dup, "status"] = WARNING
    merged.loc[dup, "reason"] = [
        "; ".join(filter(None, [r if isinstance(r, str) else "", f"duplicate of {d}"]))
        for r, d in zip(merged.loc[dup, "reason"], merged.loc[dup, "duplicate_of"])
    ]
    return merged


def sources_table(merged: pd.DataFrame, options: str | None) -> pd.DataFrame:
    """Per file that is not a `.txt` article: its format, the fields its first record's columns
    fill (with the build's `--field` options), and what became of its rows."""
    fields = json.loads(options).get("fields") if options else None
    others = merged[~merged["kind"].isin(["txt", "txt+gz"])]
    rows = []
    for path, group in others.groupby("path", sort=False):
        kind = group["kind"].iloc[0]
        rows_only = group[group["kind"] == "row"]
        skipped = int((group["status"] == SKIPPED).sum())
        notes = group.loc[group["kind"] != "row", "reason"].dropna().tolist()
        ambiguous = int(rows_only["reason"].fillna("").str.contains("ambiguous date").sum())
        fmt = format_name(Path(path)) or kind
        rows.append((path, fmt, _fields_used(Path(path), fields) if len(rows_only) else "", len(rows_only),
                     len(rows_only) - int((rows_only["status"] == SKIPPED).sum()), skipped, ambiguous, "; ".join(notes)))
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def _fields_used(path: Path, fields: dict | None) -> str:
    """`text<-body, date<-published, ...` for the first readable record of a table or JSON file."""
    try:
        for row in iter_rows(path):
            if row.record is not None:
                return detect_fields(tuple(row.record), fields).describe()
    except Exception as exc:  # noqa: BLE001 - the file changed or broke since the build
        return f"(could not be read: {type(exc).__name__})"
    return ""


def _with_metadata(merged: pd.DataFrame) -> pd.DataFrame:
    """The articles table's columns of the merged rows: ARTICLE_COLUMNS, FIELD_COLUMNS ('' when the
    source does not say) and one column per metadata field of the sources (in order of first
    appearance; missing values NaN), as `load_corpus` gives them."""
    articles = merged.reindex(columns=ARTICLE_COLUMNS + FIELD_COLUMNS)
    for column in FIELD_COLUMNS:
        articles[column] = articles[column].astype(object).where(articles[column].notna(), "")
    if "meta" in merged and merged["meta"].notna().any():
        extra = pd.DataFrame([json.loads(m) if isinstance(m, str) else {} for m in merged["meta"]])
        extra = extra.drop(columns=[c for c in extra.columns if c in articles.columns])
        articles = pd.concat([articles, extra.set_axis(articles.index)], axis=1)
    return articles


def _article_texts(manifest: pd.DataFrame, load_store: Store) -> pa.ChunkedArray:
    hashed = manifest["raw_hash"].dropna().unique().tolist()
    table = load_store.read("articles", hashed, columns=["text"])
    return table["text"] if table is not None else pa.chunked_array([], pa.string())


def _to_pandas(table: pa.Table | None, columns: list[str]) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame(columns=columns)
    return table.to_pandas()


def take_runs(table: pa.Table | pa.ChunkedArray, rows: np.ndarray) -> pa.Table | pa.ChunkedArray:
    """`table.take(rows)`, built from zero-copy slices when `rows` is mostly runs of consecutive
    row numbers, as when shards are put in corpus order and duplicates' copies inserted: no data
    is moved, where a take copies every value (seconds for millions of rows of text)."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return table.slice(0, 0)
    starts = np.flatnonzero(np.diff(rows) != 1) + 1
    if len(starts) > len(rows) // 8:  # scattered rows: one take is cheaper than many slices
        return table.take(pa.array(rows))
    bounds = [0, *starts.tolist(), len(rows)]
    pieces = [table.slice(int(rows[a]), b - a) for a, b in zip(bounds[:-1], bounds[1:])]
    if isinstance(table, pa.ChunkedArray):
        return pa.chunked_array([c for piece in pieces for c in piece.chunks], type=table.type)
    return pa.concat_tables(pieces)


def _attach(table: pa.Table | None, doc_map: pd.DataFrame, key: str, columns: list[str] | None) -> pd.DataFrame:
    """Rows stored by cache key -> rows per doc_id, in corpus order, rows of an article in their
    stored order; files sharing a key (duplicates) each get their own copy. Done in Arrow and
    NumPy, because the term table of 100,000 articles has millions of rows."""
    if table is None:
        return pd.DataFrame(columns=columns or ["doc_id"])
    firsts = doc_map.drop_duplicates(key)
    extras = doc_map[doc_map.duplicated(key)]
    index = pc.index_in(table[KEY], value_set=pa.array(firsts[key].tolist(), pa.string()))
    if index.null_count:
        keep = pc.is_valid(index)
        table, index = table.filter(keep), index.filter(keep)
    which = index.to_numpy(zero_copy_only=False).astype(np.int64)  # row -> position in firsts
    rows = np.arange(len(which))
    orders = firsts["order"].to_numpy()[which]
    doc_index = which
    if len(extras):
        by_key = np.argsort(which, kind="stable")
        sorted_which = which[by_key]
        position = {k: i for i, k in enumerate(firsts[key])}
        more_rows, more_orders, more_docs = [rows], [orders], [doc_index]
        for j, (order, akey) in enumerate(zip(extras["order"], extras[key])):
            p = position[akey]
            span = by_key[np.searchsorted(sorted_which, p, "left"):np.searchsorted(sorted_which, p, "right")]
            more_rows.append(span)
            more_orders.append(np.full(len(span), order))
            more_docs.append(np.full(len(span), len(firsts) + j))
        rows, orders, doc_index = (np.concatenate(a) for a in (more_rows, more_orders, more_docs))
    doc_ids = pa.array(firsts["doc_id"].tolist() + extras["doc_id"].tolist(), pa.string())
    if len(extras) or (len(orders) > 1 and (np.diff(orders) < 0).any()):
        permutation = np.argsort(orders, kind="stable")
        rows, doc_index = rows[permutation], doc_index[permutation]
        table = take_runs(table, rows)
    table = table.drop_columns([KEY]).add_column(0, "doc_id", doc_ids.take(pa.array(doc_index)))
    frame = table.to_pandas()
    if columns is not None:
        frame = frame.reindex(columns=columns)
    return frame



def doc_ids_within(table: pd.DataFrame, articles: pd.DataFrame) -> bool:
    """Whether every `doc_id` of `table` is one of `articles`' (or of a report's). Compares the
    distinct values, which stays quick on the millions of rows of a large corpus's tables."""
    return set(table["doc_id"].unique().tolist()) <= set(articles["doc_id"].unique().tolist())
