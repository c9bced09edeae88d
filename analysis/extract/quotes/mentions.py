"""Source phrases: the noun phrase next to a cue (`the mayor said`, `said Evan Ellis, an expert`,
`a person familiar with the talks said`), read from the masked text.

A phrase is read backwards from the cue (`np_before`) or forwards after an inverted cue
(`np_after`); the sentence's subject and a long subject are the fallbacks of the frame rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract.quotes.clauses import THAT, looks_like_clause, skip_tail, strip_span
from analysis.extract.quotes.cues import FORM_TO_BASE, NOUN_LIKE_FORMS, SAY_VERBS
from analysis.extract.quotes.marks import Q_START
from analysis.extract.quotes.words import (
    ABBREV, AUX, BE, CLAUSE_BOUNDARY_WORDS, DAY_NAMES, DETERMINERS, DISCOURSE, DOCUMENT_WORDS, FINITE,
    NOT_PEOPLE, NOT_SUBJECT, NP_MODIFIERS, ORG_HEADS, PERSON_NOUNS, PERSON_SUFFIXES, PREPOSITIONS, PRONOUNS,
    QUANTIFIERS,
)

# A word keeps the bare apostrophe of a plural possessive ("Sanders’ campaign", "the states' rights").
_TOKEN = re.compile(r"\x01\x02*|[^\W_]+(?:[.’'&/-][^\W_]+)*(?:(?<=s)[’'](?=\s+\w))?|[’']s\b|[^\s\w]")
CONTRACTED_PRONOUN = re.compile(r"(?i)(?:i|we|they|he|she|you|it)[’'](?:ve|d|ll|s|m|re)$")
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][\w.]*\.?|[RDI]\.?|[A-Z][a-z]+\.?")  # "R-Ky.", "D", "Calif."
_INTRO_PHRASE = re.compile(
    r"\s*(?:(?:In|On|At|During|Since|After|Before|Last|This|Earlier|Later|Over|For|From|By|Under|With)\b[^,;:\x01]{1,60},\s*)"
)
_PAREN_AFTER = re.compile(r"\s*\([^()\x01]{1,30}\)")
# "a person familiar with the talks", "sources close to the campaign": unnamed sources described
# by what they know (the phrase runs up to the cue, found by a search over a bounded window).
_DESCRIBED_SOURCE = re.compile(
    r"(?:\b(?:[Aa]nother|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any|[Oo]ther|[Tt]he)\s+)?"
    r"(?:[\w’'.-]+\s+){0,3}?(?i:people|person|sources?|officials?|aides?|advisers?|insiders?|individuals?|"
    r"Republicans|Democrats|members?)\s+"
    r"(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of|involved\s+in|"
    r"knowledgeable\s+about|who\s+(?:attended|were|was|had|have|spoke|heard|saw))\s+[^,;:\x01.!?]{1,80}"
    r"(?:,\s*)?\Z"
)
# Every match of _DESCRIBED_SOURCE holds one of these (case-sensitive) words; a window without
# them is not searched, which saves most of the search's cost (it tries every start position).
_DESCRIBED_SOURCE_WORDS = ("familiar", "close", "briefed", "knowledge", "involved", "who")
_APPOSITIVE = re.compile(r",\s+((?:an?|the|its|his|her|their)\s[^,;:\x01]{1,150}?)\s*(?:[,;]|[.!?]?\s*$)")
_DETERMINED_PERSON = re.compile(r"\s*(?:The|A|An|This|His|Her|Their|Its)(?:\s+[a-z][\w-]*){1,3}")
OBJECT_OF_PREPOSITION = re.compile(r"\b(?:in|of|at|on|from|for|with|by|about|into|over|near|attended|watched|visited|joined)\s+\Z")


Token = tuple[str, int, int]  # (word, start, end)


@dataclass
class Mention:
    """A source phrase: its span in the text, the role read around it (`a Southcom spokeswoman`)
    and, when the phrase is a role, the span of the name in its appositive."""

    start: int
    end: int
    role: str | None = None
    name: tuple[int, int] | None = None  # "his adviser, John Bolton,": the name inside the mention


def tokens(masked: str, start: int, end: int) -> list[Token]:
    """Word tokens; an abbreviation (`Mr.`, `U.S.`, an initial) keeps its final period."""
    toks = []
    for m in _TOKEN.finditer(masked, start, end):
        tok, t_start, t_end = m.group(), m.start(), m.end()
        if tok == "." and toks and toks[-1][2] == t_start and (
            toks[-1][0].lower() in ABBREV or "." in toks[-1][0] or (len(toks[-1][0]) == 1 and toks[-1][0].isupper())
        ):
            prev = toks.pop()
            toks.append((prev[0] + ".", prev[1], t_end))
            continue
        toks.append((tok, t_start, t_end))
    return toks


def _is_np_token(tok: str) -> bool:
    """Whether a token may be part of a source phrase: capitalised, a number, a modifier or a person noun."""
    low = tok.lower()
    if tok[0].isupper() or tok[0].isdigit():
        return True
    return low in NP_MODIFIERS or low in PERSON_NOUNS or low in ("’s", "'s", "&", "-")


_PERIOD_NOUNS = ("week", "month", "year", "weekend", "night", "morning", "summer", "spring", "fall", "winter")


def np_before(masked: str, start: int, end: int) -> Mention | None:
    """The source phrase that ends at `end` (just before a cue), or None."""
    toks = _drop_adverbials(tokens(masked, max(start, end - 300), end))
    if len(toks) >= 3 and toks[-1][0].isdigit() and len(toks[-1][0]) <= 3 and toks[-2][0] == ",":
        toks = toks[:-2]  # "Lance Beebe, 49,"
    if len(toks) >= 3 and (toks[-1][0] in ("—", "–") or (toks[-1][0] == "-" and toks[-2][0] == "-")):
        return _before_dashed_aside(masked, start, toks)
    if toks and toks[-1][0] == ")":
        return _before_parenthesis(masked, start, toks)
    if not toks:
        return None
    last = toks[-1][0]
    if last.lower() in PRONOUNS:
        return Mention(toks[-1][1], toks[-1][2])
    if CONTRACTED_PRONOUN.match(last):  # "He’s not saying": the pronoun without its "’s"
        return Mention(toks[-1][1], toks[-1][1] + len(re.split("[’']", last)[0]))
    if last in (",",) and len(toks) >= 3:
        return _before_appositive(masked, start, toks)
    return _described_source(masked, start, end) or _plain_np(toks)


def _drop_adverbials(toks: list[Token]) -> list[Token]:
    """`toks` without the auxiliaries, adverbs and dates between the subject and the cue: "has
    also said", "Beck on Friday declared", "Feinstein last week said" (the list is shortened in place)."""
    while toks:
        low = toks[-1][0].lower()
        if low in AUX or (low.endswith("ly") and toks[-1][0].islower()):
            toks.pop()
        elif low in _PERIOD_NOUNS and len(toks) >= 3 and toks[-2][0].lower() in ("last", "this", "that", "next"):
            toks.pop()  # "Feinstein last week said"
            toks.pop()
            if toks and toks[-1][0].lower() in ("earlier", "later"):
                toks.pop()
        elif toks[-1][0] in DAY_NAMES or low in ("today", "yesterday", "tonight"):
            toks.pop()
            if toks and toks[-1][0].lower() in ("on", "last", "this", "early", "late"):
                toks.pop()
        else:
            break
    return toks


def _before_dashed_aside(masked: str, start: int, toks: list[Token]) -> Mention | None:
    """"The justice -- who has been in a scuffle with Trump -- said": the phrase before the aside."""
    closing = len(toks) - (1 if toks[-1][0] != "-" else 2)
    for i in range(closing - 1, max(-1, closing - 40), -1):
        if toks[i][0] in ("—", "–") or (toks[i][0] == "-" and i > 0 and toks[i - 1][0] == "-"):
            cut = toks[i - 1][1] if toks[i][0] == "-" else toks[i][1]
            return np_before(masked, start, cut)
    return None


def _before_parenthesis(masked: str, start: int, toks: list[Token]) -> Mention | None:
    """"Harry M. Reid (D-Nev.) told": the parenthesis belongs to the name before it."""
    for i in range(len(toks) - 2, max(-1, len(toks) - 12), -1):
        if toks[i][0] == "(":
            head = np_before(masked, start, toks[i][1])
            if head is not None:
                head.end = toks[-1][2]
            return head
    return None


def _before_appositive(masked: str, start: int, toks: list[Token]) -> Mention | None:
    """"Name, a Role, said": the phrase before the appositive's opening comma, with the appositive
    as its role (or as its name: "his national security adviser, John Bolton, said")."""
    for i in range(len(toks) - 2, max(-1, len(toks) - 40), -1):
        if toks[i][0] == ",":
            role_start, role_end = toks[i + 1][1], toks[-2][2]
            first = toks[i + 1][0].lower()
            head = np_before(masked, start, toks[i][1])
            if head is None:
                return None
            if first in ("who", "which", "whose", "where"):
                return head
            segment = toks[i + 1:-1]
            if _clause_not_appositive(segment):
                return None  # "..., the race will be tight, said X": a clause, not a role
            if 0 < len(segment) <= 4 and all(t[0][0].isupper() for t in segment) and not head.role \
                    and not _PARTY_STATE.fullmatch(masked[role_start:role_end]):
                # "his national security adviser, John Bolton,": the appositive is the name
                role = masked[head.start:head.end]
                return Mention(head.start, role_end, role, (role_start, role_end))
            head.role = masked[role_start:role_end]
            return head
        if toks[i][0] in (";", ":", "(", ")") or toks[i][0].startswith(Q_START):
            return None
    return None


def _clause_not_appositive(segment: list[Token]) -> bool:
    """Whether the words between two commas before a cue are a clause (`the race will be tight`),
    not a role: a modal among their first words and no relative pronoun."""
    words = [t[0].lower() for t in segment]
    if not words or any(w in ("who", "whom", "whose", "which", "that", "where", "when") for w in words):
        return False  # "a senator who has long opposed it": a role with its relative clause
    return any(w in ("will", "would", "could", "should", "must", "might") for w in words[1:4])


def _described_source(masked: str, start: int, end: int) -> Mention | None:
    """"a person familiar with the talks said": an unnamed source described by what it knows."""
    lo = max(start, end - 160)
    window = masked[lo:end]
    described = any(word in window for word in _DESCRIBED_SOURCE_WORDS) and _DESCRIBED_SOURCE.search(masked, lo, end)
    return Mention(described.start(), described.end()) if described else None


def _plain_np(toks: list[Token]) -> Mention | None:
    """The run of noun-phrase words (names, person nouns and their modifiers) that ends the tokens,
    without leading discourse words ("But officials said"); else a generic phrase or a clause chunk."""
    picked: list[Token] = []
    for tok in reversed(toks):
        if tok[0].startswith(Q_START) or not (tok[0][0].isalnum() or tok[0] in ("’s", "'s", "&", "-")):
            break
        if not _is_np_token(tok[0]):
            break
        picked.append(tok)
        if len(picked) > 12:
            return None
    picked.reverse()
    # drop leading discourse words ("But officials said") and lower-case glue
    while picked and (picked[0][0].lower() in DISCOURSE or picked[0][0].lower() in ("of", "to", "with", "on", "’s", "'s")):
        picked.pop(0)
    while picked and picked[-1][0].lower() in ("the", "a", "an", "of", "to", "with", "on"):
        picked.pop()
    if not picked or (len(picked) == 1 and picked[0][0].lower() in DETERMINERS):
        return _generic_np(toks) or _clause_chunk(toks)
    words = [t[0] for t in picked]
    has_name = any(w[0].isupper() for w in words)
    has_person = any(w.lower() in PERSON_NOUNS for w in words)
    if not has_name and not has_person:
        return _clause_chunk(toks)
    if len(words) == 1 and words[0].lower() in NOT_SUBJECT:
        return None
    start = _noun_modifiers_before(toks, next(i for i in range(len(toks) - 1, -1, -1) if toks[i] is picked[0]))
    return Mention(start if start is not None else picked[0][1], picked[-1][2])


def _noun_modifiers_before(toks: list[Token], first: int) -> int | None:
    """"one shop owner said": when the phrase starts at toks[first] with a lower-case person noun,
    the start of the one or two lower-case nouns and the determiner or number before it (words
    without a list of their own); else None."""
    if not 0 < first < len(toks) or toks[first][0].lower() not in PERSON_NOUNS or not toks[first][0].islower():
        return None
    for n in (1, 2):
        if first - n - 1 < 0:
            return None
        nouns = [t[0] for t in toks[first - n:first]]
        if not all(w.isalpha() and w.islower() and len(w) > 2 and not w.endswith("ly") and w not in NOT_SUBJECT
                   and w not in AUX and w not in FINITE and w not in FORM_TO_BASE and w not in PREPOSITIONS
                   and w not in DISCOURSE and w not in BE and w not in CLAUSE_BOUNDARY_WORDS for w in nouns):
            return None
        opener = toks[first - n - 1][0].lower()
        if opener in DETERMINERS or opener in QUANTIFIERS:
            return toks[first - n - 1][1]
    return None


def _clause_chunk(toks: list[Token]) -> Mention | None:
    """The words between the last clause boundary and the cue, when they start like a noun phrase
    and are few: "Several supporters of reform said", "all but two said"."""
    chunk: list[Token] = []
    for tok in reversed(toks):
        word = tok[0]
        if word.startswith(Q_START) or not (word[0].isalnum()) or word.lower() in CLAUSE_BOUNDARY_WORDS:
            break
        chunk.append(tok)
        if len(chunk) > 8:
            return None
    chunk.reverse()
    if not chunk or len(chunk) < 2:
        return None
    first, last = chunk[0][0], chunk[-1][0].lower()
    people = last in PERSON_NOUNS or (last.endswith(PERSON_SUFFIXES) and last not in NOT_PEOPLE)
    if not (first[0].isupper() or first[0].isdigit() or first.lower() in QUANTIFIERS | DETERMINERS or people):
        return None
    words = [w[0] for w in chunk]
    if any(w.lower() in FINITE or w.lower() in BE or w.lower() in AUX or w.lower() in FORM_TO_BASE
           or w.lower() == "read" for w in words) or any(
            w.islower() and w.endswith("ed") and nxt.lower() in DETERMINERS for w, nxt in zip(words, words[1:])):
        return None  # "Governor Edwards addressed the public": a clause, not a source
    return Mention(chunk[0][1], chunk[-1][2])


def _generic_np(toks: list[Token]) -> Mention | None:
    """`the moderator`, `The billionaire businessman`: a determiner and up to three lower-case
    words just before the cue (nouns we have no list for)."""
    for k in range(2, 5):
        if len(toks) < k:
            break
        first = toks[-k][0]
        rest = [t[0] for t in toks[-k + 1:]]
        if not all(w.isalpha() and w.islower() and w not in NOT_SUBJECT and w not in AUX
                   and (w not in FORM_TO_BASE or w in DOCUMENT_WORDS) and w not in ("but", "yet") and w != "read" for w in rest):
            break
        if first.lower() in DETERMINERS | {"each", "every", "one", "many", "some", "most", "both"} and first.lower() not in ("that", "this"):
            return Mention(toks[-k][1], toks[-1][2])
    return None


def _describes_person_noun(toks: list[Token], i: int, picked: list[Token]) -> bool:
    """`conservative` in `said conservative activist Bob Klaus`, `prominent` in `said a prominent
    Republican National Committee member`: a lower-case word a few words before a person noun
    that a name follows or a capitalised word precedes, while no name has been read yet."""
    if any(t[0][0].isupper() for t in picked) or not toks[i][0].isalpha() or not toks[i][0].islower():
        return False
    low = toks[i][0].lower()
    if low in PRONOUNS or low in DETERMINERS or low in PREPOSITIONS or low in FINITE or low in CLAUSE_BOUNDARY_WORDS:
        return False
    for j in range(i + 1, min(i + 6, len(toks) - 1)):
        word = toks[j][0]
        if word.lower() in PERSON_NOUNS:
            # "conservative activist Bob Klaus", "a prominent Republican National Committee member"
            return toks[j + 1][0][:1].isupper() or any(t[0][:1].isupper() for t in toks[i + 1:j])
        if not word.isalpha() or word.lower() in FINITE or word.lower() in CLAUSE_BOUNDARY_WORDS \
                or (word.islower() and j > i + 2):
            return False
    return False


def _title_before_name(toks: list[Token], i: int, picked: list[Token]) -> bool:
    """`lobbyist` in `said lobbyist and GOP strategist Charlie Black`, `journalist` in `said
    journalist Martha Raddatz`: one of the first three words after an inverted cue, lower case,
    before a capitalised name within three words (with only such words or `and` between)."""
    word = toks[i][0]
    if i >= 3 or len(picked) != i or not word.isalpha() or not word.islower() or word.endswith("ly") \
            or word in PRONOUNS or word in DETERMINERS or word in PREPOSITIONS or word in FINITE or word in BE \
            or word in AUX or word in CLAUSE_BOUNDARY_WORDS or word in FORM_TO_BASE:
        return False
    for j in range(i + 1, min(i + 4, len(toks))):
        nxt = toks[j][0]
        if nxt[:1].isupper():
            return j + 1 < len(toks) and toks[j + 1][0][:1].isupper()  # a name of two words or more
        if not (nxt.isalpha() and nxt.islower()) or nxt in PRONOUNS or nxt in FINITE or nxt in PREPOSITIONS:
            return False
    return False


def np_after(masked: str, start: int, end: int) -> Mention | None:
    """The source phrase right after an inverted cue (`said Evan Ellis, an expert ...`)."""
    toks = tokens(masked, start, min(end, start + 400))
    picked = []
    for i, tok in enumerate(toks):
        if tok[0].startswith(Q_START) or not (tok[0][0].isalnum() or tok[0] in ("’s", "'s", "&", "-")):
            break
        if not _is_np_token(tok[0]) and tok[0].lower() not in PRONOUNS and not _describes_person_noun(toks, i, picked) \
                and not _title_before_name(toks, i, picked):
            break
        if picked and tok[0].lower() in ("who", "whom", "which"):
            break  # "a ... member who supports Trump": the relative clause is not part of the name
        picked.append(tok)
        if tok[0].lower() in PRONOUNS:
            break
    while picked and picked[-1][0].lower() in ("the", "a", "an", "of", "to", "with", "on"):
        picked.pop()
    if not picked or picked[0][0].lower() in DISCOURSE or picked[0][0].lower() in ("in", "on", "at", "of"):
        return None
    words = [t[0] for t in picked]
    if not any(w[0].isupper() or w.lower() in PERSON_NOUNS or w.lower() in PRONOUNS for w in words):
        return None
    mention = Mention(picked[0][1], picked[-1][2])
    paren = _PAREN_AFTER.match(masked, mention.end, end)
    if paren:
        mention.end = paren.end()  # "Harry M. Reid (D-Nev.)"
    rest = masked[mention.end:end]
    appos = _APPOSITIVE.match(rest)
    if appos:
        mention.role = appos.group(1)
    return mention


def sentence_subject(masked: str, s: int, end: int) -> Mention | None:
    """The noun phrase that opens the sentence, after any introductory phrase ("In April, Twitter
    reported ..." -> Twitter), or None when the sentence does not open with one."""
    subject_start = s
    intro = _INTRO_PHRASE.match(masked, s, end)
    if intro:
        subject_start = intro.end()
    mention = np_after(masked, subject_start, end)
    if mention is None:
        # "The billionaire businessman began ...": a determiner and lower-case words naming people
        described = _DETERMINED_PERSON.match(masked, subject_start, end)
        if described:
            words = list(re.finditer(r"\S+", described.group(0)))
            for w in reversed(words[1:]):
                head = w.group().lower()
                if head in PERSON_NOUNS or head in ORG_HEADS or (
                        head.endswith(PERSON_SUFFIXES) and len(head) > 4 and head not in NOT_PEOPLE):
                    mention = Mention(described.start() + words[0].start(), described.start() + w.end())
                    break
    if mention is not None and mention.start > subject_start + 2:
        return None
    return mention


def long_subject(masked: str, s: int, c_start: int, c_end: int, e: int, base: str, word: str) -> Mention | None:
    """The whole stretch from the sentence start to a `say`-like cue, when it is a subject our noun
    phrase rules do not read ("78 percent of voters in a recent poll said they ...", "Democrats in
    Iowa who watched the debate said they ...") and a clause follows the cue."""
    if base not in SAY_VERBS or word.endswith("ing") or word in NOUN_LIKE_FORMS or c_start - s > 160:
        return None
    start, stop = strip_span(masked, s, c_start)
    words = masked[start:stop].split()
    if not 2 <= len(words) <= 14 or Q_START in masked[start:stop] or any(ch in masked[start:stop] for ch in ",;:()—–"):
        return None
    first = words[0].lower()
    if first in DISCOURSE or first in PREPOSITIONS or first in NOT_SUBJECT - {"the", "a", "an", "this", "these", "those"} \
            or not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    if any(w.lower() in BE or w.lower() in FORM_TO_BASE or (w.lower() in FINITE and w.lower() not in ("had", "have", "has"))
           for w in words):
        return None
    post = skip_tail(masked, c_end, e)
    body = masked[post:e].strip()
    if not body or not (THAT.match(masked, post, e) or looks_like_clause(body)):
        return None
    return Mention(start, stop)
