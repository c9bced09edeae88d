"""Loading: reading files, decoding, cleaning, headers, paragraphs, sentences and tokens.

`load_corpus(path)` turns a folder of articles into tables; `read_article` does one file. This layer
knows nothing of the analyses.

Besides `.txt` articles (`corpus.py`, `clean.py`), a corpus may be CSV/TSV, JSON, JSONL or Parquet
files, or `.gz` of any of them: `formats.py` holds one reader per format (a registry keyed by
suffix), `fields.py` the table of field names each role (text, date, title, outlet, ...) is found
by, and `records.py` walks a corpus path and yields the article record of every file and row, in
order, with a unique doc id each, adding the fields of `metadata.csv` sidecars.

`MAX_FILE_BYTES` (10 MiB) is the one size limit of an article file: the loader, the pipeline and the
notebooks all use it; a larger file is refused (listed in the load report with its size and the
limit), never split.
"""

from analysis.load.clean import MAX_FILE_BYTES, PANDAS_DATE_RANGE

__all__ = ["MAX_FILE_BYTES", "PANDAS_DATE_RANGE"]
