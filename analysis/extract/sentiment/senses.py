"""News senses: lexicon words that are not evaluative in news, and the forms VADER's lexicon lacks.

VADER's lexicon was rated for social media, where `party` is fun and `like` is a verb. In news
these words mostly name a topic or are function words; scoring them makes neutral reporting look
positive. :func:`neutral_sense_spans` finds them, one small named rule per word (the registry
:data:`SENSE_RULES`), with the word lists in `analysis/lexicons/sentiment_*`:

* always a topic (`party`, `security`, `defense`, `top`, `shares`, ...): `sentiment_news_topics`;
* `like` as a preposition (not after a subject or auxiliary: `sentiment_like_verb_before`);
* `pretty` as an adverb, `health care` (`sentiment_care_topic_before`), `this kind`
  (`sentiment_determiners`), `certain officials`, `as well`, `tax credit`, a clause-opening
  `Well,` / `Yeah,` / `Okay,`;
* topic compounds (`crude oil`, `interest rates`, `special forces`): `sentiment_compounds`.

:func:`news_lexicon` adds the inflected forms missing from VADER's lexicon (`deaths`, `bombing`);
:func:`tone_lexicon`, the one sentence tone is scored with, averages it with a second rated
lexicon (AFINN).
"""

from __future__ import annotations

import functools
import re
from typing import Callable, NamedTuple

from analysis.extract.sentiment.vader import BOOSTERS, NEGATIONS, afinn_lexicon, vader_lexicon
from analysis.lexicons import table, words

#: Always a topic in news, never an evaluation.
NEWS_TOPIC_WORDS = words("sentiment_news_topics")
_LIKE_VERB_BEFORE = words("sentiment_like_verb_before")
_CARE_TOPIC_BEFORE = words("sentiment_care_topic_before")
_DETERMINERS = words("sentiment_determiners")
_COMPOUND_AFTER = {word: frozenset(after.split()) for word, after in table("sentiment_compounds").items()}
# `pretty` is the adjective after a determiner or degree word (`a pretty garden`, `very pretty`).
_PRETTY_ADJECTIVE_BEFORE = frozenset("a an the very so too how really quite".split())
# `certain` before these is sure (`certain that`, `certain to`), not `particular`.
_CERTAIN_ADJECTIVE_AFTER = frozenset("that to of about".split())
# Discourse markers opening a clause in quoted speech: `Well, ...`, `Yeah, ...`, `Okay, ...`.
_MARKERS = frozenset("well yeah okay ok".split())


class Context(NamedTuple):
    """A lexicon word's surroundings: the words before and after it (lower case, "" if none),
    whether it opens a clause and whether a comma follows it."""

    before: str
    after: str
    clause_start: bool
    comma_after: bool


def _topic(c: Context) -> bool:
    return True


def _like(c: Context) -> bool:
    return c.before not in _LIKE_VERB_BEFORE and not c.before.endswith("ly")


def _pretty(c: Context) -> bool:
    return bool(c.after) and c.before not in _PRETTY_ADJECTIVE_BEFORE


def _care(c: Context) -> bool:
    return c.before in _CARE_TOPIC_BEFORE


def _kind(c: Context) -> bool:
    return c.before in _DETERMINERS


def _certain(c: Context) -> bool:
    return bool(c.after) and not c.comma_after and c.after not in _CERTAIN_ADJECTIVE_AFTER


def _marker(c: Context) -> bool:
    return c.clause_start and c.comma_after


def _compound(word: str) -> Callable[[Context], bool]:
    followers = _COMPOUND_AFTER.get(word, frozenset())
    return lambda c: c.after in followers


def _well(c: Context) -> bool:
    return _marker(c) or c.before == "as" or c.after in _COMPOUND_AFTER["well"]


def _credit(c: Context) -> bool:
    return c.before == "tax" or c.after in _COMPOUND_AFTER["credit"]


#: word -> the rule saying whether it is used in its non-evaluative news sense there.
SENSE_RULES: dict[str, Callable[[Context], bool]] = {
    **{word: _topic for word in sorted(NEWS_TOPIC_WORDS)},
    "like": _like,
    "pretty": _pretty,
    "care": _care,
    "kind": _kind,
    "certain": _certain,
    "yeah": _marker,
    "okay": _marker,
    "ok": _marker,
    "well": _well,
    "credit": _credit,
    **{word: _compound(word) for word in ("crude", "outstanding", "special", "interest", "gross")},
}
_SENSE_VOCABULARY = frozenset(SENSE_RULES)
_SENSE_WORDS = re.compile(
    r"(?<![\w'-])(?:" + "|".join(sorted(_SENSE_VOCABULARY)) + r")(?![\w'-])", re.IGNORECASE
)
_LETTERS = re.compile(r"[a-z]+")
_WORD_BEFORE = re.compile(r"([\w'.-]+)[\s\"(]*$")
_WORD_AFTER = re.compile(r"^[\s\"]*([\w'-]+)")
_CLAUSE_OPENING = frozenset(".!?:;\"(“‘[—–")


def neutral_sense_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each lexicon word used in a non-evaluative news sense (:data:`SENSE_RULES`:
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
        context = Context(
            before.group(1).lower() if before else "",
            after.group(1).lower() if after else "",
            not prefix or prefix[-1] in _CLAUSE_OPENING,
            text.startswith(",", end),
        )
        if SENSE_RULES[match.group().lower()](context):
            spans.append((start, end))
    return spans


_NO_INFLECTION = words("sentiment_no_inflection")
# `in-`, `dis-`, `non-` make too many other words (`display`, `disease`, `nonprofit`); `un-` rarely does.
NEGATED_PREFIX_SCALE = 0.8
_NOT_A_BASE_FORM = ("ed", "ing", "ly", "ness", "ful", "less", "ous", "ive", "able", "ible")


def _inflected_forms(base: str) -> set[str]:
    """Plural, past and -ing forms of a base word (`stop` -> `stops`, `stopped`, `stopping`)."""
    forms = {base + "s", base + "ed", base + "ing"}
    if base.endswith("e"):
        forms |= {base + "d", base[:-1] + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(base + "es")
    if base.endswith("y") and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) <= 5 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # stop -> stopped, stopping
    return forms


@functools.cache
def news_lexicon() -> dict[str, float]:
    """VADER's lexicon plus the inflected forms it lacks, for news mode.

    VADER's raters scored word forms: `death` (-2.9) and `crime` (-2.5) are in the lexicon but
    `deaths` and `crimes` are not, nor `bombing`, `injuries`, `crashed`. Each missing plural,
    past and -ing form of a lexicon word with a valence of at least 1 (in absolute value) takes
    the base word's valence, except for words whose inflected form names something else in news
    (`hands`, `goods`, `odds`, `justices`) and the words the news-sense rules set aside.
    Then the words that judge people and conduct in news but that VADER lacks
    (`sentiment_news_tone`: `indicted`, `misconduct`, `corruption`, `victory`, `legacy`) and the
    `un-` forms of praise words (`unpopular`, `unhelpful`: minus 0.8 times the base valence).
    """
    lexicon = vader_lexicon()
    extended = dict(lexicon)
    skip = _NO_INFLECTION | _SENSE_VOCABULARY | set(BOOSTERS) | NEGATIONS
    for base, valence in lexicon.items():
        if abs(valence) < 1.0 or not base.isalpha() or len(base) < 3 or base in skip:
            continue
        if base.endswith(_NOT_A_BASE_FORM):  # already inflected or derived: `devoted`, `gently`
            continue
        for form in _inflected_forms(base):
            if form not in lexicon and form not in skip:
                extended.setdefault(form, valence)
    for word, value in table("sentiment_news_tone").items():
        extended.setdefault(word.lower(), float(value))
    for base, valence in lexicon.items():
        if valence >= 1.0 and base.isalpha() and len(base) >= 5:
            extended.setdefault("un" + base, -NEGATED_PREFIX_SCALE * valence)
    return extended


#: In :func:`tone_lexicon` a word rated by both lexicons takes this share of VADER's (news) valence
#: and the rest of AFINN's.
VADER_SHARE = 0.5


@functools.cache
def tone_lexicon() -> dict[str, float]:
    """The lexicon of sentence tone: :func:`news_lexicon` averaged with AFINN's word list.

    Two lexicons rated by different people disagree on single words (`praise` 2.6 in VADER and
    2.4 in AFINN, `fight` -1.6 and -1.2, `vowed` only in one): the mean of two independent
    ratings is a better estimate of a word's valence, and the union covers words one of them
    lacks (`deadly`, `atrocity`, `kickbacks`). A word in both takes :data:`VADER_SHARE` of the
    news valence and the rest of AFINN's (scaled to VADER's range, see
    :func:`analysis.extract.sentiment.vader.afinn_lexicon`); a word only in AFINN is added unless
    the news rules keep it out (boosters, negations, words with a news sense, forms that name
    something else: `goods`, `hands`) or it names a topic in news (`sentiment_afinn_topics`).
    The words the project rated itself (`sentiment_news_tone`) keep their valence.
    """
    news = news_lexicon()
    tone = dict(news)
    own = set(table("sentiment_news_tone"))
    keep_out = _NO_INFLECTION | _SENSE_VOCABULARY | set(BOOSTERS) | NEGATIONS | words("sentiment_afinn_topics")
    for word, valence in afinn_lexicon().items():
        if word in news:
            if word not in own:
                tone[word] = VADER_SHARE * news[word] + (1 - VADER_SHARE) * valence
        elif word not in keep_out:
            tone[word] = valence
    return tone
