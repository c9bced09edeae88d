"""Finding proper-noun phrases (names) in news text, with a person / place / organisation guess.

    >>> from analysis.extract.names import proper_noun_spans
    >>> text = "President Nicolás Maduro spoke to the State Department."
    >>> [(text[s:e], kind) for s, e, kind in proper_noun_spans(text)]
    [('Nicolás Maduro', 'person'), ('State Department', 'organization')]

A name is a run of capitalised word tokens (accents welcome, `U.S.` and middle initials allowed)
that may hold joiners such as `of`, `de`, `van` (`Department of Defense`, `Gulf of Mexico`). The
evidence used, in order:

* Capitalisation at the start of a sentence says nothing, so a sentence-initial word joins a name
  only if it is not a common word: not a stop word, never written in lower case in this article,
  and not known from NLTK's punkt training statistics (which record whether a word was seen in
  lower case) -- unless the same word is capitalised mid-sentence elsewhere in the article.
* Titles (President, Sen., Col., Prime Minister, ...) are cut off and mark what follows as a
  `person` (`Army Col. Amanda Azubuike` gives `Army` and the person `Amanda Azubuike`).
* Head words (Department, Council, Command, University, ...), a few well-known bodies and acronyms
  suggest an `organization`; a list of countries, US states, large cities and regions, and head
  words such as River or Street, suggest a `place`.
* A single word that is the surname of a person named earlier or later in the same article is a
  `person` (`Maduro` after `Nicolás Maduro`), as is a short run of words that are never common
  words (`Evan Ellis`). Otherwise the guess is None.

This is the project's one proper-noun detector. Term counting (`analysis.extract.terms`) uses it
with the default options, :data:`TERMS`; sentiment masking (`analysis.extract.sentiment`) with
:data:`MASKING`, which keeps titles inside the name (`Chief Justice Roberts`), judges a
sentence-initial word before other capitalised words by a list of clause openers (`Thank God`
gives `God`, but `Best Buy` and `Great Britain` stay whole), treats a run of ALL-CAPS words as
emphasis, starts clauses after `;` and dashes too, and makes no entity guess (see
:class:`NameOptions`).

The word lists are lexicon files (`analysis/lexicons/`): `titles`, `names_title_modifiers`,
`organization_heads`, `known_organizations`, `places`, `us_states`, `place_heads`, `demonyms`,
`name_joiners`, and the other `names_*` lists.

Everything is computed from the text passed in (plus constant word lists), in one linear pass over
its tokens, so the function is safe to run in worker processes over any amount of text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from analysis.lexicons import words
from analysis.load.nlp_data import STOPWORDS, punkt_tokenizer
from analysis.load.text import word_spans

PERSON, PLACE, ORGANIZATION = "person", "place", "organization"

NameSpan = tuple[int, int, "str | None"]

# Titles: a capitalised run holding one marks the words after it as a person's name.
_CORE_TITLES = words("titles")
# Words that belong to a title when they stand next to a core title (`Prime Minister`).
_TITLE_MODIFIERS = words("names_title_modifiers")
# Party labels written before a person's name.
_DESCRIPTORS = words("names_descriptors")
# Words that may sit inside a name between capitalised words.
_JOINERS = words("name_joiners")
# Joiners allowed only after an organisation head word (`Center for Disease Control`).
_HEAD_JOINERS = words("names_head_joiners")
_EDGE_JOINERS = _JOINERS | _HEAD_JOINERS | {"the"}
# Joiners that belong inside personal names (`Mohammad bin Salman`, `Ludwig van Beethoven`).
_PARTICLES = _JOINERS - {"of"}
_ORG_HEADS = words("organization_heads")
_KNOWN_ORGS = words("known_organizations")
_PLACE_HEADS = words("place_heads")
# Countries, US states, large and capital cities, continents and regions (lower case).
_PLACES = frozenset(place.lower() for place in words("places") | words("us_states"))
# Nationalities and groups (`American`, `Latino`): names of no person, place or organisation.
_DEMONYMS = words("demonyms")
# Clause openers that are not names even before a capitalised word (`Thank God`): the masking
# options judge a sentence-initial word by this list (and -ly adverbs).
_OPENERS_NOT_NAMES = words("names_openers")

_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_DATE_WORDS = _WEEKDAYS | _MONTHS
# Abbreviations after which a period does not end the name (`Col. Amanda`, `St. Louis`).
_DOTTED = words("names_dotted")

_OPENERS = "“‘«([{\"'"
_CLOSERS = "”’»)]}\"'"
_ENDS = ".!?:"
_POSSESSIVE = ("’s", "'s", "’S", "'S")
# Possessives that are part of a name (`International Women’s Day`, `People’s Republic`).
_POSSESSIVE_IN_NAMES = words("names_possessive")
_LOWER_BITS = 0b1110000  # punkt's _ORTHO_BEG_LC | _ORTHO_MID_LC | _ORTHO_UNK_LC


@functools.cache
def _ortho() -> dict[str, int]:
    """punkt's orthographic statistics: word -> bit flags of the case contexts it was seen in."""
    return dict(punkt_tokenizer()._params.ortho_context)


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _is_stop(word: str) -> bool:
    return _norm(word) in STOPWORDS


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in _CORE_TITLES


def _is_titleish(word: str) -> bool:
    w = word.lower().rstrip(".")
    return w in _CORE_TITLES or w in _TITLE_MODIFIERS


_DIGITS = frozenset("0123456789")


def _has_digit(token: str) -> bool:
    return not _DIGITS.isdisjoint(token)


def _capitalised(token: str) -> bool:
    return token[0].isupper() and _DIGITS.isdisjoint(token)


def _sentence_initial(prev_token: str | None, gap: str, first: bool, marks: str = "") -> bool:
    """Whether a token preceded by `gap` (the text since the previous token) starts a sentence;
    `marks` are further characters that end a clause before it (the masking options: `;`, `)`)."""
    if first or "\n\n" in gap:
        return True
    stripped = gap.strip()
    if not stripped:
        return False
    if marks and stripped[-1] in marks:
        return True
    if stripped[-1] in _OPENERS and (len(stripped) == 1 or stripped[-1] not in "\"'" or stripped[-2] not in _ENDS):
        return True  # an opening quote or bracket starts a (quoted) sentence
    core = stripped.rstrip(_CLOSERS)
    if not core or core[-1] not in _ENDS:
        return False
    if core == "." and prev_token is not None and (
        prev_token.lower() in _DOTTED or (len(prev_token) == 1 and prev_token.isupper())
    ):
        return False  # `Col. Amanda`, `John F. Kennedy`
    return True


@dataclass(frozen=True)
class NameOptions:
    """How the detector reads a text. :data:`TERMS` (the default) is for counting names as terms;
    :data:`MASKING` for hiding names from sentiment scoring.

    * `keep_titles`: a title stays part of the name (`President Trump`, `Chief Justice`), and a
      bare title is a name; otherwise titles are cut off and mark a person;
    * `initial`: how a sentence-initial word before other capitalised words is judged: `common`
      (left out when it is a common word: a stop word, written in lower case elsewhere in the
      text or in punkt's statistics) or `opener` (left out only when it is a clause opener such
      as `Thank`, `Happy`, an -ly adverb: the list `names_openers`);
    * `initial_single`: whether a lone sentence-initial capitalised word can be a name at all;
    * `place_after_comma`: a lone sentence-initial word followed by `, ` and a place is a name
      (`Hope, Arkansas`);
    * `emphasis_caps`: a name made only of ALL-CAPS words is emphasis, not a name (`it was GREAT`);
    * `clause_marks`: characters besides `.`, `!`, `?`, `:` after which a clause starts;
    * `entities`: guess `person` / `place` / `organization` (else every entity is None; faster);
    * `dates_in_names`: weekday and month names are name words (`Super Tuesday`); otherwise they
      are dates, never part of a name;
    * `and_joins`: `and` and `&` join capitalised words (`Free and Equal Elections Foundation`,
      `Procter & Gamble`).
    """

    keep_titles: bool = False
    initial: str = "common"
    initial_single: bool = True
    place_after_comma: bool = False
    emphasis_caps: bool = False
    clause_marks: str = ""
    entities: bool = True
    dates_in_names: bool = False
    and_joins: bool = False


#: Names as terms (`analysis.extract.terms`): titles cut off, entity guesses.
TERMS = NameOptions()
#: Names hidden from sentiment scoring (`analysis.extract.sentiment.masking`).
MASKING = NameOptions(keep_titles=True, initial="opener", initial_single=False, place_after_comma=True,
                      emphasis_caps=True, clause_marks=";)]-", entities=False, dates_in_names=True, and_joins=True)


def proper_noun_spans(text: str, options: NameOptions = TERMS) -> list[tuple[int, int, str | None]]:
    """(start, end, entity) of each proper-noun phrase in `text`, in text order.

    `entity` is "person", "place", "organization" or None (no evidence either way, or
    `options.entities` off). Spans never overlap; with the default options titles and a final
    possessive `’s` are left out (`President Trump’s` gives `Trump`). Offsets index `text` (end
    exclusive). Empty or name-less text gives [].
    """
    if not text:
        return []
    return spans_from_tokens(text, tokenize(text), options)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for every word token of `text` (`analysis.load.text`'s tokenizer)."""
    return list(word_spans(text))


class _Evidence:
    """What the text itself says about its capitalised tokens: which start a sentence, which
    words it writes in lower case, which capitalised words it uses mid-sentence."""

    def __init__(self, text: str, tokens: list, options: NameOptions):
        self.capital = [i for i, (tok, _, _) in enumerate(tokens) if tok[0].isupper()]
        self.initial: dict[int, bool] = {}
        self.cap_mid: set[str] = set()
        marks = options.clause_marks
        for i in self.capital:
            tok, start, _ = tokens[i]
            if i == 0:
                flag = _sentence_initial(None, text[:start], True, marks)
            else:
                prev_tok, _, prev_end = tokens[i - 1]
                gap = text[prev_end:start]
                flag = gap != " " and _sentence_initial(prev_tok, gap, False, marks)
            self.initial[i] = flag
            if not flag:
                self.cap_mid.add(tok)
        self._tokens = tokens
        self._lower_seen: set[str] | None = None

    def common(self, word: str) -> bool:
        """A common word: a stop word, written in lower case in this text or in punkt's data."""
        if self._lower_seen is None:
            self._lower_seen = {tok.lower() for tok, _, _ in self._tokens if tok[0].islower()}
        low = word.lower()
        return _is_stop(word) or low in self._lower_seen or bool(_ortho().get(low, 0) & _LOWER_BITS)


def spans_from_tokens(
    text: str, tokens: list[tuple[str, int, int]], options: NameOptions = TERMS
) -> list[tuple[int, int, str | None]]:
    """:func:`proper_noun_spans` for a text already split by :func:`tokenize` (saves a pass)."""
    if not tokens:
        return []
    evidence = _Evidence(text, tokens, options)
    # The same run of words in the same position gives the same parts: cache them, which keeps
    # long texts that repeat a few names fast.
    cache: dict[tuple, list[tuple[int, int, str | None, list[str]]]] = {}
    found: list[list] = []  # [start, end, entity, words]
    next_free = 0
    for i in evidence.capital:
        if i < next_free:
            continue
        tok = tokens[i][0]
        low = tok.lower()
        if _has_digit(tok) or (not options.dates_in_names and low in _DATE_WORDS):
            continue
        j = i
        while not tokens[j][0].endswith(_POSSESSIVE) or tokens[j][0][:-2].lower() in _POSSESSIVE_IN_NAMES:
            k = _next_name_token(text, tokens, j, options)
            if k is None:
                break
            j = k
        next_free = j + 1
        key = (text[tokens[i][1]:tokens[j][2]], evidence.initial[i])
        if options.place_after_comma and j + 1 < len(tokens):
            key += (text[tokens[j][2]:tokens[j + 1][2]],)
        parts = cache.get(key)
        if parts is None:
            parts = cache[key] = _run_parts(text, tokens, i, j, evidence, options)
        for first, last, entity, words in parts:
            s = tokens[i + first][1]
            e = tokens[i + last][2] - (2 if tokens[i + last][0].endswith(_POSSESSIVE) else 0)
            found.append([s, e, entity, words])
    if options.entities:
        _resolve_people(found)
    return [(start, end, entity) for start, end, entity, _ in found]


def _run_parts(text: str, tokens: list, i: int, j: int, evidence: _Evidence, options: NameOptions) -> list:
    """The names in the run of tokens i..j: (first, last) relative to i, entity and words each."""
    run = list(range(i, j + 1))
    parts = []
    for part, is_person in [(run, False)] if options.keep_titles else _split_titles(tokens, run):
        part = _trim(text, tokens, part, evidence, options)
        if part and options.emphasis_caps and all(tokens[t][0].isupper() for t in part):
            continue  # ALL-CAPS only: emphasis or an acronym, scored as VADER would
        if part:
            s, e, entity, words = _make_span(text, tokens, part, is_person, evidence.common, options.entities)
            parts.append((part[0] - i, part[-1] - i, entity, words))
    return parts


def _next_name_token(text: str, tokens: list, j: int, options: NameOptions) -> int | None:
    """Index of the token that continues the name ending at token j, or None."""
    n = len(tokens)
    if j + 1 >= n:
        return None
    tok, _, end = tokens[j]
    gap = text[end:tokens[j + 1][1]]
    no_dates = () if options.dates_in_names else _WEEKDAYS
    if gap.strip() == "." and (tok.lower() in _DOTTED or (len(tok) == 1 and tok.isupper())):
        if "\n\n" in gap or _is_stop(tokens[j + 1][0]):
            return None
    elif options.and_joins and gap.strip() == "&" and "\n" not in gap:
        nxt = tokens[j + 1][0]  # `Procter & Gamble`
        return j + 1 if _and_joins(tok, nxt) else None
    elif not gap.isspace() or "\n\n" in gap:
        return None
    nxt = tokens[j + 1][0]
    if _capitalised(nxt) and nxt.lower() not in no_dates:
        # A capitalised stop word starts a new sentence (`Washington D.C. He`), not a name part.
        return None if _is_stop(nxt) else j + 1
    low = nxt.lower()
    before = tok.lower()
    if low == "of":
        joiner = before in _OF_HEADS  # `Bank of America`, not `Martin Smith of PBS`
    else:
        joiner = low in _JOINERS or (low in _HEAD_JOINERS and before in _ORG_HEADS)
    if options.and_joins and low == "and":  # `Free and Equal Elections Foundation`
        k = j + 2
        ok = k < n and _and_joins(tok, tokens[k][0])
        return k if ok and text[tokens[k - 1][2]:tokens[k][1]].isspace() else None
    if not joiner:
        return None
    k = j + 2
    if low == "of" and k < n and tokens[k][0] == "the" and text[tokens[k - 1][2]:tokens[k][1]].isspace():
        k += 1
    if (
        k < n
        and _capitalised(tokens[k][0])
        and (options.dates_in_names or tokens[k][0].lower() not in _DATE_WORDS)
        and text[tokens[k - 1][2]:tokens[k][1]].isspace()
    ):
        return k
    return None


def _and_joins(before: str, after: str) -> bool:
    """May `and` / `&` join these two words into one name? Both are name words, not stop words
    (`Smith and I`) and not ALL-CAPS emphasis (`GREAT and USNS Comfort`)."""
    return (_capitalised(after) and not _is_stop(after)
            and not any(w.isupper() and len(w) > 1 for w in (before, after)))


def _split_titles(tokens: list, run: list[int]) -> list[tuple[list[int], bool]]:
    """Cut titles out of a run: the words before a title block, and the person after it."""
    words = [tokens[t][0] for t in run]
    if (
        len(words) >= 3
        and words[0].lower() in _DESCRIPTORS
        and not any(w.lower() in _ORG_HEADS or w.lower() in _JOINERS for w in words)
    ):
        return [(run[1:], True)]  # `Republican Kevin McCarthy`
    last_core = None
    for idx, word in enumerate(words):
        if _is_title(word):
            # The title must have a name after it (`of State` is part of the title).
            after = idx + 1
            if after < len(words) and words[after].lower() == "of":
                after += 1
                if after < len(words) and words[after].lower() == "the":
                    after += 1
                after += 1
            while after < len(words) and _is_titleish(words[after]):
                after += 1
            if after < len(words):
                last_core = (idx, after)
    if last_core is None:
        # A title block at the end (`Sirius XM Vice President`) is cut off; the rest is kept.
        end = len(words)
        while end > 0 and (_is_titleish(words[end - 1]) or words[end - 1].lower() in ("of", "the")):
            end -= 1
        if end < len(words) and any(_is_title(w) for w in words[end:]):
            return [(run[:end], False)] if end else []
        return [(run, False)]
    core, after = last_core
    start = core
    while start > 0 and _is_titleish(words[start - 1]):
        start -= 1
    parts = []
    if start > 0:
        parts.append((run[:start], False))
    parts.append((run[after:], True))
    return parts


def _trim(text: str, tokens: list, part: list[int], evidence: _Evidence, options: NameOptions) -> list[int]:
    """Drop leading stop words, sentence-initial common words (or openers) and trailing joiners."""
    dates = () if options.dates_in_names else _DATE_WORDS
    while part and (_is_stop(tokens[part[0]][0]) or tokens[part[0]][0].lower() in dates):
        part = part[1:]  # `The`, `In March`
    while part and tokens[part[-1]][0].lower() in _EDGE_JOINERS:
        part = part[:-1]
    if not part:
        return part
    if evidence.initial.get(part[0], False):
        part = _trim_initial(text, tokens, part, evidence, options)
    if not part:
        return part
    if (not options.keep_titles and all(_is_titleish(tokens[t][0]) or tokens[t][0].lower() in ("of", "the") for t in part)) or (
        len(part) == 1 and _is_stop(tokens[part[0]][0])
    ):
        return []  # a bare title (`Vice President`, `Secretary of State`) is not a name
    return part


def _trim_initial(text: str, tokens: list, part: list[int], evidence: _Evidence, options: NameOptions) -> list[int]:
    """A name that starts a sentence: drop its first word when that word says nothing."""
    first = tokens[part[0]][0]
    if len(part) == 1:
        keep = options.initial_single and not (evidence.common(first) and first not in evidence.cap_mid)
        if keep or (options.place_after_comma and _before_place(text, tokens, part[0])):
            return part
        return []
    if all(tokens[t][0].isupper() for t in part):  # shouting: `NEW YORK (UPI)`
        return part
    if options.initial == "opener":
        drop = _is_opener(first)
    else:
        drop = evidence.common(first) and first not in evidence.cap_mid
        drop = drop and not ({tokens[t][0].lower() for t in part} & (_ORG_HEADS | _PLACE_HEADS))
    if drop:
        part = part[1:]
        while part and (tokens[part[0]][0].lower() in _JOINERS or tokens[part[0]][0].lower() == "and"):
            part = part[1:]
    return part


def _is_opener(word: str) -> bool:
    low = word.lower()
    return low in _OPENERS_NOT_NAMES or (low.endswith("ly") and len(low) > 4)


# First words of places (`Arkansas`, `New` of `New Mexico`), for `Hope, Arkansas`.
_PLACE_FIRST_WORDS = frozenset(place.split()[0] for place in _PLACES)


def _before_place(text: str, tokens: list, t: int) -> bool:
    """`Hope, Arkansas`: a word (not an opener) followed by a comma and a place."""
    if t + 1 >= len(tokens) or text[tokens[t][2]:tokens[t + 1][1]] != ", " or _is_opener(tokens[t][0]):
        return False
    following = tokens[t + 1][0]
    return following[0].isupper() and following.lower() in _PLACE_FIRST_WORDS


def _make_span(text: str, tokens: list, part: list[int], is_person: bool, common, entities: bool = True) -> list:
    start = tokens[part[0]][1]
    last, _, end = tokens[part[-1]]
    if last.endswith(_POSSESSIVE):
        end -= 2
    words = [tokens[t][0] for t in part]
    if words[-1].endswith(_POSSESSIVE):
        words[-1] = words[-1][:-2]
    if not entities:
        return [start, end, None, words]
    return [start, end, PERSON if is_person else _guess(words, " ".join(text[start:end].split()), common), words]


def _guess(words: list[str], written: str, common) -> str | None:
    low = [w.lower() for w in words]
    phrase = written.lower()
    if all(w in _DEMONYMS or w.split("-")[0] in _DEMONYMS for w in low):
        return None  # `African American`, `Cuban-American`
    if phrase in _KNOWN_ORGS:
        return ORGANIZATION
    if phrase in _PLACES:
        return PLACE
    # `U.S. Embassy`: a country before an organisation head is the organisation's country.
    if any(w in _ORG_HEADS for w in low):
        return ORGANIZATION
    if low[-1] in _PLACE_HEADS or (len(low) > 1 and " ".join(low[1:]) in _PLACES and low[0] in
                                   {"north", "south", "east", "west", "northern", "southern", "eastern",
                                    "western", "central", "new", "upper", "lower", "greater"}):
        return PLACE
    if len(words) == 1:
        word = words[0]
        if word in _KNOWN_ORGS or (word.isupper() and 2 <= len(word.replace(".", "")) <= 6):
            return ORGANIZATION
        return None
    if len(words) <= 4 and not any(
        (w in _EDGE_JOINERS and w not in _PARTICLES) or w in _PLACES or w in _KNOWN_ORGS or w in _DEMONYMS
        for w in low
    ) and all(
        w[0].isupper() and not (w.isupper() and len(w) > 1) and not common(w) for w in words
    ):
        return PERSON
    return None


# Words after which `of` continues a name.
_OF_HEADS = (
    _ORG_HEADS | _PLACE_HEADS | _CORE_TITLES
    | frozenset("duke duchess earl isle cape port states kingdom republic emirates gulf secretary "
                "minister office chamber house church sea bay".split())
)


def _resolve_people(found: list[list]) -> None:
    """Give a one-word name with no guess the entity of a longer name in the same article.

    A surname of a person named elsewhere is that person (`Maduro`); the first word of an
    organisation's name is that organisation (`Ford` after `Ford Motor Company`).
    """
    surnames = {words[-1].lower() for _s, _e, entity, words in found if entity == PERSON}
    first_names = {words[0].lower() for _s, _e, entity, words in found if entity == PERSON and len(words) > 1}
    org_firsts = {
        words[0].lower() for _s, _e, entity, words in found if entity == ORGANIZATION and len(words) > 1
    }
    for item in found:
        if item[2] is not None:
            continue
        words = item[3]
        word = words[-1].lower()
        if word in _DEMONYMS:
            continue
        if len(words) == 1:
            if word in surnames or word in first_names:
                item[2] = PERSON
            elif word in org_firsts and word not in _PLACES:
                item[2] = ORGANIZATION
        elif len(words) <= 3 and word in surnames and all(w[:1].isupper() for w in words):
            item[2] = PERSON  # `Bill Clinton` beside `Hillary Clinton`
