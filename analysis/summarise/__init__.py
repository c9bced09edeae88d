"""Corpus summaries: tables computed from the per-article tables (rankings, keyness, tone by
speaker, coverage over time). No plotting here; charts live in `analysis.report`."""
