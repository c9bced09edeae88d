"""Tone of news text: VADER's lexicon and rules, with names masked, from sentences to the corpus.

    >>> from analysis.extract.sentiment import score_texts
    >>> score_texts(["The rescue went well.", "Shoppers at Best Buy were furious."])

Scoring
-------
`score_texts(texts)` gives VADER's four numbers for each text: `neg`, `neu`, `pos` (shares of the
text's words that carry negative, neutral and positive valence) and `compound` (the summed
valence, normalised to -1..+1). The implementation is our own, written for speed (one pass over
the tokens, lexicon loaded once per process), and reproduces `vaderSentiment` 3.3.2 exactly,
quirks included, when masking is off: `score_texts(texts, mask_names=False)` equals
`SentimentIntensityAnalyzer().polarity_scores(text)` for every text.

Names are not sentiment
-----------------------
By default (`mask_names=True`) the text is prepared for news before it is scored:

* typographic apostrophes, quotation marks and dashes become plain ones, so `don’t` negates and
  `“great` is a word (VADER only strips ASCII punctuation);
* proper-noun phrases are replaced by a neutral placeholder: `Army War College`, `USNS Comfort`,
  `Liberty University`, `Best Buy`, `the Supreme Court`, `Hope, Arkansas`. See
  :func:`proper_noun_spans` for the rules;
* lexicon words used in a sense that is not evaluative in news are set aside the same way:
  `party`, `security`, `defense`, `top`, `shares`, `like` as a preposition, `as well`, `pretty`
  as an adverb, `health care`, `interest rates`, `crude oil`, `special forces`, `this kind`,
  `certain officials`, a clause-opening `Well,` (:func:`neutral_sense_spans`);
* a negation reaches further, to the end of its clause up to six words (VADER: three), so
  `did not seem to be a good idea` is negative; editorial sentences are long;
* a concessive clause (`Although the staff were kind, the room was bad.`) weighs half, as VADER
  already does for what comes before `but`;
* inflected forms missing from VADER's lexicon take their base word's valence: `deaths`,
  `crimes`, `injuries`, `bombing`, `crashed` (:func:`news_lexicon`).

The plain VADER scores of the raw text are kept beside the masked ones (`compound_unmasked`, and
`neg_unmasked`, `neu_unmasked`, `pos_unmasked`), with the masked proper-noun phrases in `masked`.

Measured with `python -m analysis evaluate sentiment FILE` on human-rated snippets in VADER's
ground-truth format, the prepared text correlates better with the ratings than plain VADER on
movie-review snippets and about as well on product-review snippets (lower case, so no names).

From sentences to articles
--------------------------
VADER is built for sentences: on a long text its summed valence saturates near ±1. So paragraphs,
quotes, multi-sentence snippets and articles are scored sentence by sentence and aggregated:

* `tone` = the mean of the sentences' `compound`, each weighted by its number of words (a long
  sentence says more than a two-word one; neutral sentences count and pull the tone towards 0);
* `share_negative` / `share_positive` = the share of sentences with compound <= -0.05 / >= 0.05
  (VADER's usual thresholds), so a text that mixes strong praise and strong blame is visible as
  such even when its tone is near 0.

Everything that analyses one text is a pure function; the corpus-level functions take the corpus
tables (`corpus.sentences`, `corpus.paragraphs`, `corpus.articles`, the quotes table).
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import string
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.load.nlp_data import NEWS_ABBREVIATIONS, vader_lexicon_path

# --- VADER's constants (vaderSentiment 3.3.2) ------------------------------------------------

B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
ALPHA = 15  # normalisation: compound = s / sqrt(s*s + ALPHA)
NEUTRAL_BAND = 0.05  # |compound| below this is neutral (VADER's convention)
#: In news mode a negation reaches up to this many words ahead within its clause (VADER: 3), so
#: `did not seem to be a good idea` is negated; a comma, `;`, `:`, `.` or `but` ends the reach.
NEWS_NEGATION_REACH = 6

NEGATIONS = frozenset(
    """
    aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't
    doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't
    mightn't mustn't neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt
    uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't
    wouldn't rarely seldom despite
    """.split()
)

_UP = """
    absolutely amazingly awfully completely considerable considerably decidedly deeply effing
    enormous enormously entirely especially exceptional exceptionally extreme extremely fabulously
    flipping flippin frackin fracking fricking frickin frigging friggin fully fuckin fucking fuggin
    fugging greatly hella highly hugely incredible incredibly intensely major majorly more most
    particularly purely quite really remarkably so substantially thoroughly total totally tremendous
    tremendously uber unbelievably unusually utter utterly very
"""
_DOWN = """
    almost barely hardly kinda kindof kind-of less little marginal marginally occasional
    occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of
"""
#: Degree adverbs: the valence they add to (or take from) the sentiment word they precede.
BOOSTERS: dict[str, float] = {
    **{w: B_INCR for w in _UP.split()},
    **{w: B_DECR for w in _DOWN.split()},
    "just enough": B_DECR, "kind of": B_DECR, "sort of": B_DECR,
}

#: Phrases whose valence replaces that of the sentiment word in them.
SPECIAL_CASES: dict[str, float] = {
    "the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
    "yeah right": -2, "kiss of death": -1.5, "to die for": 3, "beating heart": 3.5,
}

# Only a window containing one of these words can match a phrase above (or a two-word booster),
# so the phrase strings are built only then.
_PHRASE_WORDS = frozenset(
    w for phrase in [*SPECIAL_CASES, *BOOSTERS] if " " in phrase for w in phrase.split()
)
_SO_THIS = ("so", "this")
_AT_VERY = ("at", "very")
_OR_NOR = ("or", "nor")


@functools.cache
def vader_lexicon() -> dict[str, float]:
    """VADER's lexicon, word -> mean valence (-4..+4), read once per process."""
    lexicon: dict[str, float] = {}
    for line in vader_lexicon_path().read_text(encoding="utf-8").rstrip("\n").split("\n"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        lexicon[word] = float(measure)
    return lexicon


# Bases whose inflected forms mean something else in news: `hands`, `kinds`, `goods`, `odds`,
# `justices`, `trusts` (funds), `fines` (penalties), `gods`, `highlighted` (pointed out).
_NO_INFLECTION = frozenset(
    "hand kind good odd justice god ass trust fine mean cool like well pretty sure yes no lol ok okay "
    "please thank thanks dear hard highlight".split()
)


_NOT_A_BASE_FORM = ("ed", "ing", "ly", "ness", "ful", "less", "ous", "ive", "able", "ible")


@functools.cache
def news_lexicon() -> dict[str, float]:
    """VADER's lexicon plus the inflected forms it lacks, for news mode.

    VADER's raters scored word forms: `death` (-2.9) and `crime` (-2.5) are in the lexicon but
    `deaths` and `crimes` are not, nor `bombing`, `injuries`, `crashed`. Each missing plural,
    past and -ing form of a lexicon word with a valence of at least 1 (in absolute value) takes
    the base word's valence, except for words whose inflected form names something else in news
    (`hands`, `goods`, `odds`, `justices`) and the words the news-sense rules set aside.
    """
    lexicon = vader_lexicon()
    extended = dict(lexicon)
    skip = _NO_INFLECTION | _SENSE_VOCABULARY | set(BOOSTERS) | NEGATIONS
    for base, valence in lexicon.items():
        if abs(valence) < 1.0 or not base.isalpha() or len(base) < 3 or base in skip:
            continue
        if base.endswith(_NOT_A_BASE_FORM):  # already inflected or derived: `devoted`, `gently`
            continue
        forms = {base + "s", base + "ed", base + "ing"}
        if base.endswith("e"):
            forms |= {base + "d", base[:-1] + "ing"}
        if base.endswith(("s", "sh", "ch", "x", "z")):
            forms.add(base + "es")
        if base.endswith("y") and base[-2] not in "aeiou":
            forms |= {base[:-1] + "ies", base[:-1] + "ied"}
        if len(base) <= 5 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # stop -> stopped, stopping
        for form in forms:
            if form not in lexicon and form not in skip:
                extended.setdefault(form, valence)
    return extended


@functools.cache
def _emoji_table() -> tuple[re.Pattern | None, dict[str, str]]:
    """VADER replaces each emoji character by its description (its lexicon is per character)."""
    import vaderSentiment

    from pathlib import Path

    path = Path(vaderSentiment.__file__).with_name("emoji_utf8_lexicon.txt")
    if not path.is_file():  # pragma: no cover - a broken install
        return None, {}
    table = {}
    for line in path.read_text(encoding="utf-8").rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        table[emoji] = description
    single = {k: v for k, v in table.items() if len(k) == 1}
    pattern = re.compile("[" + "".join(re.escape(k) for k in sorted(single)) + "]")
    return pattern, single


def _replace_emoji(text: str, pattern: re.Pattern, table: dict[str, str]) -> str:
    # As VADER: a space goes before the description unless the previous output character was a
    # plain space; none goes after it.
    def describe(match: re.Match) -> str:
        p = match.start()
        space = "" if p == 0 or text[p - 1] == " " else " "
        return space + table[match.group()]

    return pattern.sub(describe, text)


_PUNCT = string.punctuation


def _vader_words(text: str) -> list[str]:
    """VADER's tokens: split on white space; strip edge punctuation unless 2 characters or fewer
    would be left (so `:)` and `it.` stay as they are)."""
    return [s if len(s := token.strip(_PUNCT)) > 2 else token for token in text.split()]


def _polarity(
    text: str, lexicon: dict[str, float], emoji: tuple, negation_reach: int = 3
) -> tuple[float, float, float, float]:
    """(neg, neu, pos, compound) of one text by VADER's rules.

    `negation_reach` > 3 extends VADER's three-word negation window, within the clause, to that
    many words (`did not seem to be a good idea`); 3 is VADER exactly.
    """
    pattern, table = emoji
    # Every emoji is outside ASCII; a set test is much faster than the regex's 1,200-way class.
    if pattern is not None and not text.isascii() and not table.keys().isdisjoint(text):
        text = _replace_emoji(text, pattern, table)
    text = text.strip()
    words = _vader_words(text)
    n = len(words)
    if not n:
        return 0.0, 0.0, 0.0, 0.0
    lowers = [w.lower() for w in words]
    lex = lexicon
    # Only lexicon words get a valence; find them in one pass at C speed.
    hits = [i for i, word in enumerate(lowers) if word in lex]
    if not hits:
        return 0.0, 1.0, 0.0, 0.0
    n_upper = sum(map(str.isupper, words))
    cap_diff = 0 < n_upper < n
    boosters = BOOSTERS
    positions: list[int] = []
    values: list[float] = []
    raw_tokens: list[str] | None = None
    for i in hits:
        word = lowers[i]
        base = lex[word]
        if word in boosters:
            continue
        if word == "kind" and i + 1 < n and lowers[i + 1] == "of":
            continue
        valence = base
        if word == "no" and i != n - 1 and lowers[i + 1] in lex:
            valence = 0.0
        if (
            (i > 0 and lowers[i - 1] == "no")
            or (i > 1 and lowers[i - 2] == "no")
            or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in _OR_NOR)
        ):
            valence = base * N_SCALAR
        if cap_diff and words[i].isupper():
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        # The three words before: boosters, negations, idioms (only words outside the lexicon).
        for back in (1, 2, 3):
            if i < back:
                break
            prev = lowers[i - back]
            if prev in lex:
                continue
            scalar = boosters.get(prev)
            if scalar is not None:
                if valence < 0:
                    scalar = -scalar
                if cap_diff and words[i - back].isupper():
                    scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
                if back == 2:
                    scalar *= 0.95
                elif back == 3:
                    scalar *= 0.9
                valence += scalar
            if back == 1:
                if prev in NEGATIONS or "n't" in prev:
                    valence *= N_SCALAR
            elif back == 2:
                if prev == "never" and lowers[i - 1] in _SO_THIS:
                    valence *= 1.25
                elif prev == "without" and lowers[i - 1] == "doubt":
                    pass
                elif prev in NEGATIONS or "n't" in prev:
                    valence *= N_SCALAR
            else:
                # vaderSentiment's precedence: `never so/this X` OR any `so/this X` is amplified.
                if (prev == "never" and lowers[i - 2] in _SO_THIS) or lowers[i - 1] in _SO_THIS:
                    valence *= 1.25
                elif prev == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"):
                    pass
                elif prev in NEGATIONS or "n't" in prev:
                    valence *= N_SCALAR
                valence = _idioms(valence, lowers, i, n)
        if i > 0 and lowers[i - 1] == "least" and "least" not in lex:
            if i == 1 or (lowers[i - 2] != "at" and lowers[i - 2] != "very"):
                valence *= N_SCALAR
        if negation_reach > 3 and i > 3:
            if raw_tokens is None:
                raw_tokens = text.split()  # with their punctuation: where the clauses end
            if _negated_further(raw_tokens, lowers, i, negation_reach):
                valence *= N_SCALAR
        if valence:
            positions.append(i)
            values.append(valence)

    if values and "but" in lowers:
        _but_rule(positions, values, lowers.index("but"))
    if values and negation_reach > 3 and CONCESSIVE_FACTOR != 1.0 and not _CONCESSIVES.isdisjoint(lowers):
        if raw_tokens is None:
            raw_tokens = text.split()
        _concessive_rule(raw_tokens, lowers, positions, values)

    sum_s = 0.0
    pos_sum = 0.0
    neg_sum = 0.0
    for v in values:
        sum_s += v
        if v > 0:
            pos_sum += v + 1  # +1 compensates for neutral words counted as 1
        elif v < 0:
            neg_sum += v - 1
    neu_count = n - len(values)
    # Emphasis from punctuation: up to four '!', and two or more '?'.
    amplifier = min(text.count("!"), 4) * 0.292
    qm = text.count("?")
    if qm > 1:
        amplifier += qm * 0.18 if qm <= 3 else 0.96
    if sum_s > 0:
        sum_s += amplifier
    elif sum_s < 0:
        sum_s -= amplifier
    compound = sum_s / math.sqrt(sum_s * sum_s + ALPHA)
    compound = -1.0 if compound < -1.0 else 1.0 if compound > 1.0 else compound
    if pos_sum > -neg_sum:
        pos_sum += amplifier
    elif pos_sum < -neg_sum:
        neg_sum -= amplifier
    total = pos_sum - neg_sum + neu_count
    return (
        round(abs(neg_sum / total), 3),
        round(abs(neu_count / total), 3),
        round(abs(pos_sum / total), 3),
        round(compound, 4),
    )


_CLAUSE_BREAK = frozenset(",;:.!?")
_CONCESSIVES = frozenset({"although", "though"})
CONCESSIVE_FACTOR = 0.5


def _concessive_rule(raw_tokens: list[str], lowers: list[str], positions: list[int], values: list[float]) -> None:
    """News mode: a concessive clause (`Although the plan is good, ...`) weighs half, like the part
    before VADER's `but`: the writer concedes it to make the other point."""
    n = len(lowers)
    for start in range(n):
        if lowers[start] in _CONCESSIVES:
            break
    end = start
    while end < n and raw_tokens[end][-1] not in _CLAUSE_BREAK:
        end += 1
    if end >= n - 1:  # no main clause after it: `..., though.`
        return
    for k, position in enumerate(positions):
        if start < position <= end:
            values[k] *= CONCESSIVE_FACTOR


def _negated_further(raw_tokens: list[str], lowers: list[str], i: int, reach: int) -> bool:
    """A negation 4..reach words before word i, in the same clause, with none nearer (VADER's own
    window handles those). `raw_tokens` are the white-space tokens with their punctuation."""
    words = raw_tokens
    for back in (1, 2, 3):
        word = lowers[i - back]
        if word in NEGATIONS or "n't" in word or word == "but" or words[i - back][-1] in _CLAUSE_BREAK:
            return False
    for back in range(4, min(reach, i) + 1):
        word = lowers[i - back]
        if word == "but" or words[i - back][-1] in _CLAUSE_BREAK:
            return False
        if word in NEGATIONS or "n't" in word:
            return True
    return False


def _idioms(valence: float, lowers: list[str], i: int, n: int) -> float:
    """VADER's phrase rules for the word at `i` (i >= 3): `the bomb`, `kind of`, `yeah right`."""
    w3, w2, w1, w0 = lowers[i - 3], lowers[i - 2], lowers[i - 1], lowers[i]
    after1 = lowers[i + 1] if i + 1 < n else None
    words = _PHRASE_WORDS
    if not (w1 in words or w2 in words or w3 in words or after1 in words):
        return valence
    for phrase in (f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}", f"{w3} {w2} {w1}", f"{w3} {w2}"):
        if phrase in SPECIAL_CASES:
            valence = SPECIAL_CASES[phrase]
            break
    if after1 is not None:
        phrase = f"{w0} {after1}"
        if phrase in SPECIAL_CASES:
            valence = SPECIAL_CASES[phrase]
        if i + 2 < n:
            phrase = f"{w0} {after1} {lowers[i + 2]}"
            if phrase in SPECIAL_CASES:
                valence = SPECIAL_CASES[phrase]
    for phrase in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
        if phrase in BOOSTERS:
            valence = valence + BOOSTERS[phrase]
    return valence


def _but_rule(positions: list[int], values: list[float], but: int) -> None:
    """Halve valence before the first `but`, raise it by half after, exactly as vaderSentiment.

    vaderSentiment walks its list and updates `list.index(value)`, the FIRST position holding an
    equal value, which is not always the position being walked (two words of equal valence, or a
    scaled value equal to a later one). Reproduced here in O(n log n): a heap of positions per value.
    """
    holders: dict[float, list[int]] = {}
    for k, v in enumerate(values):
        holders.setdefault(v, []).append(k)  # already in increasing order: a valid heap
    for k in range(len(values)):
        v = values[k]
        heap = holders[v]
        while values[heap[0]] != v:  # drop positions whose value has changed since
            heapq.heappop(heap)
        first = heap[0]
        factor = 0.5 if positions[first] < but else 1.5
        new = v * factor
        heapq.heappop(heap)
        values[first] = new
        heapq.heappush(holders.setdefault(new, []), first)


# --- preparing news text -----------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "″": '"', "…": "..."})
# A dash joining two words (`good—and`) would make one VADER token of both.
_DASH = re.compile(r"\s*[—–]\s*")


def normalize_typography(text: str) -> str:
    """Plain apostrophes, quotation marks and spaced dashes, so VADER's tokens are words."""
    if text.isascii():  # nothing to change, and the common case in some corpora
        return text
    text = text.translate(_TYPOGRAPHY)
    return _DASH.sub(" - ", text) if ("—" in text or "–" in text) else text


_TOKEN = re.compile(r"\S+")
_EDGE = string.punctuation + "“”‘’«»„‚‹›—–…·•"
# Clause ends: sentence punctuation, and a closing bracket (`((Name)) Yeah, ...`, `(AP) Well`).
_CLAUSE_END = frozenset(".!?:;)]")
_OPENERS = frozenset("\"'“‘«(‹[—–-")
_FIRST_PERSON = frozenset({"I", "I'm", "I'll", "I've", "I'd", "I’m", "I’ll", "I’ve", "I’d"})
# Lower-case words that may sit inside a name: `Bank of America`, `Charles de Gaulle`.
_CONNECTORS = frozenset({"of", "the", "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "von", "van", "y", "&", "and"})
# Sentence-initial words that start a clause rather than a name, even before a capitalised word
# (`Thank God`, `Happy Thanksgiving`, `Sadly Trump...`); words ending in -ly are added by rule.
_NOT_NAME_START = frozenset(
    """
    thank thanks please congratulations sorry happy merry welcome dear hello hi hey yes no oh
    well so but and or yet if when while like unlike despite without not never only even just
    also still perhaps maybe surely certainly indeed after before as at by for from in into on to
    with most more all some many much each every any both several few none another other such
    what which who whom whose how why where there here this that these those it its his her their
    our my your we they he she you imagine
    """.split()
)
# After a clause-initial word only these may link it to a capitalised word (`Bank of America`,
# not `Imagine the CleanFlicks`).
_FIRST_CONNECTORS = frozenset({"of", "de", "da", "del", "von", "van", "&", "and"})
_STATES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia "
    "Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts "
    "Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon "
    "Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming "
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont "
    "Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo D.C N.Y N.J N.H N.M N.C N.D S.C S.D W.Va R.I "
    "England Scotland Wales Ireland Canada Mexico Ontario Quebec Texas"
).split()
# First words of places that follow `Town, `: one-word states, and `New`/`North`/... of two-word ones.
_PLACE_WORDS = frozenset(_STATES) | {"New", "North", "South", "West", "Rhode"}
_PLACEHOLDER = "_"


def proper_noun_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each proper-noun phrase in `text`, in order, not overlapping.

    Rules, applied to white-space tokens with their edge punctuation set aside:

    * a capitalised word that does not start a clause (clauses start the text, and follow `.`,
      `!`, `?`, `:`, `;`, a closing bracket, an opening quotation mark or a dash) is part of a
      name, and so is a run
      of capitalised words with `of`, `the`, `de`, ... between them (`Bank of America`);
    * a clause-initial capitalised word is part of a name only when a capitalised word follows
      it (`Best Buy said`, `Liberty University announced`), unless it is an ordinary opener
      (`Thank God`, adverbs in -ly); or when it is a town followed by a comma and a state or
      country (`Hope, Arkansas`);
    * `I` is never a name, and a run made only of ALL-CAPS words (`it was GREAT`) is emphasis,
      not a name, unless a capitalised word joins it (`USNS Comfort`);
    * a period after an abbreviation (`Mr.`, `Gen.`, `U.S.`, an initial) does not end a clause.
    """
    if text.islower() or not text:
        return []
    # Only tokens that can matter are visited: ordinary lower-case words (no capital, no trailing
    # punctuation) never start, join or end a name or a clause, so the regex skips them, except
    # the connectors that may sit inside a name. `gap[k]` says whether an ordinary word came
    # between token k-1 and token k.
    # Per visited token: (core_start, core_end, core, lead_chars, trail_chars); and `gap[k]`.
    tokens: list[tuple[int, int, str, str, str]] = []
    gap: list[bool] = []
    previous_end = 0
    edge = _EDGE
    for match in _VISITED_TOKEN.finditer(text):
        offset, end = match.span()
        token = match.group()
        gap.append(offset > previous_end and not text[previous_end:offset].isspace())
        previous_end = end
        stripped = token.lstrip(edge)
        lead = len(token) - len(stripped)
        core = stripped.rstrip(edge)
        tokens.append((offset + lead, offset + lead + len(core), core, token[:lead], stripped[len(core):]))
    n = len(tokens)
    spans: list[tuple[int, int]] = []
    clause_start = True
    i = 0
    while i < n:
        if gap[i]:
            clause_start = False
        current = tokens[i]
        core, lead, trail = current[2], current[3], current[4]
        starts_clause = clause_start or (lead != "" and not _OPENERS.isdisjoint(lead))
        if not core:  # a dash or a lone quotation mark
            clause_start = clause_start or not (_CLAUSE_END.isdisjoint(trail + lead) and _OPENERS.isdisjoint(trail + lead))
            i += 1
            continue
        if not core[0].isupper() or core in _FIRST_PERSON:  # not capitalised
            clause_start = trail != "" and _ends_clause(core, trail)
            i += 1
            continue
        # A run of capitalised words (and connectors between them) with nothing but spaces and
        # abbreviation periods between them. Items: (token index, details, capitalised?).
        run = [(i, current, True)]
        j = i
        while j + 1 < n and not gap[j + 1] and not _breaks_run(current[2], current[4]):
            k = j + 1
            following = tokens[k]
            if following[3] or not following[2]:
                break
            if _is_capitalised(following[2]):
                run.append((k, following, True))
                j, current = k, following
                continue
            connectors = _FIRST_CONNECTORS if j == i and starts_clause else _CONNECTORS
            if (following[2] in connectors and k + 1 < n and not gap[k + 1]
                    and not _breaks_run(following[2], following[4])):
                after = tokens[k + 1]
                if not after[3] and after[2] and _is_capitalised(after[2]):
                    run.append((k, following, False))
                    run.append((k + 1, after, True))
                    j, current = k + 1, after
                    continue
            break
        last = run[-1]
        if starts_clause:
            if sum(1 for item in run if item[2]) >= 2:
                if _ordinary_opener(core):
                    run = run[1:]
                    while run and not run[0][2]:
                        run = run[1:]
            elif not (i + 1 < n and not gap[i + 1] and _before_place(tokens, i)):
                run = []
        if run and all(item[1][2].isupper() for item in run if item[2]):
            run = []  # ALL-CAPS only: emphasis or an acronym, scored as VADER would
        if run:
            spans.append((run[0][1][0], run[-1][1][1]))
        clause_start = _ends_clause(last[1][2], last[1][4])
        i = last[0] + 1
    return spans


_VISITED_TOKEN = re.compile(
    r"(?<!\S)(?:(?:" + "|".join(sorted(_CONNECTORS - {"&"})) + r")(?=\s+[^\s\w]*[^\W\d_a-z])"
    r"|(?![a-z][a-z0-9'’-]*(?:\s|\Z))\S+)"
)


def _is_capitalised(core: str) -> bool:
    return core[0].isupper() and core not in _FIRST_PERSON


def _is_abbreviation(core: str) -> bool:
    return len(core) == 1 or "." in core or core.lower() in NEWS_ABBREVIATIONS


def _ends_clause(core: str, trail: str) -> bool:
    if not trail:
        return False
    if trail[0] == "." and len(trail) == 1 and _is_abbreviation(core):
        return False
    return any(c in _CLAUSE_END or c in "—–" for c in trail)


def _breaks_run(core: str, trail: str) -> bool:
    """Does the punctuation after this word end a name? (`Mr.`, `U.S.` and `J.` do not.)"""
    if not trail:
        return False
    return not (trail == "." and _is_abbreviation(core))


def _ordinary_opener(word: str) -> bool:
    lower = word.lower()
    return lower in _NOT_NAME_START or (lower.endswith("ly") and len(lower) > 4)


def _before_place(tokens: list, i: int) -> bool:
    """`Hope, Arkansas`: a single word followed by a comma and a state or country."""
    if tokens[i][4] != "," or i + 1 >= len(tokens):
        return False
    return tokens[i + 1][2] in _PLACE_WORDS and not tokens[i + 1][3]


def mask_proper_nouns(text: str) -> tuple[str, list[str]]:
    """`text` with each proper-noun phrase replaced by a neutral placeholder, and the phrases."""
    spans = proper_noun_spans(text)
    if not spans:
        return text, []
    pieces, phrases, last = [], [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(_PLACEHOLDER)
        phrases.append(text[start:end])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), phrases


# --- words whose usual sense in news is not evaluative ---------------------------------------------
#
# VADER's lexicon was rated for social media, where `party` is fun and `like` is a verb. In news
# these words mostly name a topic or are function words; scoring them makes neutral reporting
# look positive. Each rule says when a word is taken in its non-evaluative sense:

#: Always a topic in news: political parties, national security, the defense budget, top officials,
#: shares and securities and assets, unemployment benefits, special interests, market value; and
#: `respectively`, an adverb of order that VADER's raters scored +1.4.
NEWS_TOPIC_WORDS = frozenset(
    "party parties security securities defense defence top share shares benefits interests assets "
    "value respectively".split()
)
# `like` is a verb after a subject or an auxiliary (`I like`, `would like`, `don't like`), else a
# preposition (`looks like`, `countries like Iran`).
_LIKE_VERB_BEFORE = frozenset(
    """
    i you we they who people would 'd i'd we'd you'd they'd he'd she'd to do does did don't
    doesn't didn't dont doesnt didnt really also still just actually not never might may
    """.split()
)
# `pretty` is an adverb (`pretty good`, `pretty much`) unless a determiner or degree word makes it
# the adjective (`a pretty garden`, `very pretty`).
_PRETTY_ADJECTIVE_BEFORE = frozenset("a an the very so too how really quite".split())
# A topic noun compound: `health care`, `interest rates`, `gross domestic product`, `credit card`.
_CARE_TOPIC_BEFORE = frozenset(
    "health child medical day intensive foster primary elder nursing long-term managed hospice "
    "dental urgent patient respite palliative".split()
)
_COMPOUND_AFTER = {
    "crude": frozenset("oil prices price output production futures stocks imports exports supplies".split()),
    "outstanding": frozenset("shares share debt debts loans loan balance stock warrants bonds notes amount "
                             "claims issues questions votes".split()),
    "special": frozenset("forces force operations counsel session sessions election elections envoy prosecutor "
                         "committee report rapporteur representative adviser advisor assistant education "
                         "interest interests agent agents court tribunal".split()),
    "interest": frozenset("rate rates payment payments income groups group".split()),
    "gross": frozenset("domestic national margin margins income revenue revenues sales".split()),
    "credit": frozenset("card cards rating ratings union unions score scores line lines market markets".split()),
    "well": frozenset("over above below before after into beyond under past ahead".split()),
}
# `kind` after a determiner is a noun (`this kind`, `any kind`; VADER itself handles `kind of`),
# while `a kind man` is kind; `certain` before a noun means particular (`certain embassy
# employees`), not sure.
_DETERMINERS = frozenset("the this that these those any every each some no one what which of other same".split())
_CERTAIN_ADJECTIVE_AFTER = frozenset("that to of about".split())
# Discourse markers opening a clause in quoted speech: `Well, ...`, `Yeah, ...`, `Okay, ...`.
_MARKERS = frozenset("well yeah okay ok".split())
_SENSE_WORDS = re.compile(
    r"(?<![\w'-])(?:like|well|pretty|care|interest|gross|credit|crude|outstanding|special|kind|"
    r"certain|yeah|okay|ok|"
    + "|".join(sorted(NEWS_TOPIC_WORDS))
    + r")(?![\w'-])",
    re.IGNORECASE,
)
_SENSE_VOCABULARY = frozenset(
    "like well pretty care interest gross credit crude outstanding special kind certain yeah okay ok".split()
) | NEWS_TOPIC_WORDS
_LETTERS = re.compile(r"[a-z]+")
_WORD_BEFORE = re.compile(r"([\w'.-]+)[\s\"(]*$")
_WORD_AFTER = re.compile(r"^[\s\"]*([\w'-]+)")


def _neutral_sense(word: str, before: str, after: str, clause_start: bool, comma_after: bool) -> bool:
    if word in NEWS_TOPIC_WORDS:
        return True
    if word in _MARKERS and clause_start and comma_after:
        return True
    if word == "like":
        return before not in _LIKE_VERB_BEFORE and not before.endswith("ly")
    if word == "pretty":
        return bool(after) and before not in _PRETTY_ADJECTIVE_BEFORE
    if word == "care":
        return before in _CARE_TOPIC_BEFORE
    if word == "kind":
        return before in _DETERMINERS
    if word == "certain":
        return bool(after) and not comma_after and after not in _CERTAIN_ADJECTIVE_AFTER
    if word == "well" and before == "as":
        return True
    if word == "credit" and before == "tax":
        return True
    return after in _COMPOUND_AFTER.get(word, ())


_CLAUSE_OPENING = frozenset(".!?:;\"(“‘[—–")


def neutral_sense_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each lexicon word used in a non-evaluative news sense (see the rules above:
    `party`, `security`, `like` as a preposition, `as well`, `health care`, `interest rates`,
    `crude oil`, `a kind of`, `certain officials`, a clause-opening `Well,`)."""
    # A cheap test first: most sentences contain none of the words the rules are about.
    if _SENSE_VOCABULARY.isdisjoint(_LETTERS.findall(text.lower())):
        return []
    spans = []
    for match in _SENSE_WORDS.finditer(text):
        start, end = match.span()
        before = _WORD_BEFORE.search(text, max(0, start - 40), start)
        after = _WORD_AFTER.match(text[end:end + 40])
        prefix = text[max(0, start - 8):start].rstrip(" \t\n'")
        clause_start = not prefix or prefix[-1] in _CLAUSE_OPENING
        comma_after = text.startswith(",", end)
        if _neutral_sense(match.group().lower(), before.group(1).lower() if before else "",
                          after.group(1).lower() if after else "", clause_start, comma_after):
            spans.append((start, end))
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(_PLACEHOLDER)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def prepare_news_text(text: str) -> tuple[str, list[str]]:
    """The text VADER sees by default, and the proper-noun phrases masked in it.

    Typography is normalised, proper-noun phrases are masked (:func:`proper_noun_spans`), then
    lexicon words in a non-evaluative news sense are masked too (:func:`neutral_sense_spans`).
    """
    masked, phrases = mask_proper_nouns(normalize_typography(text))
    senses = neutral_sense_spans(masked)
    return (_replace_spans(masked, senses) if senses else masked), phrases


# --- public scoring ------------------------------------------------------------------------------

SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]
MASKED_COLUMNS = [*SCORE_COLUMNS, "neg_unmasked", "neu_unmasked", "pos_unmasked", "compound_unmasked", "masked"]


def _as_text(value) -> str:
    return value if isinstance(value, str) else "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def score_texts(texts: Sequence[str] | Iterable[str], *, mask_names: bool = True) -> pd.DataFrame:
    """VADER scores for each text, one row per text, in order (index 0..n-1).

    Columns: `neg`, `neu`, `pos` (shares of the text, 0..1), `compound` (-1..+1). With
    `mask_names=True` (default) these are scored on the text prepared for news (typography
    normalised, proper-noun phrases and non-evaluative news senses masked) with negation reaching
    to the end of its clause (see the module docstring), and the table also has
    `neg_unmasked`, `neu_unmasked`, `pos_unmasked`, `compound_unmasked` (plain VADER on the raw
    text) and `masked` (the masked phrases joined by `; `, "" when none). With `mask_names=False`
    the four columns are plain VADER, identical to `vaderSentiment`'s `polarity_scores`.
    Missing values (None, NaN) score as empty text: all zeros.
    """
    lexicon = vader_lexicon()
    news = news_lexicon() if mask_names else lexicon
    emoji = _emoji_table()
    texts = [_as_text(t) for t in texts]
    plain = [_polarity(t, lexicon, emoji) for t in texts]
    if not mask_names:
        return pd.DataFrame(plain, columns=SCORE_COLUMNS, dtype=float) if plain else _empty(SCORE_COLUMNS)
    rows = []
    for text, unmasked in zip(texts, plain):
        prepared, phrases = prepare_news_text(text)
        scores = _polarity(prepared, news, emoji, NEWS_NEGATION_REACH)
        rows.append((*scores, *unmasked, "; ".join(phrases)))
    if not rows:
        return _empty(MASKED_COLUMNS)
    return pd.DataFrame(rows, columns=MASKED_COLUMNS)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object" if c == "masked" else float) for c in columns})


def polarity_scores(text: str) -> dict[str, float]:
    """Plain VADER scores of one text as a dict (the `vaderSentiment` call, faster)."""
    neg, neu, pos, compound = _polarity(_as_text(text), vader_lexicon(), _emoji_table())
    return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}


def masked_sentiment_words(text: str) -> list[str]:
    """The lexicon words inside the phrases masked in `text`: why its score changed."""
    _, phrases = prepare_news_text(text)
    return _sentiment_words(phrases)


def _sentiment_words(phrases: Iterable[str]) -> list[str]:
    lexicon = vader_lexicon()
    found = []
    for phrase in phrases:
        for word in _vader_words(phrase):
            if word.lower() in lexicon or word.lower() in BOOSTERS:
                found.append(word)
    return found


# --- sentences, paragraphs, articles -------------------------------------------------------------

AGGREGATE_COLUMNS = ["n_sentences", "n_words", "tone", "tone_unmasked", "share_negative", "share_positive"]
_SENTENCE_KEYS = ["doc_id", "sentence", "paragraph", "start", "end"]


def _word_counts(texts: Iterable[str]) -> list[int]:
    return [len(_as_text(t).split()) for t in texts]


def _same_rows(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> bool:
    """Do `left` and `right` hold the same unique `keys`, row by row (same dtypes, none missing)?
    Then a left merge on `keys` is a side-by-side copy."""
    if len(left) != len(right) or left.duplicated(keys).any():
        return False
    for key in keys:
        a, b = left[key], right[key]
        if a.dtype != b.dtype or a.isna().any() or b.isna().any() or not (a.array == b.array).all():
            return False
    return True


def sentence_sentiment(
    sentences: pd.DataFrame, *, mask_names: bool = True, scores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Score each sentence of a sentences table (`corpus.sentences`: doc_id, sentence, paragraph,
    start, end, text).

    Columns: the key columns present among doc_id, sentence, paragraph, start, end; `n_words`
    (white-space words); then the columns of :func:`score_texts` (`neg`, `neu`, `pos`,
    `compound`, and with masking `neg_unmasked` ... `compound_unmasked`, `masked`).

    `scores`, when given, is a table already scored by the pipeline (doc_id, sentence + the
    columns of :func:`score_texts`); it is joined to `sentences` instead of scoring again.
    """
    keys = [c for c in _SENTENCE_KEYS if c in sentences.columns]
    texts = sentences["text"].tolist() if "text" in sentences.columns else []
    out = sentences[keys].reset_index(drop=True).copy()
    out["n_words"] = pd.Series(_word_counts(texts), dtype="int64")
    if scores is not None and "compound" in scores.columns and len(scores) == len(sentences):
        columns = [c for c in MASKED_COLUMNS if c in scores.columns]
        if _same_rows(out, scores, ["doc_id", "sentence"]):
            # The pipeline stores both tables in corpus order: the join is a side-by-side copy.
            joined = pd.concat([out, scores[columns].reset_index(drop=True)], axis=1)
        else:
            joined = out.merge(scores[["doc_id", "sentence", *columns]], on=["doc_id", "sentence"], how="left")
        if joined["compound"].notna().all():
            return joined
    scores = score_texts(texts, mask_names=mask_names)
    return pd.concat([out, scores], axis=1)


def aggregate_tone(scored: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Aggregate scored sentences (or quotes) by `by`: the tone of a paragraph, article, speaker.

    `scored` needs `compound` and `n_words` (and `compound_unmasked` when scored with masking).
    Columns: the `by` columns, `n_sentences` (rows aggregated), `n_words`, `tone` (mean
    `compound` weighted by `n_words`; a row of no words weighs 1), `tone_unmasked` (the same of
    `compound_unmasked`, or of `compound` when there is none), `share_negative` and
    `share_positive` (share of rows with compound <= -0.05 / >= +0.05).
    """
    by = [by] if isinstance(by, str) else list(by)
    if not len(scored):
        return pd.DataFrame({**{c: pd.Series(dtype="object") for c in by},
                             **{c: pd.Series(dtype="float64") for c in AGGREGATE_COLUMNS}})
    weight = scored["n_words"].clip(lower=1).astype(float)
    compound = scored["compound"].astype(float)
    unmasked = scored["compound_unmasked"].astype(float) if "compound_unmasked" in scored else compound
    work = scored[by].copy()
    work["n_sentences"] = 1
    work["n_words"] = scored["n_words"]
    work["_w"] = weight
    work["_wc"] = weight * compound
    work["_wu"] = weight * unmasked
    work["_neg"] = (compound <= -NEUTRAL_BAND).astype(float)
    work["_pos"] = (compound >= NEUTRAL_BAND).astype(float)
    sums = work.groupby(by, sort=True, dropna=False).sum(numeric_only=True)
    result = pd.DataFrame({
        "n_sentences": sums["n_sentences"].astype("int64"),
        "n_words": sums["n_words"].astype("int64"),
        "tone": sums["_wc"] / sums["_w"],
        "tone_unmasked": sums["_wu"] / sums["_w"],
        "share_negative": sums["_neg"] / sums["n_sentences"],
        "share_positive": sums["_pos"] / sums["n_sentences"],
    })
    return result.reset_index()


def score_passages(texts: Sequence[str] | Iterable[str], *, mask_names: bool = True) -> pd.DataFrame:
    """Tone of multi-sentence texts (quotes, snippets, paragraphs), sentence by sentence.

    Each text is split into sentences (punkt, as the corpus loader does), each sentence is scored
    by :func:`score_texts`, and the sentences are aggregated as in :func:`aggregate_tone`.
    Columns, one row per text in order: `n_sentences`, `n_words`, `tone`, `tone_unmasked`,
    `share_negative`, `share_positive`. An empty text has 0 sentences and tone 0.
    """
    from analysis.load.text import sentence_spans

    owners: list[int] = []
    pieces: list[str] = []
    texts = [_as_text(t) for t in texts]
    for k, text in enumerate(texts):
        spans = sentence_spans(text) if text.strip() else []
        for start, end in spans:
            owners.append(k)
            pieces.append(text[start:end])
    scored = score_texts(pieces, mask_names=mask_names)
    scored["n_words"] = _word_counts(pieces)
    scored["_text"] = owners
    table = aggregate_tone(scored, "_text").set_index("_text")
    table = table.reindex(range(len(texts)))
    table[["n_sentences", "n_words"]] = table[["n_sentences", "n_words"]].fillna(0).astype("int64")
    table[AGGREGATE_COLUMNS[2:]] = table[AGGREGATE_COLUMNS[2:]].fillna(0.0)
    return table.reset_index(drop=True)[AGGREGATE_COLUMNS]


def paragraph_sentiment(
    paragraphs: pd.DataFrame, sentences: pd.DataFrame | None = None, *, mask_names: bool = True
) -> pd.DataFrame:
    """Tone of each paragraph (`corpus.paragraphs`: doc_id, paragraph, start, end, text).

    With `sentences` (`corpus.sentences`, or its :func:`sentence_sentiment`), the paragraph's
    sentences are aggregated; without, each paragraph's text is split into sentences here.
    Columns: doc_id, paragraph, then :data:`AGGREGATE_COLUMNS` (`n_sentences`, `n_words`, `tone`,
    `tone_unmasked`, `share_negative`, `share_positive`).
    """
    keys = ["doc_id", "paragraph"]
    if sentences is not None:
        scored = sentences if "compound" in sentences else sentence_sentiment(sentences, mask_names=mask_names)
        table = aggregate_tone(scored, keys)
        table = paragraphs[keys].merge(table, on=keys, how="left")
    else:
        table = pd.concat(
            [paragraphs[keys].reset_index(drop=True), score_passages(paragraphs["text"], mask_names=mask_names)],
            axis=1,
        )
    assert len(table) == len(paragraphs), "one row per paragraph"
    return table


def article_sentiment(
    sentences: pd.DataFrame, articles: pd.DataFrame | None = None, *, mask_names: bool = True
) -> pd.DataFrame:
    """Tone of each article from its sentences (`corpus.sentences` or its :func:`sentence_sentiment`).

    An article's tone is the mean sentence `compound` weighted by sentence length in words (see
    the module docstring). Columns: doc_id, (`date`, `title` when `articles` is given: every
    article of `articles` then has a row), then `n_sentences`, `n_words`, `tone`,
    `tone_unmasked`, `share_negative`, `share_positive`.
    """
    scored = sentences if "compound" in sentences else sentence_sentiment(sentences, mask_names=mask_names)
    table = aggregate_tone(scored, "doc_id")
    if articles is not None:
        extra = [c for c in ("date", "title") if c in articles.columns]
        table = articles[["doc_id", *extra]].merge(table, on="doc_id", how="left")
        assert len(table) == len(articles), "one row per article"
    return table


def masking_changes(scored: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences whose score masking changed, and why.

    `scored` is :func:`sentence_sentiment` of `sentences` (same rows, same order). Columns:
    doc_id, sentence, text, `compound_unmasked`, `compound`, `change` (compound minus
    compound_unmasked), `masked` (the phrases masked) and `sentiment_words` (the lexicon words
    inside them, `; `-joined: the usual reason for the change; empty when the change comes from
    another news rule: typography, e.g. a curly apostrophe in `don’t`, a news sense such as
    `security`, a negation's longer reach or an inflected form). Sorted by the size of the change.
    """
    changed = scored["compound"].to_numpy() != scored["compound_unmasked"].to_numpy()
    rows = scored.loc[changed, ["doc_id", "sentence", "compound_unmasked", "compound", "masked"]].copy()
    rows.insert(2, "text", sentences["text"].to_numpy()[changed])
    rows["change"] = rows["compound"] - rows["compound_unmasked"]
    # `masked` holds the phrases of :func:`masked_sentiment_words`, "; "-joined (a phrase never
    # contains "; ": a name ends at punctuation), so it is read once per distinct value instead of
    # preparing every text again.
    words = {phrases: "; ".join(_sentiment_words(phrases.split("; ") if phrases else []))
             for phrases in rows["masked"].dropna().unique()}
    rows["sentiment_words"] = rows["masked"].map(words).fillna("")
    rows = rows[["doc_id", "sentence", "text", "compound_unmasked", "compound", "change", "masked", "sentiment_words"]]
    return rows.sort_values("change", key=np.abs, ascending=False, kind="stable").reset_index(drop=True)


# --- quotes and speakers ----------------------------------------------------------------------------

def quote_sentiment(quotes: pd.DataFrame, *, mask_names: bool = True, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quotes table (`analysis.extract.quotes.corpus_quotes`) with the tone of each `quote`.

    Adds `n_words` and the columns of :func:`score_texts` (`neg`, `neu`, `pos`, `compound`, and
    with masking `..._unmasked` and `masked`). A quote is scored whole, like a sentence: quotes are
    short, and on short multi-sentence texts VADER's summed valence tracks human ratings better
    than a mean over sentences (see `analysis.evaluate.sentiment`). `scores` may hold quotes already
    scored with masking (`quote` and those columns, as the pipeline's `quote_scores`); only the
    quotes it lacks are scored here.
    """
    # A text's score depends on the text alone, and the same quote recurs (wire copies, repeated
    # lines): each distinct text is scored once.
    distinct, which = _distinct_texts(quotes["quote"] if "quote" in quotes.columns else pd.Series([], dtype="str"))
    if scores is not None and mask_names and len(scores):
        known = scores.set_index("quote")
        missing = [text for text in distinct if text not in known.index]
        if missing:
            known = pd.concat([known, score_texts(missing, mask_names=True).set_axis(pd.Index(missing, name="quote"))])
        scored = known.loc[distinct].reset_index(drop=True)
    else:
        scored = score_texts(distinct, mask_names=mask_names)
    scores = scored.take(which).reset_index(drop=True)
    added = ["n_words", *scores.columns]
    out = quotes.reset_index(drop=True).drop(columns=[c for c in added if c in quotes.columns])
    out["n_words"] = pd.Series(np.asarray(_word_counts(distinct), dtype="int64")[which], dtype="int64")
    return pd.concat([out, scores], axis=1)


def _distinct_texts(texts: pd.Series) -> tuple[list[str], np.ndarray]:
    """The distinct texts (as :func:`score_texts` reads them: missing values are "") in order of
    first appearance, and for each of `texts` the position of its text among them."""
    if pd.api.types.is_string_dtype(texts.dtype) and not pd.api.types.is_object_dtype(texts.dtype):
        which, distinct = pd.factorize(texts.fillna(""))
        return distinct.tolist(), which
    position: dict[str, int] = {}
    which = np.fromiter((position.setdefault(_as_text(t), len(position)) for t in texts), dtype=np.intp,
                        count=len(texts))
    return list(position), which


def tone_by_speaker(quote_scores: pd.DataFrame, *, min_quotes: int = 1) -> pd.DataFrame:
    """Tone of what each speaker is quoted as saying, from :func:`quote_sentiment`.

    Quotes without a speaker are left out. Columns: `speaker`, `speaker_kind` (the most frequent
    one for that speaker), `n_quotes`, `n_articles`, `n_words`, `tone` (mean quote `compound`
    weighted by words), `tone_unmasked`, `share_negative`, `share_positive` (share of quotes
    with compound <= -0.05 / >= 0.05). Sorted by
    `n_quotes` (most first), then speaker. Only speakers with at least `min_quotes` quotes.
    """
    columns = ["speaker", "speaker_kind", "n_quotes", "n_articles", "n_words", "tone", "tone_unmasked",
               "share_negative", "share_positive"]
    if not len(quote_scores) or "speaker" not in quote_scores:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    named = quote_scores[quote_scores["speaker"].notna() & (quote_scores["speaker"].astype(str).str.strip() != "")]
    table = aggregate_tone(named, "speaker").rename(columns={"n_sentences": "n_quotes"})
    n_articles = named.groupby("speaker")["doc_id"].nunique() if "doc_id" in named else named.groupby("speaker").size().clip(upper=1)
    table["n_articles"] = table["speaker"].map(n_articles).fillna(0).astype("int64")
    if "speaker_kind" in named:
        table["speaker_kind"] = table["speaker"].map(_most_frequent(named, "speaker", "speaker_kind"))
    else:
        table["speaker_kind"] = None
    table = table[table["n_quotes"] >= min_quotes]
    table = table.sort_values(["n_quotes", "speaker"], ascending=[False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def _most_frequent(table: pd.DataFrame, by: str, column: str) -> pd.Series:
    """The most frequent non-missing `column` value for each `by` value, the first in sort order
    on a tie, as `Series.mode().iloc[0]` (a `by` value with only missing values has none)."""
    counts = table.groupby([by, column], sort=False).size().rename("_n").reset_index()
    counts = counts.sort_values([by, "_n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates(by).set_index(by)[column]


VOICES = ("direct quote", "reported speech", "narration")


def label_voice(sentences: pd.DataFrame, quotes: pd.DataFrame) -> pd.Series:
    """Who speaks in each sentence: `direct quote`, `reported speech` or `narration`.

    `sentences` has doc_id, start, end (offsets into the article text); `quotes` has doc_id,
    quote_start, quote_end, kind (`direct`, `mixed`, `indirect`). A sentence is a direct quote
    when at least half of its characters lie inside direct or mixed quotes, else reported speech
    when half lie inside any quote (paraphrase), else narration. Returns a Series aligned with
    `sentences`' rows.
    """
    labels = np.full(len(sentences), VOICES[2], dtype=object)
    if not len(sentences) or not len(quotes):
        return pd.Series(labels, index=sentences.index, name="voice")
    # Every (sentence, quote) pair of the same article, as two index arrays: quotes sorted by
    # article, each sentence paired with its article's block of quotes.
    s_doc, q_doc = _shared_codes(sentences["doc_id"], quotes["doc_id"])
    by_doc = np.argsort(q_doc, kind="stable")
    block_start = np.searchsorted(q_doc[by_doc], s_doc, side="left")
    block_size = np.searchsorted(q_doc[by_doc], s_doc, side="right") - block_start
    block_size[s_doc < 0] = 0  # a sentence without an article id has no quotes
    pair_sentence = np.repeat(np.arange(len(sentences)), block_size)
    first_pair = np.cumsum(block_size) - block_size
    pair_quote = by_doc[np.arange(len(pair_sentence)) - np.repeat(first_pair - block_start, block_size)]
    q_start = quotes["quote_start"].to_numpy(dtype=float)[pair_quote]
    q_end = quotes["quote_end"].to_numpy(dtype=float)[pair_quote]
    s_start = sentences["start"].to_numpy(dtype=float)
    s_end = sentences["end"].to_numpy(dtype=float)
    overlap = np.clip(np.minimum(s_end[pair_sentence], q_end) - np.maximum(s_start[pair_sentence], q_start), 0, None)
    direct = quotes["kind"].isin(["direct", "mixed"]).to_numpy()[pair_quote]
    length = np.maximum(s_end - s_start, 1)
    # Quotes do not overlap one another, so a sentence's overlaps add up; offsets are whole
    # numbers, so the sums are exact in any order.
    any_share = np.bincount(pair_sentence, weights=overlap, minlength=len(sentences)) / length
    direct_share = np.bincount(pair_sentence, weights=np.where(direct, overlap, 0.0), minlength=len(sentences)) / length
    labels[any_share >= 0.5] = VOICES[1]
    labels[direct_share >= 0.5] = VOICES[0]
    return pd.Series(labels, index=sentences.index, name="voice")


def _shared_codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of two key columns on one scale (-1 for a missing value)."""
    codes, _ = pd.factorize(pd.concat([left, right], ignore_index=True))
    return codes[:len(left)], codes[len(left):]


def tone_by_voice(scored: pd.DataFrame, voice: pd.Series) -> pd.DataFrame:
    """Tone of quoted against narrated sentences: :func:`aggregate_tone` by `voice`, every voice
    present (0 sentences and NaN tone when a voice does not occur)."""
    work = scored.assign(voice=voice.to_numpy())
    table = aggregate_tone(work, "voice").set_index("voice").reindex(list(VOICES))
    table[["n_sentences", "n_words"]] = table[["n_sentences", "n_words"]].fillna(0).astype("int64")
    return table.reset_index()


# --- arcs, distributions, timelines ---------------------------------------------------------------

def tone_arc(scored: pd.DataFrame, *, window: int = 5) -> pd.DataFrame:
    """Tone through each article, sentence by sentence, smoothed.

    `scored` is :func:`sentence_sentiment`. Columns: doc_id, sentence, `position` (0 at the first
    sentence, 1 at the last; 0 for a one-sentence article), `compound`, `smoothed` (centred
    moving average over `window` sentences, fewer at the edges).
    """
    table = scored[["doc_id", "sentence", "compound"]].sort_values(["doc_id", "sentence"], kind="stable")
    table = table.reset_index(drop=True)
    if not len(table):
        return table.assign(position=pd.Series(dtype=float), smoothed=pd.Series(dtype=float))[
            ["doc_id", "sentence", "position", "compound", "smoothed"]]
    groups = table.groupby("doc_id", sort=False)
    rank = groups.cumcount()
    size = groups["sentence"].transform("size")
    table["position"] = np.where(size > 1, rank / (size - 1).clip(lower=1), 0.0)
    table["smoothed"] = _centred_means(table["compound"].to_numpy(float), rank.to_numpy(), size.to_numpy(), window)
    return table[["doc_id", "sentence", "position", "compound", "smoothed"]]


def _centred_means(values: np.ndarray, rank: np.ndarray, size: np.ndarray, window: int) -> np.ndarray:
    """Centred moving means within consecutive groups, fewer values at the edges.

    The same numbers as pandas' `rolling(window, center=True, min_periods=1).mean()` per group,
    from one running sum instead of a Python call per article (100,000 articles in well under
    a second).
    """
    totals = np.concatenate([[0.0], np.cumsum(values)])
    first = np.arange(len(values)) - rank  # the row where each row's group starts
    low = first + np.maximum(rank - window // 2, 0)
    high = first + np.minimum(rank + (window - 1) // 2, size - 1)
    return (totals[high + 1] - totals[low]) / (high - low + 1)


def mean_arc(arc: pd.DataFrame, *, bins: int = 10) -> pd.DataFrame:
    """The average arc over articles: mean sentence tone by relative position in the article.

    Columns: `bin` (0..bins-1), `position` (the bin's centre, 0..1), `n_sentences`, `n_articles`,
    `tone` (mean compound), `sem` (its standard error; NaN with one sentence).
    """
    table = arc.assign(bin=np.minimum((arc["position"] * bins).astype(int), bins - 1))
    grouped = table.groupby("bin")
    result = pd.DataFrame({
        "n_sentences": grouped.size(),
        "n_articles": grouped["doc_id"].nunique(),
        "tone": grouped["compound"].mean(),
        "sem": grouped["compound"].sem(),
    }).reindex(range(bins))
    result["n_sentences"] = result["n_sentences"].fillna(0).astype("int64")
    result["n_articles"] = result["n_articles"].fillna(0).astype("int64")
    result.insert(0, "position", (np.arange(bins) + 0.5) / bins)
    return result.rename_axis("bin").reset_index()


def tone_distribution(scored: pd.DataFrame, *, width: float = 0.1) -> pd.DataFrame:
    """How many sentences fall in each band of compound score, masked and unmasked.

    Bands are `width` wide and centred on 0, so the middle band is the neutral one (-0.05..+0.05
    with the default width). Columns: `bin_start`, `bin_end`, `n_sentences`,
    `n_sentences_unmasked`.
    """
    half = width / 2
    n_side = int(np.ceil((1.0 - half) / width - 1e-9))
    edges = np.round(np.arange(-n_side - 1, n_side + 1) * width + half, 10)
    masked, _ = np.histogram(scored["compound"].astype(float), bins=edges)
    source = scored["compound_unmasked"] if "compound_unmasked" in scored else scored["compound"]
    unmasked, _ = np.histogram(source.astype(float), bins=edges)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "n_sentences": masked,
                         "n_sentences_unmasked": unmasked})


def timeline_frequency(dates: pd.Series) -> str:
    """A period for a tone timeline: days for dates spanning up to a month, weeks up to a year,
    else months (pandas offset aliases `D`, `W`, `MS`)."""
    dates = pd.to_datetime(dates).dropna()
    if len(dates) < 2:
        return "D"
    span = (dates.max() - dates.min()).days
    return "D" if span <= 31 else "W" if span <= 366 else "MS"


def tone_timeline(article_tones: pd.DataFrame, *, freq: str | None = None) -> pd.DataFrame:
    """Tone over time with the number of articles beside it (as GDELT's tone timeline).

    `article_tones` is :func:`article_sentiment` with `articles` given (so it has `date`).
    Articles without a date are left out. Columns: `period` (start of the day, week or month),
    `n_articles`, `tone` (mean of the articles' tones), `share_negative` (mean share of negative
    sentences). Periods without articles are kept, with 0 articles and NaN tone, so gaps show.
    """
    dated = article_tones.dropna(subset=["date"]) if "date" in article_tones else article_tones.iloc[0:0]
    columns = ["period", "n_articles", "tone", "share_negative"]
    if not len(dated):
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "n_articles": pd.Series(dtype="int64"),
                             "tone": pd.Series(dtype=float), "share_negative": pd.Series(dtype=float)})
    freq = freq or timeline_frequency(dated["date"])
    grouped = dated.set_index(pd.to_datetime(dated["date"])).resample(freq if freq != "W" else "W-MON", label="left", closed="left")
    table = pd.DataFrame({
        "n_articles": grouped["doc_id"].count(),
        "tone": grouped["tone"].mean(),
        "share_negative": grouped["share_negative"].mean(),
    })
    table["n_articles"] = table["n_articles"].astype("int64")
    return table.rename_axis("period").reset_index()[columns]
