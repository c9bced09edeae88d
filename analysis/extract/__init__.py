"""Extraction: pure per-article functions (text in, table out).

This is the only code the pipeline's cache keys cover: changing a summary, a chart or a notebook
never re-analyses an article. Nothing here may import plotting libraries, read corpus files or
write anything.
"""
