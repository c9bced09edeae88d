"""Step 3 of quote attribution: the frame around each cue, as registries of small named rules.

A frame says where the source phrase and the reported content are around a cue. Three tables
hold the rules, each tried in order:

* :data:`CUE_FRAMES`: by kind of cue (`according to X`, a participle `..., saying ...`, a verb);
* :data:`VERB_FRAMES`: for a reporting verb, the shapes around it (`“...,” said X, a Y.`,
  `called for X`, `..., X said.`, `The plan, an inside source said, is ...`, `X said (that) ...`);
* :data:`COMPLEMENT_RULES`: verbs whose content is not a `that` clause (`called for X`,
  `asked whether ...`, `vowed to Y`): the patterns tried right after the verb, within `reach`.

Adding a rule is one record in one of these tables (and its small function beside it). A frame
function gets the :class:`CueSite` (and, for verb frames, the :class:`VerbReading` so far) and
returns a :class:`Row`, None (not an attribution: stop) or :data:`NEXT` (not this rule's shape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from analysis.extract.quotes.clauses import (
    AFTER_TRAILING, THAT, cut_clause, cut_participle_content, looks_like_clause, reported_after_tail, skip_tail,
    strip_span, trailing_cue, trim_leading_frame, trim_trailing_adjunct,
)
from analysis.extract.quotes.cues import (
    BARE_CLAUSE_VERBS, CLAUSE_VERBS, FORM_TO_BASE, NOUN_LIKE_FORMS, OBJECT_SPEECH_VERBS, SAY_VERBS, SPEECH_NOUNS,
    STATEMENT_CUE, TOPIC_SPEECH_VERBS, cue_base, find_cues,
)
from analysis.extract.quotes.marks import Q_FILL, Q_START, QBLOCK, qblocks
from analysis.extract.quotes.mentions import (
    CONTRACTED_PRONOUN, OBJECT_OF_PREPOSITION, Mention, long_subject, np_after, np_before, sentence_subject,
)
from analysis.extract.quotes.words import (
    AUX, BE, CLAUSE_BOUNDARY_WORDS, DAYS, DETERMINERS, FINITE, PERSON_NOUNS, PREPOSITIONS, PRONOUNS,
)

_SUBORDINATE = re.compile(r"\s*(?:While|Although|Though|Whereas|Even\s+though|Because|If|Since|As|When|After|Before)\b")
_MAX_CUES_PER_SENTENCE = 12
_WINDOW = 6000
_COLON_CUE = re.compile(r"([^\x01:]{2,80}):\s*\x01")
_RELATIVE_ASIDE = re.compile(r",\s*(?:who|which|whose)\b[^,;:\x01]{1,200},")
_COORDINATED_CUE = re.compile(r"(?:\band|\bbut)(?:\s+(?:also|then|later|quickly|has|had|have|did|would|will|again|[a-z]+ly))*\s*\Z")
_GERUND = re.compile(r"\s+((?!being\b|during\b|nothing\b|something\b|anything\b|everything\b)[a-z]+ing\b)")
_CALL_FOR = re.compile(rf"\s+(?:(?:on\s+)?(?:{DAYS}|today|yesterday)\s+)?(?:(?:for|on|upon|For|On|Upon)\s+)(?=\S)")
# "calling Trump a fascist", "called him “a total stiff”": the object and what it is called
_CALL_PARTICLE = (r"(?!(?:to|on|in|at|up|back|out|off|for|from|with|about|and|or|after|before|last|this|that|into|over|"
                  r"during|again|yesterday|today|tonight|while|when|as|because|but|if|so|since|until|by|twice|once|"
                  r"[a-z]+ly)\b)")
_CALL_X_Y = re.compile(
    r"\s+(?=(?:him|her|them|it|me|us|himself|herself|themselves|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})\s+"
    r"(?:an?\s|the\s|\x01)"
    # "called him divisive", "calls himself a socialist": a bare adjective or noun, not a particle
    r"|(?:him|her|them|it|me|us|himself|herself|themselves)\s+" + _CALL_PARTICLE + r"[a-z][\w-]+(?=[\s.,;!?]|$)"
    # "calls Clinton unqualified", but not "a PAC called Our Principles is spending" or "... launched"
    r"|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}\s+" + _CALL_PARTICLE
    + r"(?!(?:is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|did|does|do|[a-z]+s)\b)"
    r"[a-z][\w-]+(?=[\s.,;!?]|$))")
_CALLED_QUOTE = re.compile(r"\s+(?=(?:[\w.’'-]+\s+){0,6}?\x01)")
_ASK_WH = re.compile(r"\s+(?:(?:several\s+times|again|[a-z]+ly)\s+)?"
                     r"(?:(?:me|him|her|them|us|you|reporters|(?:the|our|his|her|their)\s+[a-z]+|"
                     r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})(?:\s+then)?,?\s+)?"
                     r"((?:whether|if|why|how|what|when|who|which|where)\b)")
_OBJ_TO = re.compile(r"\s+((?:(?:the|his|her|their|its|all|other)\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,3}?)\s+to\s+(?!the\b|a\b|an\b)[a-z]+")
# "asked for a recount", "asked the Supreme Court for quick action": what was asked for
_ASK_FOR = re.compile(r"\s+(?:(?:the\s+|his\s+|her\s+|their\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}\s+|him\s+|her\s+|them\s+)?"
                      r"for\s+((?!example\b|instance\b|now\b|years\b|months\b|weeks\b|days\b|comment\b)[\w$\x01])")
# "asked Republicans a simple question: ...", "recently asked Admiral Harris just that question"
_ASK_QUESTION = re.compile(r"\s+(?:(?:me|him|her|them|us|you|reporters|voters|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})\s+)?"
                           r"((?:an?|the|this|that|just\s+that|several|many|a\s+series\s+of)\s+(?:[\w-]+\s+){0,3}?questions?\b)")
_TO_VERB = re.compile(r"\s+(to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b)[a-z]+)")
_DESCRIBE_AS = re.compile(r"\s+((?!as\b)[^,;:.\x01]{1,80}?\s+as\s+)")
# What may come before a participle cue: ", saying", "and saying", "issued a statement saying".
_BEFORE_PARTICIPLE = re.compile(r"(?:,|\x02|\s[—–]|\band|\bbut|\bby|\bwhile|\bafter|\bbefore|\bwithout|\balso|\bstatement|\bletter|\btweet|\bpost|\bnote)\s*$")
_REPORTED_AFTER_INFINITIVE = re.compile(
    r"(?:\s+(?:(?:the|his|her|their|its|our)\s+)?[a-z]+)?\s*,?\s*(?:that|whether|if|what|why|how|\x01)\b")
_WARN_OF = re.compile(r"\s+(?:of|about|against)\s+([\w\x01])")
_OBJECT = re.compile(
    r"\s+(?:me|him|her|them|us|you|reporters|journalists|supporters|listeners|viewers|voters|donors|students|"
    r"lawmakers|delegates|residents|workers|senators|colleagues|allies|aides|staffers|readers|fans|followers|"
    r"guests|officials|investigators|prosecutors|congress|parliament|"
    r"(?:the|a|an|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:crowd|audience|press|paper|newspaper|station|"
    r"network|committee|court|jury|senate|house|group|board|reporters?|interviewer|host|radio|magazine|"
    r"outlet|show|program|gathering|rally|supporters|voters|students|members|lawmakers|colleagues)|"
    r"(?:[Tt]he\s+)?[A-Z][\w.’'-]*(?:(?:\s+(?:of|the|and))?\s+[A-Z][\w.’'-]*){0,4})(?![\w’'-]|\.\w)"
)
# '“...,” said Steven Brill, author of “America’s Bitter Pill,” ...': a quotation inside the
# appositive after an inverted source is a title, not more of what was said ('“A,” said X, “B.”').
_APPOSITIVE_TITLE = re.compile(r"\s*(?:\([^()\x01]{0,30}\)\s*)?,\s*[^\x01,]*?\w[^\x01]*\Z")
# '46 percent of voters said yes', 'Jeff Flake said he would': an answer as the whole content
_SHORT_ANSWER = re.compile(r"(?i)yes|no|(?:he|she|they|it|we|I)\s+(?:would|will|did|does|do|was|is|had|has|could|can)(?:\s+not|n[’']t)?")
# "would not say so", "26 percent said the same": a word standing for what was said
_SAID_SO = re.compile(r"(?i)so|the\s+same|as\s+much|otherwise|when|why|how|where")
# the quotation that closes the content before a trailing cue, after a colon that introduces it
_INTRODUCED_QUOTATION = re.compile(r":\s*(\x01\x02*[^\w\x01]*)\Z")
# "gloated", "went even further", "went so far as to say" between a subject and a colon
_VERB_BEFORE_COLON = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:[a-z]{3,}ed|went|wrote|gave|put|made|sent|took)\b[^\x01]{0,60}\Z")
# a stop inside the phrase before a colon, other than a title's or an initial's period ("Mr. Christie")
_SENTENCE_STOP = re.compile(r"[!?]|(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\b[A-Z])\.")
# a capitalised name inside the sentence ("the Indiana state", "in New York state"), not its subject
_PLACE_BEFORE = re.compile(r"(?<=[a-z,] )(?:[A-Z][\w.’'-]*\s+){1,3}\Z")
# "a solid red state", "the fifth state", "a former state GOP chair": `state` the noun, after a
# determiner and a modifier or two (not a plural subject: "the documents state")
_STATE_AFTER_MODIFIER = re.compile(r"\b(?:[Aa]n?|[Tt]he|this|that|each|every|another|one|his|her|their|its|our|my)\s+"
                                   r"(?:[\w-]+\s+)?[\w-]*[^\Ws]\s+\Z")
# "It is too soon to say whether ...", "it's fair to say that ...", "suffice to say": no one says anything
_IMPERSONAL_TO_SAY = re.compile(r"\b(?:too\s+(?:soon|early)|fair|safe|hard|difficult|easy|impossible|premature|wrong|right|"
                                r"suffice)\s+to\s+\Z", re.IGNORECASE)
_TITLE_BEFORE_QUOTE = re.compile(r"(?:\b(?:on|in|at|to|from|for|during|with)\b|[’']s)[^,:\x01]*$")
# After "according to": any phrase up to a comma, a "that" or the sentence end.
_LOOSE_SOURCE = re.compile(r"\s+([^\s,;:\x01][^,;:\x01]{0,120}?)(?=\s*(?:[,;:]|\bthat\b|[.!?]?\s*$))")
_ROLE_AFTER = re.compile(r"\s*,\s+((?!who\b|which\b|adding\b|saying\b|according\b)[^,;:\x01]{2,150}?)\s*(?:[,;]|[.!?]?\s*$)")
_TITLE_ONLY = re.compile(r"\s*(?:on|in|at|to)\b[^\x01,;]{0,60}\x01\x02*[\s.,;!?]*$")
_CLAUSE_START_BAD = re.compile(
    r"(?:in|on|at|during|to|from|via|through|after|before|while|with|over|for|of|by|and|or|but|"
    r"so|as|than|because|goodbye|hello|yes|no|nothing|something|anything|much|little|"
    r"more|less|otherwise|sorry|thanks|"
    # "things Trump said about Latinos", but "said about half of voters ..."
    r"about(?!\s+(?:\d|\$|half|a\s|an\s|one|two|three|four|five|six|seven|eight|nine|ten|twenty|dozen)))\b",
    re.IGNORECASE,
)
_ADVERB_BEFORE = re.compile(r"(?:\s+|(?<=[’']s)\s*)(?:not|already|also|now|still|again|[a-z]+ly)\s+\Z")
_NEGATED_BE = {"isn’t", "isn't", "aren’t", "aren't", "wasn’t", "wasn't", "weren’t", "weren't"}
_OBJECT_BEFORE_QUOTE = re.compile(r"\s+([^,;:.!?\x01]{1,60}?)\s*[,:]?\s*(?=\x01)")
_AS_BEFORE_SOURCE = re.compile(r",\s*as\s+\Z")
_NOUN_THAT = re.compile(r"\s+(?:by\s+([^,;:\x01]{1,80}?)\s+)?that\b")
_POSSESSOR = re.compile(
    r"(?<![\w.’'-])((?:(?!(?:Despite|But|And|The|In|On|At|For|With|While|As|If|After|Before|Unlike|Like|Of)\s)"
    r"[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)[’']s\s+(?:[a-z]+\s+){0,2}\Z")
_PASSIVE_ASK_BEFORE = {"when", "whenever", "after", "was", "were", "is", "are", "being", "been", "once", "if", "before", "while", "as"}
# "was asked to comment", "asked to name ...": what a question asks for (not "asked to leave")
_ASKED_TO = (r"(?:comment|name|explain|say|describe|confirm|answer|respond|discuss|clarify|elaborate|address|specify|"
             r"identify|list|predict|estimate|rate|assess|justify|defend|weigh|reconcile)")
_PASSIVE_ASK = re.compile(
    r"(?:\s+by\s+((?:[\w.’'-]+\s+){0,5}?[\w.’'-]+))?"
    rf"(?:\s+(?:on\s+)?(?:{DAYS}|today|yesterday|later|again|(?:last|this)\s+(?:week|month|year)|[a-z]+ly))?"
    r"\s+((?:whether|if|why|how|what|who|whom|which|where|about|to(?=\s+" + _ASKED_TO + r"\b)"
    r"|(?:an?|the|this|that)(?=\s+(?:[\w-]+\s+){0,3}?question\b))\b"
    r"(?:[^,;:\x01.!?]|\.(?=\w)|(?<=\b[A-Z])\.|(?<=Mr|Ms|Dr|St|Jr|Sr)\.|(?<=Mrs|Sen|Rep|Gov|Gen)\.){3,200}?)"
    r"(?=\s*(?:[,;:!?\x01]|\.(?<!\b[A-Z]\.)(?<!Mr\.)(?<!Ms\.)(?<!Dr\.)(?<!St\.)(?<!Jr\.)(?<!Sr\.)(?<!Mrs\.)(?<!Sen\.)(?<!Rep\.)"
    r"(?<!Gov\.)(?<!Gen\.)|\Z))"
)


# A passive reporting verb: "was first reported by", "is tweeted by", "were claimed by"
_PASSIVE_BE = {"is", "are", "was", "were", "been", "first", "also", "widely", "initially", "previously"}
_PASSIVE_BASES = {"report", "announce", "tweet", "claim", "note", "state", "say", "tell"}
# A speech noun closing the words before a colon: "Carrier's message: ...", "Their argument: ..."
_NOUN_COLON = re.compile(
    r"\b(messages?|arguments?|answers?|questions?|warnings?|verdict|conclusion|explanation|response|reply|"
    r"retort|pitch|plea|demands?|promises?|pledges?|advice|case|point)\s*:\s+(?=[A-Z\x01‘'\w])")
_PERSONAL = {"he", "she", "they", "we", "i", "you", "who", "whom"}
_PASSIVE_BY = re.compile(r"(?:\s+(?:on|in)\s+[^,;:\x01]{1,40}?)?\s+by\s+")
_PASSIVE_BE_BEFORE = re.compile(r"\s(?:is|are|was|were|has\s+been|have\s+been|had\s+been)(?:\s+(?:first|also|widely|initially|previously))?\s+\Z")


#: Verbs that are too often not speech without a quotation, a `that` or a known complement
#: ("the report", "called the police").
_WEAK_BASES = {"report", "state", "post", "charge", "estimate", "mention", "continue", "repeat", "maintain",
               "counter", "ask", "demand", "urge", "call", "describe", "threaten"}
#: Verbs whose object is skipped before the content (`told reporters (on Thursday) he ...`).
_OBJECT_BASES = ("tell", "ask", "urge", "warn", "remind", "assure", "inform")

Span = tuple[int, int]


@dataclass
class Row:
    """One attribution found in a sentence: the content span, the cue span, the source phrase and
    the quotation blocks inside the content (masked-text offsets)."""

    start: int
    end: int
    cue: Span | None
    mention: Mention | None
    blocks: list[Span]  # quotation inner spans inside the content
    follow_on: bool = False
    kind: str | None = None  # set when the content's shape does not tell (a quote split by "he said")
    # the content's pieces when the attribution splits it ("The plan, he said, is dead."): one
    # record each, of one attribution
    pieces: list[Span] | None = None


@dataclass(slots=True)
class CueSite:
    """One cue and what its frame may read: the masked and original text, the window [s, e) (the
    sentence, or a bounded piece of it around the cue), the cue's span, its base (`say`,
    `according`, `statement`) and lower-cased words, the quotation blocks in the window, the source
    found before a participle cue (`..., saying`) and the previous attribution's source."""

    masked: str
    text: str
    s: int
    e: int
    c_start: int
    c_end: int
    base: str
    word: str
    blocks: list[Span]
    participle: Mention | None = None
    previous: Mention | None = None

    @property
    def span(self) -> Span:
        """The cue's (start, end)."""
        return (self.c_start, self.c_end)

    def row(self, start: int, end: int, mention: Mention | None) -> Row:
        """The attribution of content [start, end) to `mention`, with the quotations starting in it."""
        return Row(start, end, self.span, mention, [b for b in self.blocks if start <= b[0] < end])


#: A frame function's answer "not my shape: try the next rule".
NEXT = object()


@dataclass(frozen=True)
class FrameRule:
    """One frame rule: a name saying what it reads, when it applies (its trigger) and the small
    function that reads the frame."""

    name: str
    applies: Callable[..., bool]
    frame: Callable[..., object]


def _run_rules(rules: tuple[FrameRule, ...], *args) -> Row | None:
    """The answer of the first rule that applies and does not pass (NEXT) on `args`."""
    for rule in rules:
        if rule.applies(*args):
            answer = rule.frame(*args)
            if answer is not NEXT:
                return answer
    return None


# --- verbs whose content is not a `that` clause ---------------------------------------------


@dataclass(frozen=True)
class ComplementRule:
    """Verbs (`bases`) whose content starts where one of `patterns` (tried in order, right after
    the verb, within `reach` characters) says: its first group's start, or its end when
    `at_end`."""

    name: str
    bases: frozenset[str]
    patterns: tuple[re.Pattern, ...]
    at_end: bool = False
    reach: int = 200
    ends: re.Pattern | None = None  # where the content stops besides the end of its clause


# "called him divisive and accused him of ...", "call Pfizer unpatriotic - and I have!": what
# the verb calls its object ends before a second verb, a dash or a subordinate clause.
_CALLED_ENDS = re.compile(r"\s+(?:and|but)\s+(?:then\s+)?(?:[a-z]+ed|said|says)\b|\s+(?:[—–]|--?)\s"
                          r"|\s+(?:before|after|while|because)\s")


COMPLEMENT_RULES: tuple[ComplementRule, ...] = (
    ComplementRule("called for X, called on X to Y, called X “...”, called X a Y", frozenset({"call"}),
                   (_CALL_FOR, _CALLED_QUOTE, _CALL_X_Y), at_end=True, ends=_CALLED_ENDS),
    ComplementRule("asked (X) whether ..., asked X to Y, asked (X) for Y, asked to Y", frozenset({"ask"}),
                   (_ASK_WH, _OBJ_TO, _ASK_FOR, _TO_VERB, _ASK_QUESTION)),
    ComplementRule("urged X to Y, warned X to Y, warned of X", frozenset({"urge", "warn"}), (_OBJ_TO, _WARN_OF)),
    ComplementRule("vowed to Y", frozenset({"promise", "vow", "pledge", "threaten"}), (_TO_VERB,)),
    ComplementRule("described X as Y", frozenset({"describe"}), (_DESCRIBE_AS,)),
    ComplementRule("reported spending $6 million", frozenset({"report"}), (_GERUND,)),
)
_COMPLEMENT_OF = {base: rule for rule in COMPLEMENT_RULES for base in rule.bases}
#: The verbs with a rule in :data:`COMPLEMENT_RULES`.
SPECIAL_BASES = frozenset(_COMPLEMENT_OF)


def special_complement(masked: str, base: str, c_end: int, e: int) -> int | None:
    """Where the content starts for a verb of :data:`COMPLEMENT_RULES` (`called for X`, `asked
    whether ...`, `vowed to Y`); None for other verbs or when no pattern matches."""
    rule = _COMPLEMENT_OF.get(base)
    if rule is None:
        return None
    window_end = min(e, c_end + rule.reach)
    for pattern in rule.patterns:
        m = pattern.match(masked, c_end, window_end)
        if m:
            return m.end() if rule.at_end else m.start(1)
    return None


def _complement_row(c: CueSite, special: int, mention: Mention | None) -> Row | None:
    """The content from `special` (see :func:`special_complement`) to the end of its clause."""
    start, end = strip_span(c.masked, special, c.e)
    end = cut_clause(c.masked, start, end)
    rule = _COMPLEMENT_OF.get(c.base)
    stop = rule.ends.search(c.masked, start, end) if rule and rule.ends else None
    end = stop.start() if stop else end
    if end - start < 3:
        return None
    return c.row(start, end, mention)


def _shorter_than_attribution(piece: int, other: int, attribution: int) -> bool:
    """Whether a piece of content around an attribution (`In particular, he said, ...`) is too short
    to stand for both pieces: its share of the content, piece / (piece + other), is below the
    attribution's share of the whole, attribution / (piece + attribution + other)."""
    return other > 0 and piece * (piece + attribution + other) < attribution * (piece + other)


# --- cue frames: according to, in a statement, participles, verbs ---------------------------


_THATS_ACCORDING = re.compile(r"\s*(That|This)(?:[’']s|\s+is|\s+was)\s*")


def _trails_earlier_content(masked: str, c_start: int, after: int) -> bool:
    """`..., according to X` closing content read before the window (a comma before the cue, none
    after the source): the words after the source end the phrase, they are no content."""
    return masked[max(0, c_start - 3):c_start].rstrip().endswith(",") and not masked[after:after + 2].lstrip().startswith(",")


def _according_frame(c: CueSite) -> Row | None:
    """`According to X, ...`, `..., according to X.`, `Since last November, according to X, ...`."""
    masked, s, e = c.masked, c.s, c.e
    mention = np_after(masked, c.c_end, e)
    if mention is None:
        loose = _LOOSE_SOURCE.match(masked, c.c_end, e)
        if not loose:
            return None
        mention = Mention(loose.start(1), loose.end(1))
    after = mention.end
    pre = masked[s:c.c_start]
    pre_words = pre.split()
    if pre_words and len(pre_words) <= 6 and pre_words[0].lower() in PREPOSITIONS and \
            masked[after:after + 2].startswith(","):
        # "Since last November, according to Human Rights Watch, forces have killed ..."
        start, end = strip_span(masked, s, e)
        return c.row(start, end, mention)
    relative = _RELATIVE_ASIDE.match(masked, after, e)
    if relative and not pre.strip(" ,"):
        after = relative.end()  # "According to X, who chairs the panel, the ..."
    if mention.role and not pre.strip(" ,"):
        role_end = masked.find(mention.role, mention.end) + len(mention.role)
        if masked[role_end:role_end + 1] == ",":
            after = role_end  # "According to Smith, a spokesman, the talks ..."
        else:
            mention.role = None  # "According to the ministry, the embassy will stay open."
    if pre.strip(" ,") and pre.rstrip().endswith(","):
        row = _according_inside(c, mention)
        if row is not None:
            return row
    anaphor = _THATS_ACCORDING.fullmatch(masked, s, c.c_start)
    if anaphor:
        # "That’s according to fundraising reports": the pronoun stands for what the sentence before said
        return c.row(anaphor.start(1), anaphor.end(1), mention)
    if pre.strip(" ,") and len(pre.split()) >= 3:
        start, end = strip_span(masked, s, c.c_start)
    elif _trails_earlier_content(masked, c.c_start, after):
        return None  # "He told aides that ..., according to someone in attendance": not "in attendance"
    else:
        start, end = strip_span(masked, after, e)
    if end - start < 8:
        return None
    return c.row(start, end, mention)


def _according_inside(c: CueSite, mention: Mention) -> Row | None:
    """"One of the decisions, according to a person close to the process, is to ...": the content
    runs around the attribution (one span: the longer piece alone when the other is short)."""
    masked, e = c.masked, c.e
    comma = masked.find(",", mention.end, min(e, mention.end + 160))
    if comma == -1:
        return None
    relative = _RELATIVE_ASIDE.match(masked, comma, e)
    if relative:
        comma = relative.end() - 1
    rest_start = strip_span(masked, comma + 1, e)[0]
    if e - rest_start < 8 or AFTER_TRAILING.match(masked, comma, e) or QBLOCK.match(masked, rest_start) \
            or masked[rest_start:rest_start + 8].split(" ", 1)[0].lower() in DETERMINERS | {"one", "two", "some"}:
        return None
    pre_start, pre_stop = strip_span(masked, c.s, c.c_start)
    end = cut_clause(masked, rest_start, strip_span(masked, rest_start, e)[1])
    before_len, after_len, attribution_len = pre_stop - pre_start, end - rest_start, rest_start - pre_stop
    if _shorter_than_attribution(before_len, after_len, attribution_len):
        return c.row(rest_start, end, mention)
    if _shorter_than_attribution(after_len, before_len, attribution_len):
        return c.row(pre_start, pre_stop, mention)
    return _split_row(c, (pre_start, pre_stop), (rest_start, end), mention)


def _split_row(c: CueSite, before: Span, after: Span, mention: Mention | None) -> Row:
    """One attribution whose content the attribution splits in two pieces ("The plan, he said,
    is dead."): a row over both, recorded as one record per piece."""
    row = c.row(before[0], after[1], mention)
    row.pieces = [before, after]
    return row


def _participle_frame(c: CueSite) -> Row | None:
    """`..., saying ...`, `with X telling reporters ...`, `He is suggesting that ...`: the source
    was found before the cue (`c.participle`); the content follows it."""
    masked, e = c.masked, c.e
    if c.base in SPECIAL_BASES:
        special = special_complement(masked, c.base, c.c_end, e)
        return None if special is None else _complement_row(c, special, c.participle)
    post = skip_tail(masked, c.c_end, e)
    if c.base in _OBJECT_BASES:
        obj = _OBJECT.match(masked, post, e)  # "telling reporters (on Thursday) he ..."
        if obj:
            post = skip_tail(masked, obj.end(), e)
    that = THAT.match(masked, post, e)
    start, end = strip_span(masked, that.start() if that else post, e)
    body = masked[start:end]
    if not that and _object_shape(c, None) and _object_start(masked, start, end, c.base) is not None:
        # "recalling a visit to his church", "tweeting about the debates"
        return _object_row(c, _object_start(masked, start, end, c.base), end, c.participle)
    if end - start < 3 or (not that and not body.startswith(Q_START) and not looks_like_clause(body) and not (
            c.base in SAY_VERBS and (len(body.split()) >= 3 or Q_START in body) and not _CLAUSE_START_BAD.match(body))):
        return None  # "saying they violate free-speech rights": a say-verb takes a bare clause
    end = trim_trailing_adjunct(masked, start, cut_participle_content(masked, start, end))
    return Row(start, end, c.span, c.participle, [b for b in c.blocks if b[0] >= start])


def _verb_frame(c: CueSite) -> Row | None:
    """A reporting verb: find its source (before it, or after it when inverted), then read the
    shapes of :data:`VERB_FRAMES` around it."""
    mention, inverted = _verb_source(c)
    if mention is None:
        return None
    return _run_rules(VERB_FRAMES, c, VerbReading.around(c, mention, inverted))


def _noun_frame(c: CueSite) -> Row | None:
    """"Trump's claims that ...", "his insistence that ...", "claims by intelligence agencies
    that ...": a speech noun and its `that` clause; the source is the `by` phrase or the named
    possessor (none for `his`, `the`)."""
    masked = c.masked
    that = _NOUN_THAT.match(masked, c.c_end, c.e)
    if not that:
        return None
    after = masked[that.end():that.end() + 30].split()[:1]
    if after and (after[0].lower() in FINITE or after[0].lower() in BE or after[0].endswith("ed")):
        return None  # "a claim that originated in a deposition": a relative clause
    start, end = strip_span(masked, that.end() - 4, c.e)  # the clause with its `that`, as a verb's
    end = cut_clause(masked, start, end)
    first = masked[c.s:c.c_start].split()[:1]
    if _SUBORDINATE.match(masked, c.s, c.c_start) or (first and first[0].lower() in PREPOSITIONS):
        comma = masked.find(", ", start, end)  # "Despite his claims that A, B": A ends at the comma
        end = comma if comma > start else end
    if end - start < 8:
        return None
    if that.group(1):
        mention = Mention(that.start(1), that.end(1))
    else:
        owner = _POSSESSOR.search(masked, max(c.s, c.c_start - 80), c.c_start)
        mention = Mention(owner.start(1), owner.end(1)) if owner else None
    return c.row(start, end, mention)


def _noun_context(c: CueSite, prev: str) -> bool:
    """Whether a cue that may be a speech noun is one here: a noun that is no verb form
    (`insistence`), or a form after a determiner or possessive (`his claim`, `Trump’s promise`)
    or before `by X that` (`claims by the agencies that`)."""
    return c.word in SPEECH_NOUNS and (
        c.base == "noun" or prev in DETERMINERS or prev in ("its", "our", "my", "your") or prev.endswith(("’s", "'s"))
        or bool(re.match(r"\s+by\s", c.masked[c.c_end:c.c_end + 4])))


def _reportedly_frame(c: CueSite) -> Row | None:
    """"The FBI is reportedly making arrangements ...", "Reportedly, he made ...": the clause
    around the adverb, in two pieces when it stands inside it; no source."""
    masked = c.masked
    start, stop = strip_span(masked, c.s, c.c_start)
    after, end = strip_span(masked, c.c_end, c.e)
    end = cut_clause(masked, after, end)
    if end - after < 8 or _SUBORDINATE.match(masked, c.s, c.c_start):
        return None
    if stop - start < 3:
        return c.row(after, end, None)
    return _split_row(c, (start, stop), (after, end), None)


# "his calls for a boycott", "Trump's promise to build a wall", "a friendly warning not to use
# it": what a speech noun asks for or commits to (the `for` phrase, or the infinitive with `to`)
_NOUN_COMPLEMENT = {
    "calls": re.compile(r"\s+for\s+(?=[\w$\x01])"),
    "promise": re.compile(r"\s+(?=(?:not\s+)?to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b)[a-z]+\b)"),
}
_NOUN_COMPLEMENT_OF = {"calls": "calls", "promise": "promise", "promises": "promise", "pledge": "promise",
                       "pledges": "promise", "vow": "promise", "vows": "promise", "warning": "promise"}


def _before_sentence_verb(masked: str, start: int, end: int) -> int:
    """Where a noun's complement [start, end) that is part of the sentence's subject stops: before
    the sentence's verb ("his calls for more troops have come", "The calls for help went
    unanswered"), the first finite verb not after `to`."""
    previous = ""
    for m in re.finditer(r"[\w’'-]+", masked[start:end]):
        word = m.group().lower()
        if word in FINITE and previous != "to" and m.start() > 0:
            return strip_span(masked, start, start + m.start())[1]
        previous = word
    return end


def _noun_complement(c: CueSite) -> Row | object:
    """"his calls for X", "Trump's promise to Y": a speech noun's `for` phrase or infinitive to the
    end of its clause; the source is the noun's named possessor (none for `his`, `the`)."""
    pattern = _NOUN_COMPLEMENT[_NOUN_COMPLEMENT_OF[c.word]]
    m = pattern.match(c.masked, c.c_end, c.e)
    if not m:
        return NEXT
    owner = _POSSESSOR.search(c.masked, max(c.s, c.c_start - 80), c.c_start)
    mention = Mention(owner.start(1), owner.end(1)) if owner else None
    start, end = strip_span(c.masked, m.end(), c.e)
    end = trim_trailing_adjunct(c.masked, start, cut_clause(c.masked, start, end))
    end = _before_sentence_verb(c.masked, start, end)
    return c.row(start, end, mention) if end - start >= 3 else NEXT


#: The frames by kind of cue, tried in order.
CUE_FRAMES: tuple[FrameRule, ...] = (
    FrameRule("X is reportedly ...", lambda c: c.base == "reportedly", _reportedly_frame),
    FrameRule("according to X", lambda c: c.base == "according", _according_frame),
    FrameRule("speech noun and its complement: his calls for X, Trump's promise to Y",
              lambda c: c.base == "noun" and c.word in _NOUN_COMPLEMENT_OF, _noun_complement),
    FrameRule("speech noun: Trump's claim that ...", lambda c: c.base == "noun", _noun_frame),
    FrameRule("in a statement (only part of `said in a statement`, read by the verb)",
              lambda c: c.base == "statement", lambda c: None),
    FrameRule("participle: ..., saying ...", lambda c: c.participle is not None, _participle_frame),
    FrameRule("reporting verb", lambda c: True, _verb_frame),
)


def frame_cue(c: CueSite) -> Row | None:
    """The attribution read around one cue, or None."""
    return _run_rules(CUE_FRAMES, c)


# --- verb frames ------------------------------------------------------------------------------


def _verb_source(c: CueSite) -> tuple[Mention | None, bool]:
    """(source phrase, inverted) of a verb cue: the phrase before it; the whole subject when that
    phrase is a preposition's object; a `who`'s head; the sentence's subject for a coordinated
    cue (`Scott blasted Congress and said`); a long subject; else the phrase after it (inverted)."""
    masked, s, c_start = c.masked, c.s, c.c_start
    mention = np_before(masked, s, c_start)
    if mention is not None and OBJECT_OF_PREPOSITION.search(masked, max(s, mention.start - 12), mention.start):
        # "Nine in 10 voters in Ohio said": "Ohio" is not the source; the whole subject is
        mention = long_subject(masked, s, c_start, c.c_end, c.e, c.base, c.word) or mention
    previous = c.previous
    if mention is None and previous is not None and not masked[s:c_start].strip(" ,") \
            and masked[previous.start:previous.end].lower() in ("who", "which"):
        # "Podesta, who said A, said B": the relative pronoun's head said B too
        comma = masked.rfind(",", max(0, previous.start - 4), previous.start)
        mention = np_before(masked, max(0, previous.start - 300), comma) if comma > 0 else None
    if mention is None and _COORDINATED_CUE.search(masked, max(s, c_start - 40), c_start):
        # "Scott blasted Congress and said ...", "Sullivan put off deciding, but said ...": the
        # subject of the sentence
        mention = sentence_subject(masked, s, c_start)
        if mention is None and previous is not None and not masked[s:c_start].strip(" ,").split()[1:]:
            mention = previous  # '... called it “careless,” but said ...': the previous attribution's source
    if mention is not None:
        return mention, False
    mention = long_subject(masked, s, c_start, c.c_end, c.e, c.base, c.word) or _subject_chunk(c)
    if mention is not None:
        return mention, False
    mention = np_after(masked, c.c_end, c.e)
    return mention, mention is not None


# Where the words before a cue stop being its subject, read backwards: punctuation, a quotation or
# a word that opens a clause.
_CHUNK_STOP = re.compile(
    r"[,;:()\x01\x02—–]|\s-\s|\b(?:after|although|and|as|because|before|but|how|if|or|since|so|that|then|"
    r"though|until|what|when|where|whether|which|while|who|whom|whose|why)\b", re.IGNORECASE)


def _subject_chunk(c: CueSite) -> Mention | None:
    """"Official data suggest that ...", "six in 10 said they ...", "another says there are ...":
    when no source phrase is read, the few words between the last clause boundary and a clause
    verb that a `that` clause (or, for a say verb, a bare clause) follows; not when a verb, a
    pronoun or a leading preposition is among them."""
    masked = c.masked
    if c.base not in CLAUSE_VERBS or c.word.endswith("ing") or c.word in NOUN_LIKE_FORMS \
            or not masked[c.c_start - 1:c.c_start].isspace():
        return None
    lo = max(c.s, c.c_start - 120)
    stops = list(_CHUNK_STOP.finditer(masked, lo, c.c_start))
    if not stops and lo > c.s:
        return None
    words = _chunk_words(masked, stops[-1].end() if stops else lo, c.c_start)
    if words is None and stops and stops[-1].group().lower() in ("who", "whose") and (len(stops) >= 2 or lo == c.s):
        # "The state officials whose laws have been invalidated say ...": the phrase the relative
        # clause is about
        words = _chunk_words(masked, stops[-2].end() if len(stops) >= 2 else lo, stops[-1].start())
    if words is None:
        return None
    post = skip_tail(masked, c.c_end, c.e)
    as_source = stops and stops[-1].group().lower() == "as" and masked.startswith(",", post)  # "As a study noted, ..."
    body = masked[post:c.e].strip()
    bare = c.base in SAY_VERBS and (looks_like_clause(body) or (
        c.base == "say" and len(body.split()) >= 3 and not _CLAUSE_START_BAD.match(body)))
    if not (THAT.match(masked, post, c.e) or as_source or bare):
        return None
    return Mention(words[0], words[1])


def _chunk_words(masked: str, start: int, end: int) -> Span | None:
    """The span of the one to eight words in [start, end) without the auxiliaries that end it,
    when none is a verb, a pronoun or other than a word, and the first is no preposition."""
    words = list(re.finditer(r"\S+", masked[start:end]))
    while words and words[-1].group().lower() in AUX:
        words.pop()  # "has also said": the auxiliaries are not the subject
    if not 1 <= len(words) <= 8 or words[0].group().lower() in PREPOSITIONS or any(
            not re.fullmatch(r"[\w’'.&-]+", w) or w.lower() in FINITE or w.lower() in BE or w.lower() in AUX
            or w.lower() in FORM_TO_BASE or w.lower() in PRONOUNS for w in (m.group() for m in words)):
        return None
    return start + words[0].start(), start + words[-1].end()


@dataclass
class VerbReading:
    """What a verb frame has read: the source, whether it follows the cue (inverted), where the
    words after the source or cue start (`right_start`), the text before the source or cue
    (`pre`, [pre_start, pre_stop), up to `pre_end`) with its quotations, and where the content
    after the cue may start (`post`, after adverbials and an object)."""

    mention: Mention
    inverted: bool
    right_start: int
    pre_end: int
    pre_start: int
    pre_stop: int
    pre: str
    post: int
    pre_blocks: list[Span] = field(default_factory=list)

    @classmethod
    def around(cls, c: CueSite, mention: Mention, inverted: bool) -> VerbReading:
        """The reading of a verb cue with its source `mention`."""
        masked = c.masked
        if inverted:
            right_start = mention.end
            if mention.role:
                right_start = masked.find(mention.role, mention.end) + len(mention.role)
            pre_end = c.c_start
        else:
            right_start, pre_end = c.c_end, mention.start
        pre_start, pre_stop = strip_span(masked, c.s, pre_end)
        return cls(mention, inverted, right_start, pre_end, pre_start, pre_stop, masked[pre_start:pre_stop],
                   skip_tail(masked, right_start, c.e), [b for b in c.blocks if b[1] <= pre_end])

    def post_blocks(self, c: CueSite) -> list[Span]:
        """The quotations that start after `post`."""
        return [b for b in c.blocks if b[0] >= self.post]


def _inverted_before(c: CueSite, r: VerbReading) -> Row | object:
    """'“...,” said Benard Dreyer, president of the academy.': the content is before an inverted
    cue, and everything after the name is about him."""
    pre_text = c.masked[c.s:c.c_start].rstrip()
    clause_before = len(pre_text.split()) >= 3 and pre_text.endswith(",")
    if not ((r.pre_blocks or clause_before) and not any(
            b[0] >= r.right_start and not _APPOSITIVE_TITLE.match(c.masked, r.mention.end, b[0]) for b in c.blocks)):
        return NEXT
    start, stop = strip_span(c.masked, c.s, c.c_start)
    start = trim_leading_frame(c.masked, start, stop)
    role = _ROLE_AFTER.match(c.masked[r.right_start:c.e])
    if role and not r.mention.role:
        r.mention.role = role.group(1)
    return Row(start, stop, c.span, r.mention, [b for b in r.pre_blocks if b[0] >= start])


def _complement(c: CueSite, r: VerbReading) -> Row | None | object:
    """"called for a boycott", "asked whether ...", "vowed to fight", "urged Congress to act"."""
    special = special_complement(c.masked, c.base, c.c_end, c.e)
    return NEXT if special is None else _complement_row(c, special, r.mention)


def _needs_quotation_before(c: CueSite, r: VerbReading) -> None | object:
    """`call`, `describe`, `threaten` frame only a quotation before them ("a group called Our
    Principles", "called the police" are not speech)."""
    if c.masked[c.s:r.pre_end].strip() and r.pre_blocks and trailing_cue(c.masked, r.post, c.e):
        return NEXT
    return None


def _skip_object(c: CueSite, r: VerbReading) -> None | object:
    """`told reporters ...`, `asked him ...`: the content starts after the object; when the
    object's end is unknown only a `that` clause or a quotation can follow."""
    masked, post, e = c.masked, r.post, c.e
    obj = _OBJECT.match(masked, post, e)
    if obj:
        r.post = skip_tail(masked, obj.end(), e)
    elif not THAT.match(masked, post, e) and not re.match(r"\s*[,:]?\s*\x01", masked[post:e]):
        # "told a New Hampshire state representative"
        before_quote = _OBJECT_BEFORE_QUOTE.match(masked, post, e)
        if before_quote:  # '“...,” she told the mayors, “...”'
            r.post = before_quote.end(1)
            return NEXT
        that_later = re.search(r"\bthat\b", masked[post:min(e, post + 80)])
        if not that_later:
            if r.pre_blocks and not re.search(r"\w", QBLOCK.sub("", r.pre)) and not r.post_blocks(c):
                # '“We have come a long way,” he told cheering supporters in Nashua.'
                return Row(r.pre_start, r.pre_stop, c.span, r.mention, r.pre_blocks)
            return None
        r.post = post + that_later.start()
    return NEXT


def _trailing(c: CueSite, r: VerbReading) -> Row | object:
    """`“...,” Trump said.`, `The plan failed, officials said.`: the content is before the cue."""
    masked, post, e, pre = c.masked, r.post, c.e, r.pre
    as_clause = _AS_BEFORE_SOURCE.search(masked, max(c.s, r.pre_end - 12), r.pre_end)
    if as_clause and not r.inverted and not r.pre_blocks:
        # "It is a scare tactic, as David Dayen noted.": the content ends before ", as"
        r.pre_end = as_clause.start() + 1
        r.pre_start, r.pre_stop = strip_span(masked, c.s, as_clause.start())
        pre = r.pre = masked[r.pre_start:r.pre_stop]
    pre_words = len(pre.split())
    right_empty = (not masked[post:e].strip(" .,;:!?") or bool(AFTER_TRAILING.match(masked, post, e))
                   or bool(_TITLE_ONLY.match(masked, post, e)))
    only_quotes_before = bool(r.pre_blocks) and not re.search(r"\w", QBLOCK.sub("", pre))
    if only_quotes_before and all(_TITLE_BEFORE_QUOTE.search(masked[r.right_start:b[0]]) for b in r.post_blocks(c)):
        # '“...,” Trump said 30 minutes later.', '“...,” Weiner said in May on the podcast “Here’s the Thing.”',
        # '“...,” Mr. Trump said by telephone on NBC’s “Meet the Press.”' (the adverbials skipped)
        right_empty = True
    if masked[post:e].strip().startswith(":"):
        right_empty = False  # "..., Wallnau wrote:" introduces what follows, not what precedes
    intro = pre_words <= 6 and pre.split()[0].lower() in PREPOSITIONS if pre else False
    trailing = bool(pre) and right_empty and (
        bool(r.pre_blocks) or (pre_words >= 3 and masked[c.s:r.pre_end].rstrip().endswith((",", "—", "–")) and not
                               (intro and re.match(r"\s*,", masked[post:e])))
    )
    if not trailing:
        return NEXT
    introduced = _INTRODUCED_QUOTATION.search(masked, r.pre_start, r.pre_stop)
    if introduced:
        # 'Rhimes declared the need for drive: “Change the world,” she said.': the quotation only
        return Row(introduced.start(1), r.pre_stop, c.span, r.mention, r.pre_blocks)
    start = trim_leading_frame(masked, r.pre_start, r.pre_stop)
    return Row(start, r.pre_stop, c.span, r.mention, [b for b in r.pre_blocks if b[0] >= start])


def _described_trailing_source(c: CueSite, r: VerbReading) -> bool:
    """`..., journalist Martha Raddatz said.`, `..., Trump’s longtime confidant Roger Stone stated.`:
    a trailing cue whose source phrase was read without the words that describe it after the
    comma (read by :func:`_source_from_comma`)."""
    masked = c.masked
    if not r.pre or r.inverted or r.pre_blocks:
        return False
    comma = masked.rfind(",", c.s, r.pre_end)
    if comma < 0:
        return False  # (and the gap would be the whole text before the cue)
    gap = masked[comma + 1:r.pre_end].split()
    return 0 < len(gap) <= 5 \
        and gap[0].lower() not in PREPOSITIONS and gap[0].lower() not in ("and", "but", "or", "so") \
        and not gap[0].lower().endswith(("ing", "ed")) \
        and any(w[:1].isupper() for w in gap + masked[r.mention.start:r.mention.end].split()[:1]) \
        and trailing_cue(masked, r.post, c.e)


def _comma_after(c: CueSite, r: VerbReading) -> bool:
    """A comma (not before a quotation) right after the cue's adverbials: `..., X said, ...`."""
    rest = c.masked[r.post:c.e]
    return bool(re.match(r"\s*,", rest)) and not re.match(r"\s*,\s*\x01", rest)


def _source_from_comma(c: CueSite, r: VerbReading) -> object:
    """"The plan, an inside source said, is ...": the source phrase runs back to the comma (a few
    words with no verb), and the content around it is read by the next rule."""
    masked, s, pre_end = c.masked, c.s, r.pre_end
    comma = masked.rfind(",", s, pre_end)
    gap = masked[comma + 1:pre_end].split() if comma >= 0 else []
    if comma >= 0 and 0 < len(gap) <= 5 and not any(
            w.lower() in FINITE or w.lower() in BE or w.lower() in FORM_TO_BASE
            or w.lower() in CLAUSE_BOUNDARY_WORDS or not w[0].isalnum() for w in gap) \
            and len(masked[s:comma].split()) >= 2:
        phrase = masked[comma + 1:pre_end]
        r.mention = Mention(comma + 1 + len(phrase) - len(phrase.lstrip()), r.mention.end, r.mention.role,
                            r.mention.name)
        r.pre_end = r.mention.start
        r.pre_start, r.pre_stop = strip_span(masked, s, r.pre_end)
        r.pre = masked[r.pre_start:r.pre_stop]
    return NEXT


def _around(c: CueSite, r: VerbReading) -> Row:
    """"In his state, Christie said, offenders are sent to treatment": the content runs around the
    attribution; one span stands for both pieces: the piece after it alone when the piece before
    is shorter than the attribution ("In particular, he said, ...")."""
    masked = c.masked
    start, end = strip_span(masked, r.pre_start, c.e)
    end = cut_clause(masked, r.post, end)
    after_start = strip_span(masked, r.post, end)[0]
    before_len, after_len = r.pre_stop - r.pre_start, end - after_start
    if _shorter_than_attribution(before_len, after_len, after_start - r.pre_stop):
        return c.row(after_start, end, r.mention)
    return _split_row(c, (start, r.pre_stop), (after_start, end), r.mention)


def _content_after(c: CueSite, r: VerbReading) -> Row | None:
    """`X said (that) ...`, `X said: “...”`, `“I think,” he said, “that we should wait.”`: the
    content after the cue, to the end of its clause."""
    masked, post, e = c.masked, r.post, c.e
    that = THAT.match(masked, post, e)
    content_start = post
    if not that:
        m = re.match(r"\s*[:,]?\s*", masked[post:e])
        content_start = post + (m.end() if m else 0)
    start, end = strip_span(masked, content_start, e)
    # the object read so far may go on ("the Post and Courier newspaper of Charleston"), unless what
    # follows it starts a phrase of its own ("told reporters the plan that ...")
    object_open = post == skip_tail(masked, r.right_start, e) or masked[post:start].strip() == "," \
        or masked[start:start + 12].split(" ", 1)[0].lower() not in DETERMINERS
    if not that and c.base in _OBJECT_BASES and object_open and not masked.startswith(Q_START, start):
        # "told the local newspaper, The Perry Chief, that ...": the object runs up to the `that`
        later = re.search(r"\bthat\b", masked[start:min(e, start + 120)])
        if later and later.start() > 0 and not looks_like_clause(masked[start:start + later.start()]):
            start += later.start()
    end = trim_trailing_adjunct(masked, start, cut_clause(masked, start, end))
    if _SUBORDINATE.match(masked, c.s, c.c_start) or masked[r.mention.start:r.mention.end].lower() in ("who", "which"):
        # "While Trump has suggested that A, the military has not ...", "Broaddrick, who said A,
        # recounted": A ends at the comma
        comma = masked.find(", ", start, end)
        if comma > start:
            end = comma
    if end <= start:
        return None
    body = masked[start:end]
    post_blocks = r.post_blocks(c)
    if body.startswith(Q_START):
        if _TITLE_BEFORE_QUOTE.search(masked[r.right_start:start]):
            return None  # 'said on "Meet the Press."': a title, not the words said
        if r.pre_blocks and not re.search(r"\w", QBLOCK.sub("", r.pre)) and not re.search(r"\w", QBLOCK.sub("", body)):
            # '“I think,” he said, “that we should wait.”': one quotation split by its attribution
            return Row(r.pre_start, end, c.span, r.mention, r.pre_blocks + post_blocks, kind="direct")
    elif not _clause_content_ok(c, r, body, that is not None, masked[r.right_start:start]):
        return None
    return Row(start, end, c.span, r.mention, [b for b in post_blocks if b[0] < end])


def _clause_content_ok(c: CueSite, r: VerbReading, body: str, that: bool, between: str) -> bool:
    """Whether unquoted content after the cue is reported speech: a clause verb, not inverted,
    with `that` or a bare clause the verb takes, and at least three words (or a short answer after
    a say verb: `said yes`, `said he would`)."""
    if c.base not in CLAUSE_VERBS or r.inverted:
        return False
    if not that:
        if c.base in SAY_VERBS and _SAID_SO.fullmatch(body) and "," not in between:
            return True  # "would not say so", "26 percent said the same" (but "he said no" is left alone)
        if _CLAUSE_START_BAD.match(body) or "," in between or c.base not in BARE_CLAUSE_VERBS:
            return False
        if c.base not in SAY_VERBS and Q_START not in body and not looks_like_clause(body):
            return False
    return not (len(body.split()) < 3 and Q_START not in body) or (c.base in SAY_VERBS and bool(_SHORT_ANSWER.fullmatch(body)))


def _not_inverted(c: CueSite, r: VerbReading) -> bool:
    """The source is before the cue."""
    return not r.inverted


# "a short film called “Tenemos Familias”", "a warm-up band called Sophistafunk": `called` names a
# thing after an indefinite noun phrase (not after "who has", "and", "repeatedly")
_NAMING_CALLED = re.compile(r"\b(?:[Aa]|[Aa]n)\s+(?:[\w-]+\s+){0,2}"
                            r"(?!(?:who|which|that|has|have|had|was|were|is|are|also|and|then|[a-z]+ly)\s*\Z)[a-z][\w-]*\s*\Z")


def _names_a_thing(c: CueSite) -> bool:
    """`a band called X`: the participle `called` naming a thing, not a call for or on anyone."""
    return c.word == "called" and bool(_NAMING_CALLED.search(c.masked, c.s, c.c_start)) \
        and not _CALL_FOR.match(c.masked, c.c_end, c.e)


def _reports_a_figure(c: CueSite, r: VerbReading) -> bool:
    """`the casinos reported $2.17 billion in revenue`, `men reported 65% of stories`: `report`
    with a number as its object states a figure, not what someone said."""
    return c.base == "report" and bool(re.match(r"\s*(?:\$|\d)", c.masked[r.post:c.e]))


# A lead that sets the scene of the saying rather than starting what was said
_SCENE_LEAD = re.compile(r"\s*(?:(?:But|And|So|Then)\s+)?(?:After|As|When|Before|Once|Upon|Until|Following|During|"
                         r"Asked|On|Last|This|In\s+(?:an?|the|his|her|their|its)|Quite\s+suddenly|\w+\s+(?:minutes|hours|days)\s+into)\b")


def _around_shape(c: CueSite, r: VerbReading) -> bool:
    """`Words, X said, words`: a comma before the source and after the cue (also before a
    quotation, `In other words, he said, “...”`, when the words before quote nothing)."""
    return bool(r.pre) and not r.inverted and _ends_with_comma(c, r) and (
        _comma_after(c, r) or _words_then_quotation(c, r))


def _ends_with_comma(c: CueSite, r: VerbReading) -> bool:
    """Whether the words before the source end with a comma, also one inside the closing marks of
    a quotation (`Those who spend time on ''certain fringes,'' he said, wind up ...`)."""
    before = c.masked[c.s:r.pre_end].rstrip()
    if before.endswith(","):
        return True
    stop = c.s + len(before)
    return before.endswith(Q_FILL) and "," in c.text[max(c.s, stop - 3):stop].rstrip("”\"’'»")


def _words_then_quotation(c: CueSite, r: VerbReading) -> bool:
    """`In other words, he said, “...”`: a quotation after the comma, and words before the source
    that quote nothing and are no scene-setting lead (`After reciting the passage, Beck said, “...”`,
    `As boos erupt, the executive says, “...”`) and no relative source (`who declared, “...”`)."""
    masked = c.masked
    return not r.pre_blocks and bool(re.match(r"\s*,\s*\x01", masked[r.post:c.e])) \
        and not _SCENE_LEAD.match(masked, c.s, r.pre_end) \
        and masked[r.mention.start:r.mention.end].lower() not in ("who", "which")


# The start of a noun phrase after a verb: a determiner, possessive, number or name, not a
# clause's subject pronoun ("announced he would run" is a bare clause).
_NP_OBJECT = re.compile(
    r"(?:the|a|an|his|her|their|its|our|my|your|this|these|those|some|several|many|numerous|new|"
    r"(?:(?:about|nearly|roughly|almost|more\s+than|at\s+least)\s+)?\$?\d[\d,.]*|[A-Z][\w.’'-]*)\b(?!\s*[,;:.!?]?\s*$)")
_ABOUT = re.compile(r"(?:about|of)\s+")
_WH_OBJECT = re.compile(r"(?:why|how|what|where|whether)\s+\w")
# Where a noun-phrase object ends: before a colon or dash, or an adverbial that goes with the verb
# ("recounted the incident on Aaron Klein's radio show", "announced the deal after cutting ties").
_OBJECT_END = re.compile(r"\s*(?::|[—–]|--)|\s+(?:on|at|through|during|after|before|when|while|because|since|"
                         r"amid|in\s+(?:an?|his|her|their)\s+(?:\w+\s+)?(?:interview|statement|speech|post))\s")


def _object_shape(c: CueSite, r: VerbReading | None) -> bool:
    """A verb of `object_speech_verbs` or `topic_speech_verbs`, its source before it (not inverted),
    and neither `that` nor a quotation right after it."""
    post = r.post if r is not None else skip_tail(c.masked, c.c_end, c.e)
    return (c.base in OBJECT_SPEECH_VERBS or c.base in TOPIC_SPEECH_VERBS) and not (r is not None and r.inverted) \
        and not THAT.match(c.masked, post, c.e) and not re.match(r"\s*[,:]?\s*\x01", c.masked[post:c.e])


def _object_start(masked: str, start: int, end: int, base: str) -> int | None:
    """Where the object of verb `base` starts at `start` (after `about` for the verbs of
    `topic_speech_verbs`): a noun phrase that is not a clause (`his candidacy`, not `he would
    run`) or a question word (`explaining why she forgave Roof`); None when there is none."""
    if base in TOPIC_SPEECH_VERBS:
        about = _ABOUT.match(masked, start, end)
        if not about:
            return None
        start = about.end()
    elif base not in OBJECT_SPEECH_VERBS:
        return None
    if _WH_OBJECT.match(masked, start, end) or (
            _NP_OBJECT.match(masked, start, end) and not looks_like_clause(masked[start:end])):
        return start
    return None


def _object_row(c: CueSite, start: int, end: int, mention: Mention | None) -> Row | object:
    """The noun phrase or question from `start`, to the end of its clause and before an adverbial
    of the verb (:data:`_OBJECT_END`)."""
    masked = c.masked
    end = trim_trailing_adjunct(masked, start, cut_clause(masked, start, end))
    stop = None if _WH_OBJECT.match(masked, start, end) else _OBJECT_END.search(masked, start, end)
    end = stop.start() if stop else end
    return c.row(start, end, mention) if end - start >= 3 else NEXT


def _object_content(c: CueSite, r: VerbReading) -> Row | object:
    """"Murdoch announced his engagement to ...", "Broaddrick recounted the incident": the noun
    phrase after the verb, to the end of its clause, is the content; a clause after the verb is
    left to the next rule."""
    start, end = strip_span(c.masked, r.post, c.e)
    start = _object_start(c.masked, start, end, c.base)
    return NEXT if start is None else _object_row(c, start, end, r.mention)


# "told Jeb Bush to quiet down": after the object, an instruction
_TOLD_TO = re.compile(r"\s*(to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|reporters\b|me\b|him\b|them\b)[a-z]+\b)")


def _told_to(c: CueSite, r: VerbReading) -> Row | None | object:
    """"told Jeb Bush to quiet down": the instruction after the object is the content."""
    masked = c.masked
    obj = _OBJECT.match(masked, skip_tail(masked, c.c_end, c.e), c.e)
    told = _TOLD_TO.match(masked, obj.end(), c.e) if obj else None
    return NEXT if told is None else _complement_row(c, told.start(1), r.mention)


# "As a Politico reporter noted, ...", "(As BuzzFeed News first reported, ...": `as` right before the source
_AS_SOURCE = re.compile(r"(?:^|[,(;:\x02]|\b(?:[Aa]nd|[Bb]ut|given\s+that))\s*[Aa]s\s+(?:(?:a|an|the|another)\s+)?\Z")


def _as_source_noted(c: CueSite, r: VerbReading) -> Row | object:
    """"As a Politico reporter noted, he didn’t even fill the place": the clause after the comma
    that closes the attribution is the content."""
    masked = c.masked
    comma = masked.find(",", r.post, c.e)
    start, end = strip_span(masked, comma + 1, c.e)
    end = trim_trailing_adjunct(masked, start, cut_clause(masked, start, end))
    if end - start < 8 or len(masked[start:end].split()) < 3:
        return NEXT
    return c.row(start, end, r.mention)


def _object_before_comma(c: CueSite, r: VerbReading) -> Row | object:
    """"When Trump announced his candidacy in June, he referred to ...", "Murdoch announced his
    engagement to Jerry Hall, who ...": the noun-phrase object read up to the first comma (the
    clause after it is not the verb's content, so it does not make the object a clause)."""
    start, end = strip_span(c.masked, r.post, c.e)
    comma = c.masked.find(",", start, end)
    if comma == -1:
        return NEXT
    start = _object_start(c.masked, start, comma, c.base)
    return NEXT if start is None else _object_row(c, start, comma, r.mention)


# "told the story of an older supporter", "tells a much different story", "told a joke": the story told
_STORY_TOLD = re.compile(r"\s*((?:the|a|an|his|her|their|its|one|several|some)\s+(?:[\w-]+\s+){0,3}?"
                         r"(?:story|stories|tale|tales|joke|jokes|anecdote|anecdotes)\b)")
# where a told or spoken-of object ends: "a tale of two parties, with Republicans ...", "the plan, and people ..."
_OBJECT_ASIDE = re.compile(r",\s+(?:with|as|while|and|but)\s")


def _story_told(c: CueSite, r: VerbReading) -> Row | object:
    """"He told the story of an older supporter who ...": the story (with what it is about) is
    the content, not an object to skip."""
    story = _STORY_TOLD.match(c.masked, r.post, c.e)
    if story is None:
        return NEXT
    end = strip_span(c.masked, story.start(1), c.e)[1]
    aside = _OBJECT_ASIDE.search(c.masked, story.end(1), end)
    return _object_row(c, story.start(1), aside.start() if aside else end, r.mention)


# "has said little about the plan", "said much over the years about the Senate's duty"
_SAID_ABOUT = re.compile(r"\s*(?:little|nothing|much|a\s+lot|more|less|something|anything|very\s+little)\s+"
                         r"(?:[\w’'-]+\s+){0,4}?about\s+(?=[\w\x01])")


def _said_about(c: CueSite, r: VerbReading) -> Row | object:
    """"She has said little about the plan": what was (barely) spoken of is the content."""
    about = _SAID_ABOUT.match(c.masked, r.post, c.e)
    if about is None:
        return NEXT
    end = strip_span(c.masked, about.end(), c.e)[1]
    aside = _OBJECT_ASIDE.search(c.masked, about.end(), end)
    return _object_row(c, about.end(), aside.start() if aside else end, r.mention)


#: The shapes around a reporting verb, tried in order once its source is known.
VERB_FRAMES: tuple[FrameRule, ...] = (
    FrameRule("“...,” said X, a Y.", lambda c, r: r.inverted, _inverted_before),
    FrameRule("X called for / asked whether / vowed to ...", lambda c, r: _not_inverted(c, r) and not _names_a_thing(c),
              _complement),
    FrameRule("X announced his candidacy: a noun-phrase object", lambda c, r: _object_shape(c, r) and not _reports_a_figure(c, r),
              _object_content),
    FrameRule("When X announced his candidacy, he ...: the object before a comma",
              lambda c, r: _object_shape(c, r) and not _reports_a_figure(c, r), _object_before_comma),
    FrameRule("X told the story of Y, X told a joke", lambda c, r: c.base == "tell" and not r.inverted, _story_told),
    FrameRule("X said little about Y", lambda c, r: c.base == "say" and not r.inverted, _said_about),
    FrameRule("call, describe, threaten: only after a quotation",
              lambda c, r: c.base in ("call", "describe", "threaten"), _needs_quotation_before),
    FrameRule("X told Y ...: skip the object",
              lambda c, r: c.base in ("tell", "ask") and not r.inverted and not trailing_cue(c.masked, r.post, c.e),
              _skip_object),
    FrameRule("..., journalist Martha Raddatz said.: the source runs back to the comma",
              lambda c, r: _described_trailing_source(c, r), _source_from_comma),
    FrameRule("X told Y to Z", lambda c, r: c.base == "tell" and not r.inverted, _told_to),
    FrameRule("..., X said.", lambda c, r: True, _trailing),
    FrameRule("The plan, an inside source said, is ...",
              lambda c, r: bool(r.pre) and not r.inverted and not c.masked[c.s:r.pre_end].rstrip().endswith(",")
              and _comma_after(c, r), _source_from_comma),
    FrameRule("In his state, Christie said, offenders ...", _around_shape, _around),
    FrameRule("As X noted, ...", lambda c, r: not r.inverted and bool(_AS_SOURCE.search(c.masked[c.s:r.pre_end]))
              and _comma_after(c, r), _as_source_noted),
    FrameRule("X said (that) ...", lambda c, r: not _reports_a_figure(c, r), _content_after),
)


# --- the sentence -----------------------------------------------------------------------------


def frame_sentence(masked: str, text: str, s: int, e: int, inner: dict[int, Span]) -> list[Row]:
    """Attributions in one sentence [s, e) of the masked text: each cue's frame, then a colon
    before a quotation when no cue framed anything (`Trump: “...”`)."""
    rows: list[Row] = []
    blocks = qblocks(masked, s, e)
    floor = s  # a later cue in the sentence reads only the text after the previous attribution
    tried = 0
    for cue in find_cues(masked, s, e):
        c_start, c_end = cue.start(), cue.end()
        if c_start < floor:
            continue
        if tried >= _MAX_CUES_PER_SENTENCE:
            break  # a real sentence has a few cues; a pathological one must stay linear
        tried += 1
        word = re.sub(r"\s+", " ", cue.group().lower())
        site = CueSite(masked, text, s, e, c_start, c_end, cue_base(word), word, blocks)
        before = masked[max(s, c_start - 40):c_start].lower().split()
        prev = before[-1] if before else ""
        if word == "asked" and (prev in _PASSIVE_ASK_BEFORE or not masked[s:c_start].strip()):
            row = _passive_ask(site) or _passive_ask_after_adverbial(site)
            if row is not None:
                rows.append(row)
                floor = max(row.end, c_end)
                tried += 1
                continue
        if prev in _PASSIVE_BE and site.base in _PASSIVE_BASES:
            row = _passive_report(site)
            if row is not None:
                rows.append(row)
                floor = max(row.end, c_end, row.mention.end if row.mention else 0)
                continue
        if site.base in ("report", "describe", "note", "announce", "state") and _AS_BEFORE_PASSIVE.search(
                masked, max(s, c_start - 30), c_start):
            row = _as_reported_by(site, bool(rows))
            if row is not None:
                rows.append(row)
                floor = max(row.end, c_end, row.mention.end if row.mention else 0)
                continue
        if prev in _PASSIVE_BE and site.base == "declare":
            row = _passive_declared(site)
            if row is not None:
                rows.append(row)
                floor = max(row.end, c_end, row.mention.end if row.mention else 0)
                continue
        if cue.group()[0].isupper() and masked[s:c_start].strip() and not _title_case(masked, s, e):
            continue  # "the United States", "The Post" (but "Christie Says He Would Issue A Quarantine")
        participle = None
        if _noun_context(site, prev):
            site.base = "noun"
        elif site.base not in ("according", "statement", "noun", "reportedly"):
            participle = _verb_cue_subject(site, prev, floor, rows)
            if participle is NEXT:
                continue
        row = _read_cue(site, floor, participle, rows[-1].mention if rows else None)
        if row is not None:
            rows.append(row)
            floor = max(row.end, c_end, row.mention.end if row.mention else 0)
    if not rows and blocks and masked.find(":", s, min(e, s + 90)) != -1:
        rows = _colon_frame(masked, s, e, blocks)
    if not rows and masked.find(":", s, e) != -1:
        rows = _speech_noun_colon(masked, s, e)
    return rows


def _title_case(masked: str, s: int, e: int) -> bool:
    """A headline in title case ("Chris Christie Says He Would Issue A Quarantine"): five words or
    more, and four in five of them capitalised."""
    words = [w for w in masked[s:min(e, s + 300)].split() if w[0].isalpha()]
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _read_cue(site: CueSite, floor: int, participle: Mention | None, previous: Mention | None) -> Row | None:
    """The frame of a cue read in a bounded window (so the work per cue does not grow with the
    sentence), unless the verb form read as a plural noun ("The conflicting claims raised ...")."""
    w_start, w_end = max(floor, site.c_start - _WINDOW), min(site.e, site.c_end + _WINDOW)
    window = CueSite(site.masked, site.text, w_start, w_end, site.c_start, site.c_end, site.base, site.word,
                     [b for b in site.blocks if b[0] >= w_start and b[1] <= w_end], participle, previous)
    row = frame_cue(window)
    if row is not None and site.word in NOUN_LIKE_FORMS and site.base != "noun" and row.mention.end <= site.c_start:
        phrase = site.masked[row.mention.start:row.mention.end].split()
        head = phrase[-1]
        if (head.islower() or head[0].isdigit() or phrase[0].lower() in ("his", "her", "their", "its", "our", "my")) \
                and head.lower() not in PERSON_NOUNS and head.lower() not in PRONOUNS:
            return None  # "The conflicting claims raised questions": a noun, not a verb
    return row


def _passive_ask(c: CueSite) -> Row | None:
    """"when asked whether he would run", "Asked by a reporter if ...": the question, with the
    asker as source when named ("by X") and otherwise none."""
    passive = _PASSIVE_ASK.match(c.masked, c.c_end, min(c.e, c.c_end + 300))
    if not passive:
        return None
    asker = Mention(passive.start(1), passive.end(1)) if passive.group(1) else None
    return c.row(passive.start(2), passive.end(2), asker)


# "asked at the business conference about ...", "asked in May if ...", "asked during a
# luncheon held by The Wall Street Journal whether ...": a short place or time before the question
_ASKED_ADVERBIAL = re.compile(r"\s+(?:at|in|on|during)\s+(?:[\w.’'-]+\s+){0,7}?(?=(?:whether|if|about)\s)")


def _passive_ask_after_adverbial(c: CueSite) -> Row | None:
    """"When asked at the conference about the merger, she ...": the question after a short place
    or time phrase (no asker), read as :func:`_passive_ask` reads the question right after `asked`."""
    adverbial = _ASKED_ADVERBIAL.match(c.masked, c.c_end, min(c.e, c.c_end + 120))
    if not adverbial or re.search(r"[,;:\x01]", adverbial.group()):
        return None
    passive = _PASSIVE_ASK.match(c.masked, adverbial.end() - 1, min(c.e, c.c_end + 300))
    return c.row(passive.start(2), passive.end(2), None) if passive and not passive.group(1) else None


def _passive_report(c: CueSite) -> Row | None:
    """"News of the move was first reported by the Miami Herald", "which were claimed by the
    Islamic State": a passive reporting verb with its source in a `by` phrase; the content is the
    subject (a short phrase after the last comma before it, or the sentence's start)."""
    masked, s = c.masked, c.s
    by = _PASSIVE_BY.match(masked, c.c_end, c.e)
    mention = np_after(masked, by.end(), c.e) if by else None
    if mention is None:
        return None  # without its source ("was announced on a scanner") measured too often not speech
    be = _PASSIVE_BE_BEFORE.search(masked, max(s, c.c_start - 40), c.c_start)
    if be is None:
        return None
    clause = max(masked.rfind(mark, s, be.start()) for mark in (",", ";", ":", "(", "—", "\x02"))
    start, end = strip_span(masked, clause + 1 if clause >= s else s, be.start())
    relative = re.search(r"\b(?:that|which)\Z", masked[start:end])
    if relative:
        start += relative.start()  # "a killing that was claimed by ISIS": the pronoun
    subject = masked[start:end]
    if end <= start or len(subject.split()) > 12 or Q_START in subject or subject.split()[-1].lower() in _PERSONAL:
        return None  # "they were announced": people, not words
    return c.row(start, end, mention)


# "Clinton was declared the winner in Maryland (by news organizations)": the title declared
_DECLARED_AS = re.compile(r"\s+((?:the|a|an)\s+[^,;:\x01]{2,150}?)(?=\s+by\s|\s*[,;:.!?]|\s*\Z)")


def _passive_declared(c: CueSite) -> Row | None:
    """"Sanders was declared the winner in Rhode Island": what was declared is the subject and the
    title given to it (two pieces of one content); the source is the `by` phrase, when there is one."""
    masked = c.masked
    title = _DECLARED_AS.match(masked, c.c_end, c.e)
    be = _PASSIVE_BE_BEFORE.search(masked, max(c.s, c.c_start - 40), c.c_start)
    subject = np_before(masked, c.s, be.start()) if title and be else None
    if subject is None or masked[subject.start:subject.end].lower() in ("who", "which", "that"):
        return None
    by = re.match(r"\s+by\s+", masked[title.end(1):c.e])
    mention = np_after(masked, title.end(1) + by.end(), c.e) if by else None
    return _split_row(c, (subject.start, subject.end), title.span(1), mention)


# "As reported by Western Journalism, ...", "..., as first reported by the New York Times."
_AS_BEFORE_PASSIVE = re.compile(r"(?:^|(?<=[\s,(—–\x02]))[Aa]s\s+(?:first\s+|previously\s+|originally\s+|[a-z]+ly\s+)?\Z")


def _as_reported_by(c: CueSite, after_row: bool) -> Row | None:
    """"As reported by Western Journalism, investigators found ...", "..., as first reported by
    the New York Times.": the clause after the source's comma when `as` opens the sentence, else
    the words before `as` (unless an attribution already read them: `after_row`); the source is
    the `by` phrase."""
    masked = c.masked
    as_ = _AS_BEFORE_PASSIVE.search(masked, max(c.s, c.c_start - 30), c.c_start)
    by = re.match(r"\s+by\s+", masked[c.c_end:c.e])
    mention = np_after(masked, c.c_end + by.end(), c.e) if as_ and by else None
    if mention is None:
        return None
    if not masked[c.s:as_.start()].strip():
        comma = masked.find(",", mention.end, min(c.e, mention.end + 60))
        if comma == -1:
            return None
        start, end = strip_span(masked, comma + 1, c.e)
        end = cut_clause(masked, start, end)
    elif after_row:
        return None  # '“...,” Carson noted in an interview, as reported by BuzzFeed News.'
    else:
        start, end = strip_span(masked, c.s, as_.start())
        end = len(masked[:end].rstrip(" ,;—–-"))
        start = trim_leading_frame(masked, start, end)
    return c.row(start, end, mention) if end - start >= 8 else None


def _verb_cue_subject(c: CueSite, prev: str, floor: int, rows: list[Row]) -> Mention | None | object:
    """For a verb cue whose previous word is `prev`: the source already known for a participle
    or progressive (`..., saying`, `He is suggesting`), None when the frame finds it, or NEXT
    when the word is not a cue here ("to say", "was asked", "the report", "Trump's remarks")."""
    masked, s, e, c_start, c_end, base, word = c.masked, c.s, c.e, c.c_start, c.c_end, c.base, c.word
    participle = None
    aux_end = _auxiliary_end(masked, max(s, c_start - 40), c_start)
    aux = (masked[max(s, aux_end - 30):aux_end].lower().split() or [""])[-1] if aux_end != c_start else prev
    progressive = word.endswith("ing") and (aux in BE or aux in _NEGATED_BE or CONTRACTED_PRONOUN.match(aux)) \
        and (base in CLAUSE_VERBS or base in SPECIAL_BASES)
    if progressive:
        # "He is suggesting that ...", "He's saying ...", "Clinton isn't calling for ...": an active
        # verb, not a participle
        be_start = masked.rfind(" ", max(s, aux_end - 40), aux_end - 1) + 1
        subject_end = aux_end if CONTRACTED_PRONOUN.match(aux) or be_start <= s else be_start
        participle = np_before(masked, max(floor, c_start - 300), subject_end)
        if participle is None:
            return NEXT
    elif prev == "to" and _IMPERSONAL_TO_SAY.search(masked, max(s, c_start - 40), c_start):
        return NEXT  # "too soon to say whether ...", "fair to say that ..."
    elif prev == "to" and base in ("say", "tell") and _REPORTED_AFTER_INFINITIVE.match(masked, c_end, e):
        # "declined to say whether ...", "went out of his way to say that ...": the sentence's subject
        participle = sentence_subject(masked, s, c_start) or _opening_subject(masked, s, c_start)
    elif prev == "to" and base == "say" and _to_say_clause(c):
        # "were more likely to say they preferred Clinton", "took to Twitter to say thanks": the subject's words
        participle = sentence_subject(masked, s, c_start) or _opening_subject(masked, s, c_start)
        if participle is None:
            return NEXT
    elif prev == "to" and base in SPECIAL_BASES and special_complement(masked, base, c_end, e) is not None:
        # "used his speech to call for the resignation of ...": the sentence's subject
        participle = sentence_subject(masked, s, c_start) or _opening_subject(masked, s, c_start)
        if participle is None:
            return NEXT
    elif prev in ("to", "of") or prev in BE or prev in DETERMINERS or prev.endswith(("'s", "’s")):
        return NEXT  # "to say", "was asked", "the report", "Trump's remarks", "secretary of state"
    elif word.endswith("ed") and (prev in ("in", "among") or prev.isdigit()):
        return NEXT  # "her lead in pledged delegates", "60 pledged delegates": an adjective
    if prev.startswith(Q_START) and quote_ends_plain(c.text, c_start):
        return NEXT  # 'the "Super Tuesday" states'
    if word == "state" and (_PLACE_BEFORE.search(masked, max(s, c_start - 30), c_start)
                            or _STATE_AFTER_MODIFIER.search(masked, max(s, c_start - 40), c_start)):
        return NEXT  # "the Indiana state firefighters union", "Washington state", "a solid red state": a noun
    if word.endswith("ing") and not progressive and _LEADING_PARTICIPLE.fullmatch(masked, s, c_start):
        return _leading_participle_subject(c)
    if word.endswith("ing") and not progressive:
        return _participle_subject(c, floor, rows)
    if base in _WEAK_BASES and not c.blocks and not _speech_evidence(c):
        return NEXT  # too often not speech without a quotation, "that" or a known complement
    return participle


def _to_say_clause(c: CueSite) -> bool:
    """"likely to say they preferred Clinton": a bare clause after `to say`, where the sentence's
    subject is the one who says it (not "to say about half", "hard to say", "declined to say where")."""
    before = c.masked[max(c.s, c.c_start - 30):c.c_start].lower()
    after = c.masked[c.c_end:c.e].strip()
    return not _CLAUSE_START_BAD.match(after) and not re.match(r"(?:where|who|when|which|what|how|why)\b", after) \
        and not _IMPERSONAL_TO_SAY.search(before) \
        and looks_like_clause(after)


def _auxiliary_end(masked: str, lo: int, c_start: int) -> int:
    """Where the words before a cue end once `not` and adverbs are set aside (`is not saying`,
    `is already claiming`, `’s not saying`): `c_start` when there are none."""
    end = c_start
    for _ in range(2):
        m = _ADVERB_BEFORE.search(masked, lo, end)
        if not m:
            break
        end = m.start()
    return end


# "After saying he was nervous, the man ...": a participle cue that opens the sentence after a conjunction
_LEADING_PARTICIPLE = re.compile(r"\s*(?:After|While|Before)\s+(?:[a-z]+ly\s+)?")


def _leading_participle_subject(c: CueSite) -> Mention | object:
    """"While saying that he does respect Mrs. Clinton, he continued to ...": the subject of the
    main clause after the comma says it; NEXT when the verb takes no clause or there is none.
    The cue's window then ends at that comma (what the participle says stops there)."""
    comma = c.masked.find(", ", c.c_end, c.e)
    if c.base not in CLAUSE_VERBS or comma == -1:
        return NEXT
    post = skip_tail(c.masked, c.c_end, comma)
    if not (THAT.match(c.masked, post, comma) or (c.base in SAY_VERBS and looks_like_clause(c.masked[post:comma].strip()))):
        return NEXT
    mention = sentence_subject(c.masked, comma + 2, c.e)
    if mention is None:
        return NEXT
    c.e = comma
    return mention


def _participle_subject(c: CueSite, floor: int, rows: list[Row]) -> Mention | object:
    """The source of a participle cue: after a comma or `and` (", saying ...") the previous
    attribution's source or the sentence's subject; after `with` ("with Senator John McCain
    telling reporters ...") the phrase between; NEXT when there is none."""
    masked, s, c_start = c.masked, c.s, c.c_start
    if c.base not in CLAUSE_VERBS and not re.match(r"\s*[:,]?\s*\x01", masked[c.c_end:c.e]) \
            and special_complement(masked, c.base, c.c_end, c.e) is None:
        return NEXT  # "yelling" frames only a quotation: 'with Trump yelling: “Out!”'
    if _BEFORE_PARTICIPLE.search(masked, max(s, floor - 1, c_start - 40), c_start):
        participle = rows[-1].mention if rows else (sentence_subject(masked, s, c_start)
                                                    or _opening_subject(masked, s, c_start))
    else:
        participle = np_before(masked, max(floor, c_start - 300), c_start) or _with_chunk(masked, max(s, floor), c_start)
        if participle is None or not (re.search(r"\bwith\s+$", masked[max(s, participle.start - 6):participle.start])
                                      or c.base == "say" or THAT.match(masked, skip_tail(masked, c.c_end, c.e), c.e)):
            return NEXT  # but "a sign saying “...”", "30 percent of voters saying they ..." report words
    return NEXT if participle is None else participle


def _with_chunk(masked: str, lo: int, c_start: int) -> Mention | None:
    """"with three in 10 saying ...", "with 50 percent saying ...": the few words after `with`
    before a participle cue (:func:`_chunk_words`)."""
    with_ = re.search(r"\bwith\s+(?=[^,;:\x01]{1,60}\Z)", masked[max(lo, c_start - 70):c_start])
    if not with_:
        return None
    words = _chunk_words(masked, max(lo, c_start - 70) + with_.end(), c_start)
    return Mention(*words) if words else None


def _opening_subject(masked: str, s: int, end: int) -> Mention | None:
    """The words that open the sentence [s, end) up to its first verb, when they may be its
    subject ("Critics of the plan warned ..., calling for ..."): one to six words, the first not
    a preposition or a clause opener."""
    words = []
    for m in re.finditer(r"[\w’'.&-]+|[^\w\s]", masked[s:end]):
        low = m.group().lower()
        if low in FINITE or low in BE or low in AUX or low in FORM_TO_BASE or low in CLAUSE_BOUNDARY_WORDS \
                or (low.endswith("ed") and m.group().islower()) or not re.match(r"[\w’']", low):
            break
        words.append(m)
        if len(words) > 6:
            return None
    first = words[0].group().lower() if words else ""
    if not words or first in PREPOSITIONS or (first in PRONOUNS and len(words) > 1):
        return None
    return Mention(s + words[0].start(), s + words[-1].end())


def _speech_evidence(c: CueSite) -> bool:
    """A `that`, a trailing position, a known complement, or (`reported`, `stated`) a `that` or
    trailing position after the adverbials: what a weak verb needs to be a cue."""
    masked, c_end, e = c.masked, c.c_end, c.e
    return bool(re.match(r"\s*(?:,\s*)?that\b", masked[c_end:e])) or trailing_cue(masked, c_end, e) \
        or special_complement(masked, c.base, c_end, e) is not None \
        or (c.base == "report" and reported_after_tail(masked, c_end, e)) \
        or (c.base in OBJECT_SPEECH_VERBS and bool(_NP_OBJECT.match(masked, strip_span(masked, c_end, e)[0], e)))


def _colon_frame(masked: str, s: int, e: int, blocks: list[Span]) -> list[Row]:
    """"Trump: “...”": a colon before a quotation is a cue, with the phrase before it as source."""
    colon = _COLON_CUE.match(masked, s, e)
    if not colon or _SENTENCE_STOP.search(colon.group(1)):
        return []
    mention = _subject_before_verb_colon(masked, s, colon.end(1))
    if mention is None:
        mention = np_before(masked, s, colon.end(1))
        if mention is None or mention.start - s >= 30:
            return []
    cpos = colon.end(1)
    b = [blk for blk in blocks if blk[0] > cpos]
    return [Row(b[0][0], b[-1][1], (cpos, cpos + 1), mention, b)]


def _speech_noun_colon(masked: str, s: int, e: int) -> list[Row]:
    """"Carrier's message: Moving jobs south is part of the strategy", "the party's leaders sent
    him an unmistakable message: He is hurting the party": a speech noun before a colon is a cue;
    the content runs to the sentence's end; the source is the noun's possessor or the sentence's
    subject (none when neither is found)."""
    noun = _NOUN_COLON.search(masked, s, e)
    if not noun:
        return []
    start, end = strip_span(masked, noun.end(), e)
    if end - start < 12:
        return []
    owner = _POSSESSOR.search(masked, max(s, noun.start() - 80), noun.start())
    if owner and owner.end() >= noun.start() - 30:
        mention = Mention(owner.start(1), owner.end(1))
    else:
        opener = re.match(r"\s*(?:(?:And|But|So|Then)\s+)?", masked[s:noun.start()])
        mention = sentence_subject(masked, s + opener.end(), noun.start())
    cue = (noun.start(1), noun.end(1))
    return [Row(start, end, cue, mention, [b for b in qblocks(masked, start, end)])]


def _subject_before_verb_colon(masked: str, s: int, cpos: int) -> Mention | None:
    """'And Mr. Christie gloated: “...”', 'Trump went even further: “...”': the sentence's subject
    when a past-tense verb follows it and the colon closes its clause."""
    opener = re.match(r"\s*(?:(?:And|But|So|Then)\s+)?", masked[s:cpos])
    subject = sentence_subject(masked, s + opener.end(), cpos)
    if subject is None or not _VERB_BEFORE_COLON.match(masked, subject.end, cpos):
        return None
    return subject


def introduction(masked: str, s: int, e: int) -> tuple[Span, Mention] | None:
    """(cue span, source) when the sentence [s, e) ends by introducing a quotation that starts
    in the next paragraph: "Dr. Ward stated:", "President Clinton released the following statement:"."""
    colon = masked.rfind(":", s, e)
    cues = [c for c in find_cues(masked, s, colon) if c.group()[0].islower() or c.start() == s]
    statement = STATEMENT_CUE.search(masked, s, colon)
    if statement:
        cue = (statement.start(), statement.end())
    elif cues and len(masked[cues[-1].end():colon].split()) <= 6:
        cue = (cues[-1].start(), cues[-1].end())
    elif cues and cues[-1].start() == s:
        cue = (cues[-1].start(), cues[-1].end())
    else:
        return None
    mention = np_before(masked, s, cue[0])
    if mention is None and masked[s:cue[0]].strip() == "":
        mention = np_after(masked, cue[1], colon)  # "Stated Stone:"
    return (cue, mention) if mention is not None else None


def quote_ends_plain(text: str, pos: int) -> bool:
    """True when the quotation just before `pos` ends without , ? ! or a dash inside its marks
    (a quoted name, not a quotation framed by the verb that follows)."""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    while j > 0 and text[j - 1] in "”\"'»’`":
        j -= 1
    return j > 0 and text[j - 1] not in ",?!—–-…."
