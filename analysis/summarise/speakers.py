"""Who the sources of a corpus are: one identity per person across articles, and the table of
sources with their gender and role class.

`extract_quotes` resolves a speaker within one article (`Ellis` -> `Evan Ellis`, `Mr. Trump` ->
`Donald Trump` when the article names him in full) and gives a per-article `speaker_id`.
:func:`identify_speakers` makes the id stable across a corpus:

1. a user file `speakers.csv` (columns `name`, and any of `canonical`, `gender`, `role`) renames,
   merges or describes any speaker: `name` is matched without regard to case; `canonical` is the
   name to count it under; `gender` (female/male/unknown) and `role` (one of
   `analysis.extract.quotes.roles.SOURCE_ROLES`) replace what the text says (evidence `override`);
2. full names with the same first and last word are one person (`Donald J. Trump`, `Donald
   Trump`), shown under their most quoted form;
3. a surname alone (an article that never gives the full name) joins the one full name with that
   surname in the corpus; with two or more (`Bush`), it stays apart;
4. each person's gender is the one that at least 80 % of their articles' votes give (an article's
   honorific or gendered noun counts three times its pronouns), text evidence before first names;
   short of that, `unknown`. Their role class is the one other than `other` that most of their
   articles give them (each article describes the person from all its mentions,
   `analysis.extract.quotes.roles.article_role`).

Common-noun sources are keyed by kind and phrase in lower case (`anonymous:officials`), so
`Officials` and `officials` count as one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.extract.quotes.roles import SOURCE_ROLES
from analysis.extract.quotes.speakers import GROUP_NOUNS, speaker_id
from analysis.extract.quotes.words import DETERMINERS, NP_MODIFIERS, PERSON_NOUNS, QUANTIFIERS

__all__ = [
    "IDENTITY_COLUMNS", "OVERRIDE_COLUMNS", "SPEAKER_TABLE_COLUMNS", "apply_identities", "display_name",
    "find_speaker_overrides", "identify_speakers", "read_speaker_overrides", "speaker_identities", "speaker_table",
]

OVERRIDE_COLUMNS = ["name", "canonical", "gender", "role"]
SPEAKER_TABLE_COLUMNS = [
    "speaker_id", "speaker", "speaker_kind", "speaker_gender", "gender_evidence", "source_role", "quotes",
    "articles", "names",
]
OVERRIDES_FILE = "speakers.csv"
_TEXT_EVIDENCE = ("honorific", "noun", "pronoun")
_VOTE_WEIGHT = {"honorific": 3, "noun": 3, "pronoun": 1, "first_name": 1}
_CLUSTER_LEAD = 0.8  # share of an identity's article votes its gender needs
_EVIDENCE_RANK = {"override": 0, "honorific": 1, "noun": 2, "pronoun": 3, "first_name": 4, "": 5}


_COMMON_FIRST_WORDS = PERSON_NOUNS | GROUP_NOUNS | NP_MODIFIERS | DETERMINERS | QUANTIFIERS


def display_name(speaker: str, kind: str) -> str:
    """How a source is shown in a table: a common-noun phrase with its sentence capital removed
    (`Officials` -> `officials`, `The company` -> `the company`; `British officials` kept), so the
    same source reads the same wherever it was quoted; a name as it is."""
    if kind == "named" or not isinstance(speaker, str) or not speaker:
        return speaker
    first, _, rest = speaker.partition(" ")
    if first[:1].isupper() and first[1:].islower() and first.lower() in _COMMON_FIRST_WORDS:
        return first.lower() + (" " + rest if rest else "")
    return speaker


def find_speaker_overrides(corpus: str | Path | None) -> Path | None:
    """The `speakers.csv` in a corpus folder, if there is one."""
    if corpus is None:
        return None
    path = Path(corpus) / OVERRIDES_FILE
    return path if path.is_file() else None


def read_speaker_overrides(source: str | Path | pd.DataFrame | None) -> pd.DataFrame:
    """The overrides as a table with :data:`OVERRIDE_COLUMNS` (empty strings where not given),
    from a CSV file or a table; an empty table for None. Raises ValueError on a row without a
    name, a gender other than female/male/unknown or a role not in `SOURCE_ROLES`."""
    if source is None:
        return pd.DataFrame(columns=OVERRIDE_COLUMNS)
    table = source.copy() if isinstance(source, pd.DataFrame) else pd.read_csv(source, dtype=str, keep_default_na=False)
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "name" not in table.columns:
        raise ValueError(f"speaker overrides need a `name` column (got {list(table.columns)})")
    table = table.reindex(columns=OVERRIDE_COLUMNS).astype(object)
    table = table.where(table.notna(), "").astype(str)
    table = table.apply(lambda column: column.str.strip())
    table["gender"] = table["gender"].str.lower()
    problems = [f"row {i + 2}: no name" for i in range(len(table)) if not table["name"].iloc[i]]
    problems += [f"row {i + 2}: gender {g!r} (female, male or unknown)" for i, g in enumerate(table["gender"])
                 if g not in ("", "female", "male", "unknown")]
    problems += [f"row {i + 2}: role {r!r} (one of {', '.join(SOURCE_ROLES)})" for i, r in enumerate(table["role"])
                 if r and r not in SOURCE_ROLES]
    if problems:
        raise ValueError("speaker overrides: " + "; ".join(problems))
    return table.reset_index(drop=True)


def _person_key(name: str) -> str:
    """`Donald J. Trump` and `Donald Trump` -> `donald trump`: first and last word, lower case."""
    words = [w for w in re.split(r"\s+", name.strip().lower()) if w]
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else (words[0] if words else "")


def _named_clusters(names: pd.DataFrame, renamed: dict[str, str]) -> dict[str, str]:
    """{name as in the quotes: canonical display name} for the named speakers, `names` holding
    one row per distinct name with its number of quotes (`n`)."""
    display = {name: renamed.get(name.lower(), name) for name in names["speaker"]}
    counts: dict[str, dict[str, int]] = {}
    for name, n in zip(names["speaker"], names["n"]):
        target = display[name]
        counts.setdefault(_person_key(target), {}).setdefault(target, 0)
        counts[_person_key(target)][target] += int(n)
    chosen = set(renamed.values())  # a canonical name from speakers.csv is shown as written
    main = {key: max(forms, key=lambda f: (f in chosen, forms[f], -len(f), f)) for key, forms in counts.items()}
    by_surname: dict[str, set[str]] = {}
    for key in main:
        if " " in key:
            by_surname.setdefault(key.split()[-1], set()).add(key)
    canonical = {}
    for name in names["speaker"]:
        key = _person_key(display[name])
        if " " not in key and len(by_surname.get(key, ())) == 1 and display[name] == name:
            key = next(iter(by_surname[key]))  # "Ellis" alone -> the one "Evan Ellis" of the corpus
        canonical[name] = main[key]
    return canonical


def _cluster_genders(rows: pd.DataFrame) -> pd.DataFrame:
    """`speaker_gender` and `gender_evidence` per `speaker_id` of the named rows: each article
    votes once with its own verdict, an honorific or noun counting three times a pronoun; a gender
    needs :data:`_CLUSTER_LEAD` of the votes. First names count only for a person no article's
    text says anything about. One vectorised pass, however many people."""
    votes = rows.drop_duplicates(["speaker_id", "doc_id", "speaker"])
    votes = votes[votes["speaker_gender"].isin(["female", "male"])]
    text = votes["gender_evidence"].isin(_TEXT_EVIDENCE)
    votes = votes[text | ~text.groupby(votes["speaker_id"]).transform("any")]
    votes = votes.assign(weight=votes["gender_evidence"].map(_VOTE_WEIGHT).fillna(1),
                         rank=votes["gender_evidence"].map(_EVIDENCE_RANK).fillna(len(_EVIDENCE_RANK)))
    if votes.empty:
        return pd.DataFrame(columns=["speaker_gender", "gender_evidence"])
    tally = votes.groupby(["speaker_id", "speaker_gender"])["weight"].sum().unstack(fill_value=0)
    leader = tally.idxmax(axis=1)
    decided = tally.max(axis=1) >= _CLUSTER_LEAD * tally.sum(axis=1)
    lead_rows = votes[votes["speaker_gender"].to_numpy() == leader.reindex(votes["speaker_id"]).to_numpy()]
    by_rank = {rank: name for name, rank in _EVIDENCE_RANK.items()}
    evidence = lead_rows.groupby("speaker_id")["rank"].min().map(by_rank).reindex(leader.index)
    return pd.DataFrame({"speaker_gender": leader.where(decided, "unknown"),
                         "gender_evidence": evidence.where(decided, "")})


def _cluster_roles(rows: pd.DataFrame) -> pd.Series:
    """`source_role` per `speaker_id`: the class other than `other` that the most articles give
    the person (one vote per article and class; then the most quotes; then the class first in
    `SOURCE_ROLES`)."""
    known = rows[rows["source_role"] != "other"]
    if "doc_id" not in known.columns:
        known = known.assign(doc_id=range(len(known)))
    counts = known.groupby(["speaker_id", "source_role"]).agg(
        articles=("doc_id", "nunique"), n=("doc_id", "size")).reset_index()
    counts["order"] = counts["source_role"].map({r: i for i, r in enumerate(SOURCE_ROLES)})
    counts = counts.sort_values(["speaker_id", "articles", "n", "order"], ascending=[True, False, False, True])
    return counts.drop_duplicates("speaker_id").set_index("speaker_id")["source_role"]


def _cluster_role(roles: pd.Series) -> str:
    frame = pd.DataFrame({"speaker_id": "x", "source_role": roles})
    found = _cluster_roles(frame)
    return found.iloc[0] if len(found) else "other"


#: Columns of :func:`speaker_identities`: a quoted name (`speaker`, `speaker_kind` as in the quotes
#: table) and who it is in the corpus.
IDENTITY_COLUMNS = ["speaker", "speaker_kind", "canonical", "speaker_id", "speaker_gender", "gender_evidence",
                    "source_role"]


def speaker_identities(quotes: pd.DataFrame, overrides: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Who each quoted name of a corpus quotes table (with `doc_id`) is: one row per named
    speaker and per source that `overrides` names, with :data:`IDENTITY_COLUMNS`: the canonical
    name, its corpus-wide `speaker_id`, and the person's gender, evidence and role class (see the
    module's description). `overrides` is a `speakers.csv` path or table."""
    rules = read_speaker_overrides(overrides)
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=IDENTITY_COLUMNS)
    renamed = {n.lower(): c for n, c in zip(rules["name"], rules["canonical"]) if c}
    named = quotes[quotes["speaker_kind"] == "named"]
    people = _named_people(named, renamed)
    named_names = {p[0] for p in people}
    wanted = set(rules["name"].str.lower()) | set(rules["canonical"].str.lower())
    others = quotes[(quotes["speaker_kind"] != "named") & quotes["speaker"].fillna("").str.lower().isin(wanted)]
    for (name, kind), group in others.groupby(["speaker", "speaker_kind"], sort=False):
        if name in named_names:
            continue
        shown = renamed.get(name.lower(), name)
        people.append((name, kind, shown, speaker_id(shown, kind), "unknown", "", _cluster_role(group["source_role"])))
    return _apply_overrides(pd.DataFrame(people, columns=IDENTITY_COLUMNS), rules)


def _named_people(named: pd.DataFrame, renamed: dict[str, str]) -> list[tuple]:
    """One identity row (in :data:`IDENTITY_COLUMNS` order) per named speaker of `named`, the
    quotes rows of named speakers: name variants clustered, gender and role voted per cluster."""
    if named.empty:
        return []
    counts = named["speaker"].value_counts().rename_axis("speaker").reset_index(name="n")
    canonical = _named_clusters(counts, renamed)
    rows = named.assign(canonical=named["speaker"].map(canonical))
    if "doc_id" not in rows.columns:
        rows = rows.assign(doc_id=range(len(rows)))
    ids = {name: speaker_id(name, "named") for name in set(canonical.values())}
    rows = rows.assign(speaker_id=rows["canonical"].map(ids))
    # names whose ids coincide ("Martin O'Malley", "Martin O’Malley") show one name: the most quoted
    shown = rows.value_counts(["speaker_id", "canonical"], sort=True).reset_index().drop_duplicates("speaker_id")
    rows = rows.assign(canonical=rows["speaker_id"].map(shown.set_index("speaker_id")["canonical"]))
    found = rows.drop_duplicates("speaker")[["speaker", "canonical", "speaker_id"]]
    found = found.join(_cluster_genders(rows), on="speaker_id").join(_cluster_roles(rows), on="speaker_id")
    found = found.fillna({"speaker_gender": "unknown", "gender_evidence": "", "source_role": "other"})
    return [(n, "named", c, i, g, e, r) for n, c, i, g, e, r in found[
        ["speaker", "canonical", "speaker_id", "speaker_gender", "gender_evidence", "source_role"]].itertuples(index=False)]


def apply_identities(quotes: pd.DataFrame, identities: pd.DataFrame) -> pd.DataFrame:
    """A copy of `quotes` whose speakers named in `identities` (:func:`speaker_identities`) carry
    their corpus identity: `speaker` becomes the canonical name, and `speaker_id`,
    `speaker_gender`, `gender_evidence`, `source_role` the person's."""
    table = quotes.copy()
    if table.empty or identities is None or identities.empty:
        return table
    found = table[["speaker", "speaker_kind"]].merge(identities, how="left", on=["speaker", "speaker_kind"],
                                                      validate="many_to_one")
    known = found["canonical"].notna().to_numpy()
    assert len(found) == len(table), "one identity per quote row"
    table.loc[known, "speaker"] = found.loc[known, "canonical"].to_numpy()
    for column in ("speaker_id", "speaker_gender", "gender_evidence", "source_role"):
        table.loc[known, column] = found.loc[known, column].to_numpy()
    return table


def identify_speakers(quotes: pd.DataFrame, overrides: str | Path | pd.DataFrame | None = None,
                      identities: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of a corpus quotes table (with `doc_id`) whose speakers carry one identity across
    the corpus (:func:`speaker_identities` of the table and `overrides`, or the `identities`
    already computed, such as the pipeline's cached `speaker_identities` table)."""
    if identities is None:
        identities = speaker_identities(quotes, overrides)
    return apply_identities(quotes, identities)


def _apply_overrides(people: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """The gender and role of `speakers.csv` rows, on every name of the speaker they name (by its
    name in the file or its canonical name)."""
    for name, canonical, gender, role in rules[OVERRIDE_COLUMNS].itertuples(index=False):
        targets = {name.lower(), canonical.lower()} - {""}
        named = people["speaker"].str.lower().isin(targets) | people["canonical"].str.lower().isin(targets)
        where = people["speaker_id"].isin(people.loc[named, "speaker_id"])  # every name of that person
        if gender:
            people.loc[where, "speaker_gender"] = gender
            people.loc[where, "gender_evidence"] = "override"
        if role:
            people.loc[where, "source_role"] = role
    return people


def speaker_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per source of an identified quotes table (:func:`identify_speakers`), most quoted
    first: :data:`SPEAKER_TABLE_COLUMNS`, where `names` lists the mentions it was found under
    (`Trump; President Trump; Mr. Trump`). Unresolved pronouns and unknown sources are left out."""
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=SPEAKER_TABLE_COLUMNS)
    table = quotes[~quotes["speaker_kind"].isin(["pronoun", "unknown"])].copy()
    if "doc_id" not in table.columns:
        table["doc_id"] = "article"
    table["mention"] = table["mention"].fillna("")
    table["speaker"] = [display_name(s, k) for s, k in zip(table["speaker"], table["speaker_kind"])]
    grouped = table.groupby("speaker_id", sort=False)
    out = grouped.agg(
        speaker=("speaker", "first"), speaker_kind=("speaker_kind", "first"),
        speaker_gender=("speaker_gender", "first"), gender_evidence=("gender_evidence", "first"),
        source_role=("source_role", "first"), quotes=("quote", "size"), articles=("doc_id", "nunique"),
        names=("mention", lambda m: "; ".join(dict.fromkeys(x for x in m if x))),
    ).reset_index()
    out = out.sort_values(["quotes", "articles", "speaker_id"], ascending=[False, False, True], kind="stable")
    return out[SPEAKER_TABLE_COLUMNS].reset_index(drop=True)
