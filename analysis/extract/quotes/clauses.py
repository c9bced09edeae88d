"""Reading the words around a cue: adverbials to skip, where a clause ends, what looks like one.

Helpers shared by the source-phrase rules (`mentions`) and the frame rules (`frames`); they work
on the masked text (see `marks`).
"""

from __future__ import annotations

import re

from analysis.extract.quotes.cues import ING_WORDS, VERB_FORMS, trie_pattern
from analysis.extract.quotes.words import DAYS, FINITE, MONTHS

_TIME_WORD = re.compile(
    rf"\s*,?\s*(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:{DAYS}|yesterday|today|tonight|"
    rf"(?:this|last)\s+(?:week|month|year|morning|evening|night)|(?:in\s+)?(?:{MONTHS})(?:\s+\d{{1,2}})?)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b",
)
_PREP_PHRASE = re.compile(
    r"\s*,?\s*(?:in|on|at|during|to|from|via|through|after|before|while|with|over|for|of|by)\s+"
    r"(?:[^,.;:!?\x01]|\.(?=\S)){0,80}?(?=\s*[,.;:!?\x01]|\s+that\b|\s*$)"
)
# What may follow a trailing attribution ("..., officials said, as a standoff intensifies"); not
# "because": "..., he said, because Russians live longer" gives the reason as part of what was said.
AFTER_TRAILING = re.compile(
    r"\s*(?:[—–]|--)\s"  # "..., the budget office reported on Tuesday -- a development that ..."
    r"|\s*,?\s*(?:as|while|after|when|although|though|before|since|until|even\s+as|amid)\b"
    r"|\s*(?:[,;—–(]|\s-)\s*(?:[a-z]+ing|as|while|after|when|although|though|but|and|adding|saying|citing|"
    r"noting|referring|pointing|according|who|which|where|even|in|with|without|before|since|despite|so|"
    r"explaining|arguing|insisting|warning|calling|describing|speaking|asking|"
    + DAYS + r"|on|at|during|than|if|until|amid|following)\b"
)
# "has said for weeks he's ...", "said two days ago that ...": how long or how long ago
_DURATION = re.compile(r"\s*,?\s*(?:for\s+(?:weeks|months|years|days|decades|some\s+time|a\s+while|a\s+long\s+time)"
                       r"|(?:\d+|a|two|three|four|five|several|many|a\s+few)\s+(?:days|weeks|months|years)\s+ago)\b")
# "said in a statement Thursday night they ...", "said in an interview with The Washington Post
# that ...": where it was said, up to a weekday or a capitalised name after `with` or `to`
_WHERE_SAID = re.compile(
    r"\s*,?\s*(?:in|during)\s+(?:an?|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|email|e-mail|"
    r"letter|speech|post|tweet|op-ed|memo|appearance)"
    r"(?:\s+(?:released|issued|posted|published)\s+(?:on\s+\w+\s+)?by\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){1,4}"
    r"(?:campaign|committee|office|team)?"
    r"|\s+(?:with|to)\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)?\b")
_ADVERB = re.compile(r"\s+(?:[a-z]+ly|again|too|later|back|afterward|afterwards|recently|once)\b")
_ASIDE = re.compile(r"\s*,\s*(?:however|though|too|also|in\s+fact|meanwhile|moreover|again|instead|among\s+other\s+things)\s*(?=,|\s+that\b)")
# "said — on Twitter, as it happens — that ...": an aside between dashes before a `that`
_DASHED_ASIDE = re.compile(r"\s*(?:[—–]|--)[^—–\x01]{1,60}?(?:[—–]|--)(?=\s*that\b)")
#: The finite forms of the reporting verbs (`says`, `argued`), as a regex alternation.
_FINITE_REPORTING = trie_pattern(sorted({
    form for third, past, _ in VERB_FORMS.values() for form in (third, *past.split("|")) if form
}))
_NEXT_CLAUSE = re.compile(
    # ", but he ...", not ", but not for ...", ", but hasn't decided ...": a subject of its own
    r",\s*but\s+(?!(?:that|not|also|still|only|never|has|have|had|is|was|are|were|will|would|could|can|should|"
    r"may|might|did|does|do|[a-z]+n[’']t)\b)|;\s+|\s(?:[—–]|--)\s"
    r"|,\s+(?:despite|even\s+though|although|though|whereas|whether)\s"
    r"|,\s+(?:which|who|whom|whose|where|while|(?:for|to|with|of|from|by|in|on|at|under|through)\s+(?:whom|which)|compared\s+(?:with|to)|also\s+known\s+as|"
    r"an?\s+(?:increase|decrease|drop|rise|jump|decline)\s+of)\b"
    r"|,?\s+(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?=(?:" + _FINITE_REPORTING + r")\b)"
    # "... and Trump says ...", "... but he argued ...": a new attribution
    r"|,?\s+(?:and|but)\s+(?=(?:he|she|they|[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,2})\s+(?:also\s+)?(?:"
    + _FINITE_REPORTING + r")\b)"
    r"|(?<=\x02)\s+(?=(?:" + "|".join(ING_WORDS) + r")\b)"
    r"|,\s+(?:and|while|whereas|although|though|so)\s+(?=(?:he|she|they|it|we|I|[A-Z]\w+\s+(?:said|says|added))\b)"
    r"|(?:,|(?<=\x02))\s+(?=[^,;\x01]{1,60}?\s(?:said|says|say|added|adds|told|wrote|writes|noted|argued|explained)\b[^,;]{0,40}$)"
    r"|,\s+(?:according\s+to|citing|calling|pointing|referring|" + "|".join(ING_WORDS) + r")\b"
)
# After a participle cue ("..., saying A and calling B", "telling CNN that A, and reminded the
# audience"): a second participle, or a past verb after a comma, continues the sentence's own
# verb, not the content.
_NEXT_PARTICIPLE = re.compile(
    r"(?:,\s*|\s+)(?:and|but|while|before|then)\s+(?:then\s+|also\s+|later\s+)?(?=[a-z]{3,}ing\b)"
    r"|,\s*(?:and|but|then)\s+(?:then\s+|also\s+|later\s+)?(?=[a-z]{3,}ed\b)"
)
# Where the words were said, closing the sentence after the content ("said A in an interview
# with CNN on Sunday", "A on Twitter", "A according to the report"): not part of what was said.
_TRAILING_ADJUNCT = re.compile(
    r",?\s+(?:according\s+to|(?:in|during)\s+(?:an?|his|her|their)\s+(?:\w+\s+){0,2}?(?:interview|statement|"
    r"speech|email|e-mail|tweet|op-ed|appearance|address|post)|on\s+(?:Twitter|Facebook|Instagram|social\s+media)"
    r"|in\s+a\s+(?:\w+\s+){0,2}?(?:interview|statement|speech))\b[^,;:\x01\x02]{0,80}$"
)
# What ends reported content after the cue besides a new clause (see :data:`CONTENT_TAILS`).
_TRAILING_APPOSITIVE = re.compile(
    # "..., a swipe at the recent disturbances", "..., the first time it has ...": a phrase about
    # the content, up to its end
    r",\s+(?:a|an|the)\s+[^,;:\x01\x02]{3,}$"
)
#: (name, pattern) of the rules that end content read after its cue, tried in order; each cut
#: keeps at least 12 characters of content.
_TRAILING_DAY = re.compile(
    # "... racial unity on Wednesday", "... on Friday afternoon at a Florida rally": when it was
    # said, closing the sentence
    rf"\s+(?:on|late|early)\s+(?:{DAYS})(?:[’']s)?\b(?:\s+(?:morning|afternoon|evening|night))?"
    r"(?:\s+(?:at|in|during|before|to)\s+[^,;:\x01\x02]{0,60})?$"
)
_NEXT_SUBJECT = re.compile(
    # "..., and those voters backed Mr. Sanders", "..., and the A.C.L.U. has already sued": a
    # clause of its own after the reported one
    r",\s+and\s+(?=(?:the|an?|those|these|more|many|most|some|both|his|her|their|its)\s+[^,;:\x01]{0,60}?\s"
    r"(?:has|have|had|is|are|was|were|[a-z]{3,}ed)\b)"
)
_NEXT_PREDICATE = re.compile(
    # "said A but did not suggest B", "urged A and has repeatedly characterized him as B": a second
    # predicate of the sentence's subject, marked by its auxiliary
    r",?\s+(?:and|but)\s+(?:then\s+|also\s+)?(?:did\s+not|didn[’']t|has\s+(?:also\s+|repeatedly\s+|since\s+)?[a-z]+ed|"
    r"had\s+(?:also\s+|repeatedly\s+)?[a-z]+ed|made\s+no)\b"
)
CONTENT_TAILS: tuple[tuple[str, re.Pattern], ...] = (
    ("a closing appositive", _TRAILING_APPOSITIVE),
    ("where it was said", _TRAILING_ADJUNCT),
    ("the day it was said", _TRAILING_DAY),
    ("a clause with a subject of its own", _NEXT_SUBJECT),
    ("a second predicate", _NEXT_PREDICATE),
)
THAT = re.compile(r"\s*,?\s*that\b\s*")
# What opens a sentence before content read ahead of its cue without being part of what was said
# (see :data:`CONTENT_HEADS`).
_CONCESSIVE_LEAD = re.compile(
    # "Though Republicans boast of ..., there is no ...", "Despite Will's call, he still ...": the
    # writer's framing up to the comma that ends it
    r"(?:(?:But|And|So),?\s+)?(?:Though|Although|While|Whereas|Even\s+though|Despite|As\s+for)\b[^,;:\x01]{3,200},\s+"
)
_BUT_LEAD = re.compile(
    # "The program is hardly formal, but it has attracted a following, she said.": the turn after
    # "but" is what was reported
    r"[^,;:\x01]{10,200},\s+but\s+(?=[^\x01]{12})"
)
#: (name, pattern) of the rules that drop the opening of content read before its cue ("...,
#: officials said."), tried in order; each keeps at least 12 characters of content.
_DATELINE = re.compile(
    # "LOS ANGELES, Feb. 2 (UPI) — The next record ...": where and when the story was filed
    r"[A-Z][A-Z.’' -]{2,30},?[^—–\x01\n]{0,24}?(?:\([A-Za-z]{2,12}\))?\s*(?:—|–|--)\s*"
)
CONTENT_HEADS: tuple[tuple[str, re.Pattern], ...] = (
    ("a dateline", _DATELINE),
    ("a concessive lead clause", _CONCESSIVE_LEAD),
    ("a clause before but", _BUT_LEAD),
)


def skip_tail(masked: str, pos: int, end: int) -> int:
    """Skip the adverbials after a cue: `on Thursday`, `in an email`, `to reporters`, `, among
    other things,`, `— on Twitter, as it happens —` before a `that`."""
    for _ in range(3):
        moved = False
        for pattern in (_TIME_WORD, _DURATION, _PREP_PHRASE, _WHERE_SAID, _ADVERB, _ASIDE, _DASHED_ASIDE):
            m = pattern.match(masked, pos, end)
            if m and m.end() > pos:
                pos, moved = m.end(), True
        if not moved:
            break
    return pos


def strip_span(masked: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the spaces and punctuation at either end."""
    while start < end and (masked[start].isspace() or masked[start] in ",;:—–-"):
        start += 1
    while end > start and (masked[end - 1].isspace() or masked[end - 1] in ".,;:!?—–-"):
        end -= 1
    return start, end


def reported_after_tail(masked: str, c_end: int, e: int) -> bool:
    """After the adverbials that follow the cue (`reported Thursday`, `reported in 2014`), a
    `that` clause or the end of the sentence."""
    tail = skip_tail(masked, c_end, e)
    return tail > c_end and (bool(re.match(r"\s*(?:,\s*)?that\b", masked[tail:e])) or trailing_cue(masked, tail, e))


def trailing_cue(masked: str, c_end: int, e: int) -> bool:
    """Nothing (or only what may follow a trailing attribution) after the cue: `..., he said.`"""
    return not masked[c_end:e].strip(" .,;:!?") or bool(AFTER_TRAILING.match(masked, c_end, e))


# "the decision, which struck down ..., would hurt women": a relative clause on the reported
# clause's own subject, closed by a comma before that subject's verb
_SUBJECT_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b[^,;:\x01]{3,200}?,\s+(?=(?:would|will|could|can|should|may|might|"
                               r"must|is|are|was|were|has|have|had|did|does|do|[a-z]{3,}(?<!ss)s|[a-z]{3,}ed)\b)")


def cut_clause(masked: str, start: int, end: int) -> int:
    """End reported content before a coordinated clause with its own subject (`..., and he
    rejected it`) or a `but` that turns away from what was said; a relative clause on the
    content's own short subject is read through (`the decision, which ..., would hurt`)."""
    cut = _NEXT_CLAUSE.search(masked, start, end)
    if cut and len(masked[start:cut.start()].split()) <= 4:
        relative = _SUBJECT_RELATIVE.match(masked, cut.start(), end)
        if relative:
            cut = _NEXT_CLAUSE.search(masked, relative.end(), end)
    if cut and cut.start() - start >= 12:
        return strip_span(masked, start, cut.start())[1]
    return end


def cut_participle_content(masked: str, start: int, end: int) -> int:
    """End the content of a participle cue (`saying ...`) before a coordinated participle or verb
    that goes with the sentence's own verb (`..., calling them rapists and vowing to ...`), and
    before a coordinated clause (:func:`cut_clause`)."""
    cut = _NEXT_PARTICIPLE.search(masked, start, end)
    if cut and cut.start() - start >= 8:
        end = strip_span(masked, start, cut.start())[1]
    return cut_clause(masked, start, end)


def trim_trailing_adjunct(masked: str, start: int, end: int) -> int:
    """End reported content read after its cue before what goes with the sentence rather than
    with what was said (:data:`CONTENT_TAILS`): a closing phrase that says where it was said
    (`... in an interview with CNN on Sunday`, `... on Twitter`, `... according to the report`)
    and a closing appositive (`..., a swipe at ...`). (A second verb, `said A and proposed B`, is
    left in: cutting at `and <verb>ed` measured worse, as often the content's own verb.)"""
    for _name, pattern in CONTENT_TAILS:
        cut = pattern.search(masked, start, end)
        if cut and cut.start() - start >= 12:
            end = strip_span(masked, start, cut.start())[1]
    return end


def trim_leading_frame(masked: str, start: int, end: int) -> int:
    """Start reported content read before its cue after what frames the sentence rather than
    what was said (:data:`CONTENT_HEADS`): a concessive lead clause (`Though X, ...`) and a clause
    the content turns from (`X is hardly formal, but ...`)."""
    for _name, pattern in CONTENT_HEADS:
        lead = pattern.match(masked, start, end)
        if lead and end - lead.end() >= 12:
            start = lead.end()
    return start


def looks_like_clause(body: str) -> bool:
    """A bare complement (`said the plan failed`) has a verb early on; an object (`acknowledged
    the appeal of the race`) usually does not."""
    words = body.split()[:10]
    for i, w in enumerate(words):
        low = w.lower().strip(",.;:")
        if low in FINITE or (i >= 1 and low.endswith("ed") and len(low) > 3) or (i >= 1 and low.endswith(("n't", "’t"))):
            return True
        if i >= 1 and low.endswith("s") and not low.endswith("ss") and words[i - 1].lower() in ("he", "she", "it", "that", "this", "who"):
            return True
        if i >= 1 and low.endswith("s") and not low.endswith("ss") and words[i - 1][:1].isupper() and i == 1:
            return True
    return False
