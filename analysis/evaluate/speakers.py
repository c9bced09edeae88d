"""Scoring who the quoted people are: coverage, gender and role of named speakers against a gold file.

    python -m analysis evaluate speakers [GOLD] [--dir POLNEAR_DIR] [--sample dev|check] [--show-misses]

GOLD is a CSV (default `tests/data/speaker-gold.csv`; lines starting with `#` are comments) with
one row per named person per article: `article` (a file name in `DIR/text/` without `.txt`),
`name`, `gender` (`female`, `male`, `unknown`) and `role` (a source-role class, see
:data:`ROLE_CLASSES`); other columns (`evidence`) are ignored.

The scorer runs `extract_quotes` over each gold article and matches each gold person to the
predicted speakers of that article by name (:func:`name_match`: the same surname, and the same
first name when both give one; titles, honorifics and accents do not count). It reports:

- coverage: the share of gold people found as a speaker (and, when DIR has PolNeAR's
  `attributions/`, among the people the annotators give a speech attribution: gold people may
  also be sources of beliefs or actions, `X thinks`, which `extract_quotes` leaves out);
- over found people whose gold gender is known: gender accuracy (a predicted `unknown` counts as
  wrong), coverage of gender (share predicted not `unknown`), accuracy where predicted not
  `unknown`, precision / recall / F1 of `female` and of `male`, and the confusion table;
- over found people: role accuracy and its confusion table.

`--sample` scores one half of the gold articles (:func:`gold_sample`): `dev`, the 1st, 3rd, 5th...
article in sorted order, to develop rules on, and `check`, the others, to confirm them on.

Gender and role need the quotes table's `speaker_gender` and `source_role` columns; when the
extractor does not produce them, the report says so and scores what it can (coverage).
Everything but `run` is a pure function, unit-tested on synthetic predictions.
"""

from __future__ import annotations

import argparse
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis import paths

GENDERS = ("female", "male", "unknown")
GENDER_COLUMN = "speaker_gender"
ROLE_COLUMN = "source_role"
#: The source-role classes, in the order reports list them. Labels in either file are compared
#: through :func:`normalise_role`, so `government/official`, `government` and `Government
#: official` are one class.
ROLE_CLASSES = (
    "government_official", "politician", "law_enforcement_military", "expert_academic", "business",
    "advocacy_ngo", "spokesperson", "citizen", "media", "other",
)
_ROLE_WORDS = {
    "government": "government_official", "official": "government_official", "politician": "politician",
    "political": "politician", "law": "law_enforcement_military", "enforcement": "law_enforcement_military",
    "military": "law_enforcement_military", "police": "law_enforcement_military", "expert": "expert_academic",
    "academic": "expert_academic", "business": "business", "advocacy": "advocacy_ngo", "ngo": "advocacy_ngo",
    "spokesperson": "spokesperson", "citizen": "citizen", "media": "media", "other": "other",
}
#: Speaker kinds that are never a named person, whatever the speaker string says.
NOT_PEOPLE_KINDS = frozenset({"anonymous", "organization", "organisation", "group"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "jr", "sr", "ii", "iii", "iv"})
_GOLD_COLUMNS = ("article", "name", "gender", "role")


def default_gold() -> Path:
    return paths.PROJECT_ROOT / "tests" / "data" / "speaker-gold.csv"


def read_gold(path: str | Path) -> pd.DataFrame:
    """The gold table from a CSV whose comment lines start with `#`; checks the columns and labels."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    table = pd.read_csv(io.StringIO("\n".join(line for line in lines if not line.startswith("#"))),
                        dtype=str, keep_default_na=False)
    missing = [c for c in _GOLD_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: gold file lacks column(s) {', '.join(missing)}")
    table["gender"] = table["gender"].str.strip().str.lower()
    bad = sorted(set(table["gender"]) - set(GENDERS))
    if bad:
        raise ValueError(f"{path}: gender must be one of {GENDERS}, not {bad}")
    table["role"] = [normalise_role(r) for r in table["role"]]
    return table


SAMPLES = ("dev", "check")


def gold_sample(gold: pd.DataFrame, sample: str | None) -> pd.DataFrame:
    """The gold rows of one half of its articles: sorted by name, `dev` keeps those at even
    positions (0, 2, 4...), `check` those at odd ones; None keeps all."""
    if sample is None:
        return gold
    if sample not in SAMPLES:
        raise ValueError(f"sample must be one of {SAMPLES}, not {sample!r}")
    articles = sorted(set(gold["article"]))
    keep = set(articles[SAMPLES.index(sample)::2])
    return gold[gold["article"].isin(keep)]


def normalise_role(label) -> str | None:
    """The class of :data:`ROLE_CLASSES` a role label names (`law enforcement/military` ->
    `law_enforcement_military`), None for a missing or unrecognised label."""
    if not isinstance(label, str):
        return None
    for word in re.split(r"[^a-z]+", label.lower()):
        if word in _ROLE_WORDS:
            return _ROLE_WORDS[word]
    return None


def name_tokens(name) -> tuple[str, ...]:
    """The words of a person's name, lower case, without accents, possessive, parenthesised party
    labels (`(D-Mo.)`), honorifics and titles: `Sen. Bernie Sanders (I-Vt.)` -> (`bernie`, `sanders`)."""
    from analysis.extract.quotes import TITLES

    if not isinstance(name, str):
        return ()
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[’']s\b", "", text)
    words = re.findall(r"[a-z]+(?:-[a-z]+)*", text)
    return tuple(w for w in words if w not in _HONORIFICS and w not in TITLES and f"{w}." not in TITLES)


def name_match(gold: str, predicted: str) -> int:
    """How well a predicted speaker name matches a gold name: 2 (same first and last word), 1 (same
    surname, and one of them has no first name, or the first names share an initial, `J. Smith`, or
    one name ends with the whole other one, `Neither Donald J. Trump`), 0 (no match: another
    surname, or two different first names, `Bill Clinton` / `Hillary Clinton`)."""
    g, p = name_tokens(gold), name_tokens(predicted)
    if not g or not p or g[-1] != p[-1]:
        return 0
    if len(g) == 1 or len(p) == 1:
        return 1
    if g[0] == p[0]:
        return 2
    if g[0][0] == p[0][0] and min(len(g[0]), len(p[0])) == 1:
        return 1
    shorter, longer = sorted((g, p), key=len)
    return 1 if longer[-len(shorter):] == shorter else 0  # a stray word before the name: `Neither Donald Trump`


def _most_common(values: pd.Series, unknown: str | None = None):
    """The most frequent value, ignoring missing ones and `unknown` when another value is present."""
    values = values.dropna()
    if unknown is not None and (values != unknown).any():
        values = values[values != unknown]
    return values.mode().iloc[0] if len(values) else None


def predicted_people(quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per predicted speaker of one article: `speaker`, `quotes`, and where the quotes
    table has them `speaker_gender` (most frequent known value) and `source_role`. Anonymous
    sources, organisations and groups are left out."""
    columns = ["speaker", "quotes", GENDER_COLUMN, ROLE_COLUMN]
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=columns)
    table = quotes[quotes["speaker"].notna()]
    if "speaker_kind" in table.columns:
        table = table[~table["speaker_kind"].isin(NOT_PEOPLE_KINDS)]
    rows = []
    for speaker, group in table.groupby("speaker", sort=False):
        row = {"speaker": speaker, "quotes": len(group)}
        if GENDER_COLUMN in group.columns:
            row[GENDER_COLUMN] = _most_common(group[GENDER_COLUMN], "unknown") or "unknown"
        if ROLE_COLUMN in group.columns:
            row[ROLE_COLUMN] = _most_common(group[ROLE_COLUMN])
        rows.append(row)
    return pd.DataFrame(rows, columns=[c for c in columns if c in ("speaker", "quotes") or c in table.columns])


def match_people(gold: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """The gold rows of one article with `found`, `speaker` (the matched predicted speaker: best
    name match, then most quotes), `predicted_gender` and `predicted_role` (None when the column is
    absent or the person was not found)."""
    out = gold.copy()
    found, speakers, genders, roles = [], [], [], []
    for name in gold["name"]:
        best = None
        for _, person in people.iterrows():
            strength = name_match(name, person["speaker"])
            if strength and (best is None or (strength, person["quotes"]) > best[0]):
                best = ((strength, person["quotes"]), person)
        person = best[1] if best else None
        found.append(person is not None)
        speakers.append(person["speaker"] if person is not None else None)
        genders.append(person.get(GENDER_COLUMN) if person is not None else None)
        roles.append(normalise_role(person.get(ROLE_COLUMN)) if person is not None else None)
    out["found"], out["speaker"] = found, speakers
    out["predicted_gender"], out["predicted_role"] = genders, roles
    return out


def evaluate_gold(gold: pd.DataFrame, text_dir: Path) -> tuple[pd.DataFrame, set[str]]:
    """`match_people` over every gold article (read from `text_dir/<article>.txt`): the matched
    table, and the quotes-table columns seen (to tell which predictions exist)."""
    from analysis.extract.quotes import extract_quotes

    parts, columns = [], set()
    for article, rows in gold.groupby("article", sort=True):
        path = Path(text_dir) / f"{article}.txt"
        if not path.exists():
            raise FileNotFoundError(f"gold article {article!r} not found in {text_dir}")
        quotes = extract_quotes(path.read_text(encoding="utf-8"))
        columns |= set(quotes.columns)
        parts.append(match_people(rows, predicted_people(quotes)))
    return pd.concat(parts, ignore_index=True), columns


def speech_sources(gold: pd.DataFrame, folder: Path) -> pd.Series:
    """For each gold person, whether the first annotator's `.ann` file of the article (PolNeAR
    layout: `folder/attributions/`) has a speech attribution (a reporting cue, see
    `analysis.evaluate.quotes.SPEECH_WORDS`) whose source names them (their surname is a word of
    the source span). None for every row when the folder has no attributions."""
    from analysis.evaluate.quotes import first_annotator_files, parse_ann

    files = first_annotator_files(Path(folder)) if (Path(folder) / "attributions").is_dir() else {}
    flags = []
    for article, name in zip(gold["article"], gold["name"]):
        if article not in files:
            flags.append(None)
            continue
        surname = (name_tokens(name) or ("",))[-1]
        flags.append(any(g.is_speech and surname in name_tokens(g.source_text)
                         for g in parse_ann(files[article].read_text(encoding="utf-8"))))
    return pd.Series(flags, index=gold.index, dtype="object")


def _prf(gold: pd.Series, predicted: pd.Series, label: str) -> dict:
    tp = int(((gold == label) & (predicted == label)).sum())
    p_n, g_n = int((predicted == label).sum()), int((gold == label).sum())
    precision = tp / p_n if p_n else 0.0
    recall = tp / g_n if g_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": g_n, "predicted": p_n}


def gender_scores(matched: pd.DataFrame) -> dict:
    """Gender metrics over found people whose gold gender is known (see the module docstring);
    `guessed_for_unknown`: found people with gold `unknown` given a gender anyway."""
    found = matched[matched["found"]]
    known = found[found["gender"] != "unknown"]
    predicted = known["predicted_gender"].fillna("unknown")
    labelled = predicted != "unknown"
    n = len(known)
    return {
        "people": n,
        "accuracy": float((predicted == known["gender"]).mean()) if n else 0.0,
        "coverage": float(labelled.mean()) if n else 0.0,
        "accuracy_labelled": float((predicted[labelled] == known["gender"][labelled]).mean()) if labelled.any() else 0.0,
        "female": _prf(known["gender"], predicted, "female"),
        "male": _prf(known["gender"], predicted, "male"),
        "confusion": pd.crosstab(known["gender"], predicted).reindex(
            index=["female", "male"], columns=list(GENDERS), fill_value=0),
        "guessed_for_unknown": int((found.loc[found["gender"] == "unknown", "predicted_gender"]
                                    .fillna("unknown") != "unknown").sum()),
        "gold_unknown_found": int((found["gender"] == "unknown").sum()),
    }


def role_scores(matched: pd.DataFrame) -> dict:
    """Role accuracy over found people with a gold role, and the confusion table (rows gold)."""
    found = matched[matched["found"] & matched["role"].notna()]
    predicted = found["predicted_role"].fillna("(none)")
    classes = [c for c in ROLE_CLASSES if c in set(found["role"]) | set(predicted)]
    return {
        "people": len(found),
        "accuracy": float((predicted == found["role"]).mean()) if len(found) else 0.0,
        "confusion": pd.crosstab(found["role"], predicted).reindex(
            index=classes, columns=classes + (["(none)"] if (predicted == "(none)").any() else []), fill_value=0),
    }


def format_report(matched: pd.DataFrame, columns: set[str]) -> str:
    """The report as text: coverage, then gender and role when the predictions have them."""
    n, found = len(matched), int(matched["found"].sum())
    balance = ", ".join(f"{g} {int((matched['gender'] == g).sum())}" for g in GENDERS)
    lines = [f"Gold: {n} named people in {matched['article'].nunique()} articles ({balance})",
             f"Coverage (found as a speaker): {found}/{n} = {found / n if n else 0:.3f}"]
    if "speech" in matched.columns and matched["speech"].notna().any():
        speech = matched[matched["speech"].eq(True)]
        lines.append(f"  of people the annotators give a speech attribution (said, told...): "
                     f"{int(speech['found'].sum())}/{len(speech)} = {speech['found'].mean() if len(speech) else 0:.3f}")
    if GENDER_COLUMN in columns:
        g = gender_scores(matched)
        lines += [
            f"Gender, over {g['people']} found people with a known gold gender:",
            f"  accuracy {g['accuracy']:.3f}   coverage (not unknown) {g['coverage']:.3f}   "
            f"accuracy where labelled {g['accuracy_labelled']:.3f}",
            *(f"  {label:<6} P {g[label]['precision']:.3f}  R {g[label]['recall']:.3f}  F1 {g[label]['f1']:.3f}"
              f"  (gold {g[label]['gold']}, predicted {g[label]['predicted']})" for label in ("female", "male")),
            "  confusion (rows gold, columns predicted):",
            *("    " + line for line in g["confusion"].to_string().splitlines()),
            f"  gold unknown but found: {g['gold_unknown_found']}, of which given a gender: {g['guessed_for_unknown']}",
        ]
    else:
        lines.append(f"Gender: not scored - extract_quotes has no `{GENDER_COLUMN}` column.")
    if ROLE_COLUMN in columns:
        r = role_scores(matched)
        lines += [f"Role, over {r['people']} found people: accuracy {r['accuracy']:.3f}",
                  "  confusion (rows gold, columns predicted):",
                  *("    " + line for line in r["confusion"].to_string().splitlines())]
    else:
        lines.append(f"Role: not scored - extract_quotes has no `{ROLE_COLUMN}` column.")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", nargs="?", type=Path, default=None,
                        help="gold CSV (article, name, gender, role); default tests/data/speaker-gold.csv")
    parser.add_argument("--dir", type=Path, default=None,
                        help="folder with text/<article>.txt; default $POLNEAR_DIR or ../shared/eval/polnear-train")
    parser.add_argument("--sample", choices=SAMPLES, default=None,
                        help="score only half the gold articles (sorted): dev = even positions, check = odd")
    parser.add_argument("--show-misses", action="store_true", help="list the gold people not found, and wrong genders")


def run(args: argparse.Namespace) -> int:
    from analysis.evaluate.quotes import default_dir

    gold_path = args.gold or default_gold()
    folder = args.dir or default_dir()
    if not (folder / "text").is_dir():
        print(f"evaluate speakers: no text/ folder under {folder}")
        return 2
    sample = getattr(args, "sample", None)
    matched, columns = evaluate_gold(gold_sample(read_gold(gold_path), sample), folder / "text")
    matched["speech"] = speech_sources(matched, folder)
    print(f"Speakers of {gold_path}{f' ({sample} half)' if sample else ''} against extract_quotes on {folder}")
    print(format_report(matched, columns))
    if args.show_misses:
        misses = matched[~matched["found"]]
        print(f"\nNot found ({len(misses)}):")
        print(misses[["article", "name"]].to_string(index=False) if len(misses) else "  none")
        wrong = matched[matched["found"] & (matched["gender"] != "unknown")
                        & (matched["predicted_gender"].fillna("unknown") != matched["gender"])]
        if GENDER_COLUMN in columns and len(wrong):
            print(f"\nGender wrong or unknown ({len(wrong)}):")
            print(wrong[["article", "name", "gender", "predicted_gender"]].to_string(index=False))
    return 0
