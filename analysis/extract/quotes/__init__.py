"""Who said what: rule-based quote attribution for news text, without a parser model.

    >>> from analysis.extract.quotes import extract_quotes
    >>> extract_quotes("“We are ready,” the mayor said.")[["quote", "kind", "speaker"]]

`extract_quotes(text)` is a pure function (text in, table out) that runs in linear time. It works
in four passes over each paragraph, one module each:

1. `marks`: pair the quote marks (curly, straight, newswire ``...'' and ''...''), letting a
   quotation whose paragraph ends without a closing mark continue into the next paragraph when
   that one opens with a quote mark;
2. `marks`: mask every quotation (same length, so offsets hold) and split the masked paragraph
   into sentences, so a quotation never breaks a sentence and a reporting verb inside a quotation
   is never taken for a cue;
3. `frames`: in each sentence find a cue (`cues`: a reporting verb in any tense, `according to`,
   or a colon before a quotation) and read the frame around it with the rule registries
   (`CUE_FRAMES`, `VERB_FRAMES`, `COMPLEMENT_RULES`): the source phrase next to the cue
   (`mentions`, with appositives like `, a Southcom spokeswoman,`), and the content on the other
   side (`“...,” X said`, `X said (that) ...`, `..., X said`, `according to X, ...`);
4. `speakers`: resolve the source phrase: surnames to full names seen earlier, `the official` to
   the `One defense official` introduced earlier, pronouns to the most recent compatible speaker;
   then classify it (named, anonymous, organization, pronoun, unknown).

`records` puts the passes together into the table. A sentence that is only a quotation and has
no cue of its own takes the previous speaker (follow-on quote) when that speaker was quoted in
the same or the previous paragraph. The rows of one attribution share an `attribution` id (the row
number of its first fragment): the quotations one cue frames (`“A,” he said, “B.”`) and the
follow-on quotes of the same or the next paragraph (`“A,” he said. “B.”`).

Besides `said`-like verbs in every tense (:data:`REPORTING_VERBS`), the frames include
`according to X`, `X told Y (that) ...`, `X said: “...”` (also when the quotation opens the next
paragraph), `“...,” said X, a Y.`, `..., X said, ...` around the content, `, saying ...` and
`with X telling ...`, `X called for / called on Y to / called Z “...”`, `X asked whether ...`,
`X urged Y to ...`, `X vowed to ...`, `X described Y as ...`, `when asked whether ...` (the asker
as source when named, `by X`), `X did A but said ...` (the sentence's or the previous cue's
subject), `X, according to Y, is ...` and `X, an inside source said, is ...` around the content
(two rows of one attribution, one per piece; the piece after the attribution alone when the
piece before is shorter than the attribution itself), `X, who said A, said B`, and transcript or headline lines (`Clinton: ...`,
`Q: ...`, a loosely labelled headline `Clinton camp: ...`), speech nouns with a `that` clause
(`Trump's claims that ...`, `claims by X that ...`), `X is reportedly ...`, progressive and negated cues
(`isn't saying`, `is calling for`), `“...” Trump said.` across a sentence break, and title-case
headlines (`Christie Says He Would ...`). Deliberately not covered: beliefs and intentions (`X thinks`,
`X hopes`), bare noun objects (`X announced his candidacy`).

The word lists are lexicon files (`analysis/lexicons/`, read in `words` and `cues`). The per-call
state (speakers seen so far) lives in a local object; compiled patterns and lexicons are module
constants; every pattern is bounded or possessive, and each cue reads a bounded window, so a
pathological input (100,000 quote marks, a 5 MB paragraph) stays linear.

Corpus summaries of the quotes table are in `analysis.summarise.quotes`, the HTML highlighting
in `analysis.report.quotes`.
"""

from analysis.extract.quotes.cues import REPORTING_VERBS
from analysis.extract.quotes.frames import COMPLEMENT_RULES, CUE_FRAMES, VERB_FRAMES
from analysis.extract.quotes.marks import Q_FILL, Q_START, find_quotations
from analysis.extract.quotes.records import COLUMNS, empty_quotes, extract_quotes, extract_quotes_many
from analysis.extract.quotes.words import ORGANIZATION_WORDS, PERSON_NOUNS, PRONOUNS, TITLES

__all__ = [
    "COLUMNS", "COMPLEMENT_RULES", "CUE_FRAMES", "ORGANIZATION_WORDS", "PERSON_NOUNS", "PRONOUNS", "Q_FILL",
    "Q_START", "REPORTING_VERBS", "TITLES", "VERB_FRAMES", "empty_quotes", "extract_quotes",
    "extract_quotes_many", "find_quotations",
]
