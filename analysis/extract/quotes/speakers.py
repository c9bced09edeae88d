"""Step 4 of quote attribution: who a source phrase stands for, across the article.

Surnames resolve to the full name seen in the text (`Ellis` -> `Evan Ellis`), `the official` to
the `One defense official` introduced earlier, pronouns to the most recent compatible speaker;
then each speaker gets a kind (named, anonymous, organization, group, pronoun, unknown).
`describe_sources` adds who each source is to the finished rows: gender with its evidence
(`gender`), role class (`roles`) and a per-article speaker id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract.quotes.cues import FORM_TO_BASE
from analysis.extract.quotes.gender import honorific_pattern, honorifics_in, named_gender
from analysis.extract.quotes.mentions import CONTRACTED_PRONOUN
from analysis.extract.quotes.words import (
    DOCUMENT_WORDS, FEMALE_WORDS, MALE_WORDS, NOT_PEOPLE, NOT_PERSON_NAME_WORDS, ORG_HEADS, ORGANIZATION_WORDS,
    PERSON_HEADS_SINGULAR, PERSON_NOUNS, PERSON_SUFFIXES, POSTMODIFIER_STARTS, PRONOUNS, TITLE_STEMS, TITLES,
)
from analysis.extract.quotes.roles import article_role, source_role
from analysis.lexicons import words as lexicon_words

# clause openers before a name; quantifiers and determiners stay ("Many Democrats", "His aide")
_OPENERS = (lexicon_words("names_openers") | lexicon_words("speaker_openers")) - lexicon_words("quantifiers") - {
    "all", "any", "each", "every", "many", "most", "more", "much", "no", "none", "such", "the", "a", "an", "this",
    "that", "these", "those", "his", "her", "their", "its", "my", "our", "your"}
#: Plural nouns for a generic group quoted as one voice ("Critics said"): kind `group`.
GROUP_NOUNS = lexicon_words("group_nouns")
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "dozens",
                 "hundreds", "thousands", "both", "several", "few"}
# "figures released on Monday", "one shop owner on Dock Street": a preposition whose capitalised
# object is not the source
_OBJECT_PREPOSITIONS = {"on", "in", "at", "from", "of", "for", "near", "with", "by", "across", "outside", "inside"}

_WORD = re.compile(r"[^\W_]+(?:[.’'&-][^\W_]+)*\.?|[’']s\b")
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
# a common honorific just before a name, which _NAME leaves out when it has a period (`Mr. Tom Hale`)
_TITLE_BEFORE = re.compile(rf"\b(?:{honorific_pattern(('common',))})\.?\s+$")
_GENDERED_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_NAME = re.compile(
    r"\b(?:[A-Z][a-zà-ÿ’'-]+|[A-Z]\.)(?:\s+(?:[A-Z]\.|[A-Z][a-zà-ÿ’'-]+|de|van|von|al|bin|da|del|la|le)){1,3}\b"
)
# "One defense official", "a senior aide": an unnamed source introduced for later references
_INDEFINITE_DESCRIPTOR = re.compile(
    r"\b(?:[Oo]ne|[Aa]n?|[Aa]nother)\s+((?:[\w.’'-]+\s+){0,4}?)("
    + "|".join(sorted(n for n in PERSON_HEADS_SINGULAR if n.isalpha() and len(n) > 3))
    + r")\b"
)


@dataclass
class Speaker:
    """A resolved source: canonical name, title, role, kind, and whether it is several people."""

    name: str
    title: str | None
    role: str | None
    kind: str
    plural: bool = False


def split_title(mention: str) -> tuple[str, str | None, str | None]:
    """`Army Col. Amanda Azubuike` -> (`Amanda Azubuike`, `Army Col.`, None);
    `State Department spokesman John Kirby` -> (`John Kirby`, None, `State Department spokesman`)."""
    words = mention.split()
    name_start = len(words)
    while name_start > 0:
        w = words[name_start - 1]
        if w[0].isupper() and w.lower().rstrip(",") not in TITLES and w.lower() not in ("the",):
            name_start -= 1
        else:
            break
    if 0 < name_start < len(words) - 1 and words[name_start - 1] == "of":
        name_start += 1  # "First Minister of Scotland Nicola Sturgeon": Scotland belongs to the title
    if name_start == len(words) or name_start == 0:
        return mention, None, None
    prefix = words[:name_start]
    name = " ".join(words[name_start:])
    if all(w.lower() in TITLES and w[0].isupper() for w in prefix):
        return name, " ".join(prefix), None
    return name, None, " ".join(prefix)


def _kind_of(phrase: str) -> tuple[str, bool]:
    """(kind, plural) of a source phrase: named, anonymous, organization, pronoun or unknown."""
    words = [w for w in _WORD.findall(phrase)]
    if not words:
        return "unknown", False
    low = [w.lower() for w in words]
    head = low[-1]
    plural = head.endswith("s") and head not in ("his", "witness")
    if len(words) == 1 and (head in PRONOUNS or CONTRACTED_PRONOUN.match(head)):
        return "pronoun", head.startswith(("they", "we"))
    if len(words) == 1 and len(head) == 1:
        return "unknown", False  # "Q:" and "A:" in an interview transcript
    if head in GROUP_NOUNS and not any(w in _NUMBER_WORDS or w[0].isdigit() for w in low[:-1]):
        return "group", True  # "Critics", "many residents"; not "two residents" (particular people)
    if head in DOCUMENT_WORDS:
        return "unknown", plural  # "Reports said", "the study"
    if words[-1].islower():
        # "people familiar with the matter", "a spokesman for the company": the head comes
        # before the modifier
        for i, w in enumerate(low[:-1]):
            if w in POSTMODIFIER_STARTS and i > 0 and low[i - 1] in PERSON_NOUNS:
                return "anonymous", low[i - 1].endswith("s") and low[i - 1] != "witness"
    if head in PERSON_NOUNS:
        return "anonymous", plural
    if head in ORG_HEADS or (words[-1].isupper() and len(words[-1]) > 1 and words[-1].isalpha()):
        return "organization", False
    if any(w in ("department", "ministry", "agency", "committee", "council", "commission", "campaign",
                 "administration", "government", "police", "company", "office") for w in low):
        if not words[-1][0].isupper() or head in ORGANIZATION_WORDS:
            return "organization", False
    lead = 1 if low[0] == "the" else 0
    if len(low) > lead + 2 and low[lead + 1] == "of" and low[lead] in ORG_HEADS and words[lead][0].isupper():
        return "organization", False  # "Bank of America", "the University of Texas"
    if words[-1][0].isupper():
        if any(w in ORGANIZATION_WORDS for w in low) and not any(w.lower().rstrip(".") in TITLE_STEMS for w in words[:-1]) \
                and low[0] == "the":
            return "organization", False
        return "named", False
    if words[-1].islower() and head.endswith(PERSON_SUFFIXES) and len(head) > 4 and head not in NOT_PEOPLE:
        return "anonymous", plural
    return "unknown", plural


def _object_tail(words: list[str]) -> int | None:
    """Where a source phrase's capitalised end is the object of a preposition after a lower-case
    head ("figures released on Monday", "owner on Dock Street", "a spokesman for Sen. Tom Ellis"):
    the index of that preposition, or None. A capitalised end that closes on an untitled person's
    name after other capitalised words ("director of the FBI James Comey") is left alone."""
    for i in range(len(words) - 2, 0, -1):
        word = words[i]
        if word in _OBJECT_PREPOSITIONS and words[i - 1].isalpha() and words[i - 1].islower():
            tail = [w for w in words[i + 1:] if w.lower() != "the"]
            if not tail or not all(w[0].isupper() for w in tail):
                return None
            if len(tail) >= 3 and _looks_like_person(tail[-2:]) and tail[-3].lower() not in TITLES:
                return None
            return i
        if not word[0].isupper() and word.lower() != "the":
            return None
    return None


def _person_of_place(words: list[str]) -> int | None:
    """The index of `of`/`at`/`from` in "Jane Roe of Acme Corp." (a person's name, with or without
    a title, then where they are from, all capitalised), or None."""
    for i, word in enumerate(words):
        if word in ("of", "at", "from") and 2 <= i < len(words) - 1:
            left, right = words[:i], [w for w in words[i + 1:] if w.lower() != "the"]
            if not right or not all(w[0].isupper() for w in left + right):
                return None
            titled = len(left) >= 3 and left[-3].lower() in TITLES
            return i if (titled or _looks_like_person(left[-2:])) and left[-1].lower() not in ORG_HEADS else None
    return None


def _looks_like_person(words: list[str]) -> bool:
    """Whether two capitalised words are a first name and a surname (`James Comey`)."""
    from analysis.extract.quotes.gender import FIRST_NAMES

    share, count = FIRST_NAMES.get(words[0].lower(), (None, 0))
    return share is not None and count >= 1000 and words[1].lower() not in ORG_HEADS


_RECENT = 50  # how far back (in speakers or descriptions) a reference is looked up


class Resolver:
    """Keeps what one article has said about its sources so far (a per-call object, not global)."""

    def __init__(self, text: str):
        self.text = text
        self._surnames: dict[str, str] | None = None
        self._descriptors: list[tuple[int, str, str]] | None = None
        self.speakers: list[tuple[int, Speaker]] = []

    @property
    def surnames(self) -> dict[str, str]:
        """{surname: the first full name with it}, read from the whole text on first use."""
        if self._surnames is None:
            self._surnames = {}
            for m in _NAME.finditer(self.text):
                words = m.group().split()
                while words and (words[0].lower().rstrip(".") in TITLE_STEMS or words[0].lower() in FORM_TO_BASE
                                 or words[0].lower() in _OPENERS):
                    words.pop(0)  # titles, a sentence-initial verb ("Stated Stone") or opener ("But Sanders")
                if len(words) >= 2 and words[-1].lower() not in TITLES:
                    self._surnames.setdefault(words[-1], " ".join(words))
        return self._surnames

    @property
    def descriptors(self) -> list[tuple[int, str, str]]:
        """(position, head noun, phrase) of each `One defense official`-like introduction."""
        if self._descriptors is None:
            self._descriptors = [(m.start(), m.group(2).lower(), m.group())
                                 for m in _INDEFINITE_DESCRIPTOR.finditer(self.text)]
        return self._descriptors

    def resolve(self, mention: str, position: int, role: str | None) -> Speaker:
        """The speaker a source phrase at `position` stands for (see the module's description)."""
        mention = _TRAILING_PAREN.sub("", mention) or mention  # "Harry M. Reid (D-Nev.)"
        words = mention.split()
        low = mention.lower()
        if CONTRACTED_PRONOUN.match(low):
            mention = re.split(r"[’']", mention)[0]  # "He's" -> "He"
            low = mention.lower()
        if low in PRONOUNS:
            return self._pronoun(mention, position)
        while len(words) > 1 and words[0].lower() in _OPENERS and words[1][:1].isupper():
            words = words[1:]  # "Then Brafman", "When Maddow", "Is President Obama"
        mention = " ".join(words)
        cut = _object_tail(words)
        if cut is not None:
            # "figures released on Monday", "owner on Dock Street": the head before the preposition
            head = [w for w in words[:cut] if not (w.islower() and w.endswith("ed"))] or words[:cut]
            kind, plural = _kind_of(" ".join(head))
            return Speaker(mention, None, role, kind if kind != "named" else "unknown", plural)
        of_org = _person_of_place(words)
        if of_org is not None:
            # "Jane Roe of Acme Corp.", "Professor Ann Lee of Oxford University": a person, and
            # where they are from as their role
            name, title, prefix_role = split_title(" ".join(words[:of_org]))
            role = role or " ".join(filter(None, (prefix_role, *words[of_org:])))
            if len(name.split()) == 1 and name in self.surnames:
                name = self.surnames[name]
            return Speaker(name, title, role, "named")
        name, title, prefix_role = split_title(mention)
        kind, plural = _kind_of(mention)
        role = role or (prefix_role if kind != "organization" else None)  # not "Bank of" of "Bank of America"
        if kind == "named":
            if len(name.split()) == 1 and name in self.surnames and self.surnames[name] != name:
                name = self.surnames[name]
            elif title is None and prefix_role is None and len(words) >= 2:
                pass
            return Speaker(name, title, role, "named")
        if kind == "anonymous":
            head = words[-1].lower()
            if words[0].lower() in ("the", "this", "that") and head in PERSON_HEADS_SINGULAR:
                # "the official" -> the "One defense official" introduced earlier
                for pos, noun, phrase in reversed(self.descriptors[-_RECENT:]):
                    if pos < position and noun == head:
                        phrase = phrase[0].upper() + phrase[1:]
                        return Speaker(phrase, None, None, "anonymous")
                for pos, spk in reversed(self.speakers[-_RECENT:]):
                    if pos < position and spk.role and spk.role.lower().split()[-1:] == [head]:
                        return spk
            return Speaker(mention, title, role, "anonymous", plural)
        return Speaker(mention, title, role, kind, plural)

    def _pronoun(self, mention: str, position: int) -> Speaker:
        """`he`/`she` to a person; `they` to a group or organisation, `it` to an organisation seen
        just before; other pronouns stay pronouns."""
        low = mention.lower()
        if low in ("he", "she"):
            return self._person_pronoun(mention, position)
        # "I", "we" and "you" outside quotation marks are the writer or an interview's voices:
        # left as they are
        want = {"they": ("anonymous", "organization", "group"), "it": ("organization",)}.get(low, ())
        for pos, spk in reversed(self.speakers[-8:]):
            if pos < position and spk.kind in want:
                if low == "they" and spk.kind == "anonymous" and not spk.plural:
                    continue
                return spk
        return Speaker(mention, None, None, "pronoun")

    def _person_pronoun(self, mention: str, position: int) -> Speaker:
        """`he`/`she`: the most recent person before it (a speaker, or a name in the text) whose
        gender, when the text shows it, matches."""
        wanted = "m" if mention.lower() == "he" else "f"
        candidates: list[tuple[int, int, Speaker | None, str]] = []  # (start, end, speaker, name)
        for pos, spk in self.speakers[-8:]:
            if pos < position and spk.kind == "named" and not spk.plural:
                described = " ".join(filter(None, (spk.title, spk.name, spk.role)))
                candidates.append((pos, pos + len(spk.name), spk, described))
        names = [m for m in _NAME.finditer(self.text, max(0, position - 800), position)
                 if not any(w.lower() in NOT_PERSON_NAME_WORDS for w in m.group().split())][-6:]
        for m in names:
            name, title, _ = split_title(m.group())
            if title or len(name.split()) >= 2:
                # with a title just before it ("Mr. Tom Hale"), which _NAME leaves out
                title_before = _TITLE_BEFORE.search(self.text, max(0, m.start() - 6), m.start())
                phrase = self.text[title_before.start():m.end()] if title_before else m.group()
                candidates.append((m.start(), m.end(), None, phrase))
        candidates.sort(key=lambda c: c[0], reverse=True)
        for start, end, spk, phrase in candidates:
            gender = self._gender(phrase, end, position)
            if gender in (None, wanted):
                if spk is not None:
                    return spk
                name, title, _ = split_title(phrase)
                if len(name.split()) == 1 and name in self.surnames:
                    name = self.surnames[name]
                return Speaker(name, title, None, "named")
        return Speaker(mention, None, None, "pronoun")

    def _gender(self, phrase: str, end: int, limit: int) -> str | None:
        """`m`, `f` or None: from a title or role word in the phrase, else from the first gendered
        pronoun after it and before the next name (`Mayor Linda Okafor apologized. She ...`)."""
        words = {w.lower().rstrip(".") for w in phrase.split()}
        if words & MALE_WORDS:
            return "m"
        if words & FEMALE_WORDS:
            return "f"
        window_end = min(limit, end + 250, len(self.text))  # never the pronoun being resolved
        next_name = _NAME.search(self.text, end, window_end)
        if next_name:
            window_end = next_name.start()
        pronoun = _GENDERED_PRONOUN.search(self.text, end, window_end)
        if pronoun:
            return "m" if pronoun.group().lower() in ("he", "his", "him", "himself") else "f"
        return None

    def remember(self, position: int, speaker: Speaker) -> None:
        """Note a resolved speaker, for later pronouns and descriptions."""
        self.speakers.append((position, speaker))


#: The columns `describe_sources` adds to each quote row, in order.
SOURCE_COLUMNS = ["speaker_gender", "gender_evidence", "source_role", "speaker_id"]
_NOT_WORD = re.compile(r"[^\w]+")


def speaker_id(speaker: str | None, kind: str | None) -> str:
    """A speaker's id within one article: a named person's name in lower case with hyphens
    (`evan-ellis`); any other source its kind and its phrase in lower case (`anonymous:officials`,
    so `Officials` and `officials` are one source)."""
    if not speaker:
        return "unknown"
    if kind == "named":
        return _NOT_WORD.sub("-", speaker.lower()).strip("-")
    return f"{kind}:{' '.join(speaker.lower().split())}"


def describe_sources(text: str, records: list[tuple], columns: list[str]) -> list[tuple]:
    """`records` (tuples in the order of `columns`, which name at least `mention`,
    `mention_start`, `speaker`, `speaker_title`, `speaker_role` and `speaker_kind`) with the
    :data:`SOURCE_COLUMNS` appended: the speaker's gender and its evidence (`gender`: named people
    only, the evidence of all their rows in the article together), role class (`roles`) and id."""
    at = {name: columns.index(name) for name in
          ("mention", "mention_start", "speaker", "speaker_title", "speaker_role", "speaker_kind")}
    people: dict[str, dict] = {}
    for record in records:
        if record[at["speaker_kind"]] != "named":
            continue
        person = people.setdefault(record[at["speaker"]], {"title": None, "role": None, "he": set(), "she": set()})
        person["title"] = person["title"] or record[at["speaker_title"]]
        person["role"] = person["role"] or record[at["speaker_role"]]
        mention = (record[at["mention"]] or "").lower()
        if mention in ("he", "she"):
            person[mention].add(record[at["mention_start"]])
    described: dict[str, tuple[str, str, str]] = {}
    honorifics = honorifics_in(text) if people else {}
    for name, person in people.items():
        gender, evidence = named_gender(name, person["title"], person["role"], text,
                                        (len(person["he"]), len(person["she"])), honorifics)
        described[name] = (gender, evidence, article_role(name, person["title"], person["role"], text))
    out = []
    for record in records:
        speaker, kind = record[at["speaker"]], record[at["speaker_kind"]]
        if kind == "named":
            gender, evidence, role = described[speaker]
        else:
            gender, evidence = "unknown", ""
            role = source_role(speaker, record[at["speaker_title"]], record[at["speaker_role"]], kind)
        out.append((*record, gender, evidence, role, speaker_id(speaker, kind)))
    return out
