"""A named speaker's gender, from what the article says about them, with the kind of evidence.

The evidence, strongest first:

- `honorific`: Mr./Mrs./Ms./Miss (the `honorifics` lexicon) before the name, in the source phrase
  or anywhere in the article before the surname (`Mr. Hale`);
- `noun`: a gendered noun in the title or the head of the description (`Congresswoman`,
  `a Southcom spokeswoman`, `the mother of two`);
- `pronoun`: `he`/`she` that refer to the speaker: quotes attributed to a pronoun that was resolved
  to them, and the first he/his/him or she/her/hers after each mention of the name and before the
  next name (as a reader links them); both only for a name that looks like a person's (with a
  title or honorific, a known first name, or a surname alone); they are counted, and one gender
  must lead two to one;
- `first_name`: the share of women among the people with that first name in the Social
  Security Administration's counts (`first_names.tsv`); only a share of at least 95 % one way,
  over at least 1,000 people, counts, and only when nothing in the text says otherwise.

Conflicting evidence gives `unknown`: two honorifics or nouns that disagree, text evidence
(honorific, noun) against a clear pronoun count, or pronouns against a first name that almost
never belongs to that gender. Pronouns with no clear lead (often another person's, nearby) leave
the decision to such a one-sided first name when at least half of them agree with it. Anonymous sources, organisations, groups and pronouns are never
given a gender. A name never determines anyone's gender: the result estimates a share of sources.
"""

from __future__ import annotations

import re

from analysis.lexicons import table
from analysis.lexicons import words as lexicon_words

#: honorific (lower case, no final period) -> (gender or "-", kind: `common`, `rank` or `other`)
HONORIFIC_ROWS: dict[str, tuple[str, str]] = {
    word: (gender, kind) for word, (gender, _, kind) in ((k, v.partition("\t")) for k, v in table("honorifics").items())
}
#: honorific -> the gender it states (`mr` -> `male`); Dr. states none and is left out
HONORIFICS: dict[str, str] = {word: gender for word, (gender, _) in HONORIFIC_ROWS.items() if gender != "-"}
GENDER_NOUNS: dict[str, str] = table("gender_nouns")
#: first name (lower case) -> (share of women, people counted)
FIRST_NAMES: dict[str, tuple[float, int]] = {
    name: (float(share), int(count))
    for name, (share, _, count) in ((k, v.partition("\t")) for k, v in table("first_names").items())
}
# words that are not part of a person's name (places, organisations, times, sentence openers)
_NOT_NAME_WORDS = lexicon_words("not_person_name_words") | lexicon_words("source_organization_words") \
    | lexicon_words("sentence_starters") | lexicon_words("discourse_words") \
    | {"our", "their", "his", "her", "the", "when", "then", "so", "as", "since", "south", "north", "west", "east",
       "new", "studies", "times"}
GENDERS = ("female", "male", "unknown")
EVIDENCE = ("override", "honorific", "noun", "pronoun", "first_name")

_FIRST_NAME_SHARE = 0.95  # a first name counts when at least this share of its bearers are one gender
_FIRST_NAME_MIN = 1000  # ... over at least this many people
_FIRST_NAME_VETO = 0.98  # pronouns against a name this one-sided give `unknown`
_PRONOUN_LEAD = 2  # one gender's pronouns must outnumber the other's this many times
_WINDOW = 200  # characters after a mention in which its pronoun is looked for
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_MALE_PRONOUNS = {"he", "his", "him", "himself"}
_NEXT_NAME = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_FIRST_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?\Z")
_PREPOSITION = {"of", "at", "for", "in", "with", "to", "from", "on", "by", "who", "whose", "and"}


def _words(phrase: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(phrase or "")]


def _head_words(role: str | None) -> list[str]:
    """The words of a description up to its first preposition (`an aide to Congresswoman X`
    describes an aide, not a congresswoman)."""
    head = []
    for word in _words(role):
        if word in _PREPOSITION:
            break
        head.append(word)
    return head


def _occurrences(text: str, word: str):
    """End offsets of `word` as a whole word in `text` (a plain search: no pattern per name)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            yield end
        start = text.find(word, end)


def pronoun_counts(text: str, name: str) -> tuple[int, int]:
    """(male, female) pronouns that follow a mention of `name` (or its last word) in `text`: the
    first gendered pronoun within a short window after each mention, before the next name."""
    words = name.split()
    if not words:
        return 0, 0
    male = female = 0
    mentions = list(_occurrences(text, words[-1]))
    before = [_FIRST_WORD_BEFORE.search(text, max(0, end - len(words[-1]) - 30), end - len(words[-1]))
              for end in mentions]
    firsts = {m.group(1) for m in before if m and m.group(1).lower() in FIRST_NAMES}
    if len(words) >= 2 and len(firsts - {words[0]}) > 0:
        # two people with this surname ("Melania Trump", "Donald Trump"): only the full name counts
        mentions = [end for end, m in zip(mentions, before) if m and m.group(1) == words[0]]
    for mention_end in mentions:
        end = min(len(text), mention_end + _WINDOW)
        following = _NEXT_NAME.search(text, mention_end, end)
        if following:
            end = following.start()
        pronoun = _PRONOUN.search(text, mention_end, end)
        if pronoun:
            if pronoun.group().lower() in _MALE_PRONOUNS:
                male += 1
            else:
                female += 1
    return male, female


def honorific_pattern(kinds: tuple[str, ...], gendered: bool = False) -> str:
    """The honorifics of `kinds` as a regex alternation of capitalised words (`Mr|Mrs|...`), only
    those that state a gender when `gendered`; built from the `honorifics` lexicon."""
    chosen = [word for word, (gender, kind) in HONORIFIC_ROWS.items()
              if kind in kinds and not (gendered and gender == "-")]
    return "|".join(re.escape(word.capitalize()) for word in chosen)


# an honorific before up to three capitalised words, in running text (`Mr. Tom Hale`, `Dame Judi Dench`)
_HONORIFIC_BEFORE = re.compile(
    rf"\b({honorific_pattern(('common', 'rank'), gendered=True)})\.?\s+((?:[A-Z][\w.'-]*\s+){{0,2}}[A-Z][\w'-]*)")


def honorifics_in(text: str) -> dict[str, set[str]]:
    """{word after an honorific (the surname of `Mr. Tom Hale`, and `Tom`): genders it states}."""
    found: dict[str, set[str]] = {}
    for m in _HONORIFIC_BEFORE.finditer(text):
        gender = HONORIFICS[m.group(1).lower()]
        for word in m.group(2).split():
            found.setdefault(word.rstrip("."), set()).add(gender)
    return found


def _honorific(name: str, title: str | None, in_text: dict[str, set[str]]) -> set[str]:
    """Genders stated by an honorific in the title or before the surname in the text."""
    found = {HONORIFICS[w] for w in _words(title) if w in HONORIFICS}
    words = name.split()
    if words:
        found |= in_text.get(words[-1], set())
    return found


def _first_name(name: str) -> tuple[str | None, float | None]:
    """(gender the first name points to or None, share of women) for a name of two words or more."""
    words = name.split()
    if len(words) < 2 or len(words[0].rstrip(".")) < 2:
        return None, None
    share, count = FIRST_NAMES.get(words[0].lower(), (None, 0))
    if share is None or count < _FIRST_NAME_MIN:
        return None, share
    if share >= _FIRST_NAME_SHARE:
        return "female", share
    if share <= 1 - _FIRST_NAME_SHARE:
        return "male", share
    return None, share


def _pronoun_verdict(male: int, female: int) -> str | None:
    """`male`, `female`, `mixed` (no clear lead) or None (no pronoun)."""
    if male == female == 0:
        return None
    if male >= _PRONOUN_LEAD * female and male > female:
        return "male"
    if female >= _PRONOUN_LEAD * male and female > male:
        return "female"
    return "mixed"


def named_gender(name: str, title: str | None, role: str | None, text: str = "",
                 resolved_pronouns: tuple[int, int] = (0, 0),
                 honorifics: dict[str, set[str]] | None = None) -> tuple[str, str]:
    """(gender, evidence) of a named speaker: `female`/`male`/`unknown`, and `honorific`, `noun`,
    `pronoun`, `first_name` or "" (see the module's description). `resolved_pronouns` are the
    (he, she) source phrases resolved to this speaker in the article; `honorifics` is
    `honorifics_in(text)`, when already known."""
    honorific = _honorific(name, title, honorifics if honorifics is not None else honorifics_in(text))
    nouns = {GENDER_NOUNS[w] for w in _words(title) + _head_words(role) if w in GENDER_NOUNS}
    direct = honorific | nouns
    words = name.split()
    # pronouns count only for a name that may be a person's ("Working America", "Our Revolution"
    # and "South Florida" are not): a title, an honorific, a known first name or a surname alone,
    # or else no word that names places, organisations or times, and no lower-case word
    person_like = bool(title or honorific) or len(words) == 1 or (bool(words) and words[0].lower() in FIRST_NAMES) or (
        not any(re.sub(r"['’]s$", "", w.lower()) in _NOT_NAME_WORDS or not w[:1].isupper() for w in words))
    male, female = pronoun_counts(text, name) if text and person_like else (0, 0)
    if person_like:
        male, female = male + resolved_pronouns[0], female + resolved_pronouns[1]
    pronoun = _pronoun_verdict(male, female)
    by_name, share = _first_name(name)
    if len(direct) > 1:
        return "unknown", ""
    if direct:
        gender = next(iter(direct))
        if pronoun in ("male", "female") and pronoun != gender and max(male, female) >= 2:
            return "unknown", ""
        return gender, "honorific" if honorific else "noun"
    if pronoun == "mixed":
        return _mixed_with_name(share if by_name else None, male, female)
    if pronoun is not None:
        vetoed = share is not None and (share >= _FIRST_NAME_VETO if pronoun == "male" else share <= 1 - _FIRST_NAME_VETO)
        return ("unknown", "") if vetoed else (pronoun, "pronoun")
    if by_name is not None:
        return by_name, "first_name"
    return "unknown", ""


def _mixed_with_name(share: float | None, male: int, female: int) -> tuple[str, str]:
    """Pronouns with no clear lead (another person's `he` or `she` nearby) give way to a first name
    that almost always belongs to one gender (the `_FIRST_NAME_VETO` share), when at least as
    many of the pronouns agree with it; else `unknown`."""
    if share is not None and share <= 1 - _FIRST_NAME_VETO and male >= female:
        return "male", "first_name"
    if share is not None and share >= _FIRST_NAME_VETO and female >= male:
        return "female", "first_name"
    return "unknown", ""


def agree(genders: list[str]) -> str:
    """One gender for several observations of a person (articles): the one they share, ignoring
    `unknown`; `unknown` when they disagree or say nothing."""
    known = {g for g in genders if g in ("female", "male")}
    return known.pop() if len(known) == 1 else "unknown"
