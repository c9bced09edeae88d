"""The words quote attribution keys on: lexicon files read once, plus a few closed word classes.

The lists live in `analysis/lexicons/` (one entry per line); adding a word is one line there.
Titles, organisation words and abbreviations here are not the names module's lists: a source
phrase's title words include modifiers (`former`, `deputy`, `House`), and its organisation words
include newsrooms and agencies (`Reuters`, `Pentagon`), so each use keeps its own file.
Tiny closed classes (forms of `be`, determiners) stay here as code.
"""

from __future__ import annotations

from analysis.lexicons import entries, table, words

#: Pronouns as source phrases, and what each stands for.
PRONOUNS: dict[str, str] = dict(table("source_pronouns"))

#: Words of a title before a name (`Army Col.`), lower case.
TITLES = words("source_title_words")
TITLE_STEMS = {t.rstrip(".") for t in TITLES}

#: Nouns for people who go unnamed: a source phrase headed by one of them is anonymous.
PERSON_NOUNS = words("person_nouns")
PERSON_HEADS_SINGULAR = {n for n in PERSON_NOUNS if not n.endswith("s") or n in {"witness", "boss"}}

#: Words that make a source phrase an organisation.
ORGANIZATION_WORDS = words("source_organization_words")
ORG_HEADS = ORGANIZATION_WORDS - {"who", "states", "state", "house", "report", "statement", "post", "times"}

#: Lower-case words allowed inside a source phrase (modifiers of person nouns).
NP_MODIFIERS = words("source_modifiers")
DISCOURSE = words("discourse_words")
AUX = words("cue_auxiliaries")
FINITE = words("finite_verbs")
NOT_SUBJECT = words("not_subject_words")
PREPOSITIONS = words("intro_phrase_words")
CLAUSE_BOUNDARY_WORDS = words("clause_boundary_words")
QUANTIFIERS = words("quantifiers")
POSTMODIFIER_STARTS = words("postmodifier_starts")
NOT_SPEAKER_LABELS = words("not_speaker_labels") | words("months") | words("weekdays")
NOT_PERSON_NAME_WORDS = words("not_person_name_words") | words("weekdays")
DOCUMENT_WORDS = words("document_words")
NOT_PEOPLE = words("not_people_words")
MALE_WORDS = words("male_words")
FEMALE_WORDS = words("female_words")
SENTENCE_STARTERS = words("sentence_starters")
#: Abbreviations (lower case, no final period) whose period does not end a sentence.
ABBREV = words("quote_sentence_abbreviations")

#: Month and weekday names as regex alternations (`January|February|...`).
MONTHS = "|".join(month.capitalize() for month in entries("months"))
DAYS = "|".join(day.capitalize() for day in entries("weekdays"))
DAY_NAMES = {day.capitalize() for day in entries("weekdays")}

BE = {"is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "get", "got", "gets"}
DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my", "your", "these", "those"}
#: Lower-case heads that name people: "firefighters", "the bus driver", "eyewitnesses".
PERSON_SUFFIXES = ("er", "ers", "ist", "ists", "ian", "ians", "ee", "ees", "or", "ors", "men", "man",
                   "woman", "women")
