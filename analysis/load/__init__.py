"""Loading: reading files, decoding, cleaning, headers, paragraphs, sentences and tokens.

`load_corpus(path)` turns a folder of articles into tables; `read_article` does one file. This layer
knows nothing of the analyses.
"""
