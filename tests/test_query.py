"""The boolean keyword query language (`analysis.summarise.query`)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.summarise.query import QueryError, compile_query

TEXT = ("President Trump unveiled his tax plan on Monday. Critics of the tax-cut said taxes on the "
        "middle class would rise. Clinton did not comment.\nThe U.S. Senate votes next week.")


@pytest.mark.parametrize("query, expected", [
    ("trump", True),
    ("TRUMP", True),                       # case-insensitive
    ("trum", False),                       # whole words only
    ("trum*", True),                       # trailing wildcard
    ("tax", True),
    ("taxes", True),
    ("taxation", False),
    ("tax*", True),
    ("syntax", False),
    ("trump AND clinton", True),
    ("trump AND obama", False),
    ("trump clinton", True),               # implicit AND
    ("trump obama", False),
    ("obama OR clinton", True),
    ("obama OR bush", False),
    ("NOT obama", True),
    ("NOT trump", False),
    ("trump NOT obama", True),             # a NOT b is a AND NOT b
    ("trump NOT clinton", False),
    ("trump -clinton", False),             # Lucene's minus
    ("trump -obama", True),
    ('"tax plan"', True),
    ('"plan tax"', False),                 # a phrase keeps its order
    ('"TAX CUT"', True),                   # punctuation between phrase words
    ('"comment the u.s. senate"', True),   # across a sentence end and a line break
    ('"middle cla*"', True),
    ('"middle cla"', False),
    ("(obama OR trump) AND (bush OR clinton)", True),
    ("(obama OR trump) AND (bush OR reagan)", False),
    ("obama OR trump AND clinton", True),  # AND binds tighter than OR
    ("obama OR trump AND reagan", False),
    ("(obama OR trump) AND NOT (reagan OR bush)", True),
    ("NOT NOT trump", True),
    ("U.S.", True),
    ("u.s", True),
    ("tax-cut", True),
    ('"rock and roll"', False),
    ("monday*", True),
    ("senate's", False),
    ("clinton's OR trump’s", False),
])
def test_queries_match_as_media_cloud_users_expect(query, expected):
    compiled = compile_query(query)
    assert compiled.matches(TEXT) is expected
    # The vectorised matcher agrees with the one-text matcher.
    assert compiled.match_series(pd.Series([TEXT, ""])).tolist() == [expected, compiled.matches("")]


@pytest.mark.parametrize("query, text", [
    ("trump's", "Trump’s plan"),
    ("trump’s", "Trump's plan"),
    ('"trump\'s plan"', "TRUMP’S PLAN"),
    ("#metoo", "the #MeToo movement"),
    ("c++", "written in C++ and Rust"),
])
def test_apostrophes_and_symbols(query, text):
    assert compile_query(query).matches(text)


@pytest.mark.parametrize("query, problem, character", [
    ("(trump AND clinton", "unbalanced parenthesis", 1),
    ("trump AND (clinton OR (bush)", "unbalanced parenthesis", 11),
    ("trump) AND clinton", "unbalanced parenthesis", 6),
    ("(trump AND", "AND needs a term after it", 8),
    ("trump OR", "OR needs a term after it", 7),
    ("AND trump", "AND needs a term before it", 1),
    ("trump AND OR clinton", "AND needs a term after it", 7),
    ("NOT", "NOT needs a term after it", 1),
    ("trump ()", "empty parentheses", 7),
    ('"tax plan', "unterminated quote", 1),
    ('trump ""', "an empty phrase", 7),
    ("ta*x", "a wildcard `*` may only end a word", 3),
    ("*", "a wildcard needs at least one letter before it", 1),
    ("trump or clinton", "lowercase `or`", 7),
    ("trump and clinton", "lowercase `and`", 7),
    ("   ", "the query is empty", 1),
])
def test_bad_queries_say_what_and_where(query, problem, character):
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    message = str(caught.value)
    assert message.startswith(f"{problem} at character {character}: {query}")
    assert caught.value.position == character - 1
    # The caret sits under the character named.
    first, caret = message.splitlines()[:2]
    assert first[caret.index("^")] == (query + " ")[character - 1]


def test_lowercase_operators_come_with_a_hint_and_quoted_they_are_words():
    with pytest.raises(QueryError, match='write OR for the operator, or "or" in quotes'):
        compile_query("trump or clinton")
    assert compile_query('"rock and roll"').matches("Rock and roll is here to stay")


def test_a_query_is_compiled_once_and_reused():
    query = compile_query("trump")
    assert compile_query(query) is query
    assert str(query) == "trump"
    with pytest.raises(TypeError):
        compile_query(None)


def test_missing_texts_match_no_term_but_match_not():
    series = pd.Series(["trump", None, float("nan")], index=["a", "b", "c"])
    assert compile_query("trump").match_series(series).to_dict() == {"a": True, "b": False, "c": False}
    assert compile_query("NOT trump").match_series(series).to_dict() == {"a": False, "b": True, "c": True}


words = st.sampled_from(["tax", "trump", "plan", "senate", "vote", "cut"])


@st.composite
def queries(draw, depth=2):
    """A random query and a Python function giving its truth from the set of words present."""
    if depth == 0 or draw(st.booleans()):
        word = draw(words)
        return word, lambda present: word in present
    kind = draw(st.sampled_from(["AND", "OR", "NOT", "implicit"]))
    left, left_fn = draw(queries(depth=depth - 1))
    if kind == "NOT":
        return f"NOT ({left})", lambda present: not left_fn(present)
    right, right_fn = draw(queries(depth=depth - 1))
    if kind == "OR":
        return f"({left}) OR ({right})", lambda present: left_fn(present) or right_fn(present)
    joiner = " AND " if kind == "AND" else " "
    return f"({left}){joiner}({right})", lambda present: left_fn(present) and right_fn(present)


@settings(max_examples=200, deadline=None)
@given(queries(), st.sets(words), st.sampled_from([" ", ", ", ".\n"]))
def test_random_queries_agree_with_boolean_logic(query_and_truth, present, separator):
    query, truth = query_and_truth
    text = separator.join(w.upper() if i % 2 else w for i, w in enumerate(sorted(present)))
    compiled = compile_query(query)
    assert compiled.matches(text) is truth(present)
    assert compiled.match_series(pd.Series([text])).iloc[0] == truth(present)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab ()"*-ANDORT', max_size=20))
def test_any_text_either_compiles_or_raises_a_query_error(text):
    try:
        query = compile_query(text)
    except QueryError as exc:
        assert 0 <= exc.position <= len(text)
        assert re.search(r"at character \d+", str(exc))
    else:
        query.matches("a b ab")
