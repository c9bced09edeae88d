"""Group comparisons (`analysis.summarise.groups`, `analysis.report.groups`) on small synthetic
tables whose answers are worked out by hand, and one slow run of the notebooks with GROUP_BY set."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.summarise import groups as G


def _articles(rows):
    """rows: (doc_id, date or None, outlet or None)."""
    return pd.DataFrame({
        "doc_id": [r[0] for r in rows],
        "date": pd.to_datetime([r[1] for r in rows]),
        "outlet": [r[2] for r in rows],
    })


ARTICLES = _articles([
    ("a1", "2021-03-01", "Herald"), ("a2", "2021-03-02", "Herald"), ("a3", "2021-03-20", "Herald"),
    ("b1", "2021-03-01", "Post"), ("b2", "2021-03-25", "Post"),
    ("c1", "2021-03-10", None),
])


@pytest.mark.parametrize("value, expected", [
    ("Herald", "Herald"), ("  The   Times ", "The Times"), (None, G.NO_GROUP), (float("nan"), G.NO_GROUP),
    ("", G.NO_GROUP), (["Ann Lee", "Bo Wu"], "Ann Lee; Bo Wu"), ([], G.NO_GROUP), (2021, "2021"),
])
def test_group_labels_write_every_value_as_a_string(value, expected):
    articles = pd.DataFrame({"doc_id": ["x"], "author": [value]})
    assert G.group_labels(articles, "author").tolist() == [expected]


def test_group_labels_prefer_the_group_column_and_name_the_columns_when_missing():
    articles = ARTICLES.assign(group=["x", "x", "y", "y", "y", None])
    assert G.group_labels(articles, "outlet").tolist() == ["x", "x", "y", "y", "y", G.NO_GROUP]
    with pytest.raises(KeyError, match="section.*doc_id, outlet"):
        G.group_labels(ARTICLES[["doc_id", "outlet"]], "section")


def test_doc_groups_keep_the_largest_groups_and_fold_the_rest_into_other():
    outlets = ["A"] * 5 + ["B"] * 4 + ["C"] * 3 + ["D"] * 2 + ["E", None]
    articles = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(len(outlets))], "outlet": outlets})
    table = G.doc_groups(articles, "outlet", max_groups=2)
    assert G.group_order(table["group"]) == ["A", "B", G.OTHER, G.NO_GROUP]
    assert table["group"].value_counts().to_dict() == {"A": 5, "B": 4, G.OTHER: 6, G.NO_GROUP: 1}
    assert table["group"].tolist()[:9] == ["A"] * 5 + ["B"] * 4, "rows in group order"
    # Few enough groups: none is folded.
    assert set(G.doc_groups(articles, "outlet")["group"]) == {"A", "B", "C", "D", "E", G.NO_GROUP}


def test_group_order_breaks_ties_by_name_and_puts_other_and_none_last():
    assert G.group_order([G.NO_GROUP, "b", "a", G.OTHER, G.OTHER, G.OTHER, "b", "a", "c"]) == ["a", "b", "c", G.OTHER, G.NO_GROUP]


def test_articles_per_group_period_counts_every_group_in_every_bin():
    groups = G.doc_groups(ARTICLES, "outlet")
    table = G.articles_per_group_period(ARTICLES, groups)  # 24 days: bins of a day
    assert table["period"].min() == pd.Timestamp("2021-03-01") and table["period"].max() == pd.Timestamp("2021-03-25")
    assert len(table) == 3 * 25
    assert table["articles"].sum() == 6
    first_day = table[table["period"] == pd.Timestamp("2021-03-01")].set_index("group")
    assert first_day["articles"].to_dict() == {"Herald": 1, "Post": 1, G.NO_GROUP: 0}
    assert first_day["share"].to_dict() == {"Herald": 0.5, "Post": 0.5, G.NO_GROUP: 0.0}
    weekly = G.articles_per_group_period(ARTICLES, groups, "W")
    herald = weekly[weekly["group"] == "Herald"].set_index("period")["articles"]
    assert herald.to_dict() == {pd.Timestamp("2021-03-01"): 2, pd.Timestamp("2021-03-08"): 0,
                                pd.Timestamp("2021-03-15"): 1, pd.Timestamp("2021-03-22"): 0}


def test_group_attention_gives_each_group_a_profile_summing_to_one():
    groups = G.doc_groups(ARTICLES, "outlet")
    table = G.group_attention(ARTICLES, groups, "W")
    assert table.groupby("group")["of_group"].sum().round(9).to_dict() == {"Herald": 1.0, "Post": 1.0, G.NO_GROUP: 1.0}
    herald = table[(table["group"] == "Herald") & (table["period"] == pd.Timestamp("2021-03-01"))]
    assert herald["of_group"].iloc[0] == pytest.approx(2 / 3)


def test_group_counts_give_articles_shares_and_dates():
    undated = pd.concat([ARTICLES, _articles([("b3", None, "Post")])], ignore_index=True)
    table = G.group_counts(G.doc_groups(undated, "outlet"), undated).set_index("group")
    assert table.index.tolist() == ["Herald", "Post", G.NO_GROUP]
    assert table["articles"].tolist() == [3, 3, 1] and table["dated"].tolist() == [3, 2, 1]
    assert table.loc["Post", "share"] == pytest.approx(3 / 7)
    assert table.loc["Post", "last"] == pd.Timestamp("2021-03-25")


@pytest.mark.parametrize("k, n, low, high", [
    (8, 10, 0.4902, 0.9433),   # worked by hand: centre 0.71674, half-width 0.22658
    (0, 10, 0.0, 0.2775),      # an interval for 0 of 10, where p ± z·se would be [0, 0]
    (10, 10, 0.7225, 1.0),
    (50, 100, 0.4038, 0.5962),
])
def test_wilson_interval_matches_hand_computed_values(k, n, low, high):
    lo, hi = G.wilson_interval([k], [n])
    assert lo[0] == pytest.approx(low, abs=1e-4) and hi[0] == pytest.approx(high, abs=1e-4)


def test_wilson_interval_is_nan_without_trials():
    lo, hi = G.wilson_interval([0, 1], [0, 2])
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and 0 < lo[1] < 0.5 < hi[1] < 1


def _quotes(rows):
    """rows: (doc_id, speaker, speaker_kind, verb)."""
    return pd.DataFrame({"doc_id": [r[0] for r in rows], "speaker": [r[1] for r in rows],
                         "speaker_kind": [r[2] for r in rows], "verb": [r[3] for r in rows],
                         "quote": ["it is so"] * len(rows)})


QUOTES = _quotes([
    ("a1", "Ann Lee", "named", "say"), ("a1", "Ann Lee", "named", "say"), ("a2", "officials", "anonymous", "tell"),
    ("a2", "he", "pronoun", None), ("a3", "Acme Corp", "organization", "say"), ("a3", "Bo Wu", "named", None),
    ("b1", "officials", "anonymous", "say"), ("b1", "officials", "anonymous", "claim"), ("b2", "Bo Wu", "named", "claim"),
    ("zz", "Ghost", "named", "say"),  # an article outside the chosen ones: left out
])


def test_source_mix_counts_the_kinds_per_group_with_intervals():
    mix = G.source_mix_by_group(QUOTES, G.doc_groups(ARTICLES, "outlet"))
    herald = mix[mix["group"] == "Herald"].set_index("speaker_kind")
    assert herald["quotes"].to_dict() == {"named": 3, "anonymous": 1, "organization": 1}
    assert (herald["total"] == 5).all(), "the pronoun is not a source kind"
    assert herald.loc["named", "share"] == pytest.approx(0.6)
    low, high = G.wilson_interval([3], [5])
    assert herald.loc["named", "low"] == pytest.approx(low[0]) and herald.loc["named", "high"] == pytest.approx(high[0])
    post = mix[mix["group"] == "Post"].set_index("speaker_kind")
    assert post["quotes"].to_dict() == {"named": 1, "anonymous": 2, "organization": 0}
    none = mix[mix["group"] == G.NO_GROUP]
    assert (none["total"] == 0).all() and none["share"].isna().all() and none["low"].isna().all()


def test_top_speakers_by_group_rank_within_each_group():
    top = G.top_speakers_by_group(QUOTES, G.doc_groups(ARTICLES, "outlet"), n=2)
    herald = top[top["group"] == "Herald"]
    assert herald["speaker"].tolist() == ["Ann Lee", "Acme Corp"] and herald["rank"].tolist() == [1, 2]
    assert herald["share"].iloc[0] == pytest.approx(2 / 5)
    post = top[top["group"] == "Post"]
    assert post["speaker"].tolist() == ["officials", "Bo Wu"] and post["quotes"].tolist() == [2, 1]
    assert "Ghost" not in set(top["speaker"])


def test_verb_preferences_give_shares_of_cued_quotes_against_the_rest():
    verbs = G.verb_preferences(QUOTES, G.doc_groups(ARTICLES, "outlet"), n=3)
    herald = verbs[verbs["group"] == "Herald"].set_index("verb")
    assert herald.index.tolist() == ["say", "tell"]
    assert herald.loc["say", "cued"] == 4 and herald.loc["say", "share"] == pytest.approx(3 / 4)
    # The Post's cued quotes: say 1, claim 2.
    assert herald.loc["say", "share_rest"] == pytest.approx(1 / 3)
    assert herald.loc["say", "ratio"] == pytest.approx(0.75 / (1 / 3))
    post = verbs[verbs["group"] == "Post"].set_index("verb")
    assert post.loc["claim", "rank"] == 1 and post.loc["claim", "share"] == pytest.approx(2 / 3)
    assert post.loc["claim", "share_rest"] == 0 and np.isnan(post.loc["claim", "ratio"])


@pytest.mark.parametrize("method, expected", [
    ("bh", [0.02, 0.04, 0.04, 0.02, np.nan]),
    ("bonferroni", [0.04, 0.16, 0.12, 0.02, np.nan]),
])
def test_adjust_p_values_by_hand(method, expected):
    adjusted = G.adjust_p_values([0.01, 0.04, 0.03, 0.005, np.nan], method)
    np.testing.assert_allclose(adjusted, expected)


def test_adjust_p_values_caps_at_one_and_rejects_unknown_methods():
    assert G.adjust_p_values([0.5, 0.9], "bonferroni").tolist() == [1.0, 1.0]
    assert G.adjust_p_values([0.9, 0.95], "bh").tolist() == [0.95, 0.95]
    with pytest.raises(ValueError):
        G.adjust_p_values([0.1], "holm")


def _counts(rows):
    """rows: (doc_id, term, count)."""
    return pd.DataFrame({"doc_id": [r[0] for r in rows], "term": [r[1] for r in rows], "form": [r[1] for r in rows],
                         "kind": "word", "entity": None, "count": [r[2] for r in rows]})


def test_group_keyness_matches_a_hand_computed_log_likelihood_and_log_ratio():
    # Herald: "bridge" 10 times in 100 terms; Post: 5 times in 200 terms.
    counts = _counts([("a1", "bridge", 10), ("a1", "road", 90), ("b1", "bridge", 5), ("b1", "river", 195)])
    articles = _articles([("a1", "2021-03-01", "Herald"), ("b1", "2021-03-02", "Post")])
    key = G.group_keyness(counts, G.doc_groups(articles, "outlet"), min_count=3, n=5)
    bridge = key[(key["group"] == "Herald") & (key["term"] == "bridge")].iloc[0]
    # Expected 5 and 10: G² = 2 (10 ln(10/5) + 5 ln(5/10)) = 10 ln 2; log ratio log2(0.1 / 0.025) = 2.
    assert bridge["g2"] == pytest.approx(10 * math.log(2))
    assert bridge["log_ratio"] == pytest.approx(2.0)
    assert bridge["count_subset"] == 10 and bridge["count_rest"] == 5
    assert key.attrs["tests"] == 6, "3 terms tested for each of the 2 groups"
    assert set(key.loc[key["group"] == "Post", "term"]) == {"river"}, "only over-represented terms"
    # Corrected together: all 6 tests of both groups, Benjamini–Hochberg.
    tested = pd.concat([G.keyness(counts, ["a1"], min_count=3), G.keyness(counts, ["b1"], min_count=3)], ignore_index=True)
    tested["p_adjusted"] = G.adjust_p_values(tested["p_value"])
    first = tested.index[tested["term"] == "bridge"][0]  # the Herald's test of "bridge" comes first
    assert bridge["p_adjusted"] == pytest.approx(tested.loc[first, "p_adjusted"])
    assert (key["p_adjusted"] >= key["p_value"]).all()
    assert key["significant"].tolist() == (key["p_adjusted"] < 0.05).tolist()


def test_group_keyness_correction_makes_a_borderline_term_not_significant():
    # 20 terms spread evenly, one term a little more frequent in the Herald: p just under 0.05
    # alone, not once corrected for the 21 terms tested per group.
    rows = [(d, f"t{i}", 10) for d in ("a1", "b1") for i in range(20)]
    rows += [("a1", "bridge", 14), ("b1", "bridge", 5)]
    articles = _articles([("a1", "2021-03-01", "Herald"), ("b1", "2021-03-02", "Post")])
    key = G.group_keyness(_counts(rows), G.doc_groups(articles, "outlet"), n=30)
    bridge = key[(key["group"] == "Herald") & (key["term"] == "bridge")].iloc[0]
    assert bridge["p_value"] < 0.05 and bridge["p_adjusted"] >= 0.05 and not bridge["significant"]
    bonferroni = G.group_keyness(_counts(rows), G.doc_groups(articles, "outlet"), n=30, method="bonferroni")
    assert bonferroni.loc[bonferroni["term"] == "bridge", "p_adjusted"].iloc[0] == pytest.approx(
        min(1.0, bridge["p_value"] * bonferroni.attrs["tests"]))


def test_tone_by_group_period_marks_periods_with_few_articles():
    tone = ARTICLES.assign(tone=[0.1, 0.3, -0.2, -0.5, 0.0, 0.4])
    table = G.tone_by_group_period(tone, G.doc_groups(ARTICLES, "outlet"), "W", min_articles=2)
    herald = table[table["group"] == "Herald"].set_index("period")
    first = herald.loc[pd.Timestamp("2021-03-01")]
    assert first["n_articles"] == 2 and first["tone"] == pytest.approx(0.2) and not first["few"]
    empty = herald.loc[pd.Timestamp("2021-03-08")]
    assert empty["n_articles"] == 0 and np.isnan(empty["tone"]) and empty["few"]
    assert table.groupby("group").size().tolist() == [4, 4, 4]


def test_referred_periods_spread_each_interval_over_its_bins_and_count_the_rest_apart():
    timexes = pd.DataFrame({
        "doc_id": ["a1", "a1", "a2", "a3", "b1", "b1", "b1", "b2"],
        "value": ["2021-02-26", "2021-03", "PRESENT_REF", "2021-Q1", "1990", "196", "2021-03-04", "2019-05-01"],
        "earliest": pd.to_datetime(["2021-02-26", "2021-03-01", "2021-03-02", "2021-01-01", "1990-01-01", "1960-01-01",
                                    "2021-03-04", "2019-05-01"]),
        "latest": pd.to_datetime(["2021-02-26", "2021-03-31", "2021-03-02", "2021-03-31", "1990-12-31", "1969-12-31",
                                  "2021-03-04", "2019-05-01"]),
    })
    groups = G.doc_groups(ARTICLES, "outlet")
    # The window: 31 days either side of 1-25 March 2021 (the span, 24 days, is under 31).
    monthly = G.referred_periods_by_group(timexes, ARTICLES, groups, "M")
    assert monthly.attrs["period"] == "M"
    herald = monthly[(monthly["group"] == "Herald") & (monthly["references"] > 0)].set_index("period")["references"]
    # 26 Feb, March, and the first quarter's 90 days: 31 in January, 28 in February, 31 in March.
    assert herald.to_dict() == pytest.approx({pd.Timestamp("2021-01-01"): 31 / 90, pd.Timestamp("2021-02-01"): 1 + 28 / 90,
                                              pd.Timestamp("2021-03-01"): 1 + 31 / 90})
    assert monthly.loc[monthly["group"] == "Herald", "share"].sum() == pytest.approx(1), "PRESENT_REF is not a period"
    post = monthly[(monthly["group"] == "Post") & (monthly["references"] > 0)]
    assert post[["where", "references"]].values.tolist() == [["earlier", 3], ["within", 1]]
    assert post["share"].tolist() == [0.75, 0.25]
    weekly = G.referred_periods_by_group(timexes, ARTICLES, groups, "W")
    herald = weekly[(weekly["group"] == "Herald") & (weekly["references"] > 0)]
    within = herald[herald["where"] == "within"].set_index("period")["references"]
    assert within[pd.Timestamp("2021-02-22")] == 1 and within[pd.Timestamp("2021-03-01")] == pytest.approx(7 / 31)
    assert within[pd.Timestamp("2021-03-29")] == pytest.approx(3 / 31) and within.sum() == pytest.approx(2)
    assert herald.loc[herald["where"] == "longer", "references"].tolist() == [1], "a quarter covers 13 weeks"


def test_empty_tables_give_empty_comparisons():
    groups = G.doc_groups(ARTICLES, "outlet")
    no_quotes = QUOTES.iloc[0:0]
    assert G.top_speakers_by_group(no_quotes, groups).empty
    assert G.verb_preferences(no_quotes, groups).empty
    assert (G.source_mix_by_group(no_quotes, groups)["total"] == 0).all()
    assert G.group_keyness(_counts([]), groups).empty
    undated = ARTICLES.assign(date=pd.NaT)
    assert G.articles_per_group_period(undated, groups).empty
    assert G.tone_by_group_period(undated.assign(tone=0.0), groups).empty


# --- charts -----------------------------------------------------------------------------------

def test_group_palette_gives_a_group_the_same_colour_by_its_place_and_greys_other_and_none():
    from analysis.report import groups as R

    first = R.group_palette(["Herald", "Post", G.OTHER, G.NO_GROUP])
    assert first[G.OTHER] == R.FIXED_COLOURS[G.OTHER] and first[G.NO_GROUP] == R.FIXED_COLOURS[G.NO_GROUP]
    assert first["Herald"] == R.GROUP_COLOURS[0] and first["Post"] == R.GROUP_COLOURS[1]
    # The same order, as every notebook computes it from the same articles: the same colours.
    assert R.group_palette(G.group_order(["Post", "Herald", "Herald", G.OTHER])) == {
        "Herald": R.GROUP_COLOURS[0], "Post": R.GROUP_COLOURS[1], G.OTHER: R.FIXED_COLOURS[G.OTHER]}
    assert len(set(R.group_palette([f"g{i}" for i in range(6)]).values())) == 6


def test_group_charts_draw_one_panel_per_group_in_its_colour():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from analysis.report import groups as R

    groups = G.doc_groups(ARTICLES, "outlet")
    order = G.group_order(groups["group"])
    palette = R.group_palette(order)
    table = G.articles_per_group_period(ARTICLES, groups, "W")
    fig = R.small_multiples(table, "period", "articles", order=order, palette=palette, xlabel="week", ylabel="articles",
                            period="W")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == order
    assert to_hex(visible[1].patches[0].get_facecolor()) == palette["Post"].lower()
    assert sum(p.get_height() for p in visible[0].patches) == 3, "the Herald's three articles"
    R.figure_title(fig, "Articles per week", "The Herald publishes most.")
    assert {t.get_text() for t in fig.texts} == {"Articles per week", "The Herald publishes most."}
    mix = G.source_mix_by_group(QUOTES, groups)
    bars = R.interval_bars(mix, "speaker_kind", order=order, palette=palette, categories=list(G.SOURCE_KINDS),
                           ylabel="%", xlabel="kind")
    assert len(bars.axes[0].patches) == 2 * 3, "the group without quotes has no bars"
    plt.close("all")


@pytest.mark.parametrize("start, period, expected", [
    ("2019-03-04", "D", "4 Mar 2019"), ("2019-03-04", "W", "the week of 4 Mar 2019"),
    ("2019-03-01", "M", "March 2019"), ("2019-01-01", "Y", "2019"),
])
def test_period_label(start, period, expected):
    from analysis.report.groups import period_label

    assert period_label(pd.Timestamp(start), period) == expected


# --- notebooks --------------------------------------------------------------------------------

GROUP_SECTIONS = {"0-corpus": "lengths", "1-quotes": "verbs", "2-terms": "keyness-one-article",
                  "3-sentiment": "timeline", "4-timeline": "days"}


@pytest.mark.parametrize("name, anchor", GROUP_SECTIONS.items())
def test_each_notebook_has_one_group_section_right_after_its_anchor(name, anchor):
    import nbformat

    from analysis import paths

    cells = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4).cells
    ids = [c.get("id") for c in cells]
    mine = [i for i, cell_id in enumerate(ids) if cell_id.startswith("groups-")]
    assert mine and mine == list(range(mine[0], mine[0] + len(mine))), "one block of group cells"
    assert ids[mine[0] - 1] == anchor and cells[mine[0]].cell_type == "markdown"
    first_code = next(cells[i] for i in mine if cells[i].cell_type == "code")
    assert "if GROUP_BY is None:\n    say(" in first_code.source, "without GROUP_BY the section only says how to use it"
    for i in mine[1:]:
        if cells[i] is not first_code and cells[i].cell_type == "code":
            assert cells[i].source.startswith("if GROUP_BY is not None:"), "later cells do nothing without GROUP_BY"


WIKINEWS_DESKS = ["world", "world", "politics", "science", "world", "politics", "sport"]


def _grouped_corpus(folder):
    """24 Wikinews articles spread over 2019-2020 with a `desk` column in their metadata.csv."""
    import shutil

    from conftest import shared_path

    source = shared_path("NEWS_WIKINEWS", "corpora/wikinews")
    meta = pd.read_csv(source / "metadata.csv").iloc[::12].head(24).reset_index(drop=True)
    meta["desk"] = [WIKINEWS_DESKS[i % len(WIKINEWS_DESKS)] for i in range(len(meta))]
    (folder / "articles").mkdir(parents=True)
    for file in meta["file"]:
        shutil.copy(source / file, folder / file)
    meta[["file", "date", "title", "url", "desk"]].to_csv(folder / "metadata.csv", index=False)
    return meta


@pytest.mark.slow
def test_the_notebooks_compare_groups_when_group_by_is_set(tmp_path):
    """Each notebook run with GROUP_BY = "desk" (set after the parameters cell, as papermill
    does) writes its group figures, whose CSVs hold the corpus's groups."""
    import nbformat

    from analysis import paths
    from analysis.pipeline import build_for_run
    from analysis.run import execute_notebook, notebook_environment
    from analysis.tables import load_tables

    corpus, cache, figures = tmp_path / "corpus", tmp_path / "cache", tmp_path / "figures"
    meta = _grouped_corpus(corpus)
    build_for_run(corpus, cache)
    if "desk" not in load_tables(corpus, cache).article_info.columns:
        pytest.skip("the articles table does not carry the metadata.csv columns yet")
    for name in GROUP_SECTIONS:
        nb = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4)
        at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell('GROUP_BY = "desk"'))
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        result = execute_notebook(tmp_path / f"{name}.ipynb", tmp_path / f"{name}.out.ipynb",
                                  notebook_environment(corpus, figures, cache))
        assert result.ok, f"{name}: {result.error}"
    sizes = pd.read_csv(figures / "groups-articles.csv")
    assert dict(zip(sizes["group"], sizes["articles"])) == meta["desk"].value_counts().to_dict()
    over_time = pd.read_csv(figures / "groups-articles-over-time.csv")
    assert over_time.groupby("group")["articles"].sum().to_dict() == meta["desk"].value_counts().to_dict()
    for figure in ("groups-top-speakers", "groups-source-mix", "groups-reporting-verbs", "groups-keyness",
                   "groups-tone-over-time", "groups-attention-over-time", "groups-referred-periods"):
        table = pd.read_csv(figures / f"{figure}.csv")
        assert (figures / f"{figure}.png").exists() and len(table), figure
        assert set(table["group"]) <= set(WIKINEWS_DESKS), figure
    mix = pd.read_csv(figures / "groups-source-mix.csv")
    mix = mix[mix["total"] > 0]
    assert ((mix["low"] <= mix["share"]) & (mix["share"] <= mix["high"])).all()
    key = pd.read_csv(figures / "groups-keyness.csv")
    assert (key["p_adjusted"] >= key["p_value"]).all() and set(key["group"]) == set(WIKINEWS_DESKS)
    captions = pd.read_csv(figures / "index.csv", keep_default_na=False).set_index("figure")["caption"]
    assert "Benjamini–Hochberg" in captions["groups-keyness"]
