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
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_TOKEN = re.compile(r"[^\W_][\w'’.&-]*|[^\w\s]")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_PARTY = re.compile(r"\s*\((?:[DRI]|Dem|Rep|GOP)(?:[-–,]\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\)")
_AFTER_END = re.compile(r"(.{1,160}?)(?:,|;|:|\.\s|\.$|—|–|\(|$)", re.S)
_APPOSITIVE = re.compile(r"(?:\s*\([^()]{1,30}\))?\s*,\s+")
_COPULA = re.compile(r"\s+(?:is|was|has been|had been|is now|was then)\s+(?=(?:a|an|the)\s)")
_WHO_IS = re.compile(r"(?:who|whose)\s+(?:is|was|has been|had been|serves as|served as|is now|runs|ran|heads|"
                     r"headed|leads|led|chairs|directs|founded|hosts|writes for)\s+")
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
    """(class, strong) of a description read in parts (its head first, then the rest), or None."""
    for words in phrases:
        found = _strong_class(words)
        if found:
            return found, True
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
        while before and before[-1].lower().rstrip(".,") in given:
            start = text.rfind(before.pop(), 0, start)
        if before and before[-1][:1].isupper() and re.fullmatch(r"[A-Z][\w.'’-]*", before[-1]) \
                and start == match.start() and given and before[-1].lower().rstrip(".") not in ROLE_WORDS \
                and before[-1].lower().rstrip(".") not in ("mr", "mrs", "ms", "miss", "dr"):
            continue  # another first name
        mentions.append((start, match.end()))
    return mentions


def _words_before(text: str, start: int, limit: int = 7) -> list[str]:
    """The words of the description that ends right before `start`, read backwards until
    punctuation, a sentence end or a stop word (`said`, `with`, `of` after a word that is not a
    role: `the endorsement of`), as :func:`_words` gives them."""
    tokens = _TOKEN.findall(text[max(0, start - 160):start])
    out: list[str] = []
    while tokens and len(out) < limit:
        token = tokens.pop()
        if not token[0].isalnum():
            break
        word = re.sub(r"['’]s?$", "", token.lower()).rstrip(".")
        if token.endswith(".") and word not in ROLE_WORDS and not _INITIALS.fullmatch(token):
            break  # the end of the sentence before
        if word in _STOPS and not (word == "of" and tokens and _words(tokens[-1])
                                   and _words(tokens[-1])[-1] in ROLE_WORDS):
            break
        out.insert(0, word)
    return out


def _before(text: str, start: int) -> tuple[str, bool] | None:
    """The class of the description before a mention: a context phrase (`voting for`), a title
    (`Sen.`, `Republican presidential candidate`, `CNN's`) or a description before a comma whose
    last word is a role (`Trump's campaign manager, Corey Lewandowski`)."""
    lead = " ".join(text[max(0, start - 40):start].lower().split())
    for phrase, role in _BEFORE.items():
        if lead.endswith(" " + phrase) or lead == phrase:
            return role, True
    if text[:start].rstrip().endswith(","):
        words = _words_before(text, text[:start].rstrip().rfind(","))
        found = [(pos, weak) for pos, _, weak in _found(words)]
        if words and (len(words) - 1, False) in found:
            return _class_of([words])
        return None
    words = _words_before(text, start)
    return _class_of([words]) if words else None


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
    lead = _APPOSITIVE.match(rest) or _COPULA.match(rest)
    if not lead:
        return None
    clause = _AFTER_END.match(rest[lead.end():])
    phrase = clause.group(1) if clause else ""
    who = _WHO_IS.match(phrase)
    if who:
        phrase = phrase[who.end():]
    elif phrase.split()[:1] and phrase.split()[0].lower() in _STOPS | {"who", "whose", "which"}:
        return None
    head, tail = _split(_words(phrase))
    return _class_of([head, tail])


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
    head, rest = _split(_words(role))
    own = _class_of([head, _words(title), rest])
    votes = ([own, own] if own else []) + described_roles(name, text)
    for strength in (True, False):
        chosen = [role for role, strong in votes if strong == strength]
        if chosen:
            return max(dict.fromkeys(chosen), key=chosen.count)
    return "other"
