"""What the reader knows of a case: the names its parties and issues go by, who negotiates with
whom, and its stoppages (the lexicon the rule-based matcher is built from).

>>> from accord.model import Case
>>> case = Case(id="c", title="t", parties=[
...     {"id": "wga", "name": "Writers Guild of America", "short_name": "WGA", "kind": "union",
...      "aliases": ["the guild"]},
...     {"id": "amptp", "name": "AMPTP", "kind": "coalition", "aliases": ["the studios"]}])
>>> lexicon = Lexicon.of(case)
>>> sorted(phrase for label, item, phrase in lexicon.patterns if item == "wga")
['WGA', 'Writers Guild of America', 'guild', 'the guild']
>>> lexicon.counterpart("wga")
'amptp'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from accord.model import Case, PartyKind, Proposal, ProvisionIssue, Request

Pattern = tuple[str, str, str]
"""``(label, id, phrase)``: a phrase the entity ruler marks as a party or an issue."""


@dataclass(frozen=True)
class Lexicon:
    """The phrases naming each party and issue, and the relations the reader needs."""

    patterns: tuple[Pattern, ...]
    coalition_of: dict[str, tuple[str, ...]]
    members_of: dict[str, tuple[str, ...]]
    partners: dict[str, str]
    principal: str | None
    labels: dict[str, str]

    @classmethod
    def of(cls, case: Case) -> Lexicon:
        patterns: set[Pattern] = set()
        for party in case.parties:
            for phrase in (party.name, party.short_name, *party.aliases):
                patterns |= _phrases("PARTY", party.id, phrase)
        for issue in case.issues:
            for phrase in (issue.name, *issue.aliases):
                patterns |= _phrases("ISSUE", issue.id, phrase)
            if isinstance(issue, ProvisionIssue):
                for provision in issue.provisions:
                    patterns |= _phrases("ISSUE", issue.id, provision.id.replace("_", " "))
        coalition_of: dict[str, list[str]] = {}
        for party in case.parties:
            for member in party.members:
                coalition_of.setdefault(member, []).append(party.id)
        return cls(
            patterns=tuple(sorted(patterns)),
            coalition_of={k: tuple(v) for k, v in coalition_of.items()},
            members_of={p.id: tuple(p.members) for p in case.parties if p.members},
            partners=_partners(case),
            principal=_principal(case),
            labels={p.id: p.label for p in case.parties},
        )

    def counterpart(self, party: str | None) -> str | None:
        """The party ``party`` negotiates with (for a coalition's member: its coalition's)."""
        if party is None:
            return None
        if party in self.partners:
            return self.partners[party]
        for coalition in self.coalition_of.get(party, ()):
            if coalition in self.partners:
                return self.partners[coalition]
        return None

    def same_side(self, party: str) -> set[str]:
        """``party``, its coalitions and its members: whose records a draft by ``party`` may restate."""
        side = {party, *self.coalition_of.get(party, ()), *self.members_of.get(party, ())}
        return side


def _phrases(label: str, item_id: str, phrase: str | None) -> set[Pattern]:
    """The phrase as given and without a leading article ("the guild" also matches "guild")."""
    if not phrase or not phrase.strip():
        return set()
    text = re.sub(r"\s+", " ", phrase.strip())
    found = {(label, item_id, text)}
    bare = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    if bare and bare != text:
        found.add((label, item_id, bare))
    return found


def _partners(case: Case) -> dict[str, str]:
    """Each party's most frequent other side in the case's proposals and requests."""
    pairs: Counter[tuple[str, str]] = Counter()
    for record in case.records():
        if isinstance(record, (Proposal, Request)):
            pairs[(record.from_party, record.to_party)] += 1
            pairs[(record.to_party, record.from_party)] += 1
    partners: dict[str, str] = {}
    for (party, other), _ in pairs.most_common():
        partners.setdefault(party, other)
    if not partners:
        unions = [p.id for p in case.parties if p.kind is PartyKind.UNION]
        others = [p.id for p in case.parties if p.kind in (PartyKind.COALITION, PartyKind.EMPLOYER)]
        if unions and others:
            partners = {unions[0]: others[0], others[0]: unions[0]}
    return partners


def _principal(case: Case) -> str | None:
    """The party that makes or receives the most proposals."""
    counts: Counter[str] = Counter()
    for proposal in case.proposals:
        counts[proposal.from_party] += 1
        counts[proposal.to_party] += 1
    return counts.most_common(1)[0][0] if counts else None
