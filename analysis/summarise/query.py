"""Boolean keyword queries over article text, as Media Cloud users write them.

    >>> query = compile_query('(trump OR clinton) AND "tax plan" NOT poll*')
    >>> query.matches("Trump unveiled his tax plan on Monday.")
    True
    >>> query.match_series(articles["title"] + "\\n" + articles["text"])   # one bool per article

The language:

- a word matches that word, case-insensitively, as a whole word: `tax` matches "Tax" and "tax,"
  but not "taxes" or "syntax";
- an apostrophe matches either kind: `trump's` matches "Trump’s";
- a trailing `*` matches any ending: `tax*` matches "tax", "taxes", "taxation";
- `"quoted words"` match those words in that order, whatever punctuation or line breaks lie
  between them (`"tax plan"` matches "tax-plan" and "tax\\nplan"); a `*` may end any word of a phrase;
- `AND`, `OR` and `NOT` combine them, with parentheses to group; two terms side by side are
  joined by AND (`trump tax` is `trump AND tax`), and `a NOT b` is `a AND NOT b`;
- `-word` is `NOT word`, as in Lucene;
- NOT binds tightest, then AND, then OR: `a OR b AND c` is `a OR (b AND c)`.

Operators are written in capitals, as in Media Cloud (Lucene). A lowercase `and`, `or` or `not`
between terms is refused with a message, instead of being searched as a word: "trump or clinton"
would otherwise ask for all three words. To search the word itself, quote it: `"rock and roll"`.

A query that cannot be read raises :class:`QueryError`, whose message names the problem and the
character where it is (1 = the first), with the query and a caret under that character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

import numpy as np
import pandas as pd

__all__ = ["Query", "QueryError", "compile_query"]

OPERATORS = ("AND", "OR", "NOT")
_SPECIAL = '()"'


class QueryError(ValueError):
    """A query that cannot be read. `position` is the 0-based offset of the problem."""

    def __init__(self, problem: str, query: str, position: int, hint: str = ""):
        self.problem, self.query, self.position = problem, query, position
        lead = f"{problem} at character {position + 1}: "
        lines = [lead + query, " " * (len(lead) + position) + "^"] + ([hint] if hint else [])
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT"
    text: str
    position: int


def _tokens(query: str) -> list[_Token]:
    tokens, at = [], 0
    while at < len(query):
        char = query[at]
        if char.isspace():
            at += 1
        elif char in "()":
            tokens.append(_Token(char, char, at))
            at += 1
        elif char == '"':
            end = query.find('"', at + 1)
            if end < 0:
                raise QueryError("unterminated quote", query, at)
            tokens.append(_Token("phrase", query[at + 1:end], at))
            at = end + 1
        else:
            end = at
            while end < len(query) and not query[end].isspace() and query[end] not in _SPECIAL:
                end += 1
            word = query[at:end]
            tokens.append(_Token(word if word in OPERATORS else "word", word, at))
            at = end
    return tokens


# The parsed query: a term's regular expression, or (operator, operands).
_Node = Union[str, tuple]


def _word_pattern(word: str, query: str, position: int) -> str:
    """The regular expression of one word, with its trailing wildcard if any."""
    stem = word[:-1] if word.endswith("*") else word
    if "*" in stem:
        raise QueryError("a wildcard `*` may only end a word", query, position + stem.index("*"))
    if not stem.strip("*"):
        raise QueryError("a wildcard needs at least one letter before it", query, position)
    tail = r"\w*" if word.endswith("*") else r"(?!\w)"
    lead = r"(?<!\w)" if re.match(r"\w", stem) else ""
    # A straight apostrophe in the query also matches a typographic one in the text, and back.
    return lead + re.sub("['’]", "['’]", re.escape(stem)) + tail


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := not (AND? not)*;
    not := NOT not | term | ( or )."""

    def __init__(self, query: str):
        self.query, self.tokens, self.at = query, _tokens(query), 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def error(self, problem: str, token: _Token | None, hint: str = "") -> QueryError:
        return QueryError(problem, self.query, token.position if token else len(self.query), hint)

    def parse(self) -> _Node:
        if not self.tokens:
            raise QueryError("the query is empty", self.query, 0)
        node = self.parse_or()
        token = self.peek()
        if token is not None:  # only a `)` stops the top level early
            raise self.error("unbalanced parenthesis", token, "this `)` closes nothing")
        return node

    def parse_or(self) -> _Node:
        operands = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.at += 1
            operands.append(self.operand_after(token))
        return operands[0] if len(operands) == 1 else ("OR", *operands)

    def parse_and(self) -> _Node:
        operands = [self.parse_not()]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.at += 1
                operands.append(self.operand_after(token, self.parse_not))
            else:  # two terms side by side
                operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else ("AND", *operands)

    def operand_after(self, operator: _Token, parse=None) -> _Node:
        following = self.peek()
        if following is None or following.kind in ("AND", "OR", ")"):
            raise self.error(f"{operator.kind} needs a term after it", operator)
        return (parse or self.parse_and)()

    def parse_not(self) -> _Node:
        token = self.peek()
        if token is None:
            raise self.error("a term is missing", None)
        if token.kind == "NOT":
            self.at += 1
            return ("NOT", self.operand_after(token, self.parse_not))
        if token.kind in ("AND", "OR"):
            raise self.error(f"{token.kind} needs a term before it", token)
        if token.kind == ")":
            raise self.error("unbalanced parenthesis", token, "this `)` closes nothing")
        self.at += 1
        if token.kind == "word" and len(token.text) > 1 and token.text.startswith("-"):
            return ("NOT", self.term(_Token("word", token.text[1:], token.position + 1)))
        if token.kind == "(":
            if (inner := self.peek()) is not None and inner.kind == ")":
                raise self.error("empty parentheses", token)
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise self.error("unbalanced parenthesis", token, "this `(` is never closed")
            self.at += 1
            return node
        return self.term(token)

    def term(self, token: _Token) -> str:
        if token.kind == "word" and token.text.lower() in ("and", "or", "not"):
            raise self.error(f"lowercase `{token.text}`", token, f"write {token.text.upper()} for the operator, "
                             f'or "{token.text}" in quotes to search the word')
        if token.kind == "word":
            return _word_pattern(token.text, self.query, token.position)
        words = [(m.group(), m.start()) for m in re.finditer(r"[^\W_]+\*?|[^\w\s]+", token.text)]
        words = [(w, start) for w, start in words if re.match(r"\w", w)]
        if not words:
            raise self.error("an empty phrase", token)
        # Words in order, anything that is not a letter or digit between them.
        return r"[\W_]+".join(_word_pattern(w, self.query, token.position + 1 + start) for w, start in words)


@dataclass(frozen=True)
class Query:
    """A compiled query: `matches(text)` for one text, `match_series(texts)` for many."""

    text: str
    tree: _Node

    def matches(self, text: str | None) -> bool:
        return bool(_evaluate(self.tree, lambda pattern: _search(pattern, text)))

    def match_series(self, texts: pd.Series) -> pd.Series:
        """One bool per text (missing text matches no term), vectorised term by term."""
        texts = pd.Series(texts).fillna("").astype(str)
        found = _evaluate(self.tree, lambda pattern: texts.str.contains(pattern, flags=re.IGNORECASE, regex=True)
                          .to_numpy(dtype=bool))
        return pd.Series(found, index=texts.index, dtype=bool)

    def terms(self) -> list[str]:
        """The regular expression of each term, in the order written."""
        return list(_patterns(self.tree))

    def __str__(self) -> str:
        return self.text


def _search(pattern: str, text: str | None) -> bool:
    return bool(text) and re.search(pattern, text, flags=re.IGNORECASE) is not None


def _evaluate(node: _Node, term):
    if isinstance(node, str):
        return term(node)
    operator, *operands = node
    values = [_evaluate(operand, term) for operand in operands]
    if operator == "NOT":
        return np.logical_not(values[0])
    combine = np.logical_and if operator == "AND" else np.logical_or
    result = values[0]
    for value in values[1:]:
        result = combine(result, value)
    return result


def _patterns(node: _Node):
    if isinstance(node, str):
        yield node
        return
    for operand in node[1:]:
        yield from _patterns(operand)


def compile_query(query: str | Query) -> Query:
    """Parse `query` once into a :class:`Query`; raises :class:`QueryError` when it cannot be read."""
    if isinstance(query, Query):
        return query
    if not isinstance(query, str):
        raise TypeError(f"a query is text, not {type(query).__name__}")
    tree = _Parser(query).parse()
    for pattern in _patterns(tree):
        re.compile(pattern)  # every term is escaped: this cannot fail, but fail here if it did
    return Query(query, tree)
