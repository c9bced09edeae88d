"""Cues: the reporting verbs in every form, the verb classes, and the cue pattern.

The verbs and their forms are the lexicon table `reporting_verbs` (base, then third person, past
and -ing form); the verb classes are lexicon lists of base forms.
"""

from __future__ import annotations

import re

from analysis.lexicons import table, words


def _verb_forms() -> dict[str, tuple[str, str, str]]:
    """{base: (third person, past (`wrote|written`), -ing form)} from the lexicon, in file order."""
    forms = {}
    for base, value in table("reporting_verbs").items():
        parts = tuple(value.split(","))
        if len(parts) != 3:
            raise ValueError(f"reporting_verbs: {base!r} needs three comma-separated forms, got {value!r}")
        forms[base] = parts
    return forms


#: Reporting verbs, as {base: (third person, past, -ing)}. Each is recognised in every one of these
#: forms (and the past participle, which is the past form for all but the irregular ones listed).
VERB_FORMS = _verb_forms()
_NOUN_BASES = {"email"}  # "email"/"emails" are nearly always the noun; "emailed" is the verb


def _forms_of(base: str, forms: tuple[str, str, str]) -> list[str]:
    """Every recognised form of verb `base`: the base (unless mostly a noun) and its listed forms."""
    found = [] if base in _NOUN_BASES else [base]
    found += [f for f in (forms[0], *forms[1].split("|"), forms[2]) if f]
    return found


#: Every recognised form of a reporting verb, for documentation and tests.
REPORTING_VERBS: tuple[str, ...] = tuple(sorted({
    form for base, forms in VERB_FORMS.items() for form in _forms_of(base, forms)
}))
#: {form: base}, e.g. `said` -> `say`.
FORM_TO_BASE = {form: base for base, forms in VERB_FORMS.items() for form in _forms_of(base, forms)}

#: Verbs that introduce reported speech directly (`X said (that) ...`); the others only frame
#: quotations (`“...,” he asked`).
CLAUSE_VERBS = words("clause_reporting_verbs")
#: Verbs that take a bare clause (`X said the plan failed`); the others need `that` or a quotation.
BARE_CLAUSE_VERBS = words("bare_clause_verbs")
#: Verbs whose bare complement is nearly always reported speech (`says they empathize`).
SAY_VERBS = words("speech_verbs")
#: Verbs whose noun-phrase object is what was said (`announced his candidacy`, `recounted the
#: incident`).
OBJECT_SPEECH_VERBS = words("object_speech_verbs")
#: Verbs whose `about X` names what was said (`wrote about the event`).
TOPIC_SPEECH_VERBS = words("topic_speech_verbs")
#: Verb forms that are also nouns ("the claims", "his remarks").
NOUN_LIKE_FORMS = words("noun_like_verb_forms")
#: Nouns of speech that take a `that` clause ("his insistence that ...", "Trump's claims that ...").
SPEECH_NOUNS = words("speech_nouns")
#: The -ing forms' first words (`saying`, `pointing`), for the clause cuts.
ING_WORDS = sorted({f[2].split()[0] for f in VERB_FORMS.values() if f[2]})


def trie_pattern(words: list[str]) -> str:
    """A regex alternation of `words` factored by common prefixes (`sa(?:id|ys)`), so the regex
    engine tries only the branches that share the first letters instead of every word."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        """The alternation for the words below `node` (`""` marks a word's end)."""
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


CUE = re.compile(
    r"(?<![\w\x02-])(?:according\s+to|reportedly|in\s+an?\s+(?:written\s+|emailed\s+|e-mailed\s+|joint\s+)?statement|"
    + trie_pattern(sorted(SPEECH_NOUNS - set(FORM_TO_BASE))) + r"(?=\s+(?:that|by)\s)|"
    + trie_pattern(sorted(FORM_TO_BASE)) + r")(?![\w-])",
    re.IGNORECASE,
)
#: "issued a statement", "released the following statement": a cue for a quotation that follows.
STATEMENT_CUE = re.compile(r"\b(?:released|issued|put\s+out|posted|sent)\s+(?:a|an|the\s+following|this|the)\s+(?:\w+\s+){0,2}?(?:statement|message|tweet|post|letter|note)\b")


def find_cues(masked: str, s: int, e: int):
    """Cue matches in [s, e) of the masked text."""
    return CUE.finditer(masked, s, e)


def cue_base(word: str) -> str:
    """The base of a lower-cased cue with single spaces: a verb's base form, `according`,
    `reportedly`,
    `noun` (a speech noun that is not also a verb form: `insistence`) or `statement` (`in a
    statement`)."""
    if word in FORM_TO_BASE:
        return FORM_TO_BASE[word]
    if word in SPEECH_NOUNS:
        return "noun"
    if word == "reportedly":
        return word
    return "according" if word.startswith("according") else "statement"
