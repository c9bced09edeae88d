"""Temporal expressions in news text, normalized to TimeML TIMEX3 values and placed on a calendar.

    >>> from analysis.extract.timex import extract_timexes
    >>> extract_timexes("Officials left on Thursday, a week after the 1960s-era treaty lapsed.", "2019-01-25")

`extract_timexes(text, reference_date)` is a pure function (text in, table out): rule based,
pure Python, every regular expression compiled once at import and free of nested repetition, so
its running time grows linearly with the text. `analysis.summarise.timeline.corpus_timexes`
runs it over a corpus.

How an expression is read, relative to the article's date (`reference_date`):

- weekdays take the tense of their clause: a past clause points back, a deadline or future clause
  forward, and the article's own weekday is the article's day;
- `yesterday`, `today`, `tonight`, `tomorrow`; `last`/`this`/`next` week, month, year, quarter,
  season (`last fall` -> `2018-FA`); `N units ago`; `N units earlier`/`later` only when a date of
  the same sentence anchors it (else, as in TimeBank, the length of time: `three days` -> `P3D`);
- explicit dates (`Jan. 25`, `January 25, 2019`, `25 January`, `2019-01-25`, `1/25/19`), months,
  years, fiscal years and quarters, decades (`the 1960s`, `’70s`, `the sixties`) and centuries;
- times of day (`3 p.m.`, `noon`, `this morning`); durations (`nearly two decades` -> `P20Y`);
  vague references (`recently` -> `PAST_REF`, `now` -> `PRESENT_REF`, `the coming weeks` ->
  `FUTURE_REF`); sets (`every Monday` -> `XXXX-WXX-1`, `weekly` -> `P1W`).

Spans follow the TimeML (TimeBank) annotation habits: `the past three years` and `the next year
or so` are one expression, the preposition in `for three years` is not part of it, and numbers
that are not times (`20 Marine guards`, `F-16`, `50,000`) are left alone. Modifiers keep the value
and set `mod`, as TIMEX3 does: `mid-2018` is `2018` with `MID` (its `earliest`/`latest` the middle
third of the year), `nearly two decades` is `P20Y` with `LESS_THAN`.

The package: `rules` (the registry: each rule's pattern, anchors, reach and normaliser),
`normalise` (the normalisers), `anchor` (candidate matches around anchor words), `context`
(sentence, clause, tense, event label, document state), `dates` and `intervals` (calendar
arithmetic), `modifiers` (the `mod` and the part of the interval it keeps), `vocab` (the word lists from `analysis.lexicons` and the regex fragments built from
them) and `extract` (the extractor). Nothing here imports matplotlib: corpus tables are in
`analysis.summarise.timeline`, charts in `analysis.report.timeline`.
"""

from analysis.extract.timex.extract import COLUMNS, empty_table, extract_timexes, extract_timexes_many
from analysis.extract.timex.intervals import interval
from analysis.extract.timex.rules import RULE_ORDER, RULES, Rule

__all__ = ["COLUMNS", "RULES", "RULE_ORDER", "Rule", "empty_table", "extract_timexes", "extract_timexes_many", "interval"]
