"""Tone of a sentence toward one person in it: "Critics blasted Clinton's record" is negative
toward Clinton, "Clinton blasted critics" much less so.

    >>> from analysis.extract.sentiment.targets import score_targets
    >>> text = "Critics blasted Clinton's record."
    >>> score_targets([text], [(16, 23)])   # the span of `Clinton`

Method
------
The sentence is prepared as for :func:`analysis.extract.sentiment.score_texts` (typography
normalised, other names and non-evaluative news senses masked), with the target mention replaced
by a neutral marker word (so `Hope Hicks` or `Joy Reid` carry no tone of their own), and VADER's
rules with the news lexicon (VADER's words, their inflections, the words that judge people in
news such as `indicted`, `misconduct`, `victory`, `legacy`, and `un-` forms such as `unpopular`)
give the valence of each sentiment word after negation, boosters and the `but` rule. A handful of features then say where that valence sits
relative to the person (:data:`FEATURES`):

* valence weighed by token distance to the mention, positive and negative apart (negative words
  near a person weigh more in news than praise does);
* valence in the mention's own clause, before it (the person as object: `critics blasted X`,
  `praised X`) and after it (the person as subject: `X blasted critics`, `X's record is poor`);
* attribution: when the person is the speaker of a reporting verb (`X said`, `said X`,
  `according to X`), the tone of what they say is theirs, not the text's toward them; valence
  inside quotation marks the person is outside of is counted apart;
* what the person does (the verb they are the subject of, to the end of its clause: `X blasted
  critics`; or the verb of a passive they are the agent of) counts only as `acting`, apart from
  the words said of them: the annotators still read some of an attack's tone onto its author, but
  less;
* valence next to a later pronoun (`his handling`), whether the mention opens its clause, the
  number of other names in the sentence (tone spreads over several people) and the tone of the
  whole sentence.

Beside these hand-built features the classifier reads learned word inputs
(:func:`lexical_features`): each word left or right of the mention in three distance buckets
(1-3, 4-10 and more tokens: `L1:blasted`, `R2:resign`) and every word of the sentence (`S:`), with
the mention and the other names masked. A multinomial logistic regression with an L2 penalty
(`tools/train_targets.py`, trained on the dev part of the NewsMTSC training split; penalties and
the class offsets that favour macro-F1 chosen by cross-validation within dev) gives the class
probabilities: `compound` is P(positive) - P(negative), `label` the most probable class. Its
coefficients are the table `analysis/lexicons/target_tone_weights.tsv` (30 hand-built inputs and
about 7,300 words that occur in at least five dev targets, three weights each); nothing is
downloaded.

Measured with `python -m analysis evaluate targets train.jsonl --sample check` (NewsMTSC training
split, the fifth of the sentences never used for fitting or choosing): macro-F1 0.651 (0.597 with
the hand-built features alone, 0.557 for the sentence's news tone, 0.522 for plain VADER);
cross-validated within dev 0.644. About 0.27 ms CPU per target (0.18 with the hand-built features
alone).
"""

from __future__ import annotations

import functools
import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.extract.sentiment.masking import (
    PLACEHOLDER,
    _replace_spans,
    name_spans,
    normalize_typography,
    prepare_news_text,
)
from analysis.extract.sentiment.senses import neutral_sense_spans, news_lexicon
from analysis.extract.sentiment.vader import (
    NEWS_NEGATION_REACH,
    _emoji_table,
    prepare_for_vader,
    word_valences,
)
from analysis.lexicons import table, words

#: The word that stands in for the target mention while the sentence is scored: lower case, so
#: the name masker leaves it, and in no lexicon.
MARKER = "targetmention"
LABELS = ("negative", "neutral", "positive")
#: Token distance at which a sentiment word's weight toward the person falls to 1/e.
DISTANCE_SCALE = 4.0
#: Tokens before the mention in its clause that can hold the verb or adjective acting on it.
OBJECT_REACH = 5
TARGET_COLUMNS = ["compound", "label"]

FEATURES = (
    "sentence",        # squashed valence of the whole sentence
    "near_negative",   # distance-weighted negative valence
    "near_positive",   # distance-weighted positive valence
    "clause",          # valence in the mention's clause
    "before",          # valence up to OBJECT_REACH tokens before the mention, same clause
    "after",           # valence after the mention, same clause
    "possessive",      # valence just after a possessive mention (`X's failed plan`)
    "speaker",         # 1 when the person is the speaker of a reporting verb
    "speaker_tone",    # the sentence's valence when the person speaks (their words, not about them)
    "quoted_other",    # valence inside quotation marks that do not contain the mention
    "in_quote",        # 1 when the mention is inside quotation marks
    "others",          # 1 - 1/(1 + other names in the sentence)
    "strength",        # |near| + |clause|: how much sentiment surrounds the person at all
    "close_negative",  # negative valence within two tokens or so (weight falls to 1/e at 1.5)
    "close_positive",
    "pronoun",         # valence next to a later `he`/`his`/`she`/`her`/`they` (the same person, often)
    "negative_words",  # share of the sentence's sentiment words that are negative
    "subject",         # 1 when the mention opens its clause
    "acting",          # valence of what the person does (`X blasted critics`): no other feature has it
)

#: The valence features whose size, whatever its sign, also enters the classifier.
MAGNITUDE_FEATURES = ("sentence", "near_negative", "near_positive", "clause", "before", "after",
                      "close_negative", "close_positive", "pronoun", "acting")

_PRONOUNS = frozenset("he his him she her they their them".split())
_SUBJECT_OPENERS = frozenset("the a an and president mr. ms. mrs. dr. sen. rep. gov.".split())
_AUXILIARIES = frozenset("also has had have again then later repeatedly publicly openly".split())
_CLAUSE_END = frozenset(",;:()")
_CLAUSE_OPENERS = frozenset("but while although though because whereas who which after before since".split())
_LEXICAL_STRIP = "\"',.;:()!?[]"
#: Token distances that bound the near and middle buckets of :func:`lexical_features`.
LEXICAL_NEAR = 3
LEXICAL_MID = 10


@functools.cache
def _reporting_forms() -> frozenset[str]:
    """Every form of the project's reporting verbs, lower case (`said`, `tweets`, `warned`)."""
    forms = set(words("speech_verbs"))
    for base, value in table("reporting_verbs").items():
        forms.add(base)
        for form in value.replace("|", ",").split(","):
            if form.strip():
                forms.add(form.strip())
    return frozenset(f.lower() for f in forms)


@functools.cache
def _table_rows() -> tuple[tuple[str, np.ndarray], ...]:
    rows = table("target_tone_weights")
    return tuple((name, np.array([float(x) for x in value.split()], dtype=float)) for name, value in rows.items())


@functools.cache
def _weights() -> tuple[tuple[str, ...], np.ndarray]:
    """The classifier's weights of the hand-built inputs: their names (with `bias`, as
    :func:`model_inputs` names them) and a (inputs, 3) matrix."""
    rows = [(name, row) for name, row in _table_rows() if ":" not in name]
    return tuple(name for name, _ in rows), np.array([row for _, row in rows], dtype=float).reshape(-1, 3)


@functools.cache
def _lexical_weights() -> tuple[dict[str, int], np.ndarray]:
    """The classifier's weights of the learned word inputs (:func:`lexical_features`): their row
    by name, and a (words, 3) matrix."""
    rows = [(name, row) for name, row in _table_rows() if ":" in name]
    return {name: k for k, (name, _) in enumerate(rows)}, np.array([row for _, row in rows], dtype=float).reshape(-1, 3)


def _squash(x: float, alpha: float = 4.0) -> float:
    return x / math.sqrt(x * x + alpha)


def _locate(text: str, start: int, end: int) -> tuple[list[str], list[str], list[int], list[float], int]:
    """Raw tokens, VADER tokens, valence positions and values of the prepared sentence, and the
    token index of the mention (replaced by :data:`MARKER`)."""
    start, end = max(0, int(start)), min(len(text), int(end))
    if end <= start:
        start = end = 0
    prepared = prepare_for_vader(_marked_news_text(text, start, end), _emoji_table())
    tokens, positions, values = word_valences(prepared, news_lexicon(), NEWS_NEGATION_REACH)
    raw = prepared.split()
    target = next((i for i, token in enumerate(raw) if MARKER in token.lower()), 0)
    return raw, tokens, positions, values, target


def _marked_news_text(text: str, start: int, end: int) -> str:
    """`text` prepared as :func:`prepare_news_text` does, with the mention `text[start:end]` (and
    any name phrase overlapping it, `President Trump` around `Trump`) replaced by :data:`MARKER`.
    The sentence's name phrases are found once per sentence (:func:`_sentence_names`), however
    many people it names."""
    normalized = normalize_typography(text)
    if len(normalized) != len(text):  # a dash or an ellipsis moved the offsets: mark, then mask
        marked = f"{text[:start]} {MARKER}{text[end:]}" if start else f"{MARKER}{text[end:]}"
        return prepare_news_text(marked)[0]
    others = []
    for a, b in _sentence_names(normalized):
        if a < end and b > start and end > start:
            start, end = min(start, a), max(end, b)
        else:
            others.append((a, b))
    pieces, last = [], 0
    for a, b, piece in sorted([*((a, b, PLACEHOLDER) for a, b in others), (start, end, None)]):
        if a < last:  # a name phrase inside the widened mention
            continue
        pieces.append(normalized[last:a])
        pieces.append(PLACEHOLDER if piece else (f" {MARKER}" if a else MARKER))
        last = b
    pieces.append(normalized[last:])
    masked = "".join(pieces)
    senses = neutral_sense_spans(masked)
    return _replace_spans(masked, senses) if senses else masked


@functools.lru_cache(maxsize=1024)
def _sentence_names(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(name_spans(text))


def _clauses(raw: list[str]) -> list[int]:
    """A clause number per token: a new clause after `, ; : ( )` and at `but`, `while`, `who`..."""
    ids, current = [], 0
    for token in raw:
        if token.lower().strip("\"'") in _CLAUSE_OPENERS:
            current += 1
        ids.append(current)
        if token[-1] in _CLAUSE_END or token[0] in "(":
            current += 1
    return ids


def _quoted(raw: list[str]) -> list[bool]:
    """Is each token inside straight double quotation marks (typography is normalised first)?"""
    inside, out = False, []
    for token in raw:
        opens = token.startswith('"')
        if opens:
            inside = True
        out.append(inside)
        if token.endswith('"') and (len(token) > 1 or not opens) or token.count('"') == 2:
            inside = False
    return out


def _is_speaker(raw: list[str], t: int) -> bool:
    """`X said`, `X also said`, `X, ..., said` (within 2 tokens), `said X`, `according to X`."""
    forms = _reporting_forms()
    lowers = [w.lower().strip("\"',.;:") for w in raw]
    after = [lowers[i] for i in range(t + 1, min(t + 3, len(raw)))]
    before = lowers[max(0, t - 2):t]
    if any(w in forms for w in after) and not raw[t].endswith("'s"):
        return True
    return bool(before) and (before[-1] in forms or before == ["according", "to"])


def target_features(text: str, start: int, end: int) -> list[float]:
    """The :data:`FEATURES` of the mention `text[start:end]`, in that order."""
    return _analyse(text, start, end)[0]


def _analyse(text: str, start: int, end: int) -> tuple[list[float], list[str]]:
    """The :data:`FEATURES` and the :func:`lexical_features` of the mention `text[start:end]`,
    from one preparation of the sentence."""
    raw, tokens, positions, values, t = _locate(text, start, end)
    if not raw:
        return [0.0] * len(FEATURES), []
    own = _own_predicate(raw, t)
    return _hand_features(raw, positions, values, t, own), lexical_features(raw, t)


def _hand_features(raw: list[str], positions: list[int], values: list[float], t: int, own: range) -> list[float]:
    """The :data:`FEATURES`; the valence of what the person does (`own`, :func:`_own_predicate`:
    `X blasted critics`) is the `acting` feature alone, apart from what is said of them."""
    acting = sum(v for i, v in zip(positions, values) if i in own)
    positions, values = [i for i in positions if i not in own], [v for i, v in zip(positions, values) if i not in own]
    clause, quoted = _clauses(raw), _quoted(raw)
    near_neg = near_pos = in_clause = before = after = possessive = quoted_other = 0.0
    possessive_mention = raw[t].lower().rstrip(",.;:").endswith(("'s", "'"))
    for i, v in zip(positions, values):
        weight = math.exp(-abs(i - t) / DISTANCE_SCALE)
        if v < 0:
            near_neg += v * weight
        else:
            near_pos += v * weight
        if clause[i] == clause[t]:
            in_clause += v
            if i < t and t - i <= OBJECT_REACH:
                before += v
            elif i > t:
                after += v
        if possessive_mention and 0 < i - t <= 3:
            possessive += v
        if quoted[i] and not quoted[t]:
            quoted_other += v
    total = sum(values)
    close_neg = sum(v * math.exp(-abs(i - t) / 1.5) for i, v in zip(positions, values) if v < 0)
    close_pos = sum(v * math.exp(-abs(i - t) / 1.5) for i, v in zip(positions, values) if v > 0)
    pronouns = [k for k in range(t + 1, len(raw)) if raw[k].lower().strip("\"',.;:()") in _PRONOUNS]
    pronoun = sum(v for i, v in zip(positions, values) if any(abs(i - k) <= 2 for k in pronouns))
    n_neg = sum(1 for v in values if v < 0)
    share_neg = n_neg / len(values) if values else 0.0
    subject = t == 0 or clause[t - 1] != clause[t] or raw[t - 1].lower() in _SUBJECT_OPENERS
    speaker = _is_speaker(raw, t)
    others = sum(1 for token in raw if token.strip("\"',.;:()") == PLACEHOLDER)
    return [
        _squash(total), _squash(near_neg), _squash(near_pos), _squash(in_clause), _squash(before),
        _squash(after), _squash(possessive), float(speaker), _squash(total) * speaker,
        _squash(quoted_other), float(quoted[t]), 1.0 - 1.0 / (1.0 + others),
        abs(_squash(near_neg + near_pos)) + abs(_squash(in_clause)),
        _squash(close_neg), _squash(close_pos), _squash(pronoun), share_neg, float(subject),
        _squash(acting),
    ]


@functools.lru_cache(maxsize=65536)
def _lexical_word(token: str) -> str:
    word = token.lower().strip(_LEXICAL_STRIP)
    if MARKER in word:
        return "@target"
    return "@name" if word.startswith(PLACEHOLDER) else word


def lexical_features(raw: list[str], t: int) -> list[str]:
    """The words around the mention at token `t` of the prepared sentence `raw`, as the names of
    the classifier's learned inputs (each counted once): `L1:word` for a word up to
    :data:`LEXICAL_NEAR` tokens left of the mention, `L2:` up to :data:`LEXICAL_MID`, `L3:`
    further; `R1:`, `R2:`, `R3:` the same to the right; `S:word` for every word of the sentence.
    The mention reads `@target`, other people `@name` (they are masked), so no name carries tone."""
    out = []
    for i, token in enumerate(raw):
        word = _lexical_word(token)
        if i == t or not word:
            continue
        distance = abs(i - t)
        bucket = 1 if distance <= LEXICAL_NEAR else 2 if distance <= LEXICAL_MID else 3
        out.append(f"{'L' if i < t else 'R'}{bucket}:{word}")
        out.append(f"S:{word}")
    return list(dict.fromkeys(out))


def _own_predicate(raw: list[str], t: int) -> range:
    """The tokens of what the person at `t` does: from the verb they are the subject of
    (:func:`_acting_verb`) to the end of its clause (`X blasted critics of the plan`), or the verb
    of a passive they are the agent of (`criticized by X`); empty for a possessive mention."""
    if raw[t].lower().rstrip(",.;:").endswith(("'s", "'")):
        return range(0)
    verb = _acting_verb(raw, t)
    if verb is None:
        return range(0)
    if verb < t:
        return range(verb, verb + 1)
    clause = _clauses(raw)
    end = verb
    while end + 1 < len(raw) and clause[end + 1] == clause[verb]:
        end += 1
    return range(verb, end + 1)


def _acting_verb(raw: list[str], t: int) -> int | None:
    """The token of the verb the person at `t` is the subject of, when it follows directly
    (`X blasted`, `X also slams`, `X has criticized`): a past or third-person form; or the agent
    of a passive (`criticized by X`)."""
    if t >= 2 and raw[t - 1].lower() == "by" and raw[t - 2].lower().strip("\"',.;:()").endswith("ed"):
        return t - 2
    for k in range(t + 1, min(t + 4, len(raw))):
        word = raw[k].lower().strip("\"',.;:()")
        if word in _AUXILIARIES:
            continue
        if raw[k - 1][-1] in _CLAUSE_END:
            return None
        return k if word.endswith(("ed", "es", "s")) and len(word) > 3 else None
    return None


def feature_matrix(sentences: Sequence[str], spans: Iterable[tuple[int, int]]) -> np.ndarray:
    """One row of :func:`target_features` per (sentence, span)."""
    return target_inputs(sentences, spans)[0]


def target_inputs(sentences: Sequence[str], spans: Iterable[tuple[int, int]]) -> tuple[np.ndarray, list[list[str]]]:
    """The :func:`feature_matrix` rows and the :func:`lexical_features` of each (sentence, span)."""
    pairs = [_analyse(_text(s), a, b) for s, (a, b) in zip(sentences, spans)]
    rows = np.array([hand for hand, _ in pairs], dtype=float).reshape(len(pairs), len(FEATURES))
    return rows, [lexical for _, lexical in pairs]


def _text(value) -> str:
    return value if isinstance(value, str) else "" if value is None or value != value else str(value)


def model_inputs(features: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """The classifier's inputs from :func:`feature_matrix` rows: `bias`, every feature, and the
    absolute value (`|name|`) of each of :data:`MAGNITUDE_FEATURES`, which lets a linear model say
    "much sentiment either way, so not neutral"."""
    names = ("bias", *FEATURES, *(f"|{name}|" for name in MAGNITUDE_FEATURES))
    columns = [FEATURES.index(name) for name in MAGNITUDE_FEATURES]
    design = np.hstack([np.ones((len(features), 1)), features, np.abs(features[:, columns])])
    return names, design


def probabilities(features: np.ndarray, names: Sequence[str] | None = None, weights: np.ndarray | None = None,
                  lexical: Sequence[Sequence[str]] | None = None,
                  lexical_weights: tuple[dict[str, int], np.ndarray] | None = None) -> np.ndarray:
    """Class probabilities (negative, neutral, positive) per feature row, by the committed
    weights (or the given ones, `names` naming their rows as :func:`model_inputs` does), plus the
    weights of each row's `lexical` inputs (:func:`lexical_features`; words without a weight add
    nothing; `lexical_weights` is (row by name, matrix) as :func:`_lexical_weights` gives)."""
    if weights is None:
        names, weights = _weights()
    if lexical_weights is None:
        lexical_weights = _lexical_weights()
    inputs, design = model_inputs(features)
    index = {name: k for k, name in enumerate(inputs)}
    missing = [name for name in names if name not in index]
    if missing:
        raise ValueError(f"target tone weights name unknown inputs {missing}; re-run tools/train_targets.py --write")
    logits = design[:, [index[name] for name in names]] @ weights
    if lexical:
        logits += _lexical_logits(lexical, lexical_weights)
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def _lexical_logits(lexical: Sequence[Sequence[str]], lexical_weights: tuple[dict[str, int], np.ndarray]) -> np.ndarray:
    """The summed weights of each row's word inputs, shape (rows, 3)."""
    index, matrix = lexical_weights
    found = [(row, index[name]) for row, names in enumerate(lexical) for name in names if name in index]
    if not found:
        return np.zeros((len(lexical), 3))
    rows, columns = np.array(found).T
    weights = matrix[columns]
    return np.stack([np.bincount(rows, weights[:, k], minlength=len(lexical)) for k in range(3)], axis=1)


def score_targets(sentences: Sequence[str], spans: Iterable[tuple[int, int]]) -> pd.DataFrame:
    """Tone of each sentence toward the person at its span, one row per (sentence, span) pair.

    `spans` are (start, end) character offsets of the mention in the sentence. Columns:
    `compound` (-1..+1: P(positive) - P(negative)) and `label` (`negative`, `neutral` or
    `positive`, the most probable class). Index 0..n-1 in input order.
    """
    sentences = list(sentences)
    spans = list(spans)
    if len(sentences) != len(spans):
        raise ValueError(f"score_targets: {len(sentences)} sentences but {len(spans)} spans")
    if not sentences:
        return pd.DataFrame({"compound": pd.Series(dtype=float), "label": pd.Series(dtype=object)})
    features, lexical = target_inputs(sentences, spans)
    p = probabilities(features, lexical=lexical)
    return pd.DataFrame({
        "compound": np.round(p[:, 2] - p[:, 0], 4),
        "label": np.array(LABELS, dtype=object)[p.argmax(axis=1)],
    })
