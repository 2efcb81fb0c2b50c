"""Constructions of wire news that the rules code (issue 16, recall), and their limits (precision).

Every sentence here is written for the test; none comes from a gold set.
"""

from __future__ import annotations

import pytest

from communique.events.extractor import DATELINE_COLON, EventExtractor
from tests.support.extraction import PUBLISHED, dyads


@pytest.fixture(scope="module")
def with_verbs() -> EventExtractor:
    """The extractor with every knowledge source on, the PETRARCH-2 verbs included."""
    return EventExtractor(without=())


def _dyads(extractor: EventExtractor, text: str) -> set[tuple[str, str, str]]:
    return dyads(extractor.extract("test", text, PUBLISHED))


def test_a_time_clause_is_no_action_of_its_head(extractor: EventExtractor) -> None:
    """'agreed ... after Y set a deadline': Y's deadline is not what the subject agreed to."""
    found = _dyads(extractor, "Chile agreed to a peace plan on Monday after Peru set a deadline for a reply.")
    assert not any(target == "PER" and source == "CHL" and code.startswith("13") for code, source, target in found)


def test_a_demand_falls_on_the_subject_of_the_demanded_clause(with_verbs: EventExtractor) -> None:
    """'demanded that Y cancel plans to sell arms to Z': the demand is made of Y, not of Z."""
    found = _dyads(with_verbs, "Argentina demanded that Chile cancel plans to sell warships to Peru.")
    assert any(source == "ARG" and target == "CHL" and code.startswith("10") for code, source, target in found)
    assert not any(target == "PER" for _, _, target in found)


def test_an_intent_over_a_passive_with_an_agent_is_not_the_subject_s(with_verbs: EventExtractor) -> None:
    """'expected to be joined by Y': the joining is Y's act, not an intent of the subject."""
    text = "Spanish and Moroccan ships began exercises on Monday, expected to be joined later by Greek vessels."
    assert not any(target == "GRC" for _, _, target in _dyads(with_verbs, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Norway threatened to deliver harsh blows to Sweden.", ("130", "NOR", "SWE")),
        ("Austria plans to reduce its troops in Kosovo.", ("0356", "AUT", "XKX")),
    ],
)
def test_dictionary_verbs_state_the_action_of_our_governing_triggers(
    with_verbs: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _dyads(with_verbs, text)


@pytest.mark.parametrize(
    "text",
    [
        "Danish soldiers beat up Swedish fans near the stadium.",
        "A Finnish diplomat who left Oslo on Monday described the mood there.",
        "A Chilean judge ordered the former minister to explain arms sales to Peru.",
    ],
)
def test_dictionary_verbs_alone_make_no_event(with_verbs: EventExtractor, text: str) -> None:
    assert _dyads(with_verbs, text) == set()


def test_a_dictionary_verb_gives_way_to_our_trigger_under_a_refusal(with_verbs: EventExtractor) -> None:
    """'refused to lift the curfew': one rejection, not also an easing of the curfew."""
    found = _dyads(with_verbs, "The Moroccan government refused to lift the curfew on Algerian traders.")
    assert found
    assert all(code.startswith("12") for code, _, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "An armed group in Yemen threatened to behead a Korean hostage unless Seoul pulled its troops out.",
            ("130", "YEM", "KOR"),
        ),
        (
            "Militants in Syria threatened to kill a French engineer if Paris does not free their comrades.",
            ("130", "SYR", "FRA"),
        ),
    ],
)
def test_a_threat_with_a_condition_is_aimed_at_the_condition_s_subject(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    """The demanded act under 'unless/if' is not what is threatened; armed groups are coded where they fight."""
    assert expected in _dyads(extractor, text)


def test_an_armed_group_without_a_country_is_not_guessed(extractor: EventExtractor) -> None:
    assert (
        _dyads(extractor, "Militants threatened to kill a French engineer if Paris does not free their comrades.")
        == set()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kenyan president is to visit Tanzania next month.", ("036", "KEN", "TZA")),
        ("The Kenyan president is due to visit Tanzania.", ("036", "KEN", "TZA")),
        ("Peru's foreign minister is scheduled to meet his Chilean counterpart in Lima.", ("036", "PER", "CHL")),
        ("The Kenyan president was preparing to fly to Tanzania.", ("036", "KEN", "TZA")),
        ("Chile is poised to sign a trade pact with Peru.", ("030", "CHL", "PER")),
    ],
)
def test_a_scheduled_act_is_an_intent(extractor: EventExtractor, text: str, expected: tuple[str, str, str]) -> None:
    """'is to', 'is due to', 'is scheduled to': the act is planned, not done (CAMEO 03, not 04/05)."""
    found = _dyads(extractor, text)
    assert expected in found
    assert not any(code.startswith(("04", "05")) for code, _, _ in found)


@pytest.mark.parametrize(
    "text",
    [
        "LIMA, March 4: Peru and Chile have agreed to an early reopening of the border.",
        "LIMA : Peru and Chile have agreed to an early reopening of the border.",
    ],
)
def test_a_dateline_with_a_colon_is_not_the_subject(extractor: EventExtractor, text: str) -> None:
    assert {("030", "PER", "CHL"), ("030", "CHL", "PER")} <= _dyads(extractor, text)


@pytest.mark.parametrize(
    ("text", "dateline"), [("LIMA, March 4: Peru", True), ("LIMA : Peru", True), ("US: Iran", False)]
)
def test_only_a_city_with_a_date_or_a_spaced_colon_is_a_dateline(text: str, dateline: bool) -> None:
    """'US: Iran must ...' is a headline whose first word is a party, not a dateline."""
    assert bool(DATELINE_COLON.match(text)) is dateline


def test_a_duration_inside_a_nested_clause_is_not_the_event_s(extractor: EventExtractor) -> None:
    """'have agreed to reopen a border closed since 2001': the agreement is news, the closure background."""
    found = _dyads(
        extractor, "Peru and Chile have agreed to an early reopening of a border crossing closed since 2001."
    )
    assert ("030", "PER", "CHL") in found


def test_a_present_perfect_over_years_stays_background(extractor: EventExtractor) -> None:
    assert _dyads(extractor, "Peru has criticised Chile for years over the border.") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Austria will reduce the number of its troops in Kosovo next year.", ("0356", "AUT", "XKX")),
        ("Austria reduced its troops in Kosovo on Monday.", ("0874", "AUT", "XKX")),
        ("Kenya voiced deep concern over Uganda's new border law.", ("111", "KEN", "UGA")),
        ("Chile made overtures to the Bolivian government.", ("030", "CHL", "BOL")),
    ],
)
def test_more_wordings_of_diplomacy(extractor: EventExtractor, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _dyads(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Austria reduced its budget deficit in Kosovo.",  # not troops
        "Kenya raised concern.",  # no party the concern is about
    ],
)
def test_those_wordings_need_their_object(extractor: EventExtractor, text: str) -> None:
    assert _dyads(extractor, text) == set()


def test_a_time_clause_of_a_future_is_a_plan(extractor: EventExtractor) -> None:
    """'... will top the agenda when X welcomes Y': the welcome is ahead, an intent; in the past it happened."""
    ahead = "Trade will top the agenda when the Spanish prime minister welcomes the French president to a summit."
    done = "Trade topped the agenda when the Spanish prime minister welcomed the French president to a summit."
    assert ("036", "ESP", "FRA") in _dyads(extractor, ahead)
    assert ("043", "ESP", "FRA") in _dyads(extractor, done)


def test_a_time_clause_reaches_the_future_of_its_sentence(extractor: EventExtractor) -> None:
    text = "Kenyan President William Ruto will be the first leader to address the forum when he travels to Ethiopia."
    found = _dyads(extractor, text)
    assert ("036", "KEN", "ETH") in found
    assert not any(code.startswith("04") for code, _, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syria's official newspaper criticised Turkey on Monday.", ("111", "SYR", "TUR")),
        ("China's state media condemned Japan on Monday.", ("111", "CHN", "JPN")),
    ],
)
def test_state_media_speak_for_their_state(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _dyads(extractor, text)


def test_private_media_do_not(extractor: EventExtractor) -> None:
    assert _dyads(extractor, "A Syrian newspaper criticised Turkey on Monday.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Nigerian President Adebayo Okonkwo spoke on Monday.\nOkonkwo condemned Ghana.",
        "Okonkwo condemns Ghana over border\nNigerian President Adebayo Okonkwo spoke on Monday.",
    ],
)
def test_a_surname_anywhere_in_the_article_is_the_titled_person_named_in_it(
    extractor: EventExtractor, text: str
) -> None:
    """A person the tables do not know, tied to a country by the article, even where the tagger reads a noun."""
    assert ("111", "NGA", "GHA") in _dyads(extractor, text)


def test_an_unknown_president_without_a_country_gives_no_event(extractor: EventExtractor) -> None:
    assert _dyads(extractor, "President Adebayo Okonkwo condemned Ghana on Monday.") == set()


def test_a_surname_shared_by_people_of_two_countries_resolves_nothing(extractor: EventExtractor) -> None:
    text = (
        "Nigerian President Adebayo Okonkwo and Ghanaian Foreign Minister Kofi Okonkwo spoke on Monday.\n"
        "Okonkwo condemned Togo."
    )
    assert not any(target == "TGO" for _, _, target in _dyads(extractor, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kenyan foreign minister spoke to reporters during a visit to Uganda.", ("042", "KEN", "UGA")),
        ("The Kenyan foreign minister said on a visit to Uganda that trade was growing.", ("042", "KEN", "UGA")),
    ],
)
def test_the_subject_takes_part_in_an_event_around_its_clause(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _dyads(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Kenya allowed visits by officials to Uganda.",  # the one who allows does not visit
        "Kenya said no date has been set for talks with Uganda.",  # nothing was set
        "No agreement was reached between Kenya and Uganda on Monday.",
    ],
)
def test_no_participant_is_guessed_and_no_is_a_negation(extractor: EventExtractor, text: str) -> None:
    assert _dyads(extractor, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("British prime minister to visit China next week", ("036", "GBR", "CHN")),
        ("Kenyan president to meet Ugandan leader in Kampala", ("036", "KEN", "UGA")),
    ],
)
def test_a_headline_infinitive_is_a_plan(extractor: EventExtractor, text: str, expected: tuple[str, str, str]) -> None:
    found = _dyads(extractor, text)
    assert expected in found
    assert not any(code.startswith("04") for code, _, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chile announced plans to sign a trade pact with Peru.", ("030", "CHL", "PER")),
        ("Chile expressed its readiness to resume talks with Peru.", ("036", "CHL", "PER")),
        ("Chile made an offer to Peru on Monday.", ("030", "CHL", "PER")),
        ("Chile rejected a plan to withdraw troops from Peru.", ("124", "CHL", "PER")),
    ],
)
def test_nouns_of_intent(extractor: EventExtractor, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _dyads(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Israel announced plans to build houses in the West Bank.",  # building is no act towards a party
        "Chile has a plan for Peru.",
    ],
)
def test_a_plan_needs_an_act_towards_a_party(extractor: EventExtractor, text: str) -> None:
    assert _dyads(extractor, text) == set()


def test_pressing_a_party_is_an_appeal_pressing_on_is_not(extractor: EventExtractor) -> None:
    assert ("020", "USA", "ISR") in _dyads(extractor, "The US envoy pressed Israeli leaders for steps towards peace.")
    assert _dyads(extractor, "Israeli troops pressed on with a large offensive near the Egyptian border.") == set()


def test_the_named_members_of_a_group_act(extractor: EventExtractor) -> None:
    """'Several Western countries, including France': France is coded, the unnamed rest is not."""
    assert _dyads(extractor, "Several Western countries, including France, condemned Iran's decision.") == {
        ("111", "FRA", "IRN")
    }
    assert _dyads(extractor, "Several Western countries condemned Iran's decision.") == set()


def test_should_is_an_appeal_must_a_demand(extractor: EventExtractor) -> None:
    assert ("020", "IGO", "SDN") in _dyads(extractor, "The UN refugee chief said that Sudan should open its border.")
    assert ("100", "IGO", "SDN") in _dyads(extractor, "The UN refugee chief said that Sudan must open its border.")


@pytest.mark.parametrize(
    "text",
    [
        "On the eve of a UN Security Council visit to Nairobi, members argued over a draft.",
        "Ahead of a UN Security Council visit to Nairobi, members argued over a draft.",
    ],
)
def test_an_event_on_the_eve_of_which_something_happens_is_ahead(extractor: EventExtractor, text: str) -> None:
    found = _dyads(extractor, text)
    assert ("036", "IGO", "KEN") in found
    assert not any(code.startswith("04") for code, _, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kenyan president visited Seattle on Monday.", ("042", "KEN", "USA")),
        ("The Kenyan president arrived in Seattle on Monday.", ("042", "KEN", "USA")),
        ("Washington stepped up its charges that Damascus was sheltering rebel leaders.", ("112", "USA", "SYR")),
    ],
)
def test_a_city_is_visited_and_charges_accuse(
    extractor: EventExtractor, text: str, expected: tuple[str, str, str]
) -> None:
    """A city counts by its country, in the prefilter too; 'stepped up its charges that Y ...' accuses Y."""
    assert expected in _dyads(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "The Kenyan president visited Mombasa on Monday.",  # at home
        "The Kenyan president visited a border area near Somalia.",  # near a country is not in it
    ],
)
def test_a_visit_needs_a_place_abroad(extractor: EventExtractor, text: str) -> None:
    assert _dyads(extractor, text) == set()
