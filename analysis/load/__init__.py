"""Loading: reading files, decoding, cleaning, headers, paragraphs, sentences and tokens.

`load_corpus(path)` turns a folder of articles into tables; `read_article` does one file. This layer
knows nothing of the analyses.

`MAX_FILE_BYTES` (10 MiB) is the one size limit of an article file: the loader, the pipeline and the
notebooks all use it; a larger file is refused (listed in the load report with its size and the
limit), never split.
"""

from analysis.load.clean import MAX_FILE_BYTES, PANDAS_DATE_RANGE

__all__ = ["MAX_FILE_BYTES", "PANDAS_DATE_RANGE"]
