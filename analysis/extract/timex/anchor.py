"""Finding candidate matches fast: the anchor words of a text, the windows around them, and the
matches of each rule inside its windows (see `analysis.extract.timex.rules`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract.timex.context import WORD_TOKEN
from analysis.extract.timex.rules import RULES


@dataclass(frozen=True)
class Candidate:
    """One match of one rule, before its normaliser has accepted it."""

    start: int
    end: int
    rule: str
    match: re.Match


def _anchor_table() -> dict[str, tuple[str, ...]]:
    """Each anchor word and the rules it anchors."""
    table: dict[str, set[str]] = {}
    for rule in RULES:
        for word in rule.anchors:
            table.setdefault(word, set()).add(rule.name)
    return {word: tuple(sorted(rules)) for word, rules in table.items()}


#: Each anchor word (lower case) and the names of the rules it anchors.
ANCHOR_WORDS = _anchor_table()
#: (rule name, token test) of the rules anchored by digits or one-letter tokens.
TOKEN_ANCHORS = tuple((rule.name, rule.token_anchor) for rule in RULES if rule.token_anchor is not None)


def anchor_hits(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each rule, the (start, end) of the words in `text` that can anchor it."""
    hits: dict[str, list[tuple[int, int]]] = {}
    anchor_rules = ANCHOR_WORDS.get
    for token in WORD_TOKEN.finditer(text):
        word = token.group()
        # most words anchor nothing: look them up before asking where they are
        rules = None if word[0].isdigit() else anchor_rules(word.lower())
        if rules is None:
            if not (word[0].isdigit() or len(word) == 1):
                continue
            start, end = token.span()
            rules = [name for name, test in TOKEN_ANCHORS if test(word, text, start, end)]
        else:
            start, end = token.span()
        for rule in rules:
            hits.setdefault(rule, []).append((start, end))
    return hits


def windows(text: str, spans: list[tuple[int, int]], back: int, forward: int) -> list[tuple[int, int]]:
    """Merged (start, end) windows around anchor spans, never cutting a word at the end."""
    found: list[tuple[int, int]] = []
    n = len(text)
    for hit_start, hit_end in spans:
        start = max(0, hit_start - back)
        end = min(n, hit_end + forward)
        stop = min(n, end + 30)
        while end < stop and text[end].isalnum():
            end += 1
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def candidates(text: str) -> list[Candidate]:
    """Every non-empty match of every rule in the windows around its anchors, rule by rule."""
    found = []
    seen: set[tuple[int, int, str]] = set()
    hits = anchor_hits(text)
    for rule in RULES:
        spans = hits.get(rule.name)
        if not spans:
            continue
        for w_start, w_end in windows(text, spans, *rule.reach):
            if rule.required is not None and not rule.required.search(text, w_start, w_end):
                continue
            for match in rule.pattern.finditer(text, w_start, w_end):
                key = (match.start(), match.end(), rule.name)
                if match.end() > match.start() and key not in seen:
                    seen.add(key)
                    found.append(Candidate(match.start(), match.end(), rule.name, match))
    return found
