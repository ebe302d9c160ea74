"""The reader, rule by rule, on sentences written for each: who speaks, dates, turns, stances,
offers, answers, requests, counts of strike days in both conventions, and matching."""

from __future__ import annotations

import datetime as dt

import pytest
from corpus import articles

from accord.casefile import bundled_case
from accord.ingest import Draft, read_article
from accord.ingest.drafts import Check, Convention, DateBasis, DraftKind, Evidence
from accord.model import Confidence

WGA = bundled_case("wga-amptp-2023")
SEPT_9 = dt.date(2023, 9, 9)


def _read(text: str, published: dt.date = SEPT_9) -> list[Draft]:
    return list(read_article(WGA, "Headline\n\n" + text, published=published).drafts)


def _one(text: str, kind: DraftKind, published: dt.date = SEPT_9) -> Draft:
    found = [d for d in _read(text, published) if d.kind is kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("The AMPTP said the offer was fair.", "amptp"),
        ('"The offer was fair," said a statement from the studio group.', "amptp"),
        ("The guild also said the offer fell short.", "wga"),
        ("According to the guild, the offer fell short.", "wga"),
        ("The offer fell short, according to a memo the guild sent to members.", "wga"),
        ('"The offer fell short," said Ellen Stutzman, the WGA\'s chief negotiator.', "wga"),
        ("Carol Lombardini, the AMPTP's president, said the offer was fair.", "amptp"),
        ("Netflix co-chief executive Ted Sarandos said the offer was fair.", "netflix"),
        ("The studios broke off talks, saying the guild had not moved.", "amptp"),
        ("Member companies insisted that the offer was fair.", "amptp"),
    ],
)
def test_a_statement_is_attributed_to_the_party_that_speaks(sentence, party):
    draft = _one(
        sentence, next(d.kind for d in _read(sentence) if d.kind in (DraftKind.STATEMENT, DraftKind.STANCE))
    )
    assert draft.party == party


def test_no_draft_for_anonymous_sources_nor_for_a_refusal_to_comment():
    assert _read("People close to the talks said the studios were split.") == []
    assert _read('"It is about time," said one showrunner on a picket line outside Paramount.') == []
    assert _read("Lombardini did not comment on the blackout.") == []


def test_a_quotation_gets_its_speaker_from_the_sentence_it_runs_into_or_the_one_before():
    drafts = _read(
        '"We made our move. Now we are waiting on them," a guild spokesperson said Friday. "Really."'
    )
    assert [(d.party, d.date, d.evidence) for d in drafts if d.kind is DraftKind.STATEMENT] == [
        ("wga", dt.date(2023, 9, 8), Evidence.QUOTE),
        ("wga", dt.date(2023, 9, 8), Evidence.QUOTE),
    ]
    assert [(d.party, d.turn_of) for d in drafts if d.kind is DraftKind.TURN] == [("wga", "amptp")]


def test_a_quote_is_confidence_a_reported_speech_b_and_the_quote_is_kept():
    quoted = _one('"We are close on AI," the AMPTP said Friday.', DraftKind.STANCE)
    reported = _one("The AMPTP said Friday it was close on AI.", DraftKind.STANCE)
    assert (quoted.evidence, quoted.confidence, quoted.quote) == (
        Evidence.QUOTE,
        Confidence.A,
        "We are close on AI",
    )
    assert (reported.evidence, reported.confidence, reported.quote) == (Evidence.REPORTED, Confidence.B, None)
    assert quoted.issues == ("ai",) and quoted.stance is not None and quoted.stance.value == "close"


def test_dates_stated_next_to_the_verb_else_the_speakers_else_the_lead_else_published():
    drafts = _read(
        "The guild said on Thursday it would not return. The guild added that talks were over. "
        "The AMPTP says it is ready."
    )
    assert [(d.party, d.date, d.date_basis) for d in drafts] == [
        ("wga", dt.date(2023, 9, 7), DateBasis.STATED),
        ("wga", dt.date(2023, 9, 7), DateBasis.CONTEXT),
        ("amptp", SEPT_9, DateBasis.PUBLISHED),
    ]


def test_requests_and_disputed_turns_from_one_quotation():
    drafts = _read(
        '"We have asked the WGA to identify any remaining holes in the AI offer and it has not responded," '
        "the AMPTP said Friday."
    )
    turn = next(d for d in drafts if d.kind is DraftKind.TURN)
    request = next(d for d in drafts if d.kind is DraftKind.REQUEST)
    assert (turn.party, turn.turn_of, turn.issues) == ("amptp", "wga", ("ai",))
    assert (request.party, request.to, request.asks.value, request.date) == (
        "amptp",
        "wga",
        "information",
        dt.date(2023, 9, 8),
    )


@pytest.mark.parametrize(
    ("sentence", "speaker", "turn_of"),
    [
        ("The guild said the ball is in the studios' court.", "wga", "amptp"),
        ("In its memo, the WGA said the standstill comes from the studios' end.", "wga", "amptp"),
        ("The AMPTP said it was still waiting for the guild's response.", "amptp", "wga"),
        ('"Now it is their move," the guild said.', "wga", "amptp"),
        ("The AMPTP said the guild holds the power to move this forward by responding.", "amptp", "wga"),
    ],
)
def test_whose_turn_a_statement_claims(sentence, speaker, turn_of):
    drafts = [d for d in _read(sentence) if d.kind is DraftKind.TURN]
    assert [(d.party, d.turn_of) for d in drafts] == [(speaker, turn_of)]


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The studios said the sides were close to a deal.", "close"),
        ("The guild said the two sides remain far apart.", "apart"),
        ("The AMPTP said the guild was entrenched on staffing.", "entrenched"),
        ("The guild said talks were at an impasse.", "impasse"),
        ("The studios said they had made progress on AI.", "progress"),
    ],
)
def test_stance_claims(sentence, stance):
    assert _one(sentence, DraftKind.STANCE).stance.value == stance


def test_people_close_to_the_talks_are_not_a_stance():
    assert not [
        d
        for d in _read("People close to the talks said the CEOs would attend.")
        if d.kind is DraftKind.STANCE
    ]


def test_offers_on_each_date_are_matched_to_the_proposals_the_case_holds():
    offers = [
        d
        for d in _read("The AMPTP said it made a last round of offers on August 17th and 18th.")
        if d.kind is DraftKind.OFFER
    ]
    assert [(d.party, d.to, d.date, d.matches) for d in offers] == [
        ("amptp", "wga", dt.date(2023, 8, 17), "amptp-2023-08-17"),
        ("amptp", "wga", dt.date(2023, 8, 18), "amptp-2023-08-18"),
    ]


def test_an_offer_the_case_does_not_hold_is_proposed_unmatched():
    offer = _one("The studios presented a new offer to the guild on Sept. 1.", DraftKind.OFFER)
    assert (offer.party, offer.date, offer.matches) == ("amptp", dt.date(2023, 9, 1), None)


def test_promised_and_hypothetical_offers_are_not_offers():
    assert not [
        d
        for d in _read("The guild said it would present a counterproposal next week.")
        if d.kind is DraftKind.OFFER
    ]
    assert not [
        d
        for d in _read("The AMPTP has made just one proposal since the strike began.")
        if d.kind is DraftKind.OFFER
    ]


def test_an_answer_names_who_answered_whom_and_what_it_answers():
    response = _one("The guild rejected the studios' Aug. 11 proposal on Tuesday.", DraftKind.RESPONSE)
    assert (response.party, response.to, response.date, response.responds_to) == (
        "wga",
        "amptp",
        dt.date(2023, 9, 5),
        "amptp-2023-08-11",
    )
    assert not [d for d in _read("The guild has not responded to the offer.") if d.kind is DraftKind.RESPONSE]


@pytest.mark.parametrize(
    ("sentence", "published", "claimed", "check", "convention"),
    [
        (
            "The writers' strike hit 129 days on Friday.",
            SEPT_9,
            129,
            Check.CONSISTENT,
            Convention.DAYS_COMPLETED,
        ),
        (
            "The writers' strike reached its 130th day on Friday.",
            SEPT_9,
            130,
            Check.CONSISTENT,
            Convention.DAY_NUMBER,
        ),
        ("The writers' strike is now in its 130th day.", SEPT_9, 130, Check.INCONSISTENT, None),
        (
            "The actors' walkout is at 56 days and counting, as of Friday.",
            SEPT_9,
            56,
            Check.CONSISTENT,
            Convention.DAYS_COMPLETED,
        ),
        (
            "Writers ended their strike after 148 days.",
            dt.date(2023, 10, 2),
            148,
            Check.CONSISTENT,
            Convention.TOTAL,
        ),
        ("Writers ended their strike after 146 days.", dt.date(2023, 10, 2), 146, Check.INCONSISTENT, None),
    ],
)
def test_counts_of_strike_days_are_checked_in_both_conventions(
    sentence, published, claimed, check, convention
):
    draft = _one(sentence, DraftKind.STOPPAGE_DAYS, published)
    claim = draft.stoppage
    assert (claim.claimed, claim.check, claim.convention) == (claimed, check, convention), claim.explanation
    assert claim.stoppage in ("wga-strike-2023", "sag-aftra-strike-2023")
    if check is Check.INCONSISTENT:
        assert "the case's counters say" in claim.explanation


def test_counts_of_other_things_or_other_strikes_are_not_claims():
    assert not _read("The deal came after five days of talks.")
    assert not _read("The last strike by the guild, in 2007 and 2008, lasted 100 days.")


def test_a_statement_that_restates_a_record_names_it():
    statement = _one('"Any suggestion to the contrary is false," the AMPTP said Friday.', DraftKind.STATEMENT)
    assert statement.matches == "statement-amptp-2023-09-08-aligned"
    fresh = _one('"We will never accept this," the AMPTP said Friday.', DraftKind.STATEMENT)
    assert fresh.matches is None


def test_records_after_the_article_are_never_restated():
    statement = _one(
        '"Any suggestion to the contrary is false," the AMPTP said.', DraftKind.STATEMENT, dt.date(2023, 9, 1)
    )
    assert statement.matches is None


def test_a_2000_word_article_gives_the_drafts_of_its_parts():
    parts = [
        a for a in articles() if a.case.id == "wga-amptp-2023" and a.path.suffix == ".txt" and not a.heldout
    ]
    bodies = [a.raw.decode().split("\n", 2)[2] for a in parts]
    text = "Headline\n\n" + "\n\n".join(bodies * 3)
    words = len(text.split())
    assert words >= 2000, words
    long = read_article(WGA, text, published=SEPT_9).drafts
    per_part = sum(len(read_article(WGA, "Headline\n\n" + b, published=SEPT_9).drafts) for b in bodies) * 3
    assert abs(len(long) - per_part) <= per_part * 0.1
    assert len({d.id for d in long}) == len(long)
