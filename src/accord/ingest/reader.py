"""Read an article against a case: sentence by sentence, who speaks, what they claim, what the
article says was offered, answered and asked, and how long the strike has lasted; each finding a
draft pinned to its sentence, matched to the record it restates where the case holds one.

Pure: given the article, its published date and the case, the same drafts every time (no clock,
no files, no network).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from accord.ingest import claims, offer_claims, request_claims, response_claims
from accord.ingest.attribution import Attribution, attribute
from accord.ingest.counts import check_count, counts_as_of, find_counts, mentions_other_years, says_now
from accord.ingest.drafts import (
    EVIDENCE_CONFIDENCE,
    ArticleInfo,
    DateBasis,
    Draft,
    DraftKind,
    Evidence,
    Reading,
    StoppageClaim,
)
from accord.ingest.lexicon import Lexicon
from accord.ingest.matching import match_event, match_proposal, match_statement
from accord.ingest.nlp import analysed
from accord.ingest.text import article_text
from accord.ingest.view import State, View
from accord.ledger.stoppages_view import StoppageCount, StoppageState
from accord.model import Case, Confidence, Request, Response

_KIND_ORDER = {kind: n for n, kind in enumerate(DraftKind)}
_LOWER = {Confidence.A: Confidence.B, Confidence.B: Confidence.C, Confidence.C: Confidence.C}


def read_article(
    case: Case,
    raw: bytes | str,
    *,
    published: dt.date,
    source_url: str | None = None,
    outlet: str | None = None,
    fmt: str = "auto",
) -> Reading:
    """The drafts ``raw`` (an article's text or HTML) implies for ``case``.

    Raises :class:`~accord.ingest.text.ArticleError` for input that is not an article in English.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.casefile import bundled_case
    >>> case = bundled_case("wga-amptp-2023")
    >>> text = 'Talks stall\\n\\n"We are close on AI," the AMPTP said Friday.'
    >>> reading = read_article(case, text, published=dt.date(2023, 9, 9))
    >>> [(d.kind.value, d.party, str(d.date), d.stance.value, d.issues) for d in reading.drafts]
    [('stance', 'amptp', '2023-09-08', 'close', ('ai',))]
    """
    article = article_text(raw, fmt=fmt)
    lexicon = Lexicon.of(case)
    with analysed(article.text, lexicon.patterns) as analysis:
        state = State(lexicon, published, salience=Counter(p for p in analysis.party if p))
        views = [View(analysis, s, state) for s in analysis.sentences if not s.is_title]
        state.lead_date = _lead_date(views, published)
        found: list[Draft] = []
        attributions: dict[int, Attribution | None] = {}
        for position, view in enumerate(views):
            attribution = attribute(view)
            if attribution is None and view.s.quote_text:
                attribution = _carried(views, position, attributions)
            attributions[view.s.index] = attribution
            found += _sentence_drafts(case, lexicon, view, attribution)
            _remember(view, attribution)
        drafts = sorted(found, key=lambda d: (d.span[0], _KIND_ORDER[d.kind]))
    numbered = tuple(d.model_copy(update={"id": f"d{n}"}) for n, d in enumerate(drafts, start=1))
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    info = ArticleInfo(
        published=published,
        source_url=source_url,
        outlet=outlet,
        title=article.title,
        format=article.format,
        characters=len(article.text),
        words=len(re.findall(r"\w+", article.text)),
        sentences=len(views),
        digest=f"sha256:{digest}",
        source_id=source_id(outlet, published, digest),
    )
    from accord.ingest.review import case_fingerprint

    return Reading(
        article=info,
        text=article.text,
        drafts=numbered,
        case_id=case.id,
        case_fingerprint=case_fingerprint(case),
    )


def source_id(outlet: str | None, published: dt.date, digest: str) -> str:
    """The id an article gets as a source: ``article-<outlet>-<date>-<digest>``.

    >>> source_id("The Hollywood Ledger", dt.date(2023, 8, 31), "ab12cd34ef")
    'article-the-hollywood-ledger-2023-08-31-ab12cd34'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", (outlet or "unknown").lower()).strip("-")[:30].strip("-") or "unknown"
    return f"article-{slug}-{published.isoformat()}-{digest.removeprefix('sha256:')[:8]}"


def _lead_date(views: list[View], published: dt.date) -> dt.date | None:
    """The first date of the article's first paragraph within two weeks before it was published."""
    if not views:
        return None
    first = views[0].s.paragraph
    for view in views:
        if view.s.paragraph != first:
            break
        for owned in view.dates:
            day = owned.mention.dates[0]
            if published - dt.timedelta(days=14) <= day <= published and owned.mention.precision == "day":
                return day
    return None


def _carried(
    views: list[View], position: int, attributions: dict[int, Attribution | None]
) -> Attribution | None:
    """The speaker of a quotation whose attribution is in another sentence: the one the quotation
    runs on into, else the quotation before it in the paragraph (or ending the paragraph before)."""
    view = views[position]
    end = view.s.end
    if view.s.quotes and view.s.quotes[-1][1] >= end - 1:
        for later in views[position + 1 : position + 4]:
            if later.s.paragraph != view.s.paragraph:
                break
            found = attribute(later)
            if found is not None:
                date, basis = _speech_date(later, found)
                carried = date if basis is DateBasis.STATED else None
                return Attribution(found.party, Evidence.QUOTE, None, found.inferred, found.present, carried)
    if position > 0:
        before = views[position - 1]
        previous = attributions.get(before.s.index)
        same_paragraph = before.s.paragraph == view.s.paragraph
        opens_paragraph = not same_paragraph and before.s.paragraph == view.s.paragraph - 1
        if previous is not None and before.s.quote_text and (same_paragraph or opens_paragraph):
            return Attribution(previous.party, Evidence.QUOTE, None, previous.inferred or opens_paragraph)
    return None


def _remember(view: View, attribution: Attribution | None) -> None:
    state = view.state
    if attribution is not None:
        state.last_speaker = attribution.party
        state.last_speaker_sentence = view.s.index
    subjects = [
        p for i, p in view.parties_in(view.start, view.end - 1, quoted=False) if not view.is_possessive(i)
    ]
    state.previous_subject = subjects[0] if subjects else (attribution.party if attribution else None)


def _speech_date(view: View, attribution: Attribution | None) -> tuple[dt.date, DateBasis]:
    state = view.state
    if attribution is not None and attribution.date is not None:
        return attribution.date, DateBasis.STATED
    if attribution is not None and attribution.verb is not None:
        owned = view.dates_owned_by(attribution.verb)
        if view.cue(attribution.verb - 1, "ACCORDING") or view.cue(attribution.verb, "ACCORDING"):
            owned = [d for d in view.dates if d.first > attribution.verb] or owned
        if owned and not owned[0].mention.ahead:
            return owned[0].mention.dates[0], DateBasis.STATED
    own = [d for d in view.sentence_dates() if not d.mention.ahead and d.mention.precision == "day"]
    if own:
        return own[0].mention.dates[0], DateBasis.STATED
    if attribution is not None and attribution.present:
        return state.published, DateBasis.PUBLISHED
    if attribution is not None and attribution.party in state.speaker_dates:
        return state.speaker_dates[attribution.party], DateBasis.CONTEXT
    if attribution is not None and attribution.verb is None and state.last_speaker in state.speaker_dates:
        return state.speaker_dates[state.last_speaker], DateBasis.CONTEXT
    if state.lead_date is not None:
        return state.lead_date, DateBasis.CONTEXT
    return state.published, DateBasis.PUBLISHED


def _base(view: View, kind: DraftKind, evidence: Evidence, inferred: bool = False) -> dict[str, object]:
    confidence = EVIDENCE_CONFIDENCE[evidence]
    return {
        "id": "d0",
        "kind": kind,
        "known": view.state.published,
        "summary": re.sub(r"\s+", " ", view.s.text).strip(),
        "sentence": view.s.text,
        "span": (view.s.start, view.s.end),
        "evidence": evidence,
        "confidence": _LOWER[confidence] if inferred else confidence,
    }


def _sentence_drafts(
    case: Case, lexicon: Lexicon, view: View, attribution: Attribution | None
) -> list[Draft]:
    speaker = attribution.party if attribution else None
    date, basis = _speech_date(view, attribution)
    if attribution is not None and basis is DateBasis.STATED:
        view.state.speaker_dates[attribution.party] = date
    offers = offer_claims.offers(view, speaker)
    requests = request_claims.requests(view, speaker)
    responses = response_claims.responses(view, speaker, offers, requests)
    drafts: list[Draft] = []
    offer_drafts = [d for o in offers for d in _offer_drafts(case, lexicon, view, o, date, basis)]
    request_drafts = [_request_draft(case, lexicon, view, r, attribution, date, basis) for r in requests]
    turn = claims.turn_of(view, speaker)
    stance = claims.stance_of(view)
    if speaker is not None or turn is not None or stance is not None:
        kind = DraftKind.TURN if turn else DraftKind.STANCE if stance else DraftKind.STATEMENT
        evidence = attribution.evidence if attribution else Evidence.INFERRED
        draft = Draft.model_validate(
            {
                **_base(view, kind, evidence, bool(attribution and attribution.inferred)),
                "party": speaker,
                "date": date if speaker else _own_date(view),
                "date_basis": basis
                if speaker
                else (DateBasis.STATED if _own_date(view) else DateBasis.PUBLISHED),
                "quote": view.s.quote_text
                if attribution and attribution.evidence is Evidence.QUOTE
                else None,
                "issues": view.issues(),
                "turn_of": turn,
                "stance": stance,
                "regarding": tuple(dict.fromkeys(d.matches for d in offer_drafts if d.matches)),
            }
        )
        if draft.date is None:
            draft = draft.model_copy(update={"date": view.state.published})
        drafts.append(draft.model_copy(update={"matches": match_statement(case, lexicon, draft)}))
    drafts += offer_drafts + request_drafts
    for response in responses:
        drafts.append(
            _response_draft(case, lexicon, view, response, offer_drafts, request_drafts, date, basis)
        )
    drafts += _count_drafts(case, view, attribution, date if speaker else None)
    return drafts


def _own_date(view: View) -> dt.date | None:
    own = [d for d in view.sentence_dates() if not d.mention.ahead and d.mention.precision == "day"]
    return own[0].mention.dates[0] if own else None


def _fallback(
    view: View, date: dt.date, basis: DateBasis, *, own_is_stated: bool = True
) -> tuple[dt.date, DateBasis]:
    """The sentence's own date (for an offer only context: the date may be of something else the
    sentence reports), else the date of what was said."""
    own = _own_date(view)
    if own is not None:
        return own, DateBasis.STATED if own_is_stated else DateBasis.CONTEXT
    return date, basis if basis is not DateBasis.STATED else DateBasis.CONTEXT


def _offer_drafts(
    case: Case,
    lexicon: Lexicon,
    view: View,
    offer: offer_claims.OfferMention,
    date: dt.date,
    basis: DateBasis,
) -> list[Draft]:
    evidence = Evidence.QUOTE if view.quoted(offer.token) else Evidence.REPORTED
    base = {
        **_base(view, DraftKind.OFFER, evidence),
        "party": offer.owner,
        "to": offer.to,
        "issues": view.issues(),
    }
    drafts = []
    approximate = offer.precision not in ("day", "month")
    dates: list[tuple[dt.date | None, DateBasis | None]] = [
        (d, DateBasis.CONTEXT if approximate else DateBasis.STATED) for d in offer.dates
    ]
    if not dates:
        dates = [(None, None)] if offer.qualifier else [_fallback(view, date, basis, own_is_stated=False)]
    for day, day_basis in dates:
        draft = Draft.model_validate({**base, "date": day, "date_basis": day_basis})
        month = offer.precision == "month"
        match = match_proposal(case, lexicon, draft, latest=offer.qualifier and day is None, month=month)
        if match is None and day is not None and day_basis is not DateBasis.STATED and not offer.new:
            recent = match_proposal(
                case, lexicon, draft.model_copy(update={"date": None}), latest=True, month=False
            )
            match = recent if recent is not None and (day - recent.date).days <= 14 else None
        if match is not None and (day is None or month or day_basis is not DateBasis.STATED):
            draft = draft.model_copy(update={"date": match.date, "date_basis": DateBasis.RECORD})
        if draft.date is None:
            continue
        drafts.append(draft.model_copy(update={"matches": match.id if match else None}))
    return drafts


def _request_draft(
    case: Case,
    lexicon: Lexicon,
    view: View,
    request: request_claims.RequestMention,
    attribution: Attribution | None,
    date: dt.date,
    basis: DateBasis,
) -> Draft:
    evidence = (
        Evidence.QUOTE
        if view.quoted(request.token)
        else attribution.evidence
        if attribution
        else Evidence.REPORTED
    )
    day, day_basis = (
        (request.date, DateBasis.STATED)
        if request.date
        else ((date, basis) if attribution else _fallback(view, date, basis))
    )
    draft = Draft.model_validate(
        {
            **_base(view, DraftKind.REQUEST, evidence),
            "party": request.party,
            "to": request.to,
            "date": day,
            "date_basis": day_basis,
            "asks": request.asks,
            "issues": view.issues(),
        }
    )
    return draft.model_copy(update={"matches": match_event(case, lexicon, draft, (Request,))})


def _response_draft(
    case: Case,
    lexicon: Lexicon,
    view: View,
    response: response_claims.ResponseMention,
    offer_drafts: list[Draft],
    request_drafts: list[Draft],
    date: dt.date,
    basis: DateBasis,
) -> Draft:
    evidence = Evidence.QUOTE if view.quoted(response.token) else Evidence.REPORTED
    day, day_basis = (response.date, DateBasis.STATED) if response.date else _fallback(view, date, basis)
    answered = next(
        (
            d.matches
            for d in offer_drafts
            if response.answers and d.party == response.answers.owner and d.matches
        ),
        None,
    )
    answered = answered or next(
        (d.matches for d in request_drafts if d.matches and d.party == response.to), None
    )
    draft = Draft.model_validate(
        {
            **_base(view, DraftKind.RESPONSE, evidence),
            "party": response.party,
            "to": response.to,
            "date": day,
            "date_basis": day_basis,
            "responds_to": answered,
            "issues": view.issues(),
        }
    )
    return draft.model_copy(update={"matches": match_event(case, lexicon, draft, (Response,))})


def _count_drafts(
    case: Case, view: View, attribution: Attribution | None, speech_date: dt.date | None
) -> list[Draft]:
    counts = find_counts(view.flat)
    if not counts:
        return []
    tokens = [view.char_token(count.start) for count in counts]
    own = [_count_own_date(view, token) for token in tokens]
    shared = next((d for d in own if d is not None), None)
    drafts = []
    for count, token, as_of in zip(counts, tokens, own, strict=True):
        as_of = as_of or shared or _count_date(view, speech_date)
        stoppage = _which_stoppage(case, view, token, as_of)
        if stoppage is not None and mentions_other_years(view.flat, stoppage):
            continue
        if stoppage is None and _other_years_only(view, case):
            continue
        claim: StoppageClaim = check_count(count.claimed, count.ordinal, count.qualifier, stoppage)
        claim = claim.model_copy(update={"as_of": as_of})
        evidence = attribution.evidence if attribution else Evidence.REPORTED
        draft = Draft.model_validate(
            {
                **_base(view, DraftKind.STOPPAGE_DAYS, evidence),
                "party": attribution.party if attribution else None,
                "date": as_of,
                "date_basis": DateBasis.STATED,
                "stoppage": claim,
            }
        )
        drafts.append(draft)
    return drafts


def _other_years_only(view: View, case: Case) -> bool:
    years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", view.flat)}
    record_years = {r.date.year for r in case.records()}
    return bool(years) and not years & record_years


def _count_own_date(view: View, token: int) -> dt.date | None:
    """A date that belongs to this count: set off just before it ("on Saturday, the 114th day"),
    or the count's own ("hit 129 days on Friday", "Tuesday was day two")."""
    appositive = _appositive_date(view, token)
    if appositive is not None:
        return appositive
    for owned in view.dates:
        if owned.owner_cue == "COUNT" and owned.owner is not None and abs(owned.owner - token) <= 3:
            return owned.mention.dates[0]
    return None


def _count_date(view: View, speech_date: dt.date | None) -> dt.date:
    """The date a count is "as of" when nothing sits right by it: "now" is the published date
    (or the date the speaker said it); else the sentence's date, the speaker's, the published."""
    if says_now(view.flat):
        return speech_date or view.state.published
    own = _own_date(view)
    return own or speech_date or view.state.published


def _appositive_date(view: View, token: int) -> dt.date | None:
    """ "on Saturday, the 114th day": a date just before the count, set off by a comma."""
    for owned in view.dates:
        gap = [view.lower(i) for i in range(owned.last + 1, token)]
        if 0 < len(gap) <= 3 and gap[0] == "," and all(w in (",", "the", "its", "day") for w in gap):
            return owned.mention.dates[0]
    return None


def _which_stoppage(case: Case, view: View, token: int, as_of: dt.date) -> StoppageCount | None:
    """The stoppage a count is about: the one called by the party named nearest before the count
    (else after it), else the only one in force (or ended) as of the date, else the one called by
    the party the article names most."""
    counts = [c for c in counts_as_of(case, as_of) if c.state is not StoppageState.NOT_STARTED]
    if not counts:
        return None
    mentions = view.parties_in(view.start, view.end - 1)
    before = [(token - i, p) for i, p in mentions if i < token]
    after = [(i - token, p) for i, p in mentions if i > token]
    lexicon = view.state.lexicon
    for _, party in sorted(before) + sorted(after):
        for count in counts:
            if count.by in lexicon.same_side(party):
                return count
    in_force = [c for c in counts if c.state is StoppageState.IN_FORCE] or counts
    if len(in_force) == 1:
        return in_force[0]
    salience = view.state.salience
    return max(in_force, key=lambda c: sum(salience.get(p, 0) for p in lexicon.same_side(c.by)))
