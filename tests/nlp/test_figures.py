"""The figures component (``dyad_figures``) on the real pipeline."""

from __future__ import annotations

import pytest

from dyad.model import Figure
from dyad.nlp import load_pipeline

PUBLISHED = "2024-05-17"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def figures(nlp, text: str, published: str | None = PUBLISHED) -> list[Figure]:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp(doc)
    for f in doc._.figures:
        assert doc.text[f.start:f.end] == f.surface
    return doc._.figures


def one(nlp, text: str) -> Figure:
    found = figures(nlp, text)
    assert len(found) == 1, [f.surface for f in found]
    return found[0]


def values(nlp, text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in figures(nlp, text)]


# --- amounts and units --------------------------------------------------------------


def test_parentheses_are_a_conversion_not_a_minus_sign(nlp):
    found = figures(nlp, "Putin drew particular attention to the bilateral trade volume between Russia and "
                         "China, which has reached nearly US$200 billion (£163 billion).")
    assert [(f.value, f.unit, f.approx, f.qualifier) for f in found] == [
        (200e9, "USD", True, "nearly"), (163e9, "GBP", True, "nearly")]
    assert found[0].surface == "nearly US$200 billion"
    assert found[1].measure and found[1].measure.startswith(found[0].measure)


@pytest.mark.parametrize("text, value, unit", [
    ("The deal is worth $200bn.", 200e9, "USD"),
    ("The council spent £1.5bn on roads.", 1.5e9, "GBP"),
    ("The budget was £5m.", 5e6, "GBP"),
    ("It pays about 80p an hour.", 0.8, "GBP"),
    ("They signed contracts worth 200 billion yuan.", 200e9, "CNY"),
    ("Moscow spent 5 trillion roubles on defence.", 5e12, "RUB"),
    ("Brussels pledged €3.2 billion in aid.", 3.2e9, "EUR"),
    ("Assets of approximately 300 billion USD were frozen.", 300e9, "USD"),
    ("Fees of up to £3,000 a year were introduced.", 3000, "GBP"),
])
def test_money(nlp, text, value, unit):
    f = one(nlp, text)
    assert (f.value, f.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize("text, value, unit", [
    ("Exports were up 47 percent.", 47, "percent"),
    ("Turnover increased by 60%.", 60, "percent"),
    ("Inflation was 2.5 per cent.", 2.5, "percent"),
    ("Forty-three per cent thought he did a good job.", 43, "percent"),
    ("Support fell by 3 percentage points.", 3, "percentage_points"),
    ("China's economy is six times larger than Russia's.", 6, "ratio"),
    ("The pipeline has a capacity of 55 billion cubic meters a year.", 55, "bcm_per_year"),
    ("The limit falls to 50mg of alcohol.", 50, "mg"),
])
def test_percentages_ratios_and_rates(nlp, text, value, unit):
    f = one(nlp, text)
    assert (f.value, f.unit) == (value, unit)


def test_counts_take_their_noun_and_people_are_people(nlp):
    assert values(nlp, "Russia bought some 380,000 vehicles and 1,000 containers of ammunition.") == [
        (380000, "vehicles"), (1000, "containers")]
    assert values(nlp, "There were 11 European presidents and prime ministers at the forum.") == [(11, "people")]
    assert values(nlp, "The two sides released a list of 10 jointly signed agreements.") == [(10, "agreements")]


def test_number_words_scales_and_fractions(nlp):
    assert values(nlp, "Ninety one MPs have signed a petition.") == [(91, "people")]
    assert values(nlp, "Some 1.5 million people live there.") == [(1.5e6, "people")]
    assert values(nlp, "Plans forecast a quarter of a million students.") == [(250000, "people")]
    assert values(nlp, "Sales fell by one point three per cent.") == [(1.3, "percent")]


def test_hyphenated_units_and_durations(nlp):
    assert values(nlp, "During his two-day visit, Putin will attend a forum marking 10 years of the "
                       "initiative.") == [(2, "days"), (10, "years")]
    assert values(nlp, "The lengthy 7000-word Joint Statement was released.") == [(7000, "words")]
    assert values(nlp, "A 5,000-strong force was sent.") == [(5000, "people")]


def test_ranges_keep_the_lower_bound_and_say_so(nlp):
    f = one(nlp, "Between 1.1 and 1.5 million people were killed at Auschwitz.")
    assert (f.value, f.unit, f.qualifier) == (1.1e6, "people", "range 1100000-1500000")
    f = one(nlp, "A company of 100-120 UK troops was put on standby.")
    assert (f.value, f.qualifier) == (100, "range 100-120")
    f = one(nlp, "He forecast growth at between 3% and 3.5% for next year.")
    assert (f.value, f.unit, f.qualifier) == (3, "percent", "range 3-3.5")


def test_hedges_and_bounds(nlp):
    f = one(nlp, "While Putin was just one among 20 or so world leaders at the Forum, he was photographed.")
    assert (f.value, f.unit, f.approx, f.qualifier) == (20, "people", True, "or so")
    f = one(nlp, "Xi made a brief trip to Europe, his first in over five years.")
    assert (f.value, f.unit, f.qualifier) == (5, "years", "more than (lower bound)")
    f = one(nlp, "Its construction and launch may take at least 10 years.")
    assert f.qualifier == "at least (lower bound)" and not f.approx
    assert one(nlp, "But last week's forum attracted only three.").value == 3


# --- what is not a figure -------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "The forum was held in 2017 and again in 2019.",
    "The talks took place on May 16-17, 2024.",
    "The Power of Siberia 2 pipeline was not mentioned, nor was the G20 or the Su-57.",
    "He told BBC Radio 4's Today programme about Section 28 and Clause 4.",
    "He lives at 10 Downing Street.",
    "The two sides signed; the two countries agreed.",
    "It was his first trip since his fifth term began.",
    "The list of agreements,[1] was released.",
    "The prince, 20, apologised.",
    "Mr Makarov joined as an idealistic 20 year-old.",
    "She moved to Powys nearly 20 years ago.",
    "Two of the men and one of the women were freed.",
    "Putin was just one among many leaders.",
    "One in five decisions are overturned; about six out of 20 women work.",
    "Schools will stay open from 0800 to 1800GMT.",
    "Growth was strong in the first nine months of the year.",
])
def test_not_figures(nlp, text):
    assert figures(nlp, text) == []


@pytest.mark.parametrize("text", [
    "He slashed his face about 30 times.",  # a frequency, not a ratio
    "The plan for a four-tier diploma and three-party politics.",  # classifiers, not sizes
    "Growth was strong over the past five years.",  # the name of a period
    "A furore broke out over one sentence.",  # "over" as a preposition, "one" as a determiner
    "He has died aged 93, four years after the war.",
    "Mr Thorpe talked to the Guildford Four on BBC Radio Four.",
    "Mr Hague became an MP at 27 and Leader of the Opposition at 36.",
    "The killer, Warren Leblanc, 17 - who was jailed for life - had mimicked the game.",
    "The minimum age of 21 for an MP would be reduced to 18.",
    "Few schools at Key Stages 1, 3 and 4 met that target.",
    "It stands for some thing and not some one.",
])
def test_more_not_figures(nlp, text):
    assert figures(nlp, text) == []


def test_elliptical_and_spaced_forms(nlp):
    assert values(nlp, "Howard was planning £35 bn cuts.") == [(35e9, "GBP")]
    assert values(nlp, "The legal limit would fall from 24 weeks to 20.") == [(24, "weeks"), (20, "weeks")]
    assert values(nlp, "The longest scroll stretches for about 300m.") == []  # metres or millions?


def test_a_level_is_not_an_age(nlp):
    assert values(nlp, "The death toll stands at 150.") == [(150, "count")]


def test_partitive_counts_take_the_whole_noun(nlp):
    found = figures(nlp, "Indonesia had 94,000 of the 140,000 confirmed deaths.")
    assert [(f.value, f.unit) for f in found] == [(94000, "deaths"), (140000, "deaths")]


def test_sentence_start_and_final_abbreviation(nlp):
    f = one(nlp, "Up to 1.4m workers could take part in a strike.")
    assert (f.value, f.unit, f.qualifier) == (1.4e6, "people", "up to (upper bound)")
    f = one(nlp, "The e-University attracted few students at a cost of £50m.")
    assert (f.surface, f.value) == ("£50m", 50e6)


def test_zero_count_needs_a_period(nlp):
    found = figures(nlp, "Russia saw no BRI investments in 2022, and only one deal in 2023.")
    assert [(f.value, f.unit, f.period) for f in found] == [(0, "investments", "2022"), (1, "deals", "2023")]
    assert figures(nlp, "There are no plans for new investments.") == []


# --- context ----------------------------------------------------------------------------


def test_attribution_from_reporting_verb(nlp):
    f = one(nlp, "The volume of trade turnover between the countries has already increased by 60%, Gabuev said.")
    assert f.attributed_to == "Gabuev"
    f = one(nlp, "Women earn 19% less than men, according to the Equal Opportunities Commission.")
    assert f.attributed_to in ("the Equal Opportunities Commission", "Equal Opportunities Commission")


def test_attribution_uses_full_names_and_skips_the_writers_frame(nlp):
    found = figures(nlp, "Alexander Gabuev is an expert. In the nearly two years since the invasion of "
                         "Ukraine, trade has increased by 60%, Gabuev said.")
    frame, share = found
    assert (frame.value, frame.unit, frame.attributed_to) == (2, "years", None)
    assert share.attributed_to == "Alexander Gabuev"
    assert share.period == "nearly two years"


def test_pronoun_speaker_resolves_to_the_last_person(nlp):
    found = figures(nlp, "Jack Straw spoke on Monday. He said the move would save £6m a year.")
    assert [f.attributed_to for f in found] == ["Jack Straw"]


def test_no_attribution_without_a_claim(nlp):
    f = one(nlp, "Chinese exports to Russia in 2023 were up 47 percent compared to 2022.")
    assert f.attributed_to is None


def test_forecast_status_and_period_with_preposition(nlp):
    f = one(nlp, "By early 2024, trade turnover between the countries could reach $200 billion a year, "
                 "Putin said in an interview.")
    assert (f.status, f.period, f.attributed_to) == ("forecast", "by early 2024", "Putin")
    f = one(nlp, "Sales are expected to increase to at least 380,000 vehicles by the end of the year.")
    assert f.status == "forecast"
    f = one(nlp, "Ministers aim to raise spending to £2bn.")
    assert f.status == "target"


def test_period_is_the_nearest_date_not_the_baseline(nlp):
    found = figures(nlp, "Chinese exports to Russia in 2023 were up 47 percent compared to 2022, "
                         "representing 45 percent of total bilateral trade turnover.")
    assert [f.period for f in found] == ["2023", "2023"]
    f = one(nlp, "Last week's forum attracted only three.")
    assert f.period and f.period.startswith("2024-05")


def test_period_defaults_to_publication_date_for_actual_values(nlp):
    assert one(nlp, "The two-day meeting took place in Beijing.").period == PUBLISHED
    found = figures(nlp, "The two-day meeting took place in Beijing.", published=None)
    assert found[0].period is None


def test_measure_comes_from_the_parse(nlp):
    f = one(nlp, "Putin drew attention to the high bilateral trade volume between Russia and China, "
                 "which has reached $240 billion.")
    assert f.measure == "high bilateral trade volume between Russia and China"
    assert one(nlp, "Exports rose 47 percent.").measure == "change in Exports"


def test_quote_speaker_claims_figures_inside_the_quote(nlp):
    text = ('"Such a pipeline, with a capacity of 55 billion cubic meters a year, will not replace the '
            'halted supplies," Mikhail Krutikhin said.')
    f = figures(nlp, text)[0]
    assert f.attributed_to == "Mikhail Krutikhin"


def test_works_without_the_dates_and_quotes_components():
    nlp = load_pipeline(("dyad_dates", "dyad_quotes"))
    f = one(nlp, "Chinese exports to Russia in 2023 were up 47 percent, Gabuev said.")
    assert (f.value, f.period, f.attributed_to) == (47, "2023", "Gabuev")


def test_odd_tokens_do_not_break_the_component(nlp):
    text = "Flows of 5bcm, 2²  items, ٣ units, 1,2,3 and 00:30, 1e6, $, £ and 12.5.6 were seen in 2023-24."
    figures(nlp, text)  # must not raise


def test_component_config_is_validated():
    import spacy

    blank = spacy.blank("en")
    with pytest.raises(ValueError):
        blank.add_pipe("dyad_figures", config={"default_period": "sometimes"})
