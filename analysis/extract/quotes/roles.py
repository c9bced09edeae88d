"""The role class of a source (`source_role`): what kind of voice a news story gives the floor to.

The classes are the ones source-diversity audits count (:data:`SOURCE_ROLES`). A source's class
is read from lexicon words (`source_roles.tsv`) in, in order:

1. the head of its description, up to the first preposition (`a Southcom spokeswoman`,
   `an expert in ... at the U.S. Army War College` -> expert, `his national security adviser`);
2. its title (`Sen.`, `Army Col.`, `Councillor`);
3. its own phrase for an unnamed source, a group or an organisation (`Military officials`,
   `Residents`, `the State Department`);
4. the rest of the description: the organisation it names (`a fellow at the Brookings
   Institution`).

In each, the head word (the last word of the phrase's head) decides when it has a class; else the
class of any other word, by the priority of :data:`SOURCE_ROLES`. A `weak` word (`president`,
`director`, `military`) counts only when no step finds anything else. Unresolved pronouns and
unknown sources are `other`.

A named person is often quoted under a bare name (`Trump said`) while the article describes them
elsewhere. :func:`article_role` adds every description of the person in the article
(:func:`described_roles`): the title or description right before any mention of the name
(`Republican presidential candidate Donald Trump`, `CNN's Gloria Borger`), a description before a
comma (`Dow's chief executive, Andrew Liveris`), an appositive or copula after it (`Kim Wells, a
schoolteacher`, `Simmons is a Democratic consultant`), a party label (`Bob Goodlatte (R-Va.)`),
what the person owns (`Sanders' candidacy`, `the Clinton campaign`, `Hewitt's radio show`) and
phrases before the name (`voting for Ted Cruz`), from `source_role_contexts.tsv`. The class most
descriptions give wins; the quoted mention's own description counts twice.
"""

from __future__ import annotations

import re

from analysis.lexicons import table
from analysis.lexicons import words as lexicon_words

#: The role classes, in the order that breaks a tie between words of one phrase.
SOURCE_ROLES = [
    "spokesperson", "police_military", "expert", "politician", "government", "business", "advocacy",
    "media", "citizen", "other",
]
_PRIORITY = {role: i for i, role in enumerate(SOURCE_ROLES)}

# word or two-word phrase -> (class, weak)
ROLE_WORDS: dict[str, tuple[str, bool]] = {
    key: (value.split("\t")[0].strip(), value.split("\t")[-1].strip() == "weak")
    for key, value in table("source_roles").items()
}
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CONTEXTS = [(key, *value.split("\t")[:2]) for key, value in table("source_role_contexts").items()]
_BEFORE = {phrase: role for phrase, where, role in _CONTEXTS if where == "before"}
_OWNS = {phrase: role for phrase, where, role in _CONTEXTS if where == "owns"}
_STOPS = {phrase for phrase, where, _ in _CONTEXTS if where == "stop"}
_ALONE = {phrase: role for phrase, where, role in _CONTEXTS if where == "alone"}
_PAST = {phrase for phrase, where, _ in _CONTEXTS if where == "past"}
_CROSS = {phrase for phrase, where, _ in _CONTEXTS if where == "cross"}
_ABBREVIATIONS = lexicon_words("abbreviations")  # `Sen.`, `Gov.`: a period that does not end a sentence
_DETERMINERS = {"a", "an", "the", "his", "her", "their", "its"}
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_TOKEN = re.compile(r"[^\W_][\w'’.&-]*|[^\w\s]")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_PARTY = re.compile(r"\s*\((?:[DRI]|Dem|Rep|GOP)(?:[-–,]\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\)")
_AFTER_END = re.compile(r"(.{1,160}?)(?:,|;|:|\.\s|\.$|—|–|\(|$)", re.S)
_APPOSITIVE = re.compile(r"(?:\s*\([^()]{1,30}\))?\s*,\s+")
_COPULA = re.compile(r"\s+(?:is|was|has been|had been|is now|was then)\s+(?=(?:a|an|the)\s)")
_WHO_IS = re.compile(r"(?:who|whose)\s+(?:is|was|has been|had been|serves as|served as|is now|runs|ran|heads|"
                     r"headed|leads|led|chairs|directs|founded|hosts|writes for)\s+")
_OF_PLACE = re.compile(r"\s+(?:of|at|from|with)\s+((?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})")
_AGE = re.compile(r"\s*,\s+\d{1,3}\s*[,.]")
_OWNED = re.compile(r"(?:['’]s?)?\s+([a-z][\w-]*)(?:\s+([a-z][\w-]*))?")
_BREAK = {"of", "at", "for", "in", "with", "to", "from", "on", "by", "who", "whose", "which", "and", "near"}


def _words(phrase: str | None) -> list[str]:
    """Lower-case words, a possessive without its `'s` (`the company's president`)."""
    return [re.sub(r"['’]s$", "", w.lower()) for w in _WORD.findall(phrase or "")]


def _split(words: list[str]) -> tuple[list[str], list[str]]:
    """(head noun phrase, the rest) of a phrase's words, cut at its first preposition."""
    for i, word in enumerate(words):
        if word in _BREAK and i > 0:
            return words[:i], words[i:]
    return words, []


def _found(words: list[str]) -> list[tuple[int, str, bool]]:
    """(position, class, weak) of each lexicon word or two-word phrase in `words` (a phrase
    hides the words it is made of)."""
    found, i = [], 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if i + 1 < len(words) and pair in ROLE_WORDS:
            found.append((i + 1, *ROLE_WORDS[pair]))
            i += 2
            continue
        if words[i] in ROLE_WORDS:
            found.append((i, *ROLE_WORDS[words[i]]))
        i += 1
    return found


def _strong_class(words: list[str]) -> str | None:
    """The class of a phrase's head: its last word's, else the first by priority among the others
    (weak words left out)."""
    found = [(pos, role) for pos, role, weak in _found(words) if not weak]
    if not found:
        return None
    last = [role for pos, role in found if pos == len(words) - 1]
    if last:
        return last[0]
    return min((role for _, role in found), key=_PRIORITY.__getitem__)


def _weak_class(phrases: list[list[str]]) -> str | None:
    weak = [role for words in phrases for _, role, is_weak in _found(words) if is_weak]
    return min(weak, key=_PRIORITY.__getitem__) if weak else None


def source_role(speaker: str, title: str | None, role: str | None, kind: str) -> str:
    """The class in :data:`SOURCE_ROLES` of one source (see the module's description)."""
    if kind in ("pronoun", "unknown"):
        return "other"
    head, rest = _split(_words(role))
    steps = [head, _words(title)]
    if kind != "named":
        steps.append(_split(_words(speaker))[0])
    steps.append(rest)
    if kind != "named":
        steps.append(_split(_words(speaker))[1])
    for words in steps:
        found = _strong_class(words)
        if found:
            return found
    return _weak_class(steps) or "other"


def _class_of(phrases: list[list[str]]) -> tuple[str, bool] | None:
    """(class, strong) of a description read in parts (its head first, then the rest), or None.
    A role put in the past (`former`) is not strong."""
    past = any(word in _PAST for words in phrases for word in words)
    for words in phrases:
        found = _strong_class(words)
        if found:
            return found, not past
    weak = _weak_class(phrases)
    return (weak, False) if weak else None


def _name_mentions(name: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of each mention of a person in `text`: their surname, with the first names
    before it when given; a surname after another capitalised first name (`George W. Bush` for
    `Jeb Bush`) is someone else."""
    parts = [w for w in name.split() if w.lower() not in _NAME_SUFFIXES]
    if not parts or not parts[-1][:1].isupper():
        return []
    given = {w.lower().rstrip(".") for w in parts[:-1]}
    mentions = []
    for match in re.finditer(r"(?<![\w-])" + re.escape(parts[-1]) + r"(?![\w-])", text):
        start = match.start()
        before = text[max(0, start - 40):start].split()
        while before and (before[-1].lower().rstrip(".,") in given or _initial_of(before[-1], given)):
            start = text.rfind(before.pop(), 0, start)
        if start == match.start() and before and _other_first_name(before[-1], given):
            continue
        mentions.append((start, match.end()))
    return mentions


def _other_first_name(word: str, given: set[str]) -> bool:
    """Whether the capitalised `word` before a surname is another person's first name: not a
    role or honorific, and not matching the initial of a given name (`Jacob` for `J. Lew`)."""
    low = word.lower().rstrip(".")
    if not given or not re.fullmatch(r"[A-Z][\w.'’-]*", word) or low in ROLE_WORDS \
            or low in ("mr", "mrs", "ms", "miss", "dr"):
        return False
    return not _initial_of(word, given)


def _initial_of(word: str, given: set[str]) -> bool:
    """Whether `word` is a first name that a one-letter given name abbreviates."""
    return word[:1].isupper() and any(len(name) == 1 and name == word[0].lower() for name in given)


def _words_before(text: str, start: int, limit: int = 7) -> tuple[list[str], bool]:
    """The words of the description that ends right before `start`, read backwards until
    punctuation, a sentence end or a stop word (`said`, `with`; `of` and `and` only after a word
    that is not a role: `the endorsement of`, but `chief of staff`), as :func:`_words` gives them;
    and whether they open their clause (no stop word before them)."""
    tokens = _TOKEN.findall(text[max(0, start - 160):start])
    out: list[str] = []
    while tokens and len(out) < limit:
        token = tokens.pop()
        if not token[0].isalnum():
            return out, True
        word = re.sub(r"['’]s?$", "", token.lower()).rstrip(".")
        if token.endswith(".") and word not in _ABBREVIATIONS and not _INITIALS.fullmatch(token):
            return out, True  # the end of the sentence before
        if word in _STOPS and not (word in _CROSS and tokens and _words(tokens[-1])
                                   and _words(tokens[-1])[-1] in ROLE_WORDS):
            return out, False
        out.insert(0, word)
    return out, not tokens


def _before(text: str, start: int) -> tuple[str, bool] | None:
    """The class of the description before a mention: a context phrase (`voting for`), a title
    (`Sen.`, `Republican presidential candidate`, `CNN's`) or a description before a comma whose
    last word is a role (`Trump's campaign manager, Corey Lewandowski`)."""
    lead = " ".join(text[max(0, start - 40):start].lower().split())
    for phrase, role in _BEFORE.items():
        if lead.endswith(" " + phrase) or lead == phrase:
            return role, True
    end = start  # the end of the text before the mention, spaces left out (read in place: linear)
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end and text[end - 1] == ",":
        words, opens = _words_before(text, end - 1)
        found = [(pos, weak) for pos, _, weak in _found(words)]
        if opens and words and (len(words) - 1, False) in found:
            return _class_of([words])
        return None
    words, _ = _words_before(text, start)
    return _class_of([words]) if words and _is_role_head(words) else None


def _is_role_head(words: list[str]) -> bool:
    """Whether a description's last word (or last two) is a role word: `presidential candidate`,
    `Gov.`, `CNN's`, but not `voters will give`."""
    return words[-1] in ROLE_WORDS or " ".join(words[-2:]) in ROLE_WORDS


def _after(text: str, end: int) -> tuple[str, bool] | None:
    """The class of what follows a mention: a party label (`(R-Va.)`), what the person owns
    (`'s campaign`, ` campaign`), an appositive (`, a professor at ...`, `, who runs ...`) or a
    copula (` is a Democratic consultant`)."""
    rest = text[end:end + 200]
    if _PARTY.match(rest):
        return "politician", True
    owned = _OWNED.match(rest)
    if owned:
        pair = f"{owned.group(1)} {owned.group(2)}" if owned.group(2) else None
        if pair in _OWNS or owned.group(1) in _OWNS:
            return _OWNS.get(pair) or _OWNS[owned.group(1)], True
    if _AGE.match(rest):
        return "citizen", False  # "Stacey Edwards, 31, said": an age is how news introduces ordinary people
    place = _OF_PLACE.match(rest)
    if place:
        found = _strong_class(_words(place.group(1)))
        if found:
            return found, True
    lead = _APPOSITIVE.match(rest) or _COPULA.match(rest)
    if not lead:
        return None
    clause = _AFTER_END.match(rest[lead.end():])
    phrase = clause.group(1) if clause else rest[lead.end():lead.end() + 100]  # a long clause: its start
    who = _WHO_IS.match(phrase)
    if who:
        phrase = phrase[who.end():]
    elif phrase.split()[:1] and phrase.split()[0].lower() in _STOPS | {"who", "whose", "which"}:
        return None
    if not who and _ends_with_name(_split(phrase.split())[0]):
        return None  # a list of people, not an appositive: "chairman Subir Raha, Gazprom chairman Aleksey Miller"
    return _appositive_class(_words(phrase))


def _ends_with_name(words: list[str]) -> bool:
    """Whether the last two words are capitalised and not roles (`Aleksey Miller`)."""
    last = [_words(word) for word in words[-2:]]
    return len(last) == 2 and all(word[:1].isupper() for word in words[-2:]) \
        and all(w and w[-1] not in ROLE_WORDS for w in last)


def _appositive_class(words: list[str], *more: list[str]) -> tuple[str, bool] | None:
    """(class, strong) of a description (its head, then `more` phrases, then the rest of it); a
    head that is a party word alone is a voter (`a Republican from the Concord area`)."""
    head, tail = _split(words)
    alone = [word for word in head if word not in _DETERMINERS]
    if len(alone) == 1 and alone[0] in _ALONE:
        return _ALONE[alone[0]], True
    return _class_of([head, *more, tail])


def described_roles(name: str, text: str) -> list[tuple[str, bool]]:
    """(class, strong) of every description of a named person in the article, in text order."""
    found = []
    for start, end in _name_mentions(name, text):
        for description in (_before(text, start), _after(text, end)):
            if description:
                found.append(description)
    return found


def article_role(name: str, title: str | None, role: str | None, text: str) -> str:
    """The class of a named person from their quoted mention (`title`, `role`) and every other
    description in the article `text`: the class with the most strong descriptions (the quoted
    one counts twice; a tie goes to the earliest), else the most weak ones, else `other`."""
    lead = _words(name)[:-2]  # a title left in the name: "New York City Public Advocate Trish James"
    own = _appositive_class(_words(role), _words(title), lead if lead and _is_role_head(lead) else [])
    votes = ([own, own] if own else []) + described_roles(name, text)
    for strength in (True, False):
        chosen = [role for role, strong in votes if strong == strength]
        if chosen:
            return max(dict.fromkeys(chosen), key=chosen.count)
    return "other"
