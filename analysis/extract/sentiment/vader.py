"""VADER's scoring rules (vaderSentiment 3.3.2), reimplemented for speed.

`polarity(text, lexicon, emoji)` gives VADER's (neg, neu, pos, compound) of one text: one pass
over the tokens, the lexicon read once per process. With VADER's own lexicon and the default
negation reach it equals `SentimentIntensityAnalyzer().polarity_scores(text)`, quirks included.
News mode (see `analysis.extract.sentiment`) passes a larger lexicon and a longer negation reach,
which also weighs a concessive clause half.

The steps of one text, each a function below: the tokens (:func:`_vader_words`), the valence of
each lexicon word (:func:`_word_valence`: negation by `no`, capitals, then the three words before
it in :func:`_preceding_words`), the `but` and concessive rules, and the sums
(:func:`_scores_from_valences`).
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import string

from analysis.lexicons import words
from analysis.load.nlp_data import afinn_lexicon_path, vader_lexicon_path

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

NEGATIONS = words("negations")

#: Degree adverbs: the valence they add to (or take from) the sentiment word they precede.
BOOSTERS: dict[str, float] = {
    **{w: B_INCR for w in sorted(words("sentiment_boosters_up"))},
    **{w: B_DECR for w in sorted(words("sentiment_boosters_down"))},
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


#: AFINN rates words -5..+5, VADER -4..+4: AFINN's valences are scaled onto VADER's range.
AFINN_SCALE = 0.8


@functools.cache
def afinn_lexicon() -> dict[str, float]:
    """AFINN's English word list (`AFINN-en-165`), single words only, word -> valence on VADER's
    scale (AFINN's integer rating times :data:`AFINN_SCALE`), read once per process. Its phrases
    (`not good`, `fed up`) are left out: the scorer matches one token at a time and its negation
    and phrase rules already cover them."""
    lexicon: dict[str, float] = {}
    for line in afinn_lexicon_path().read_text(encoding="utf-8").split("\n"):
        word, _, rating = line.strip().rpartition("\t")
        if word and " " not in word:
            lexicon[word.lower()] = AFINN_SCALE * float(rating)
    return lexicon


# Bases whose inflected forms mean something else in news: `hands`, `kinds`, `goods`, `odds`,
# `justices`, `trusts` (funds), `fines` (penalties), `gods`, `highlighted` (pointed out).
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


def polarity(
    text: str, lexicon: dict[str, float], emoji: tuple, negation_reach: int = 3
) -> tuple[float, float, float, float]:
    """(neg, neu, pos, compound) of one text by VADER's rules.

    `negation_reach` > 3 extends VADER's three-word negation window, within the clause, to that
    many words (`did not seem to be a good idea`), and weighs a concessive clause half; 3 is
    VADER exactly.
    """
    text = prepare_for_vader(text, emoji)
    words, positions, values = word_valences(text, lexicon, negation_reach)
    if not words:
        return 0.0, 0.0, 0.0, 0.0
    # No valences at all gives (0, 1, 0, 0), as VADER.
    return _scores_from_valences(text, values, len(words))


def prepare_for_vader(text: str, emoji: tuple) -> str:
    """The text as VADER tokenises it: emoji replaced by their descriptions, edges stripped."""
    pattern, table = emoji
    # Every emoji is outside ASCII; a set test is much faster than the regex's 1,200-way class.
    if pattern is not None and not text.isascii() and not table.keys().isdisjoint(text):
        text = _replace_emoji(text, pattern, table)
    return text.strip()


def word_valences(
    text: str, lexicon: dict[str, float], negation_reach: int = 3
) -> tuple[list[str], list[int], list[float]]:
    """VADER's tokens of `text` (already through :func:`prepare_for_vader`), and the position and
    final valence (after negation, boosters, `but` and concessive rules) of each token that
    carries one. The sums of :func:`polarity` are taken over these values."""
    words = _vader_words(text)
    if not words:
        return words, [], []
    lowers = [w.lower() for w in words]
    # Only lexicon words get a valence; find them in one pass at C speed.
    hits = [i for i, word in enumerate(lowers) if word in lexicon]
    if not hits:
        return words, [], []
    sentence = _Sentence(text, words, lowers, lexicon, negation_reach)
    positions: list[int] = []
    values: list[float] = []
    for i in hits:
        valence = _word_valence(sentence, i)
        if valence:
            positions.append(i)
            values.append(valence)
    if values and "but" in lowers:
        _but_rule(positions, values, lowers.index("but"))
    if values and negation_reach > 3 and CONCESSIVE_FACTOR != 1.0 and not _CONCESSIVES.isdisjoint(lowers):
        _concessive_rule(sentence.raw_tokens(), lowers, positions, values)
    return words, positions, values


class _Sentence:
    """One text's tokens as the rules read them: VADER's words, lower-cased, and (only when a rule
    needs them) the white-space tokens with their punctuation."""

    __slots__ = ("text", "words", "lowers", "n", "lexicon", "reach", "cap_diff", "_raw")

    def __init__(self, text: str, words: list[str], lowers: list[str], lexicon: dict[str, float], reach: int):
        self.text, self.words, self.lowers, self.n = text, words, lowers, len(words)
        self.lexicon, self.reach = lexicon, reach
        n_upper = sum(map(str.isupper, words))
        self.cap_diff = 0 < n_upper < self.n  # ALL-CAPS words stand out only among others
        self._raw: list[str] | None = None

    def raw_tokens(self) -> list[str]:
        if self._raw is None:
            self._raw = self.text.split()  # with their punctuation: where the clauses end
        return self._raw


def _word_valence(sentence: _Sentence, i: int) -> float:
    """The valence of lexicon word i after VADER's rules (0.0 for boosters and `kind of`)."""
    lowers, words, lex, n = sentence.lowers, sentence.words, sentence.lexicon, sentence.n
    word = lowers[i]
    base = lex[word]
    if word in BOOSTERS or (word == "kind" and i + 1 < n and lowers[i + 1] == "of"):
        return 0.0
    valence = base
    if word == "no" and i != n - 1 and lowers[i + 1] in lex:
        valence = 0.0
    if (
        (i > 0 and lowers[i - 1] == "no")
        or (i > 1 and lowers[i - 2] == "no")
        or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in _OR_NOR)
    ):
        valence = base * N_SCALAR
    if sentence.cap_diff and words[i].isupper():
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    valence = _preceding_words(sentence, i, valence)
    if i > 0 and lowers[i - 1] == "least" and "least" not in lex:
        if i == 1 or (lowers[i - 2] != "at" and lowers[i - 2] != "very"):
            valence *= N_SCALAR
    if sentence.reach > 3 and i > 3 and _negated_further(sentence.raw_tokens(), lowers, i, sentence.reach):
        valence *= N_SCALAR
    return valence


def _preceding_words(sentence: _Sentence, i: int, valence: float) -> float:
    """VADER's rules on the three words before word i (only words outside the lexicon count):
    boosters, negations, `never so`, `without doubt`, and the idioms."""
    lowers, words, lex, n = sentence.lowers, sentence.words, sentence.lexicon, sentence.n
    for back in (1, 2, 3):
        if i < back:
            break
        prev = lowers[i - back]
        if prev in lex:
            continue
        scalar = BOOSTERS.get(prev)
        if scalar is not None:
            valence += _booster_scalar(scalar, valence, back, sentence.cap_diff and words[i - back].isupper())
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
    return valence


def _booster_scalar(scalar: float, valence: float, back: int, shouted: bool) -> float:
    """What a booster `back` words before a sentiment word adds to its valence."""
    if valence < 0:
        scalar = -scalar
    if shouted:
        scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    if back == 2:
        scalar *= 0.95
    elif back == 3:
        scalar *= 0.9
    return scalar


def _scores_from_valences(text: str, values: list[float], n: int) -> tuple[float, float, float, float]:
    """VADER's sums: compound from the summed valence and punctuation emphasis, and the shares."""
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

