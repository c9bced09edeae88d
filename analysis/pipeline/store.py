"""The Parquet store: the shards of one stage at one code version.

Results are stored under the cache folder in one folder per stage and code version:
``<cache>/<stage>-<version>/<table>/<shard>.parquet``. The load stage is keyed by the hash of
the file's bytes; analysis stages by the article key (a hash of the cleaned text and the date).
Each shard is written atomically (temporary file, then rename), its marker table last, so an
interrupted build resumes where it stopped; a shard that cannot be read is deleted and its
articles recomputed. A folder holding many shards is compacted into one file after a build.

Nothing in the cache is named after an input file: shard names are generated and doc ids are
only ever values inside tables, so no file name can make a write escape the cache folder.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.files import write_atomic
from analysis.load.corpus import PARAGRAPH_COLUMNS, SENTENCE_COLUMNS
from analysis.pipeline.versions import LOAD, stage_version

if TYPE_CHECKING:
    from analysis.pipeline.stages import Stage

log = logging.getLogger(__name__)

#: A stage folder with more shard files than this is compacted into one file after a build.
COMPACT_ABOVE = 8

KEY = "_key"  # the cache key column inside stored tables
_META = b"analysis"  # the Parquet key-value metadata entry holding a shard's keys and errors

LOAD_TABLES = ("paragraphs", "sentences", "articles")  # "articles" last: it marks a shard complete

# What the load stage stores per file (keyed by the hash of the file's bytes).
# `outlet` ... `language` as `analysis.load.corpus.FIELD_COLUMNS`; `meta` the JSON object of the
# source's other columns (a `metadata.csv` row's, a CSV row's), which the table reader spreads
# into columns of their own.
LOAD_ARTICLE_COLUMNS = [
    KEY, "status", "reason", "date", "date_text", "title", "text", "credits", "n_words", "n_paragraphs",
    "n_sentences", "encoding", "content_hash", "outlet", "authors", "section", "url", "language", "meta",
    "article_key",
]
LOAD_PARAGRAPH_COLUMNS = [KEY, *PARAGRAPH_COLUMNS[1:]]
LOAD_SENTENCE_COLUMNS = [KEY, *SENTENCE_COLUMNS[1:]]


def _frame_to_arrow(frame: pd.DataFrame) -> pa.Table:
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        # A column of mixed Python objects: store it as text rather than lose the article.
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: None if v is None else str(v))
        return pa.Table.from_pandas(frame, preserve_index=False)


#: The types of the load stage's article columns: fixed, so that a chunk whose articles all lack
#: a value (no dates, no metadata, or only skipped rows) stores the same types as any other.
LOAD_ARTICLE_TYPES = {
    **{c: pa.string() for c in LOAD_ARTICLE_COLUMNS},
    "date": pa.timestamp("ns"), "n_words": pa.int64(), "n_paragraphs": pa.int64(), "n_sentences": pa.int64(),
}


def load_articles_table(frame: pd.DataFrame) -> pa.Table:
    """The load stage's article rows with :data:`LOAD_ARTICLE_TYPES`."""
    schema = pa.schema([(c, LOAD_ARTICLE_TYPES[c]) for c in LOAD_ARTICLE_COLUMNS])
    frame = frame.reindex(columns=LOAD_ARTICLE_COLUMNS).astype(object)
    return pa.Table.from_pandas(frame.where(frame.notna(), None), schema=schema, preserve_index=False)


def _parquet_bytes(frame: pd.DataFrame | pa.Table, meta: dict) -> bytes:
    table = frame if isinstance(frame, pa.Table) else _frame_to_arrow(frame)
    if KEY in table.column_names and table.schema.field(KEY).type != pa.string():
        # A chunk with no rows (no article in it has a quote, say) types its empty key column as
        # a number; keys are text in every shard, so lookups and compaction can rely on it.
        table = table.set_column(table.column_names.index(KEY), KEY, table[KEY].cast(pa.string()))
    table = table.replace_schema_metadata({_META: json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 500 else text[:497] + "..."


class CorruptShard(RuntimeError):
    """A cache file could not be read; it has been removed so the next build recomputes it."""


def _new_shard_name(prefix: str = "s") -> str:
    _new_shard_name.counter += 1  # type: ignore[attr-defined]
    return f"{prefix}{time.time_ns():020d}-{os.getpid()}-{_new_shard_name.counter:06d}"  # type: ignore[attr-defined]


_new_shard_name.counter = 0  # type: ignore[attr-defined]


class Store:
    """The shards of one stage at one code version: ``<cache>/<stage>-<version>/<table>/``.

    The marker table (the stage's own table; `articles` for the load stage) carries, in its
    Parquet metadata, the keys the shard covers (including articles that produced no rows),
    the errors, and for a compacted shard the shards it replaces.
    """

    def __init__(self, cache: Path, stage: "Stage | str"):
        self.stage = stage if isinstance(stage, str) else stage.name
        self.version = stage_version(stage)
        self.folder = cache / f"{self.stage}-{self.version}"
        self.tables = LOAD_TABLES if self.stage == LOAD else (self.stage,)
        self.marker = self.tables[-1]
        self.owner: dict[str, str] = {}  # key -> shard holding its rows
        self.errors: dict[str, str] = {}  # key -> error message
        self.article_keys: dict[str, str | None] = {}  # load stage: raw hash -> article key
        self.shards: dict[str, list[str]] = {}  # shard -> its keys
        self.scan()

    def path(self, table: str, shard: str) -> Path:
        return self.folder / table / f"{shard}.parquet"

    def scan(self) -> None:
        """Rebuild the index from the shard files present, removing unreadable ones."""
        self.owner.clear(), self.errors.clear(), self.article_keys.clear(), self.shards.clear()
        marker_dir = self.folder / self.marker
        if not marker_dir.is_dir():
            return
        metas: dict[str, dict] = {}
        for file in sorted(marker_dir.glob("*.parquet")):
            try:
                raw = pq.read_schema(file).metadata or {}
                metas[file.stem] = json.loads(raw[_META])
            except Exception as exc:  # noqa: BLE001 - truncated, empty or foreign file
                log.warning("cache file %s is unreadable (%s); its articles will be recomputed", file, _describe(exc))
                self.remove_shard(file.stem)
        replaced = {name for meta in metas.values() for name in meta.get("replaces", ())}
        for shard in sorted(metas):
            if shard in replaced:  # a compaction finished but was interrupted before clean-up
                self.remove_shard(shard)
                continue
            self._register(shard, metas[shard])
        self._remove_orphans()

    def _register(self, shard: str, meta: dict) -> None:
        """Index a shard's keys, errors and article keys; an earlier shard keeps a key it holds."""
        self.shards[shard] = meta["keys"]
        for key in meta["keys"]:
            self.owner.setdefault(key, shard)
        for key, message in meta.get("errors", ()):
            if self.owner.get(key) == shard:
                self.errors[key] = message
        for key, akey in zip(meta["keys"], meta.get("article_keys", ())):
            self.article_keys.setdefault(key, akey)

    def _remove_orphans(self) -> None:
        """Delete table files whose marker is missing and stale temporary files."""
        live = set(self.shards)
        for table in self.tables:
            folder = self.folder / table
            if not folder.is_dir():
                continue
            for file in folder.iterdir():
                if file.name.startswith("."):
                    if time.time() - file.stat().st_mtime > 3600:  # an interrupted write
                        file.unlink(missing_ok=True)
                elif file.suffix == ".parquet" and table != self.marker and file.stem not in live:
                    file.unlink(missing_ok=True)

    def remove_shard(self, shard: str) -> None:
        for table in self.tables:
            self.path(table, shard).unlink(missing_ok=True)
        self.shards.pop(shard, None)

    def add(self, files: dict[str, bytes]) -> None:
        """Commit one chunk's tables: the marker table last, so a shard is whole or absent."""
        shard = _new_shard_name()
        for table in self.tables:
            if table in files:
                write_atomic(self.path(table, shard), files[table])
        raw = pq.read_schema(pa.BufferReader(files[self.marker])).metadata[_META]
        self._register(shard, json.loads(raw))

    def read(self, table: str, keys: Iterable[str] | None = None, columns: list[str] | None = None) -> pa.Table | None:
        """The rows of `table` for `keys` (all keys when None), one copy per key; only `columns`
        (plus the key) if given. Rows come in the same order whatever the columns.

        Raises :class:`CorruptShard` (after deleting the shard) when a file cannot be read.
        """
        wanted = None if keys is None else set(keys)
        parts = []
        for shard, shard_keys in self.shards.items():
            mine = [k for k in shard_keys if self.owner.get(k) == shard and (wanted is None or k in wanted)]
            if not mine:
                continue
            file = self.path(table, shard)
            try:
                part = pq.read_table(file, columns=None if columns is None else [KEY, *columns])
            except Exception as exc:  # noqa: BLE001
                self.remove_shard(shard)
                raise CorruptShard(f"cache file {file} is unreadable ({_describe(exc)}); it was removed") from exc
            if len(mine) < len(shard_keys):
                part = part.filter(pc.is_in(part[KEY], value_set=pa.array(mine, pa.string())))
            parts.append(part.replace_schema_metadata(None))
        if not parts:
            return None
        return pa.concat_tables(parts, promote_options="permissive")

    def compact(self) -> bool:
        """Merge the shards into one file per table when there are more than COMPACT_ABOVE.

        Streams row group by row group, so memory stays bounded. The merged marker file lists the
        shards it replaces; a run interrupted before they are deleted deletes them next time.
        """
        if len(self.shards) <= COMPACT_ABOVE:
            return False
        olds = list(self.shards)
        merged = _new_shard_name("c")
        for table in self.tables:
            files = [self.path(table, shard) for shard in olds]
            schema = pa.unify_schemas([pq.read_schema(f).remove_metadata() for f in files], promote_options="permissive")
            meta = {}
            if table == self.marker:
                keys = [k for shard in olds for k in self.shards[shard] if self.owner[k] == shard]
                meta = {"keys": keys, "errors": [[k, self.errors[k]] for k in keys if k in self.errors], "replaces": olds}
                if self.stage == LOAD:
                    meta["article_keys"] = [self.article_keys.get(k) for k in keys]
            schema = schema.with_metadata({_META: json.dumps(meta).encode()}) if meta else schema
            target = self.path(table, merged)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            os.close(fd)
            try:
                with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
                    for shard, file in zip(olds, files):
                        mine = [k for k in self.shards[shard] if self.owner[k] == shard]
                        source = pq.ParquetFile(file)
                        for group in range(source.num_row_groups):
                            part = source.read_row_group(group)
                            if len(mine) < len(self.shards[shard]):
                                part = part.filter(pc.is_in(part[KEY], value_set=pa.array(mine, pa.string())))
                            writer.write_table(_conform(part, schema))
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        for shard in olds:
            self.remove_shard(shard)
        self.scan()
        log.info("compacted %d shards of %s into one", len(olds), self.folder)
        return True


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` with `schema`'s columns, in its order and types (missing columns as nulls)."""
    columns = []
    for field_ in schema:
        if field_.name in table.column_names:
            columns.append(table[field_.name].cast(field_.type))
        else:
            columns.append(pa.nulls(len(table), field_.type))
    return pa.Table.from_arrays(columns, schema=schema)

