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
