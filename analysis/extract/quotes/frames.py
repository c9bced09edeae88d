"""Who said what: rule-based quote attribution for news text, without a parser model.

    >>> from analysis.extract.quotes import extract_quotes
    >>> extract_quotes("“We are ready,” the mayor said.")[["quote", "kind", "speaker"]]

`extract_quotes(text)` is a pure function (text in, table out) that runs in linear time. It works
in four passes over each paragraph:

1. pair the quote marks (curly, straight, newswire ``...'' and ''...''), letting a quotation whose
   paragraph ends without a closing mark continue into the next paragraph when that one opens
   with a quote mark;
2. mask every quotation (same length, so offsets hold) and split the masked paragraph into
   sentences, so a quotation never breaks a sentence and a reporting verb inside a quotation is
   never taken for a cue;
3. in each sentence find a cue (a reporting verb in any tense, `according to`, or a colon before a
   quotation) and read the frame around it: the source phrase next to the cue (with appositives
   like `, a Southcom spokeswoman,`), and the content on the other side (`“...,” X said`,
   `X said (that) ...`, `..., X said`, `according to X, ...`);
4. resolve the source phrase: surnames to full names seen earlier, `the official` to the
   `One defense official` introduced earlier, pronouns to the most recent compatible speaker;
   then classify it (named, anonymous, organization, pronoun, unknown).

A sentence that is only a quotation and has no cue of its own takes the previous speaker
(follow-on quote) when that speaker was quoted in the same or the previous paragraph.

Besides `said`-like verbs in every tense (:data:`REPORTING_VERBS`), the frames include
`according to X`, `X told Y (that) ...`, `X said: “...”` (also when the quotation opens the next
paragraph), `“...,” said X, a Y.`, `..., X said, ...` around the content, `, saying ...` and
`with X telling ...`, `X called for / called on Y to / called Z “...”`, `X asked whether ...`,
`X urged Y to ...`, `X vowed to ...`, `X described Y as ...`, `when asked whether ...` (the asker
as source when named, `by X`), `X did A but said ...` (the sentence's or the previous cue's
subject), `X, according to Y, is ...` and `X, an inside source said, is ...` around the content
(one span: the piece after the attribution alone when the piece before is shorter than the
attribution itself), `X, who said A, said B`, and transcript or headline lines (`Clinton: ...`,
`Q: ...`). Deliberately not covered: beliefs and intentions (`X thinks`,
`X hopes`), bare noun objects (`X announced his candidacy`).

The per-call state (speakers seen so far) lives in a local object; compiled patterns and
lexicons are module constants; every pattern is bounded or possessive, and each cue reads a
bounded window, so a pathological input (100,000 quote marks, a 5 MB paragraph) stays linear.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

COLUMNS = [
    "quote", "quote_start", "quote_end", "kind",
    "cue", "cue_start", "cue_end",
    "mention", "mention_start", "mention_end",
    "speaker", "speaker_title", "speaker_role", "speaker_kind",
]
_INT_COLUMNS = ["quote_start", "quote_end", "cue_start", "cue_end", "mention_start", "mention_end"]
_INT_INDEX = [COLUMNS.index(c) for c in _INT_COLUMNS]

# --- lexicons -------------------------------------------------------------------------------

#: Reporting verbs, as (base, third person, past, -ing). Each is recognised in every one of these
#: forms (and the past participle, which is the past form for all but the irregular ones listed).
_VERB_FORMS = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote|written", "writing"),
    "add": ("adds", "added", "adding"),
    "note": ("notes", "noted", "noting"),
    "ask": ("asks", "asked", "asking"),
    "explain": ("explains", "explained", "explaining"),
    "argue": ("argues", "argued", "arguing"),
    "insist": ("insists", "insisted", "insisting"),
    "warn": ("warns", "warned", "warning"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admits", "admitted", "admitting"),
    "claim": ("claims", "claimed", "claiming"),
    "state": ("states", "stated", "stating"),
    "announce": ("announces", "announced", "announcing"),
    "report": ("reports", "reported", "reporting"),
    "declare": ("declares", "declared", "declaring"),
    "tweet": ("tweets", "tweeted", "tweeting"),
    "recall": ("recalls", "recalled", "recalling"),
    "suggest": ("suggests", "suggested", "suggesting"),
    "reply": ("replies", "replied", "replying"),
    "respond": ("responds", "responded", "responding"),
    "continue": ("continues", "continued", "continuing"),
    "urge": ("urges", "urged", "urging"),
    "predict": ("predicts", "predicted", "predicting"),
    "promise": ("promises", "promised", "promising"),
    "vow": ("vows", "vowed", "vowing"),
    "deny": ("denies", "denied", "denying"),
    "contend": ("contends", "contended", "contending"),
    "concede": ("concedes", "conceded", "conceding"),
    "recount": ("recounts", "recounted", "recounting"),
    "quip": ("quips", "quipped", "quipping"),
    "joke": ("jokes", "joked", "joking"),
    "shout": ("shouts", "shouted", "shouting"),
    "yell": ("yells", "yelled", "yelling"),
    "email": ("", "emailed", ""),
    "complain": ("complains", "complained", "complaining"),
    "confirm": ("confirms", "confirmed", "confirming"),
    "stress": ("stresses", "stressed", "stressing"),
    "emphasize": ("emphasizes", "emphasized", "emphasizing"),
    "emphasise": ("emphasises", "emphasised", "emphasising"),
    "remark": ("remarks", "remarked", "remarking"),
    "observe": ("observes", "observed", "observing"),
    "assert": ("asserts", "asserted", "asserting"),
    "maintain": ("maintains", "maintained", "maintaining"),
    "boast": ("boasts", "boasted", "boasting"),
    "testify": ("testifies", "testified", "testifying"),
    "reiterate": ("reiterates", "reiterated", "reiterating"),
    "caution": ("cautions", "cautioned", "cautioning"),
    "counter": ("counters", "countered", "countering"),
    "retort": ("retorts", "retorted", "retorting"),
    "allege": ("alleges", "alleged", "alleging"),
    "charge": ("charges", "charged", "charging"),
    "reveal": ("reveals", "revealed", "revealing"),
    "repeat": ("repeats", "repeated", "repeating"),
    "mention": ("mentions", "mentioned", "mentioning"),
    "agree": ("agrees", "agreed", "agreeing"),
    "conclude": ("concludes", "concluded", "concluding"),
    "estimate": ("estimates", "estimated", "estimating"),
    "whisper": ("whispers", "whispered", "whispering"),
    "lament": ("laments", "lamented", "lamenting"),
    "post": ("posts", "posted", "posting"),
    "wonder": ("wonders", "wondered", "wondering"),
    "muse": ("muses", "mused", "musing"),
    "scoff": ("scoffs", "scoffed", "scoffing"),
    "brag": ("brags", "bragged", "bragging"),
    "pledge": ("pledges", "pledged", "pledging"),
    "call": ("calls", "called", "calling"),
    "describe": ("describes", "described", "describing"),
    "threaten": ("threatens", "threatened", "threatening"),
    "demand": ("demands", "demanded", "demanding"),
    "proclaim": ("proclaims", "proclaimed", "proclaiming"),
    "point out": ("points out", "pointed out", "pointing out"),
}
#: Reporting verbs. `REPORTING_VERBS` lists every recognised form, for documentation and tests.
_NOUN_BASES = {"email"}  # "email"/"emails" are nearly always the noun; "emailed" is the verb


def _forms_of(base: str, forms: tuple[str, str, str]) -> list[str]:
    found = [] if base in _NOUN_BASES else [base]
    found += [f for f in (forms[0], *forms[1].split("|"), forms[2]) if f]
    return found


REPORTING_VERBS: tuple[str, ...] = tuple(sorted({
    form for base, forms in _VERB_FORMS.items() for form in _forms_of(base, forms)
}))
#: Verbs that introduce reported speech directly (`X said (that) ...`); the others only frame
#: quotations (`“...,” he asked`).
_CLAUSE_VERBS = {
    "say", "tell", "write", "add", "note", "explain", "argue", "insist", "warn", "acknowledge", "admit",
    "claim", "state", "announce", "report", "declare", "tweet", "recall", "suggest", "reply",
    "respond", "predict", "promise", "vow", "deny", "contend", "concede", "complain", "confirm",
    "stress", "emphasize", "emphasise", "remark", "observe", "assert", "maintain", "boast", "testify",
    "reiterate", "caution", "counter", "allege", "charge", "reveal", "agree", "conclude", "estimate",
    "point out", "email", "post", "pledge", "proclaim", "lament", "wonder",
}

_FORM_TO_BASE = {}
for _base, _forms in _VERB_FORMS.items():
    for _form in _forms_of(_base, _forms):
        _FORM_TO_BASE[_form] = _base

PRONOUNS = {"he": "person", "she": "person", "i": "person", "we": "group", "they": "group", "it": "organization",
            "you": "person", "who": "relative"}

TITLES = {
    "president", "vice", "sen.", "senator", "rep.", "representative", "gov.", "governor", "mayor",
    "army", "navy", "air", "force", "marine", "col.", "gen.", "lt.", "maj.", "capt.", "sgt.", "adm.",
    "cmdr.", "cpl.", "pvt.", "dr.", "mr.", "mrs.", "ms.", "miss", "prof.", "professor", "secretary",
    "judge", "justice", "chief", "pope", "king", "queen", "prince", "princess", "sheikh", "rev.",
    "reverend", "father", "bishop", "dr", "mr", "mrs", "ms", "prof", "cardinal", "rabbi", "imam", "speaker", "chancellor", "minister",
    "prime", "premier", "ambassador", "commissioner", "councilman", "councilwoman", "lt.", "gov",
    "attorney", "general", "state", "sir", "lord", "lady", "dame", "det.", "officer", "sheriff",
    "coach", "director", "chairman", "chairwoman", "ceo", "former", "foreign", "defense", "interior",
    "congressman", "congresswoman", "assemblyman", "assemblywoman", "del.", "supt.", "insp.",
    "president-elect", "presidential", "candidate", "nominee", "first", "deputy", "u.s.", "majority",
    "minority", "leader", "whip", "house", "senate", "republican", "democratic", "democrat", "gop",
    "white", "spokesman", "spokeswoman", "spokesperson", "press", "of", "the", "and",
}
#: Nouns for people who go unnamed: a source phrase headed by one of them is anonymous.
PERSON_NOUNS = {
    "official", "officials", "source", "sources", "people", "person", "aide", "aides", "adviser",
    "advisers", "advisor", "advisors", "staffer", "staffers", "spokesman", "spokeswoman", "spokesperson",
    "spokesmen", "spokespeople", "analyst", "analysts", "expert", "experts", "critic", "critics",
    "resident", "residents", "witness", "witnesses", "observer", "observers", "diplomat", "diplomats",
    "lawmaker", "lawmakers", "investigator", "investigators", "officer", "officers", "employee",
    "employees", "worker", "workers", "owner", "owners", "member", "members", "leader", "leaders",
    "supporter", "supporters", "voter", "voters", "activist", "activists", "economist", "economists",
    "researcher", "researchers", "scientist", "scientists", "doctor", "doctors", "lawyer", "lawyers",
    "attorney", "attorneys", "executive", "executives", "manager", "managers", "strategist",
    "strategists", "operative", "operatives", "donor", "donors", "insider", "insiders", "protester",
    "protesters", "student", "students", "teacher", "teachers", "parent", "parents", "victim", "victims",
    "friend", "friends", "neighbor", "neighbors", "colleague", "colleagues", "candidate", "candidates",
    "republicans", "democrats", "man", "woman", "men", "women", "someone", "commentator",
    "commentators", "pollster", "pollsters", "representative", "representatives", "authorities",
    "delegate", "delegates", "organizer", "organizers", "agent", "agents", "counterpart", "users",
    "user", "customer", "customers", "reporter", "reporters", "correspondent", "director", "chairman",
    "chairwoman", "president", "secretary", "governor", "senator", "mayor", "minister", "ambassador",
    "general", "commander", "judge", "prosecutor", "prosecutors", "detective", "detectives", "nominee",
    "fan", "fans", "others", "one", "several", "many", "some", "few", "both", "all", "most",
    "campaigner", "campaigners", "negotiator", "negotiators", "organiser", "organisers", "surveyor",
    "aide-de-camp", "justice", "justices", "rabbi", "rabbis", "priest", "priests", "pastor", "pastors",
    "clergy", "imam", "imams", "bishop", "bishops", "nurse", "nurses", "soldier", "soldiers", "veteran",
    "veterans", "farmer", "farmers", "citizen", "citizens", "survivor", "survivors", "relative", "relatives",
    "family", "families", "child", "children", "husband", "wife", "father", "mother", "son", "daughter",
    "brother", "sister", "spokespersons", "eyewitness", "eyewitnesses", "bystander", "bystanders", "rival", "rivals", "opponent", "opponents", "backer", "backers", "ally", "allies",
}
_PERSON_HEADS_SINGULAR = {n for n in PERSON_NOUNS if not n.endswith("s") or n in {"witness", "boss"}}
#: Words that make a source phrase an organisation.
ORGANIZATION_WORDS = {
    "department", "ministry", "agency", "pentagon", "house", "kremlin", "government", "administration",
    "company", "corporation", "corp", "corp.", "inc", "inc.", "ltd", "llc", "group", "party", "committee",
    "council", "commission", "university", "college", "association", "institute", "foundation",
    "campaign", "police", "army", "military", "navy", "court", "office", "bureau", "board", "bank",
    "union", "organization", "organisation", "network", "service", "services", "center", "centre",
    "embassy", "council", "senate", "congress", "parliament", "cabinet", "team", "club", "firm",
    "authority", "federation", "coalition", "alliance", "command", "agency", "newspaper", "times",
    "post", "journal", "news", "cnn", "fox", "msnbc", "reuters", "ap", "bbc", "nbc", "cbs", "abc",
    "poll", "survey", "report", "study", "statement", "fbi", "cia", "nsa", "nsc", "un", "nato", "eu",
    "who", "hospital", "school", "church", "county", "city", "state", "states", "nation", "country",
    "district", "province", "spokesperson's", "secretariat", "prosecutors", "airline", "airlines",
}
_ORG_HEADS = ORGANIZATION_WORDS - {"who", "states", "state", "house", "report", "statement", "post", "times"}

#: Lower-case words allowed inside a source phrase (modifiers of person nouns).
_NP_MODIFIERS = {
    "the", "a", "an", "one", "two", "three", "four", "five", "six", "several", "some", "many", "other",
    "another", "most", "few", "both", "all", "senior", "former", "top", "administration", "campaign",
    "defense", "military", "state", "federal", "local", "city", "county", "police", "government",
    "white", "house", "security", "intelligence", "health", "press", "his", "her", "their", "its",
    "our", "my", "chief", "deputy", "assistant", "acting", "presidential", "longtime", "veteran",
    "political", "democratic", "republican", "party", "foreign", "policy", "national", "u.s.", "american",
    "european", "congressional", "legal", "independent", "private", "public", "business", "industry",
    "election", "law", "enforcement", "court", "company", "union", "school", "hospital", "military",
    "of", "familiar", "with", "the", "matter", "close", "to", "knowledge", "briefed", "on",
    "current", "previous", "new", "unnamed", "anonymous", "high-ranking", "ranking", "key",
    "economic", "financial", "communications", "media", "transportation", "emergency", "fire",
    "environmental", "trade", "justice", "energy", "treasury", "agriculture", "education", "staff",
    "team", "spokesperson", "regional", "provincial", "municipal", "rescue", "medical", "general",
    "official", "officials", "'s", "’s", "lead", "head", "co-founder", "founder", "vice",
    "group", "number", "couple", "handful", "dozens", "hundreds", "thousands", "majority", "minority",
    "panel", "delegation", "coalition", "pair", "trio", "dozen", "few", "several",
}

_DISCOURSE = {"but", "and", "or", "so", "yet", "also", "still", "now", "then", "however", "meanwhile",
              "instead", "later", "earlier", "as", "while", "because", "when", "although", "though", "since",
              "if", "that", "where", "after", "before", "until", "once", "thus", "indeed", "moreover",
              "furthermore", "nonetheless", "nevertheless", "here", "there", "today", "yesterday",
              "therefore", "hence", "accordingly", "consequently", "likewise", "similarly", "otherwise"}
_AUX = {"has", "have", "had", "also", "later", "then", "once", "previously", "recently", "again",
        "would", "will", "did", "does", "do", "never", "often", "always", "already", "just", "even",
        "first", "further", "simply", "flatly", "quickly", "repeatedly", "publicly", "privately",
        "reportedly", "initially", "subsequently", "only", "ultimately", "finally", "could", "may",
        "might", "should", "must", "can", "not", "has also", "separately", "wrongly", "falsely",
        "correctly", "frequently", "famously", "once", "angrily", "bluntly", "openly", "proudly", "long"}
_BE = {"is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "get", "got", "gets"}
_NOT_SUBJECT = {"to", "not", "and", "or", "the", "a", "an", "of", "in", "on", "at", "for", "by", "with",
                "this", "that", "these", "those", "which", "what", "there", "here", "as", "than", "from",
                "about", "into", "over", "under", "after", "before", "because", "if", "so"}
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

# --- regular expressions (compiled once; none can backtrack badly) --------------------------

_MARK = re.compile(r"``|''|[“”\"„«»]")
_OPENERS = {"“", "``", "„", "«"}
_CLOSERS = {"”", "»"}
_LINE = re.compile(r"[^\n]+")
Q_START, Q_FILL = "\x01", "\x02"
_QBLOCK = re.compile("\x01\x02*")
# A sentence ends at . ! ? (with closing marks) or at a quotation ending in one, before a space
# and a capital, a digit or another quotation.
# Possessive quantifiers: a run of 100,000 "!" must not be re-scanned from every position.
_BOUNDARY = re.compile(r"(?:(?<![.!?])[.!?]++[)\]’'\"”]*+|\x02)(\s++)(?=[\x01A-Z0-9(“\"‘'`])")
_STOPS = (".", "!", "?")
_CLOSERS_AFTER_STOP = ")]’'\"”"
_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "col", "lt", "maj", "capt", "sgt",
    "adm", "cmdr", "jr", "sr", "prof", "rev", "no", "vs", "inc", "corp", "ltd", "co", "jan", "feb",
    "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.n", "u.k", "d.c", "e.g", "i.e",
    "mt", "ft", "gov", "pres", "supt", "det", "sgt", "cpl", "pvt", "del", "hon", "messrs", "a.m", "p.m",
    "ave", "blvd", "calif", "fla", "ill", "mass", "mich", "minn", "penn", "tenn", "tex", "va", "wash",
    "wis", "ariz", "colo", "conn", "ga", "ky", "la", "md", "mo", "nev", "okla", "ore", "pa",
}
_SENTENCE_STARTERS = {"The", "He", "She", "It", "They", "But", "In", "A", "We", "I", "This", "That",
                      "And", "On", "Officials", "There", "His", "Her", "Their"}


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of `words` factored by common prefixes (`sa(?:id|ys)`), so the regex
    engine tries only the branches that share the first letters instead of every word."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        optional = "" in node
        for char in sorted(k for k in node if k):
            branches.append(re.escape(char).replace("\\ ", r"\s+") + build(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return "(?:" + body + ")?"
        return body

    return build(tree)


_CUE = re.compile(
    r"(?<![\w\x02-])(?:according\s+to|in\s+an?\s+(?:written\s+|emailed\s+|e-mailed\s+|joint\s+)?statement|"
    + _trie_pattern(sorted(_FORM_TO_BASE)) + r")(?![\w-])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:[.’'&-][^\W_]+)*\.?|[’']s\b")
_TITLE_STEMS = {t.rstrip(".") for t in TITLES}
_TOKEN = re.compile(r"\x01\x02*|[^\W_]+(?:[.’'&/-][^\W_]+)*|[’']s\b|[^\s\w]")
_TIME_WORD = re.compile(
    rf"\s*,?\s*(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:{_DAYS}|yesterday|today|tonight|"
    rf"(?:this|last)\s+(?:week|month|year|morning|evening|night)|(?:in\s+)?(?:{_MONTHS})(?:\s+\d{{1,2}})?)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b",
)
_PREP_PHRASE = re.compile(
    r"\s*,?\s*(?:in|on|at|during|to|from|via|through|after|before|while|with|over|for|of|by)\s+"
    r"(?:[^,.;:!?\x01]|\.(?=\S)){0,80}?(?=\s*[,.;:!?\x01]|\s+that\b|\s*$)"
)
# What may follow a trailing attribution ("..., officials said, as a standoff intensifies").
_AFTER_TRAILING = re.compile(
    r"\s*,?\s*(?:as|while|after|because|when|although|though|before|since|until|even\s+as|amid)\b"
    r"|\s*(?:[,;—–(]|\s-)\s*(?:[a-z]+ing|as|while|after|because|when|although|though|but|and|adding|saying|citing|"
    r"noting|referring|pointing|according|who|which|where|even|in|with|without|before|since|despite|so|"
    r"explaining|arguing|insisting|warning|calling|describing|speaking|asking|"
    + _DAYS + r"|on|at|during|than|if|until|amid|following)\b"
)
_ADVERB = re.compile(r"\s+(?:[a-z]+ly|again|too|later|back|afterward|afterwards|recently|once)\b")
_DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my", "your", "these", "those"}
_FINITE = {
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "should", "can", "may",
    "might", "must", "did", "does", "do", "am", "isn't", "aren't", "wasn't", "weren't", "won't", "'s",
    "’s", "be", "been", "thinks", "believes", "wants", "needs", "knows", "feels", "plans", "hopes",
    "expects", "intends", "remains", "seems", "says", "said", "got", "made", "went", "came", "took",
    "gave", "saw", "knew", "thought", "felt", "left", "lost", "won", "ran", "began", "became", "kept",
    "let", "put", "set", "cut", "hit", "paid", "told", "sent", "spent", "built", "brought", "bought",
}
#: Verbs that take a bare clause (`X said the plan failed`); the others need `that` or a quotation.
_BARE_CLAUSE_VERBS = {
    "say", "tell", "write", "add", "argue", "insist", "claim", "predict", "suggest", "contend", "maintain",
    "assert", "warn", "estimate", "concede", "complain", "counter", "boast", "testify", "tweet", "email",
    "post", "reiterate", "stress", "emphasize", "emphasise", "caution", "note", "explain", "acknowledge",
    "admit", "agree", "confirm", "report", "announce", "declare", "recall", "reply", "respond", "allege",
    "charge", "reveal", "conclude", "remark", "observe", "state", "vow", "promise", "pledge",
}
#: Verbs whose bare complement is nearly always reported speech (`says they empathize`).
_SAY_VERBS = {"say", "tell", "add", "argue", "insist", "claim", "predict", "contend", "maintain", "assert",
              "estimate", "testify", "tweet", "write"}
#: Verb forms that are also plural nouns ("the claims", "his remarks").
_NOUN_LIKE_FORMS = {
    "claims", "reports", "notes", "remarks", "states", "charges", "posts", "promises", "tweets",
    "estimates", "counters", "demands", "pledges", "vows", "jokes", "shouts", "emails", "warns",
    "urges", "recalls", "stresses", "answers", "replies", "responds", "observes", "statements",
    "mentions", "repeats", "promise", "statement", "answer",
}
_SUBORDINATE = re.compile(r"\s*(?:While|Although|Though|Whereas|Even\s+though|Because|If|Since|As|When|After|Before)\b")
_POSTMODIFIER_STARTS = {"familiar", "close", "with", "at", "for", "in", "from", "who", "briefed", "on", "of",
                        "involved", "knowledgeable", "inside", "within", "near", "across"}
_MAX_CUES_PER_SENTENCE = 12
_WINDOW = 6000
_COLON_CUE = re.compile(r"([^\x01:]{2,80}):\s*\x01")
_CONTRACTED_PRONOUN = re.compile(r"(?i)(?:i|we|they|he|she|you|it)[’'](?:ve|d|ll|s|m|re)$")
# Lower-case heads that name people: "firefighters", "the bus driver", "eyewitnesses".
_PERSON_SUFFIXES = ("er", "ers", "ist", "ists", "ian", "ians", "ee", "ees", "or", "ors", "men", "man",
                    "woman", "women")
_NOT_PEOPLE = {"paper", "papers", "newspaper", "newspapers", "center", "order", "orders", "letter", "letters",
               "chamber", "quarter", "register", "computer", "monitor", "sector", "factor", "factors",
               "number", "numbers", "water", "poster", "posters", "filter", "cover", "chapter", "matter",
               "committee", "website", "minister"}
_PREPOSITIONS = {"in", "on", "at", "during", "since", "for", "after", "before", "over", "from", "by", "with",
                 "without", "under", "despite", "throughout", "within", "until", "by", "about", "earlier",
                 "later", "last", "this", "early", "late"}
_CLAUSE_BOUNDARY_WORDS = {"that", "because", "while", "as", "when", "after", "if", "although", "though", "and",
                          "but", "or", "since", "where", "so", "before", "until", "which", "who", "whom",
                          "whose", "then", "also", "what", "how", "why", "whether"}
_QUANTIFIERS = {"several", "many", "some", "all", "most", "each", "both", "few", "other", "another", "one",
                "two", "three", "four", "five", "half", "none", "nearly", "about", "more", "fewer", "every"}
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][\w.]*\.?|[RDI]\.?|[A-Z][a-z]+\.?")  # "R-Ky.", "D", "Calif."
_INTRO_PHRASE = re.compile(
    r"\s*(?:(?:In|On|At|During|Since|After|Before|Last|This|Earlier|Later|Over|For|From|By|Under|With)\b[^,;:\x01]{1,60},\s*)"
)
_ASIDE = re.compile(r"\s*,\s*(?:however|though|too|also|in\s+fact|meanwhile|moreover|again|instead)\s*(?=,|\s+that\b)")
_SPEAKER_LABEL = re.compile(
    r"\s*(?P<name>[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|de|van|von)){0,3}):[ \t]+(?=\S)(?![\x01\d])"
)
#: Line labels that are not speakers ("Note: ...", "Photo: ...").
_NOT_SPEAKER_LABELS = {
    "note", "update", "updated", "editor", "editors", "photo", "photos", "source", "sources", "related",
    "read", "watch", "correction", "clarification", "disclosure", "warning", "advertisement", "caption",
    "credit", "image", "video", "listen", "see", "also", "more", "subscribe", "follow", "contact", "email",
    "tags", "topics", "filed", "posted", "published", "by", "date", "time", "location", "where", "when",
    "what", "why", "how", "who", "full", "abstract", "summary", "background", "bottom", "top", "key",
    "breaking", "exclusive", "analysis", "opinion", "editorial", "poll", "results", "result", "score",
    "final", "total", "step", "part", "chapter", "section", "figure", "table", "map", "chart", "graphic",
    "the", "an", "in", "on", "at", "for", "and", "but", "this", "that", "these", "it", "there",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_DAY_NAMES = set(_DAYS.split("|"))
#: Words that make a capitalised phrase a place or an institution, not a person's name.
_NOT_PERSON_NAME_WORDS = {
    "eastern", "western", "northern", "southern", "mediterranean", "united", "new", "north", "south", "east",
    "west", "republic", "kingdom", "states", "state", "union", "sea", "ocean", "river", "island", "islands",
    "mount", "lake", "gulf", "bay", "street", "avenue", "road", "university", "college", "party", "department",
    "ministry", "council", "court", "house", "senate", "congress", "committee", "international", "national",
    "federal", "city", "county", "province", "district", "airport", "station", "hospital", "school", "church",
    "center", "centre", "institute", "agency", "office", "bank", "company", "group", "news", "times", "post",
    "the", "of", "and", "for", "in", "on", "at", "january", "february", "march", "april", "june", "july",
    "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "day", "week", "year", "america", "american", "europe", "european",
    "africa", "african", "asia", "asian", "china", "chinese", "russia", "russian", "america’s", "coast",
    "valley", "park", "square", "bridge", "hall", "tower", "building", "world", "war", "cup", "league",
}
_DOCUMENT_WORDS = {"report", "reports", "study", "studies", "poll", "polls", "survey", "surveys", "data",
                   "records", "documents", "document", "memo", "letter", "filing", "filings", "media",
                   "statement", "statements", "website", "blog", "post", "tweet", "video", "paper", "analysis",
                   "research", "findings", "estimates", "figures", "statistics", "memoir", "memoirs", "book"}
_RELATIVE_ASIDE = re.compile(r",\s*(?:who|which|whose)\b[^,;:\x01]{1,200},")
_COORDINATED_CUE = re.compile(r"(?:\band|\bbut)(?:\s+(?:also|then|later|quickly|has|had|have|did|would|will|again|[a-z]+ly))*\s*\Z")
_SPECIAL_BASES = {"call", "ask", "urge", "warn", "promise", "vow", "pledge", "threaten", "describe", "report"}
_GERUND = re.compile(r"\s+((?!being\b|during\b|nothing\b|something\b|anything\b|everything\b)[a-z]+ing\b)")
_CALL_FOR = re.compile(r"\s+(?:(?:for|on|upon)\s+)(?=\S)")
_CALLED_QUOTE = re.compile(r"\s+(?=(?:[\w.’'-]+\s+){0,6}?\x01)")
_ASK_WH = re.compile(r"\s+(?:(?:me|him|her|them|us|you|reporters|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})\s+)?"
                     r"((?:whether|if|why|how|what|when|who|which|where)\b)")
_OBJ_TO = re.compile(r"\s+((?:(?:the|his|her|their|its|all|other)\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,3}?)\s+to\s+(?!the\b|a\b|an\b)[a-z]+")
_TO_VERB = re.compile(r"\s+(to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b)[a-z]+)")
_DESCRIBE_AS = re.compile(r"\s+((?!as\b)[^,;:.\x01]{1,80}?\s+as\s+)")
# What may come before a participle cue: ", saying", "and saying", "issued a statement saying".
_BEFORE_PARTICIPLE = re.compile(r"(?:,|\s[—–]|\band|\bstatement|\bletter|\btweet|\bpost|\bnote)\s*$")
_STATEMENT_CUE = re.compile(r"\b(?:released|issued|put\s+out|posted|sent)\s+(?:a|an|the\s+following|this|the)\s+(?:\w+\s+){0,2}?(?:statement|message|tweet|post|letter|note)\b")
_REPORTED_AFTER_INFINITIVE = re.compile(r"(?:\s+(?:me|him|her|them|us|reporters))?\s*,?\s*(?:that|whether|if|\x01)")
_GLUED_CAPTION = re.compile(r"[a-z.](?:Image|Photo|Picture|Credit|Source|File)\b")  # "Jo JorgensenImage:"
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Ms|Mrs|Miss|Dr)\.?\s+$")
_GENDERED_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_MALE_WORDS = {"mr", "he", "spokesman", "chairman", "congressman", "businessman", "assemblyman", "councilman",
               "father", "husband", "son", "brother", "king", "prince", "sir", "lord", "man", "uncle", "grandfather"}
_FEMALE_WORDS = {"ms", "mrs", "miss", "she", "spokeswoman", "chairwoman", "congresswoman", "businesswoman",
                 "assemblywoman", "councilwoman", "mother", "wife", "daughter", "sister", "queen", "princess",
                 "dame", "lady", "woman", "aunt", "grandmother", "actress"}
_OBJECT = re.compile(
    r"\s+(?:me|him|her|them|us|you|reporters|journalists|supporters|listeners|viewers|voters|donors|students|"
    r"lawmakers|delegates|residents|workers|senators|colleagues|allies|aides|staffers|readers|fans|followers|"
    r"guests|officials|investigators|prosecutors|congress|parliament|"
    r"(?:the|a|an|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:crowd|audience|press|paper|newspaper|station|"
    r"network|committee|court|jury|senate|house|group|board|reporters?|interviewer|host|radio|magazine|"
    r"outlet|show|program|gathering|rally|supporters|voters|students|members|lawmakers|colleagues)|"
    r"(?:[Tt]he\s+)?[A-Z][\w.’'-]*(?:(?:\s+(?:of|the|and))?\s+[A-Z][\w.’'-]*){0,4})(?![\w’'-]|\.\w)"
)
_TITLE_BEFORE_QUOTE = re.compile(r"(?:\b(?:on|in|at|to|from|for|during|with)\b|[’']s)[^,:\x01]*$")
_NEXT_CLAUSE = re.compile(
    r",\s*but\s+(?!that\b)|;\s+|\s[—–]\s|,\s+(?:despite|even\s+though|although|though|whereas)\s"
    r"|,\s+(?:which|who|whom|whose|where|while|(?:for|to|with|of|from|by|in|on|at|under|through)\s+(?:whom|which)|compared\s+(?:with|to)|also\s+known\s+as|"
    r"an?\s+(?:increase|decrease|drop|rise|jump|decline)\s+of)\b"
    r"|,?\s+(?:and|but)\s+(?:also\s+)?(?=(?:said|says|told|tells|added|adds|wrote|noted|argued|warned|insisted|claimed|"
    r"predicted|suggested|acknowledged|conceded|explained|stressed|promised|vowed|pledged|urged|called)\b)"
    r"|,\s+(?:and|while|whereas|although|though|so)\s+(?=(?:he|she|they|it|we|I|[A-Z]\w+\s+(?:said|says|added))\b)"
    r"|(?:,|(?<=\x02))\s+(?=[^,;\x01]{1,60}?\s(?:said|says|say|added|adds|told|wrote|writes|noted|argued|explained)\b[^,;]{0,40}$)"
    r"|,\s+(?:according\s+to|citing|calling|pointing|referring|" + "|".join(
        sorted({f[2].split()[0] for b, f in _VERB_FORMS.items() if f[2]})) + r")\b"
)
# After "according to": any phrase up to a comma, a "that" or the sentence end.
_LOOSE_SOURCE = re.compile(r"\s+([^\s,;:\x01][^,;:\x01]{0,120}?)(?=\s*(?:[,;:]|\bthat\b|[.!?]?\s*$))")
_ROLE_AFTER = re.compile(r"\s*,\s+((?!who\b|which\b|adding\b|saying\b|according\b)[^,;:\x01]{2,150}?)\s*(?:[,;]|[.!?]?\s*$)")
_TITLE_ONLY = re.compile(r"\s*(?:on|in|at|to)\b[^\x01,;]{0,60}\x01\x02*[\s.,;!?]*$")
_PAREN_AFTER = re.compile(r"\s*\([^()\x01]{1,30}\)")
_THAT = re.compile(r"\s*,?\s*that\b\s*")
_CLAUSE_START_BAD = re.compile(
    r"(?:in|on|at|during|to|from|via|through|after|before|while|with|over|for|of|by|and|or|but|"
    r"so|as|than|because|goodbye|hello|yes|no|nothing|something|anything|much|little|"
    r"more|less|otherwise|sorry|thanks)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"\b(?:[A-Z][a-zà-ÿ’'-]+|[A-Z]\.)(?:\s+(?:[A-Z]\.|[A-Z][a-zà-ÿ’'-]+|de|van|von|al|bin|da|del|la|le)){1,3}\b"
)
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
_INDEFINITE_DESCRIPTOR = re.compile(
    r"\b(?:[Oo]ne|[Aa]n?|[Aa]nother)\s+((?:[\w.’'-]+\s+){0,4}?)("
    + "|".join(sorted(n for n in _PERSON_HEADS_SINGULAR if n.isalpha() and len(n) > 3))
    + r")\b"
)


# --- step 1: pairing quote marks ------------------------------------------------------------


@dataclass
class _Quote:
    start: int  # opening mark
    inner_start: int
    inner_end: int
    end: int  # after the closing mark (or the paragraph end)


def _is_opening_straight(text: str, pos: int, end: int, line_start: int) -> bool:
    before = text[pos - 1] if pos > line_start else " "
    after = text[end] if end < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


def find_quotations(text: str) -> list[tuple[int, int, int, int]]:
    """Pair the quote marks of `text`: (open, inner start, inner end, close end) per quotation.

    Curly marks say which way they face; straight `"` and `''` are read from their neighbours.
    A paragraph that ends inside a quotation continues it into the next paragraph when that one
    starts with a quote mark (the newspaper convention); otherwise the quotation stops at the
    paragraph's end. Stray closing marks are ignored. Linear in the length of the text.
    """
    quotes: list[tuple[int, int, int, int]] = []
    pending: _Quote | None = None  # a quotation carried over from the previous paragraph
    for line in _LINE.finditer(text):
        line_start, line_end = line.start(), line.end()
        current: _Quote | None = None
        first_mark = True
        for mark in _MARK.finditer(text, line_start, line_end):
            token, m_start, m_end = mark.group(), mark.start(), mark.end()
            leading = first_mark and not text[line_start:m_start].strip()
            first_mark = False
            if pending is not None:
                if leading and token not in _CLOSERS:
                    current, pending = pending, None  # the quotation goes on in this paragraph
                    continue
                quotes.append((pending.start, pending.inner_start, pending.inner_end, pending.end))
                pending = None
            if current is None:
                if token in _CLOSERS:
                    continue
                if token not in _OPENERS and not _is_opening_straight(text, m_start, m_end, line_start):
                    continue
                current = _Quote(m_start, m_end, -1, -1)
            elif token in _OPENERS and text[m_end:m_end + 1] != " ":
                if token == "``" or token == "“":
                    current = _Quote(m_start, m_end, -1, -1)  # the previous one never closed
            else:
                if m_start > current.inner_start:
                    quotes.append((current.start, current.inner_start, m_start, m_end))
                current = None
        if pending is not None:
            quotes.append((pending.start, pending.inner_start, pending.inner_end, pending.end))
            pending = None
        if current is not None:
            stripped_end = line_end
            while stripped_end > current.inner_start and text[stripped_end - 1].isspace():
                stripped_end -= 1
            current.inner_end = current.end = stripped_end
            if stripped_end > current.inner_start:
                pending = current
    if pending is not None:
        quotes.append((pending.start, pending.inner_start, pending.inner_end, pending.end))
    return quotes


# --- step 2: masking and sentences ----------------------------------------------------------


def _mask(text: str, quotes: list[tuple[int, int, int, int]]) -> str:
    """`text` with each quotation (marks included) replaced by \\x01\\x02..., newlines kept."""
    pieces = []
    last = 0
    for start, _, _, end in quotes:
        pieces.append(text[last:start])
        block = text[start:end]
        # keep paragraph breaks so a multi-paragraph quotation still ends each paragraph
        parts = block.split("\n")
        pieces.append("\n".join(Q_START + Q_FILL * (len(p) - 1) if p else "" for p in parts))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _paragraph_parts(text: str, quotes: list[tuple[int, int, int, int]]) -> dict[int, int]:
    """{start of each later paragraph's piece of a multi-paragraph quotation: its opening offset}."""
    parts = {}
    for start, _, _, end in quotes:
        newline = text.find("\n", start, end)
        while newline != -1:
            piece = newline + 1
            while piece < end and text[piece] == "\n":
                piece += 1
            if piece < end:
                parts[piece] = start
            newline = text.find("\n", piece, end)
    return parts


def _sentences(masked: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one masked paragraph [start, end)."""
    spans: list[tuple[int, int]] = []
    append = spans.append
    s = start
    for match in _BOUNDARY.finditer(masked, start, end):
        b = match.start(1)  # the sentence ends here; the next starts after the spaces
        last = masked[b - 1]
        if last == Q_FILL:
            # a quotation ends here: a boundary only if its words end a sentence
            if text[b - 2:b - 1] not in _STOPS and text[b - 3:b - 2] not in _STOPS:
                continue
        elif last == "." or last in _CLOSERS_AFTER_STOP:
            lo = b - 12 if b - 12 > s else s
            word_start = masked.rfind(" ", lo, b)
            word = masked[(word_start + 1 if word_start >= 0 else lo):b].rstrip(")]’'\"”.!?").lower().lstrip("(“\"‘'")
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                nxt = masked[match.end(1):match.end(1) + 20].split()
                nxt_word = nxt[0].strip("“\"‘'`") if nxt else ""
                if nxt_word not in _SENTENCE_STARTERS:
                    continue
        append((s, b))
        s = match.end(1)
    if s < end:
        append((s, end))
    return spans


# --- step 3: frames around cues -------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    role: str | None = None
    name: tuple[int, int] | None = None  # "his adviser, John Bolton,": the name inside the mention


def _tokens(masked: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Word tokens; an abbreviation (`Mr.`, `U.S.`, an initial) keeps its final period."""
    toks = []
    for m in _TOKEN.finditer(masked, start, end):
        tok, t_start, t_end = m.group(), m.start(), m.end()
        if tok == "." and toks and toks[-1][2] == t_start and (
            toks[-1][0].lower() in _ABBREV or "." in toks[-1][0] or (len(toks[-1][0]) == 1 and toks[-1][0].isupper())
        ):
            prev = toks.pop()
            toks.append((prev[0] + ".", prev[1], t_end))
            continue
        toks.append((tok, t_start, t_end))
    return toks


def _is_np_token(tok: str) -> bool:
    low = tok.lower()
    if tok[0].isupper() or tok[0].isdigit():
        return True
    return low in _NP_MODIFIERS or low in PERSON_NOUNS or low in ("’s", "'s", "&", "-")


def _np_before(masked: str, start: int, end: int) -> _Mention | None:
    """The source phrase that ends at `end` (just before a cue), or None."""
    toks = _tokens(masked, max(start, end - 300), end)
    # drop auxiliaries, adverbs and dates between the subject and the cue: "has also said",
    # "Beck on Friday declared"
    while toks:
        low = toks[-1][0].lower()
        if low in _AUX or (low.endswith("ly") and toks[-1][0].islower()):
            toks.pop()
        elif low in ("week", "month", "year", "weekend", "night", "morning", "summer", "spring", "fall", "winter") \
                and len(toks) >= 3 and toks[-2][0].lower() in ("last", "this", "that", "next"):
            toks.pop()  # "Feinstein last week said"
            toks.pop()
            if toks and toks[-1][0].lower() in ("earlier", "later"):
                toks.pop()
        elif toks[-1][0] in _DAY_NAMES or low in ("today", "yesterday", "tonight"):
            toks.pop()
            if toks and toks[-1][0].lower() in ("on", "last", "this", "early", "late", "late"):
                toks.pop()
        else:
            break
    if len(toks) >= 3 and toks[-1][0].isdigit() and len(toks[-1][0]) <= 3 and toks[-2][0] == ",":
        toks = toks[:-2]  # "Lance Beebe, 49,"
    if len(toks) >= 3 and (toks[-1][0] in ("—", "–") or (toks[-1][0] == "-" and toks[-2][0] == "-")):
        # "The justice -- who has been in a scuffle with Trump -- said": skip the aside
        closing = len(toks) - (1 if toks[-1][0] != "-" else 2)
        for i in range(closing - 1, max(-1, closing - 40), -1):
            if toks[i][0] in ("—", "–") or (toks[i][0] == "-" and i > 0 and toks[i - 1][0] == "-"):
                cut = toks[i - 1][1] if toks[i][0] == "-" else toks[i][1]
                return _np_before(masked, start, cut)
        return None
    if toks and toks[-1][0] == ")":
        # "Harry M. Reid (D-Nev.) told": the parenthesis belongs to the name
        for i in range(len(toks) - 2, max(-1, len(toks) - 12), -1):
            if toks[i][0] == "(":
                head = _np_before(masked, start, toks[i][1])
                if head is not None:
                    head.end = toks[-1][2]
                return head
        return None
    if not toks:
        return None
    last = toks[-1][0]
    if last.lower() in PRONOUNS or _CONTRACTED_PRONOUN.match(last):
        return _Mention(toks[-1][1], toks[-1][2])
    if last in (",",) and len(toks) >= 3:
        # "Name, a Role, said": find the appositive's opening comma
        for i in range(len(toks) - 2, max(-1, len(toks) - 40), -1):
            if toks[i][0] == ",":
                role_start, role_end = toks[i + 1][1], toks[-2][2]
                first = toks[i + 1][0].lower()
                head = _np_before(masked, start, toks[i][1])
                if head is None:
                    return None
                if first in ("who", "which", "whose", "where"):
                    return head
                segment = toks[i + 1:-1]
                if 0 < len(segment) <= 4 and all(t[0][0].isupper() for t in segment) and not head.role \
                        and not _PARTY_STATE.fullmatch(masked[role_start:role_end]):
                    # "his national security adviser, John Bolton,": the appositive is the name
                    role = masked[head.start:head.end]
                    return _Mention(head.start, role_end, role, (role_start, role_end))
                head.role = masked[role_start:role_end]
                return head
            if toks[i][0] in (";", ":", "(", ")") or toks[i][0].startswith(Q_START):
                return None
        return None
    lo = max(start, end - 160)
    window = masked[lo:end]
    described = any(word in window for word in _DESCRIBED_SOURCE_WORDS) and _DESCRIBED_SOURCE.search(masked, lo, end)
    if described:
        return _Mention(described.start(), described.end())
    picked: list[tuple[str, int, int]] = []
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
    while picked and (picked[0][0].lower() in _DISCOURSE or picked[0][0].lower() in ("of", "to", "with", "on", "’s", "'s")):
        picked.pop(0)
    while picked and picked[-1][0].lower() in ("the", "a", "an", "of", "to", "with", "on"):
        picked.pop()
    if not picked or (len(picked) == 1 and picked[0][0].lower() in _DETERMINERS):
        return _generic_np(toks) or _clause_chunk(toks)
    words = [t[0] for t in picked]
    has_name = any(w[0].isupper() for w in words)
    has_person = any(w.lower() in PERSON_NOUNS for w in words)
    if not has_name and not has_person:
        return _clause_chunk(toks)
    if len(words) == 1 and words[0].lower() in _NOT_SUBJECT:
        return None
    return _Mention(picked[0][1], picked[-1][2])


def _clause_chunk(toks: list[tuple[str, int, int]]) -> _Mention | None:
    """The words between the last clause boundary and the cue, when they start like a noun phrase
    and are few: "Several supporters of reform said", "all but two said"."""
    chunk: list[tuple[str, int, int]] = []
    for tok in reversed(toks):
        word = tok[0]
        if word.startswith(Q_START) or not (word[0].isalnum()) or word.lower() in _CLAUSE_BOUNDARY_WORDS:
            break
        chunk.append(tok)
        if len(chunk) > 8:
            return None
    chunk.reverse()
    if not chunk or len(chunk) < 2:
        return None
    first, last = chunk[0][0], chunk[-1][0].lower()
    people = last in PERSON_NOUNS or (last.endswith(_PERSON_SUFFIXES) and last not in _NOT_PEOPLE)
    if not (first[0].isupper() or first[0].isdigit() or first.lower() in _QUANTIFIERS | _DETERMINERS or people):
        return None
    words = [w[0] for w in chunk]
    if any(w.lower() in _FINITE or w.lower() in _BE or w.lower() in _AUX or w.lower() in _FORM_TO_BASE
           or w.lower() == "read" for w in words) or any(
            w.islower() and w.endswith("ed") and nxt.lower() in _DETERMINERS for w, nxt in zip(words, words[1:])):
        return None  # "Governor Edwards addressed the public": a clause, not a source
    return _Mention(chunk[0][1], chunk[-1][2])


def _generic_np(toks: list[tuple[str, int, int]]) -> _Mention | None:
    """`the moderator`, `The billionaire businessman`: a determiner and up to three lower-case
    words just before the cue (nouns we have no list for)."""
    for k in range(2, 5):
        if len(toks) < k:
            break
        first = toks[-k][0]
        rest = [t[0] for t in toks[-k + 1:]]
        if not all(w.isalpha() and w.islower() and w not in _NOT_SUBJECT and w not in _AUX
                   and (w not in _FORM_TO_BASE or w in _DOCUMENT_WORDS) and w not in ("but", "yet") and w != "read" for w in rest):
            break
        if first.lower() in _DETERMINERS | {"each", "every", "one", "many", "some", "most", "both"} and first.lower() not in ("that", "this"):
            return _Mention(toks[-k][1], toks[-1][2])
    return None


def _np_after(masked: str, start: int, end: int) -> _Mention | None:
    """The source phrase right after an inverted cue (`said Evan Ellis, an expert ...`)."""
    toks = _tokens(masked, start, min(end, start + 400))
    picked = []
    for tok in toks:
        if tok[0].startswith(Q_START) or not (tok[0][0].isalnum() or tok[0] in ("’s", "'s", "&", "-")):
            break
        if not _is_np_token(tok[0]) and tok[0].lower() not in PRONOUNS:
            break
        picked.append(tok)
        if tok[0].lower() in PRONOUNS:
            break
    while picked and picked[-1][0].lower() in ("the", "a", "an", "of", "to", "with", "on"):
        picked.pop()
    if not picked or picked[0][0].lower() in _DISCOURSE or picked[0][0].lower() in ("in", "on", "at", "of"):
        return None
    words = [t[0] for t in picked]
    if not any(w[0].isupper() or w.lower() in PERSON_NOUNS or w.lower() in PRONOUNS for w in words):
        return None
    mention = _Mention(picked[0][1], picked[-1][2])
    paren = _PAREN_AFTER.match(masked, mention.end, end)
    if paren:
        mention.end = paren.end()  # "Harry M. Reid (D-Nev.)"
    rest = masked[mention.end:end]
    appos = _APPOSITIVE.match(rest)
    if appos:
        mention.role = appos.group(1)
    return mention


def _skip_tail(masked: str, pos: int, end: int) -> int:
    """Skip the adverbials after a cue: `on Thursday`, `in an email`, `to reporters`."""
    for _ in range(3):
        moved = False
        for pattern in (_TIME_WORD, _PREP_PHRASE, _ADVERB, _ASIDE):
            m = pattern.match(masked, pos, end)
            if m and m.end() > pos:
                pos, moved = m.end(), True
        if not moved:
            break
    return pos


def _strip_span(masked: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (masked[start].isspace() or masked[start] in ",;:—–-"):
        start += 1
    while end > start and (masked[end - 1].isspace() or masked[end - 1] in ".,;:!?—–-"):
        end -= 1
    return start, end


@dataclass
class _Row:
    start: int
    end: int
    cue: tuple[int, int] | None
    mention: _Mention | None
    blocks: list[tuple[int, int]]  # quotation inner spans inside the content
    follow_on: bool = False
    kind: str | None = None  # set when the content's shape does not tell (a quote split by "he said")


def _qblocks(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    if masked.find(Q_START, start, end) == -1:
        return []
    return [(m.start(), m.end()) for m in _QBLOCK.finditer(masked, start, end)]


def _find_cues(masked: str, s: int, e: int):
    """Cue matches in [s, e)."""
    return _CUE.finditer(masked, s, e)


_PASSIVE_ASK_BEFORE = {"when", "after", "was", "were", "is", "are", "being", "been", "once", "if", "before", "while", "as"}
_PASSIVE_ASK = re.compile(
    r"(?:\s+by\s+((?:[\w.’'-]+\s+){0,5}?[\w.’'-]+))?"
    r"\s+((?:whether|if|why|how|what|who|whom|which|where|about)\b[^,;:\x01.!?]{3,200}?)(?=\s*(?:[,;:.!?\x01]|\Z))"
)


def _frame(masked: str, text: str, s: int, e: int, inner: dict[int, tuple[int, int]]) -> list[_Row]:
    """Attributions in one sentence [s, e) of the masked text."""
    rows: list[_Row] = []
    blocks = _qblocks(masked, s, e)
    floor = s  # a later cue in the sentence reads only the text after the previous attribution
    tried = 0
    for cue in _find_cues(masked, s, e):
        c_start, c_end = cue.start(), cue.end()
        if c_start < floor:
            continue
        if tried >= _MAX_CUES_PER_SENTENCE:
            break  # a real sentence has a few cues; a pathological one must stay linear
        tried += 1
        word = cue.group().lower()
        word = re.sub(r"\s+", " ", word)
        base = _FORM_TO_BASE.get(word, "according" if word.startswith("according") else "statement")
        before = masked[max(s, c_start - 40):c_start].lower().split()
        prev = before[-1] if before else ""
        if word == "asked" and (prev in _PASSIVE_ASK_BEFORE or not masked[s:c_start].strip()):
            # "when asked whether he would run", "Asked by a reporter if ...": the question, with
            # the asker when named ("by X") and otherwise no source
            passive = _PASSIVE_ASK.match(masked, c_end, min(e, c_end + 300))
            if passive:
                asker = _Mention(passive.start(1), passive.end(1)) if passive.group(1) else None
                start, end = passive.start(2), passive.end(2)
                rows.append(_Row(start, end, (c_start, c_end), asker, [b for b in blocks if start <= b[0] < end]))
                floor = max(end, c_end)
                tried += 1
                continue
        if cue.group()[0].isupper() and masked[s:c_start].strip():
            continue  # "the United States", "The Post"
        participle = None
        if base not in ("according", "statement"):
            progressive = word.endswith("ing") and (prev in _BE or _CONTRACTED_PRONOUN.match(prev)) \
                and base in _CLAUSE_VERBS
            if progressive:
                # "He is suggesting that ...", "He's saying ...": an active verb, not a participle
                be_start = masked.rfind(" ", max(s, c_start - 40), c_start - 1) + 1
                subject_end = c_start if _CONTRACTED_PRONOUN.match(prev) or be_start <= s else be_start
                participle = _np_before(masked, max(floor, c_start - 300), subject_end)
                if participle is None:
                    continue
            elif prev == "to" and base in ("say", "tell") and _REPORTED_AFTER_INFINITIVE.match(masked, c_end, e):
                pass  # "declined to say whether ...", "went out of his way to say that ..."
            elif prev == "to" or prev in _BE or prev in _DETERMINERS or prev.endswith(("'s", "’s")):
                continue  # "to say", "was asked", "the report", "Trump's remarks"
            if prev.startswith(Q_START) and _quote_ends_plain(text, c_start):
                continue  # 'the "Super Tuesday" states'
            if word.endswith("ing") and not progressive:
                if base not in _CLAUSE_VERBS and not re.match(r"\s*[:,]?\s*\x01", masked[c_end:e]):
                    continue  # "yelling" frames only a quotation: 'with Trump yelling: “Out!”'
                if _BEFORE_PARTICIPLE.search(masked, max(floor, c_start - 40), c_start):
                    # ", saying ...": the speaker is the previous attribution's or the sentence's subject
                    participle = rows[-1].mention if rows else _sentence_subject(masked, s, c_start)
                else:
                    # "with Senator John McCain telling reporters ...": the phrase after "with"
                    participle = _np_before(masked, max(floor, c_start - 300), c_start)
                    if participle is None or not re.search(r"\bwith\s+$", masked[max(s, participle.start - 6):participle.start]):
                        continue
                if participle is None:
                    continue
            elif base in ("report", "state", "post", "charge", "estimate", "mention", "continue", "repeat",
                          "maintain", "counter", "ask", "demand", "urge", "call", "describe", "threaten") and not blocks \
                    and not re.match(r"\s*(?:,\s*)?that\b", masked[c_end:e]) and not _trailing_cue(masked, c_end, e) \
                    and _special_complement(masked, base, c_end, e) is None \
                    and not (base in ("report", "state") and _reported_after_tail(masked, c_end, e)):
                continue  # too often not speech without a quotation, "that" or a known complement
        # each cue reads a bounded window, so the work per cue does not grow with the sentence
        w_start, w_end = max(floor, c_start - _WINDOW), min(e, c_end + _WINDOW)
        row = _frame_cue(masked, text, w_start, w_end, c_start, c_end, base, word,
                         [b for b in blocks if b[0] >= w_start and b[1] <= w_end], participle,
                         rows[-1].mention if rows else None)
        if row is not None and word in _NOUN_LIKE_FORMS and row.mention.end <= c_start:
            phrase = masked[row.mention.start:row.mention.end].split()
            head = phrase[-1]
            if (head.islower() or head[0].isdigit() or phrase[0].lower() in ("his", "her", "their", "its", "our", "my")) \
                    and head.lower() not in PERSON_NOUNS and head.lower() not in PRONOUNS:
                row = None  # "The conflicting claims raised questions": a noun, not a verb
        if row is not None:
            rows.append(row)
            floor = max(row.end, c_end, row.mention.end)
    if not rows and blocks and masked.find(":", s, min(e, s + 90)) != -1:
        # "Trump: “...”": a colon before a quotation is a cue
        colon = _COLON_CUE.match(masked, s, e)
        if colon and not re.search(r"[.!?]", colon.group(1)):
            mention = _np_before(masked, s, colon.end(1))
            if mention is not None and mention.start - s < 30:
                cpos = colon.end(1)
                b = [blk for blk in blocks if blk[0] > cpos]
                rows.append(_Row(b[0][0], b[-1][1], (cpos, cpos + 1), mention, b))
    return rows


def _introduction(masked: str, s: int, e: int) -> tuple[tuple[int, int], _Mention] | None:
    """(cue span, source) when the sentence [s, e) ends by introducing a quotation that starts
    in the next paragraph: "Dr. Ward stated:", "President Clinton released the following statement:"."""
    colon = masked.rfind(":", s, e)
    cues = [c for c in _find_cues(masked, s, colon) if c.group()[0].islower() or c.start() == s]
    statement = _STATEMENT_CUE.search(masked, s, colon)
    if statement:
        cue = (statement.start(), statement.end())
    elif cues and len(masked[cues[-1].end():colon].split()) <= 6:
        cue = (cues[-1].start(), cues[-1].end())
    elif cues and cues[-1].start() == s:
        cue = (cues[-1].start(), cues[-1].end())
    else:
        return None
    mention = _np_before(masked, s, cue[0])
    if mention is None and masked[s:cue[0]].strip() == "":
        mention = _np_after(masked, cue[1], colon)  # "Stated Stone:"
    return (cue, mention) if mention is not None else None


_DETERMINED_PERSON = re.compile(r"\s*(?:The|A|An|This|His|Her|Their|Its)(?:\s+[a-z][\w-]*){1,3}")


def _sentence_subject(masked: str, s: int, end: int) -> _Mention | None:
    """The noun phrase that opens the sentence, after any introductory phrase ("In April, Twitter
    reported ..." -> Twitter), or None when the sentence does not open with one."""
    subject_start = s
    intro = _INTRO_PHRASE.match(masked, s, end)
    if intro:
        subject_start = intro.end()
    mention = _np_after(masked, subject_start, end)
    if mention is None:
        # "The billionaire businessman began ...": a determiner and lower-case words naming people
        described = _DETERMINED_PERSON.match(masked, subject_start, end)
        if described:
            words = list(re.finditer(r"\S+", described.group(0)))
            for w in reversed(words[1:]):
                head = w.group().lower()
                if head in PERSON_NOUNS or head in _ORG_HEADS or (
                        head.endswith(_PERSON_SUFFIXES) and len(head) > 4 and head not in _NOT_PEOPLE):
                    mention = _Mention(described.start() + words[0].start(), described.start() + w.end())
                    break
    if mention is not None and mention.start > subject_start + 2:
        return None
    return mention


def _quote_ends_plain(text: str, pos: int) -> bool:
    """True when the quotation just before `pos` ends without , ? ! or a dash inside its marks
    (a quoted name, not a quotation framed by the verb that follows)."""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    while j > 0 and text[j - 1] in "”\"'»’`":
        j -= 1
    return j > 0 and text[j - 1] not in ",?!—–-…."


_OBJECT_OF_PREPOSITION = re.compile(r"\b(?:in|of|at|on|from|for|with|by|about|into|over|near|attended|watched|visited|joined)\s+\Z")


def _long_subject(masked: str, s: int, c_start: int, c_end: int, e: int, base: str, word: str) -> _Mention | None:
    """The whole stretch from the sentence start to a `say`-like cue, when it is a subject our noun
    phrase rules do not read ("78 percent of voters in a recent poll said they ...", "Democrats in
    Iowa who watched the debate said they ...") and a clause follows the cue."""
    if base not in _SAY_VERBS or word.endswith("ing") or word in _NOUN_LIKE_FORMS or c_start - s > 160:
        return None
    start, stop = _strip_span(masked, s, c_start)
    words = masked[start:stop].split()
    if not 2 <= len(words) <= 14 or Q_START in masked[start:stop] or any(ch in masked[start:stop] for ch in ",;:()—–"):
        return None
    first = words[0].lower()
    if first in _DISCOURSE or first in _PREPOSITIONS or first in _NOT_SUBJECT - {"the", "a", "an", "this", "these", "those"} \
            or not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    if any(w.lower() in _BE or w.lower() in _FORM_TO_BASE or (w.lower() in _FINITE and w.lower() not in ("had", "have", "has"))
           for w in words):
        return None
    post = _skip_tail(masked, c_end, e)
    body = masked[post:e].strip()
    if not body or not (_THAT.match(masked, post, e) or _looks_like_clause(body)):
        return None
    return _Mention(start, stop)


def _reported_after_tail(masked: str, c_end: int, e: int) -> bool:
    """After the adverbials that follow the cue (`reported Thursday`, `reported in 2014`), a
    `that` clause or the end of the sentence."""
    tail = _skip_tail(masked, c_end, e)
    return tail > c_end and (bool(re.match(r"\s*(?:,\s*)?that\b", masked[tail:e])) or _trailing_cue(masked, tail, e))


def _trailing_cue(masked: str, c_end: int, e: int) -> bool:
    return not masked[c_end:e].strip(" .,;:!?") or bool(_AFTER_TRAILING.match(masked, c_end, e))


def _frame_cue(masked, text, s, e, c_start, c_end, base, word, blocks, participle=None,
               previous: _Mention | None = None) -> _Row | None:
    if base == "according":
        mention = _np_after(masked, c_end, e)
        if mention is None:
            loose = _LOOSE_SOURCE.match(masked, c_end, e)
            if not loose:
                return None
            mention = _Mention(loose.start(1), loose.end(1))
        after = mention.end
        pre = masked[s:c_start]
        pre_words = pre.split()
        if pre_words and len(pre_words) <= 6 and pre_words[0].lower() in _PREPOSITIONS and \
                masked[after:after + 2].startswith(","):
            # "Since last November, according to Human Rights Watch, forces have killed ..."
            start, end = _strip_span(masked, s, e)
            return _Row(start, end, (c_start, c_end), mention, [b for b in blocks if start <= b[0] < end])
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
            # "One of the decisions, according to a person close to the process, is to ...": the
            # content runs around the attribution
            comma = masked.find(",", mention.end, min(e, mention.end + 160))
            if comma != -1:
                relative = _RELATIVE_ASIDE.match(masked, comma, e)
                if relative:
                    comma = relative.end() - 1
            rest_start = _strip_span(masked, comma + 1, e)[0] if comma != -1 else e
            if comma != -1 and e - rest_start >= 8 and not _AFTER_TRAILING.match(masked, comma, e) \
                    and not _QBLOCK.match(masked, rest_start) \
                    and masked[rest_start:rest_start + 8].split(" ", 1)[0].lower() not in _DETERMINERS | {"one", "two", "some"}:
                pre_start, pre_stop = _strip_span(masked, s, c_start)
                end = _cut_clause(masked, rest_start, _strip_span(masked, rest_start, e)[1])
                before_len, after_len, attribution_len = pre_stop - pre_start, end - rest_start, rest_start - pre_stop
                start = pre_start
                if after_len > 0 and before_len * (before_len + attribution_len + after_len) < attribution_len * (before_len + after_len):
                    start = rest_start
                elif before_len > 0 and after_len * (before_len + attribution_len + after_len) < attribution_len * (before_len + after_len):
                    start, end = pre_start, pre_stop
                return _Row(start, end, (c_start, c_end), mention, [b for b in blocks if start <= b[0] < end])
        if pre.strip(" ,") and len(pre.split()) >= 3:
            start, end = _strip_span(masked, s, c_start)
        else:
            start, end = _strip_span(masked, after, e)
        if end - start < 8:
            return None
        return _Row(start, end, (c_start, c_end), mention, [b for b in blocks if start <= b[0] < end])

    if base == "statement":
        return None  # only part of a larger cue ("said in a statement"), handled by the verb

    # the source before the cue
    inverted = False
    if participle is not None:
        if base in _SPECIAL_BASES:
            special = _special_complement(masked, base, c_end, e)
            if special is None:
                return None
            start, end = _strip_span(masked, special, e)
            end = _cut_clause(masked, start, end)
            if end - start < 3:
                return None
            return _Row(start, end, (c_start, c_end), participle, [b for b in blocks if start <= b[0] < end])
        post = _skip_tail(masked, c_end, e)
        if base in ("tell", "ask", "urge", "warn", "remind", "assure", "inform"):
            obj = _OBJECT.match(masked, post, e)  # "telling reporters (on Thursday) he ..."
            if obj:
                post = _skip_tail(masked, obj.end(), e)
        that = _THAT.match(masked, post, e)
        start, end = _strip_span(masked, that.start() if that else post, e)
        body = masked[start:end]
        if end - start < 3 or (not that and not body.startswith(Q_START) and not _looks_like_clause(body) and not (
                base in _SAY_VERBS and (len(body.split()) >= 3 or Q_START in body) and not _CLAUSE_START_BAD.match(body))):
            return None  # "saying they violate free-speech rights": a say-verb takes a bare clause
        return _Row(start, end, (c_start, c_end), participle, [b for b in blocks if b[0] >= start])
    mention = _np_before(masked, s, c_start)
    if mention is not None and _OBJECT_OF_PREPOSITION.search(masked, max(s, mention.start - 12), mention.start):
        # "Nine in 10 voters in Ohio said": "Ohio" is not the source; the whole subject is
        mention = _long_subject(masked, s, c_start, c_end, e, base, word) or mention
    if mention is None and previous is not None and not masked[s:c_start].strip(" ,") \
            and masked[previous.start:previous.end].lower() in ("who", "which"):
        # "Podesta, who said A, said B": the relative pronoun's head said B too
        comma = masked.rfind(",", max(0, previous.start - 4), previous.start)
        mention = _np_before(masked, max(0, previous.start - 300), comma) if comma > 0 else None
    if mention is None and _COORDINATED_CUE.search(masked, max(s, c_start - 40), c_start):
        # "Scott blasted Congress and said ...", "Sullivan put off deciding, but said ...": the
        # subject of the sentence
        mention = _sentence_subject(masked, s, c_start)
        if mention is None and previous is not None and not masked[s:c_start].strip(" ,").split()[1:]:
            mention = previous  # '... called it “careless,” but said ...': the previous attribution's source
    if mention is None:
        mention = _long_subject(masked, s, c_start, c_end, e, base, word)
        if mention is None:
            mention = _np_after(masked, c_end, e)
            inverted = mention is not None
        if mention is None:
            return None
    if inverted:
        right_start = mention.end
        if mention.role:
            right_start = masked.find(mention.role, mention.end) + len(mention.role)
        pre_end = c_start
        pre_blocks = [b for b in blocks if b[1] <= c_start]
        pre_text = masked[s:c_start].rstrip()
        clause_before = len(pre_text.split()) >= 3 and pre_text.endswith(",")
        if (pre_blocks or clause_before) and not any(b[0] >= right_start for b in blocks):
            # '“...,” said Benard Dreyer, president of the academy.': all after the name is about him
            start, stop = _strip_span(masked, s, c_start)
            rest = masked[right_start:e]
            role = _ROLE_AFTER.match(rest)
            if role and not mention.role:
                mention.role = role.group(1)
            return _Row(start, stop, (c_start, c_end), mention, pre_blocks)
    else:
        right_start = c_end
        pre_end = mention.start

    pre_start, pre_stop = _strip_span(masked, s, pre_end)
    pre = masked[pre_start:pre_stop]
    pre_blocks = [b for b in blocks if b[1] <= pre_end]
    post = _skip_tail(masked, right_start, e)
    special = None if inverted else _special_complement(masked, base, c_end, e)
    if special is not None:
        # "called for a boycott", "asked whether ...", "vowed to fight", "urged Congress to act"
        start, end = _strip_span(masked, special, e)
        end = _cut_clause(masked, start, end)
        if end - start >= 3:
            return _Row(start, end, (c_start, c_end), mention, [b for b in blocks if start <= b[0] < end])
        return None
    if base in ("call", "describe", "threaten"):
        if not (masked[s:pre_end].strip() and pre_blocks and _trailing_cue(masked, post, e)):
            return None  # "a group called Our Principles", "called the police"
    if base in ("tell", "ask") and not inverted and not _trailing_cue(masked, post, e):
        obj = _OBJECT.match(masked, post, e)
        if obj:
            post = _skip_tail(masked, obj.end(), e)
        elif not _THAT.match(masked, post, e) and not re.match(r"\s*[,:]?\s*\x01", masked[post:e]):
            # "told a New Hampshire state representative": the object's end is unknown, so
            # only a "that" clause or a quotation can follow
            that_later = re.search(r"\bthat\b", masked[post:min(e, post + 80)])
            if not that_later:
                return None
            post += that_later.start()
    post_blocks = [b for b in blocks if b[0] >= post]

    pre_words = len(pre.split())
    right_empty = (not masked[post:e].strip(" .,;:!?") or bool(_AFTER_TRAILING.match(masked, post, e))
                   or bool(_TITLE_ONLY.match(masked, post, e)))
    only_quotes_before = bool(pre_blocks) and not re.search(r"\w", _QBLOCK.sub("", pre))
    if only_quotes_before and not post_blocks:
        right_empty = True  # '“...,” Trump said 30 minutes later.'
    if masked[post:e].strip().startswith(":"):
        right_empty = False  # "..., Wallnau wrote:" introduces what follows, not what precedes
    intro = pre_words <= 6 and pre.split()[0].lower() in _PREPOSITIONS if pre else False
    trailing = bool(pre) and right_empty and (
        bool(pre_blocks) or (pre_words >= 3 and masked[s:pre_end].rstrip().endswith((",", "—", "–")) and not
                             (intro and re.match(r"\s*,", masked[post:e])))
    )
    if trailing:
        return _Row(pre_start, pre_stop, (c_start, c_end), mention, pre_blocks)
    if pre and not inverted and not masked[s:pre_end].rstrip().endswith(",") and re.match(r"\s*,", masked[post:e]) \
            and not re.match(r"\s*,\s*\x01", masked[post:e]):
        # "The plan, an inside source said, is ...": the source phrase runs back to the comma
        comma = masked.rfind(",", s, pre_end)
        gap = masked[comma + 1:pre_end].split() if comma >= 0 else []
        if comma >= 0 and 0 < len(gap) <= 5 and not any(
                w.lower() in _FINITE or w.lower() in _BE or w.lower() in _FORM_TO_BASE
                or w.lower() in _CLAUSE_BOUNDARY_WORDS or not w[0].isalnum() for w in gap) \
                and len(masked[s:comma].split()) >= 2:
            mention = _Mention(comma + 1 + len(masked[comma + 1:pre_end]) - len(masked[comma + 1:pre_end].lstrip()),
                               mention.end, mention.role, mention.name)
            pre_end = mention.start
            pre_start, pre_stop = _strip_span(masked, s, pre_end)
            pre = masked[pre_start:pre_stop]
    if pre and not inverted and masked[s:pre_end].rstrip().endswith(",") and re.match(r"\s*,", masked[post:e]) \
            and not re.match(r"\s*,\s*\x01", masked[post:e]):
        # "In his state, Christie said, offenders are sent to treatment": the content runs around
        # the attribution
        start, end = _strip_span(masked, pre_start, e)
        end = _cut_clause(masked, post, end)
        # one span must stand for the two pieces around the attribution: the piece after it
        # alone when the piece before is shorter than the attribution ("In particular, he
        # said, ...")
        after_start = _strip_span(masked, post, end)[0]
        before_len, after_len = pre_stop - pre_start, end - after_start
        attribution_len = after_start - pre_stop
        if after_len > 0 and before_len * (before_len + attribution_len + after_len) < attribution_len * (before_len + after_len):
            start = after_start
        return _Row(start, end, (c_start, c_end), mention, [b for b in blocks if start <= b[0] < end])

    # content after the cue
    that = _THAT.match(masked, post, e)
    content_start = post
    if not that:
        m = re.match(r"\s*[:,]?\s*", masked[post:e])
        content_start = post + (m.end() if m else 0)
    start, end = _strip_span(masked, content_start, e)
    end = _cut_clause(masked, start, end)
    if _SUBORDINATE.match(masked, s, c_start) or masked[mention.start:mention.end].lower() in ("who", "which"):
        # "While Trump has suggested that A, the military ...", "Broaddrick, who said A, recounted":
        # A ends at the comma
        # "While Trump has suggested that A, the military has not ...": A ends at the comma
        comma = masked.find(", ", start, end)
        if comma > start:
            end = comma
    if end <= start:
        return None
    body = masked[start:end]
    between = masked[right_start:start]
    if body.startswith(Q_START):
        if _TITLE_BEFORE_QUOTE.search(between):
            return None  # 'said on "Meet the Press."': a title, not the words said
        if pre_blocks and not re.search(r"\w", _QBLOCK.sub("", pre)) and not re.search(r"\w", _QBLOCK.sub("", body)):
            # '“I think,” he said, “that we should wait.”': one quotation split by its attribution
            return _Row(pre_start, end, (c_start, c_end), mention, pre_blocks + post_blocks, kind="direct")
    else:
        if base not in _CLAUSE_VERBS or inverted:
            return None
        if not that:
            if _CLAUSE_START_BAD.match(body) or "," in between or base not in _BARE_CLAUSE_VERBS:
                return None
            if base not in _SAY_VERBS and Q_START not in body and not _looks_like_clause(body):
                return None
        if len(body.split()) < 3 and Q_START not in body:
            return None
    return _Row(start, end, (c_start, c_end), mention, [b for b in post_blocks if b[0] < end])


def _cut_clause(masked: str, start: int, end: int) -> int:
    """End reported content before a coordinated clause with its own subject (`..., and he
    rejected it`) or a `but` that turns away from what was said."""
    cut = _NEXT_CLAUSE.search(masked, start, end)
    if cut and cut.start() - start >= 12:
        return _strip_span(masked, start, cut.start())[1]
    return end


def _special_complement(masked: str, base: str, c_end: int, e: int) -> int | None:
    """Where the content starts for verbs whose complement is not a `that` clause: `called for
    X`, `called on X to Y`, `called X “a disaster”`, `asked (X) whether ...`, `asked X to Y`,
    `urged X to Y`, `vowed to Y`, `described X as Y`. None when the verb has no such complement."""
    if base not in _SPECIAL_BASES:
        return None
    window_end = min(e, c_end + 200)
    if base == "call":
        m = _CALL_FOR.match(masked, c_end, window_end)
        if m:
            return m.end()
        m = _CALLED_QUOTE.match(masked, c_end, window_end)
        return m.end() if m else None
    if base == "ask":
        m = _ASK_WH.match(masked, c_end, window_end) or _OBJ_TO.match(masked, c_end, window_end)
        return m.start(1) if m else None
    if base in ("urge", "warn"):
        m = _OBJ_TO.match(masked, c_end, window_end)
        return m.start(1) if m else None
    if base in ("promise", "vow", "pledge", "threaten"):
        m = _TO_VERB.match(masked, c_end, window_end)
        return m.start(1) if m else None
    if base == "describe":
        m = _DESCRIBE_AS.match(masked, c_end, window_end)
        return m.start(1) if m else None
    if base == "report":
        m = _GERUND.match(masked, c_end, window_end)  # "reported spending $6 million"
        return m.start(1) if m else None
    return None


def _looks_like_clause(body: str) -> bool:
    """A bare complement (`said the plan failed`) has a verb early on; an object (`acknowledged
    the appeal of the race`) usually does not."""
    words = body.split()[:10]
    for i, w in enumerate(words):
        low = w.lower().strip(",.;:")
        if low in _FINITE or (i >= 1 and low.endswith("ed") and len(low) > 3) or (i >= 1 and low.endswith(("n't", "’t"))):
            return True
        if i >= 1 and low.endswith("s") and not low.endswith("ss") and words[i - 1].lower() in ("he", "she", "it", "that", "this", "who"):
            return True
        if i >= 1 and low.endswith("s") and not low.endswith("ss") and words[i - 1][:1].isupper() and i == 1:
            return True
    return False


# --- step 4: speakers -----------------------------------------------------------------------


@dataclass
class _Speaker:
    name: str
    title: str | None
    role: str | None
    kind: str
    plural: bool = False


def _split_title(mention: str) -> tuple[str, str | None, str | None]:
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
    words = [w for w in _WORD.findall(phrase)]
    if not words:
        return "unknown", False
    low = [w.lower() for w in words]
    head = low[-1]
    plural = head.endswith("s") and head not in ("his", "witness")
    if len(words) == 1 and (head in PRONOUNS or _CONTRACTED_PRONOUN.match(head)):
        return "pronoun", head.startswith(("they", "we"))
    if len(words) == 1 and len(head) == 1:
        return "unknown", False  # "Q:" and "A:" in an interview transcript
    if head in _DOCUMENT_WORDS:
        return "unknown", plural  # "Reports said", "the study"
    if words[-1].islower():
        # "people familiar with the matter", "a spokesman for the company": the head comes
        # before the modifier
        for i, w in enumerate(low[:-1]):
            if w in _POSTMODIFIER_STARTS and i > 0 and low[i - 1] in PERSON_NOUNS:
                return "anonymous", low[i - 1].endswith("s") and low[i - 1] != "witness"
    if head in PERSON_NOUNS:
        return "anonymous", plural
    if head in _ORG_HEADS or (words[-1].isupper() and len(words[-1]) > 1 and words[-1].isalpha()):
        return "organization", False
    if any(w in ("department", "ministry", "agency", "committee", "council", "commission", "campaign",
                 "administration", "government", "police", "company", "office") for w in low):
        if not words[-1][0].isupper() or head in ORGANIZATION_WORDS:
            return "organization", False
    if words[-1][0].isupper():
        if any(w in ORGANIZATION_WORDS for w in low) and not any(w.lower().rstrip(".") in _TITLE_STEMS for w in words[:-1]) \
                and low[0] == "the":
            return "organization", False
        return "named", False
    if words[-1].islower() and head.endswith(_PERSON_SUFFIXES) and len(head) > 4 and head not in _NOT_PEOPLE:
        return "anonymous", plural
    return "unknown", plural


_RECENT = 50  # how far back (in speakers or descriptions) a reference is looked up


class _Resolver:
    """Keeps what one article has said about its sources so far (a per-call object, not global)."""

    def __init__(self, text: str):
        self.text = text
        self._surnames: dict[str, str] | None = None
        self._descriptors: list[tuple[int, str, str]] | None = None
        self.speakers: list[tuple[int, _Speaker]] = []

    @property
    def surnames(self) -> dict[str, str]:
        """{surname: the first full name with it}, read from the whole text on first use."""
        if self._surnames is None:
            self._surnames = {}
            for m in _NAME.finditer(self.text):
                words = m.group().split()
                while words and (words[0].lower().rstrip(".") in _TITLE_STEMS or words[0].lower() in _FORM_TO_BASE):
                    words.pop(0)  # titles, and a sentence-initial verb ("Stated Stone")
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

    def resolve(self, mention: str, position: int, role: str | None) -> _Speaker:
        mention = _TRAILING_PAREN.sub("", mention) or mention  # "Harry M. Reid (D-Nev.)"
        words = mention.split()
        low = mention.lower()
        if _CONTRACTED_PRONOUN.match(low):
            mention = re.split(r"[’']", mention)[0]  # "He's" -> "He"
            low = mention.lower()
        if low in PRONOUNS:
            return self._pronoun(mention, position)
        name, title, prefix_role = _split_title(mention)
        role = role or prefix_role
        kind, plural = _kind_of(mention)
        if kind == "named":
            if len(name.split()) == 1 and name in self.surnames and self.surnames[name] != name:
                name = self.surnames[name]
            elif title is None and prefix_role is None and len(words) >= 2:
                pass
            return _Speaker(name, title, role, "named")
        if kind == "anonymous":
            head = words[-1].lower()
            if words[0].lower() in ("the", "this", "that") and head in _PERSON_HEADS_SINGULAR:
                # "the official" -> the "One defense official" introduced earlier
                for pos, noun, phrase in reversed(self.descriptors[-_RECENT:]):
                    if pos < position and noun == head:
                        phrase = phrase[0].upper() + phrase[1:]
                        return _Speaker(phrase, None, None, "anonymous")
                for pos, spk in reversed(self.speakers[-_RECENT:]):
                    if pos < position and spk.role and spk.role.lower().split()[-1:] == [head]:
                        return spk
            return _Speaker(mention, title, role, "anonymous", plural)
        return _Speaker(mention, title, role, kind, plural)

    def _pronoun(self, mention: str, position: int) -> _Speaker:
        low = mention.lower()
        if low in ("he", "she"):
            return self._person_pronoun(mention, position)
        # "I", "we" and "you" outside quotation marks are the writer or an interview's voices:
        # left as they are
        want = {"they": ("anonymous", "organization"), "it": ("organization",)}.get(low, ())
        for pos, spk in reversed(self.speakers[-8:]):
            if pos < position and spk.kind in want:
                if low == "they" and spk.kind == "anonymous" and not spk.plural:
                    continue
                return spk
        return _Speaker(mention, None, None, "pronoun")

    def _person_pronoun(self, mention: str, position: int) -> _Speaker:
        """`he`/`she`: the most recent person before it (a speaker, or a name in the text) whose
        gender, when the text shows it, matches."""
        wanted = "m" if mention.lower() == "he" else "f"
        candidates: list[tuple[int, int, _Speaker | None, str]] = []  # (start, end, speaker, name)
        for pos, spk in self.speakers[-8:]:
            if pos < position and spk.kind == "named" and not spk.plural:
                described = " ".join(filter(None, (spk.title, spk.name, spk.role)))
                candidates.append((pos, pos + len(spk.name), spk, described))
        names = [m for m in _NAME.finditer(self.text, max(0, position - 800), position)
                 if not any(w.lower() in _NOT_PERSON_NAME_WORDS for w in m.group().split())][-6:]
        for m in names:
            name, title, _ = _split_title(m.group())
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
                name, title, _ = _split_title(phrase)
                if len(name.split()) == 1 and name in self.surnames:
                    name = self.surnames[name]
                return _Speaker(name, title, None, "named")
        return _Speaker(mention, None, None, "pronoun")

    def _gender(self, phrase: str, end: int, limit: int) -> str | None:
        """`m`, `f` or None: from a title or role word in the phrase, else from the first gendered
        pronoun after it and before the next name (`Mayor Linda Okafor apologized. She ...`)."""
        words = {w.lower().rstrip(".") for w in phrase.split()}
        if words & _MALE_WORDS:
            return "m"
        if words & _FEMALE_WORDS:
            return "f"
        window_end = min(limit, end + 250, len(self.text))  # never the pronoun being resolved
        next_name = _NAME.search(self.text, end, window_end)
        if next_name:
            window_end = next_name.start()
        pronoun = _GENDERED_PRONOUN.search(self.text, end, window_end)
        if pronoun:
            return "m" if pronoun.group().lower() in ("he", "his", "him", "himself") else "f"
        return None

    def remember(self, position: int, speaker: _Speaker) -> None:
        self.speakers.append((position, speaker))


# --- the public functions -------------------------------------------------------------------


def _table(records: list[tuple]) -> pd.DataFrame:
    """The quotes table from row tuples: text columns of dtype object (None stays None, pandas'
    string inference would turn it into NaN), offsets int64. Built as one object block, which is
    several times faster than `DataFrame.from_records` for the few rows an article has."""
    block = np.empty((len(records), len(COLUMNS)), dtype=object)
    if records:
        block[:] = records
    table = pd.DataFrame(block, columns=COLUMNS, dtype=object)
    table[_INT_COLUMNS] = block[:, _INT_INDEX].astype(np.int64)
    return table


def empty_quotes() -> pd.DataFrame:
    """An empty quotes table with the documented columns and types."""
    return _table([])


def _kind_of_content(masked: str, start: int, end: int, blocks: list[tuple[int, int]]) -> str:
    if not blocks:
        return "indirect"
    if len(blocks) == 1 and blocks[0][0] <= start + 1 and blocks[0][1] >= end - 1:
        return "direct"
    outside = _QBLOCK.sub("", masked[start:end])
    return "direct" if not re.search(r"\w", outside) else "mixed"


def extract_quotes(text: str) -> pd.DataFrame:
    """Quotations and reported speech in `text`, one row per attributed quote, in text order.

    Columns: `quote`, `quote_start`, `quote_end` (the content, offsets into `text`, end exclusive;
    for a direct quote the words inside the marks), `kind` (`direct`, `mixed`, `indirect`), `cue`,
    `cue_start`, `cue_end` (the reporting expression; None and -1 for a follow-on quote),
    `mention`, `mention_start`, `mention_end` (the source phrase at the cue; None and -1 where
    there is none), `speaker` (the resolved canonical speaker), `speaker_title` (`Army Col.`),
    `speaker_role` (`a Southcom spokeswoman`) and `speaker_kind` (`named`, `anonymous`,
    `organization`, `pronoun`, `unknown`).
    """
    return _table(_quote_records(text))


def extract_quotes_many(texts: Sequence[str]) -> tuple[pd.DataFrame, list[int]]:
    """:func:`extract_quotes` of each text, as one table: (the rows of every text, in order, and
    each text's number of rows).

    The table is exactly the per-text tables concatenated (``pd.concat(..., ignore_index=True)``)
    but built once: building a table costs more than finding the quotes of a short article.
    """
    parts = [_quote_records(text) for text in texts]
    return _table([record for part in parts for record in part]), [len(part) for part in parts]


def _quote_records(text: str) -> list[tuple]:
    """The rows of :func:`extract_quotes` as tuples in its column order, in text order."""
    if not isinstance(text, str) or not text.strip():
        return []
    quotes = find_quotations(text)
    inner = {q[0]: (q[1], q[2]) for q in quotes}
    part_of = _paragraph_parts(text, quotes)
    emitted: dict[int, int] = {}  # quotation (opening offset) -> index of its record
    masked = _mask(text, quotes)
    resolver = _Resolver(text)
    records = []
    last: tuple[int, _Speaker, _Mention | None] | None = None  # (paragraph, speaker, mention)
    pending_colon = None  # (cue span, mention) of a paragraph that ends "X said:"
    for p_index, line in enumerate(_LINE.finditer(masked)):
        labelled = _SPEAKER_LABEL.match(masked, line.start(), line.end())
        label_words = labelled.group("name").lower().split() if labelled else []
        if labelled and not ({label_words[0].strip(".’'"), label_words[-1].strip(".’'")} & _NOT_SPEAKER_LABELS) \
                and not _GLUED_CAPTION.search(labelled.group("name")):
            # "Clinton: I support D.C. statehood." / "A: I came home from school ...": a transcript
            # or headline line; the whole line is what the labelled speaker said
            mention = _Mention(labelled.start("name"), labelled.end("name"))
            speaker = resolver.resolve(text[mention.start:mention.end], mention.start, None)
            resolver.remember(mention.start, speaker)
            c_start, c_end = labelled.end("name"), labelled.end("name") + 1
            start, end = _strip_span(masked, labelled.end(), line.end())
            blocks = _qblocks(masked, start, end)
            kind = _kind_of_content(masked, start, end, blocks)
            if kind == "direct":
                start, end = _inner_of(text, blocks[0], inner, part_of)
            if end > start:
                records.append((text[start:end], start, end, kind, ":", c_start, c_end,
                                text[mention.start:mention.end], mention.start, mention.end,
                                speaker.name, speaker.title, speaker.role, speaker.kind))
                last = (p_index, speaker, mention)
            continue
        introduced, pending_colon = pending_colon, None
        sentence_spans = _sentences(masked, text, line.start(), line.end())
        for s, e in sentence_spans:
            if not masked[s:e].strip():
                continue
            rows = _frame(masked, text, s, e, inner)
            if not rows:
                blocks = _qblocks(masked, s, e)
                outside = _QBLOCK.sub("", masked[s:e])
                if blocks and not re.search(r"\w", outside) and introduced is not None and s == line.start():
                    # 'Dr. Ward stated:' at the end of the paragraph before introduces this quotation
                    rows = [_Row(blocks[0][0], blocks[-1][1], introduced[0], introduced[1], blocks)]
                elif introduced is not None and s == line.start() and not blocks:
                    # 'Wallnau wrote:' before a paragraph quoted without marks (a block quotation)
                    start, stop = _strip_span(masked, line.start(), line.end())
                    if stop - start >= 12:
                        rows = [_Row(start, stop, introduced[0], introduced[1], [])]
                        introduced = None
                elif blocks and not re.search(r"\w", outside) and last is not None and p_index - last[0] <= 1:
                    rows = [_Row(blocks[0][0], blocks[-1][1], None, None, blocks, follow_on=True)]
            for row in rows:
                if row.follow_on:
                    speaker = last[1]
                    mention = None
                elif row.mention is None:
                    speaker = _Speaker("unknown", None, None, "unknown")  # "when asked whether ..."
                    mention = None
                else:
                    mention = row.mention
                    mention_text = text[mention.start:mention.end]
                    position = mention.start
                    if mention_text.lower() == "who":
                        head = _np_before(masked, s, masked.rfind(",", s, mention.start) if "," in masked[s:mention.start] else mention.start)
                        mention_text2 = text[head.start:head.end] if head else mention_text
                        speaker = resolver.resolve(mention_text2, position, mention.role)
                    elif mention.name:
                        speaker = resolver.resolve(text[mention.name[0]:mention.name[1]], position, mention.role)
                    else:
                        speaker = resolver.resolve(mention_text, position, mention.role)
                    resolver.remember(position, speaker)
                if row.mention is not None or row.follow_on:
                    last = (p_index, speaker, mention)
                kind = row.kind or _kind_of_content(masked, row.start, row.end, row.blocks)
                if kind == "direct":
                    segments = [(_inner_of(text, b, inner, part_of), part_of.get(b[0], b[0])) for b in row.blocks]
                else:
                    segments = [((row.start, row.end), None)]
                for (q_start, q_end), quotation in segments:
                    if q_end <= q_start:
                        continue
                    if quotation is not None and quotation in emitted:
                        # one quotation over several paragraphs is one row: a cued attribution
                        # replaces a follow-on one
                        previous = emitted[quotation]
                        if records[previous][4] is None and row.cue is not None:
                            records[previous] = None
                        else:
                            continue
                    if quotation is not None:
                        emitted[quotation] = len(records)
                    cue = row.cue
                    records.append((
                        text[q_start:q_end], q_start, q_end, kind,
                        text[cue[0]:cue[1]] if cue else None, cue[0] if cue else -1, cue[1] if cue else -1,
                        text[mention.start:mention.end] if mention else None,
                        mention.start if mention else -1, mention.end if mention else -1,
                        speaker.name, speaker.title, speaker.role, speaker.kind,
                    ))
        if sentence_spans and masked[line.start():line.end()].rstrip().endswith(":"):
            pending_colon = _introduction(masked, *sentence_spans[-1])
    return sorted((r for r in records if r is not None), key=lambda r: r[1])


def _inner_of(text: str, block: tuple[int, int], inner: dict[int, tuple[int, int]],
              part_of: dict[int, int]) -> tuple[int, int]:
    """The words inside the quotation whose masked block is `block`. A quotation over several
    paragraphs is masked as one block per paragraph; any of them stands for the whole quotation."""
    start, end = block
    start = part_of.get(start, start)
    if start in inner:
        q_start, q_end = inner[start]
        q_start, q_end = _strip_inner(text, q_start, q_end)
        return q_start, q_end
    # a continuation block: the quotation's words in this paragraph
    s = start + 1 if text[start] in "“”\"„«»" else start + (2 if text[start:start + 2] in ("``", "''") else 0)
    return _strip_inner(text, s, end)


def _strip_inner(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "“”\"„«»"):
        end -= 1
    if text[end - 2:end] in ("''", "``"):
        end -= 2
    return start, end


def corpus_quotes(articles: pd.DataFrame) -> pd.DataFrame:
    """`extract_quotes` over every article: the same columns with `doc_id` first.

    `articles` needs `doc_id` and `text` (as in `load_corpus(...).articles`).
    """
    tables = []
    for doc_id, text in zip(articles["doc_id"], articles["text"]):
        table = extract_quotes(text)
        if len(table):
            table.insert(0, "doc_id", doc_id)
            tables.append(table)
    if not tables:
        table = empty_quotes()
        table.insert(0, "doc_id", pd.Series(dtype="object"))
        return table
    return pd.concat(tables, ignore_index=True)


_KIND_COLORS = {"direct": "#fde68a", "mixed": "#fed7aa", "indirect": "#dbeafe"}


def highlight_quotes(text: str, quotes: pd.DataFrame) -> str:
    """HTML for one article with its quotes, cues and source mentions marked; all text escaped.

    Quotes are `<mark class="quote {kind}">` (with the speaker as a tooltip), cues `<b class="cue">`,
    source mentions `<u class="mention">`. Overlapping spans are cut so the HTML stays well formed.
    """
    events: list[tuple[int, int, str, str]] = []
    for row in quotes.itertuples(index=False):
        color = _KIND_COLORS.get(row.kind, "#eeeeee")
        tooltip = html.escape(f"{row.speaker} ({row.speaker_kind}, {row.kind})", quote=True)
        events.append((int(row.quote_start), int(row.quote_end),
                       f'<mark class="quote {html.escape(str(row.kind))}" style="background:{color}" title="{tooltip}">', "</mark>"))
        if int(row.cue_start) >= 0:
            events.append((int(row.cue_start), int(row.cue_end), '<b class="cue" style="color:#b91c1c">', "</b>"))
        if int(row.mention_start) >= 0:
            events.append((int(row.mention_start), int(row.mention_end), '<u class="mention" style="color:#1d4ed8">', "</u>"))
    events.sort(key=lambda ev: (ev[0], -(ev[1] - ev[0])))
    out = []
    pos = 0
    for start, end, open_tag, close_tag in events:
        if start < pos or end <= start or end > len(text):
            continue  # overlaps a span already written: skip rather than nest badly
        out.append(html.escape(text[pos:start]))
        out.append(open_tag + html.escape(text[start:end]) + close_tag)
        pos = end
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return f'<div class="article-quotes"><p>{body}</p></div>'


# --- corpus summaries for the notebook ------------------------------------------------------


def cue_lemma(cue: str | None) -> str | None:
    """The reporting verb of a cue in its base form: `said` -> `say`, `told reporters` -> `tell`,
    `according to` -> `according to`, `:` -> `(colon)`; None for a follow-on quote."""
    if cue is None or (isinstance(cue, float) and cue != cue):
        return None
    low = " ".join(str(cue).lower().split())
    if low.startswith("according"):
        return "according to"
    if low.startswith("in ") and low.endswith("statement"):
        return "in a statement"
    if not any(ch.isalpha() for ch in low):
        return "(colon)"
    return _FORM_TO_BASE.get(low, _FORM_TO_BASE.get(low.split()[0], low))


SPEAKER_SUMMARY_COLUMNS = ["speaker", "speaker_kind", "quotes", "words", "articles"]


def word_counts(texts: pd.Series) -> pd.Series:
    """Words (whitespace-separated runs) in each text; 0 for a missing one. A plain loop over the
    values: much faster than `.str.split().str.len()` on a corpus's quotes."""
    counts = [len(text.split()) if isinstance(text, str) else 0 for text in texts.tolist()]
    return pd.Series(counts, index=texts.index, dtype="int64")


def speaker_summary(quotes: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted and how much, over a quotes table (one article or a corpus).

    Returns one row per speaker, most quoted first, with columns `speaker`, `speaker_kind`,
    `quotes` (rows), `words` (words inside the quoted or reported content) and `articles`
    (distinct `doc_id`, 1 without that column). Variants of one name (`Donald J. Trump`, `Donald
    Trump`) are counted under the most quoted one, and a speaker known only by surname (`Ellis`)
    under the full name used elsewhere in the table (`Evan Ellis`) when only one full name has
    that surname. Unresolved pronouns are left out.
    """
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=SPEAKER_SUMMARY_COLUMNS)
    table = quotes[quotes["speaker_kind"] != "pronoun"].copy()
    is_named = table["speaker_kind"] == "named"
    counts = table.loc[is_named, "speaker"].value_counts()
    # "Donald J. Trump" and "Donald Trump" are one person: same first and last word
    variants: dict[tuple[str, str], list[str]] = {}
    for name in counts.index:
        parts = str(name).split()
        if len(parts) >= 2:
            variants.setdefault((parts[0], parts[-1]), []).append(name)
    canonical: dict[str, str] = {}
    by_surname: dict[str, set[tuple[str, str]]] = {}
    for key, names in variants.items():
        main = max(names, key=lambda n: (counts[n], -len(n)))
        canonical.update({n: main for n in names})
        by_surname.setdefault(key[1], set()).add(key)
    # a bare surname ("Ellis") joins the one full name with that surname, if there is only one
    for surname, keys in by_surname.items():
        if len(keys) == 1:
            canonical.setdefault(surname, canonical[variants[next(iter(keys))][0]])
    named = table.loc[is_named, "speaker"]
    table.loc[is_named, "speaker"] = pd.Series([canonical.get(n, n) for n in named.tolist()], index=named.index,
                                               dtype=named.dtype)
    table["words"] = word_counts(table["quote"])
    if "doc_id" not in table.columns:
        table["doc_id"] = "article"
    summary = (
        table.groupby(["speaker", "speaker_kind"], as_index=False)
        .agg(quotes=("quote", "size"), words=("words", "sum"), articles=("doc_id", "nunique"))
        .sort_values(["quotes", "words", "speaker"], ascending=[False, False, True], kind="stable")
        .reset_index(drop=True)
    )
    return summary[SPEAKER_SUMMARY_COLUMNS]


SPEAKER_KINDS = ["named", "anonymous", "organization", "pronoun", "unknown"]


def source_kind_counts(quotes: pd.DataFrame, by: str = "doc_id") -> pd.DataFrame:
    """Quotes per speaker kind for each value of `by` (an article, a month): one row per value,
    one column per kind in :data:`SPEAKER_KINDS` order, plus `total` and `share_anonymous`
    (anonymous quotes over all quotes)."""
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=[by, *SPEAKER_KINDS, "total", "share_anonymous"])
    counts = pd.crosstab(quotes[by], quotes["speaker_kind"]).reindex(columns=SPEAKER_KINDS, fill_value=0)
    counts["total"] = counts[SPEAKER_KINDS].sum(axis=1)
    counts["share_anonymous"] = counts["anonymous"] / counts["total"]
    counts.columns.name = None
    return counts.reset_index()
