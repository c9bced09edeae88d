"""Presentation: charts, highlighted articles, the figure writer and the HTML report."""
