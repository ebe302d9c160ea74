"""Rich renderings of ``accord analyze`` and ``accord frontier``: one function per section.

Imported by the commands when they run (it pulls in the analysis package and Rich).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from accord.analysis.case_analysis import CaseAnalysis
from accord.analysis.cost_figures import money
from accord.analysis.efficiency import Improvement
from accord.cli.render import party_label, titled_table
from accord.model import Case, Value
from accord.workflows.analysis import DomainFrontier

MARK = " [assumed preferences]"
"""Appended to the title of every table derived from assumed preferences."""

ASSUMPTION_NOTE = (
    "The preferences are ILLUSTRATIVE ASSUMPTIONS, not published figures: nobody disclosed their weights, "
    "values or walk-away points. Read what follows as what those assumptions imply."
)


def frontier_view(result: DomainFrontier, points: int) -> RenderableType:
    """A domain's frontier: sizes and timing, ``points`` evenly spaced frontier points, the solutions."""
    head = Text(
        f"{result.domain}: {len(result.parties)} parties ({', '.join(result.parties)}), "
        f"{len(result.issues)} issues, {result.n_outcomes:,} outcomes\n"
        f"Frontier: {result.size} points reached by {result.packages} packages, "
        f"in {result.seconds * 1000:.1f} ms\nDisagreement point (reservation values): "
        f"{_utils(result.disagreement)}"
    )
    table = titled_table("", *result.parties)
    for row in _sample(result.points, points):
        table.add_row(*(f"{x:.4f}" for x in row))
    sols = titled_table("Solutions", "concept", "point", "value", "package")
    for s in result.solutions:
        sols.add_row(
            s.concept,
            "; ".join(_utils(p) for p in s.points) or "-",
            f"{s.value:.4f}",
            _package(s.package) if s.package else "-",
        )
    sample = Text(f"Frontier points ({min(points, result.size)} of {result.size}, evenly spaced):")
    return Group(head, sample, table, sols, *(Text(f"note: {n}") for n in result.notes))


def analysis_view(case: Case, r: CaseAnalysis) -> RenderableType:
    """The whole analysis as Rich renderables, one section after another."""
    a, b = party_label(case, r.side_a), party_label(case, r.side_b)
    parts: list[RenderableType] = [
        Text(f"{r.title}\nWhere it could land, as of {r.as_of.isoformat()}: {a} vs {b}", style="bold"),
        Text("Summary: " + " ".join(s.text for s in r.summary)),
    ]
    if r.assumptions:
        parts.append(Text(ASSUMPTION_NOTE, style="yellow"))
    mark = MARK if r.assumptions else ""
    parts.append(
        Text(
            f"Outcome space: {r.n_outcomes:,} packages over {len(r.issues)} issues. Stoppage days completed: "
            f"{r.stoppage_days}. Disagreement point ({a}, {b}): no deal (BATNA) {_utils(r.disagreement)}, "
            f"from the table {_utils(r.disagreement_table)}{mark}"
        )
    )
    parts += [_zopa(case, r), _sides(case, r), _frontier(r, a, b), _solutions(r, a, b)]
    parts += [_efficiency(case, r, a, b), _suggestions(case, r), _moves(case, r)]
    if r.coalition is not None:
        parts.append(_coalition(case, r))
    parts += [Text(f"note: {n}") for n in r.notes]
    return Group(*parts)


def _utils(values: Sequence[float]) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in values) + ")"


def _value(value: Value | object) -> str:
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _package(package: Mapping[str, object]) -> str:
    return "; ".join(f"{issue} {_value(value)}" for issue, value in package.items())


def _sample(points: Sequence[tuple[float, ...]], n: int) -> list[tuple[float, ...]]:
    if len(points) <= n:
        return list(points)
    step = (len(points) - 1) / max(1, n - 1)
    return [points[round(i * step)] for i in range(n)]


def _mark(r: CaseAnalysis) -> str:
    return MARK if r.assumptions else ""


def _sides(case: Case, r: CaseAnalysis) -> RenderableType:
    table = titled_table(
        "Each side's view" + _mark(r),
        "side",
        "latest proposal",
        "package",
        *(f"worth to {party_label(case, p)}" for p in (r.side_a, r.side_b)),
        "disagreement value",
    )
    for s in r.sides:
        worth = ["-", "-"] if s.utilities is None else [f"{s.utilities[p]:.3f}" for p in (r.side_a, r.side_b)]
        table.add_row(
            s.label + (" (assumed model)" if s.assumption else ""),
            "-" if s.latest_proposal is None else f"{s.latest_proposal} ({s.latest_date})",
            "-" if s.package is None else _package(s.package),
            *worth,
            f"{s.disagreement:.3f} (reservation {s.reservation:g}, {s.daily_cost:g}/day)",
        )
    return table


def _frontier(r: CaseAnalysis, a: str, b: str) -> RenderableType:
    table = titled_table("Pareto frontier (a sample of its points)" + _mark(r), a, b)
    for row in _sample(r.frontier.points, 9):
        table.add_row(*(f"{x:.3f}" for x in row))
    head = Text(f"Pareto frontier: {r.frontier.size} points, reached by {r.frontier.packages} packages.")
    return Group(head, table)


def _solutions(r: CaseAnalysis, a: str, b: str) -> RenderableType:
    table = titled_table(
        "Bargaining solutions: from the table (floors: the better of no deal and the offer held) and "
        "from no deal alone (BATNA)" + _mark(r),
        "reading",
        "concept",
        a,
        b,
        "package",
    )
    flags = []
    for s in sorted(r.solutions, key=lambda s: s.reading != "table"):
        if s.package is None:
            table.add_row(s.reading, s.concept, "-", "-", "no frontier point gives both sides their floor")
            continue
        u = s.points[0]
        cost = "" if s.cost is None else f" (costs {money(s.cost.average, s.cost.currency)} a year)"
        flag = " (!)" if s.warnings else ""
        table.add_row(
            s.reading, s.concept + flag, f"{u[0]:.3f}", f"{u[1]:.3f}", _package(s.package.package) + cost
        )
        flags += [f"(!) {s.concept}, BATNA reading: {w}." for w in s.warnings]
        flags += [f"    {s.concept}, {s.reading} reading: {w}." for w in s.issue_warnings]
    return Group(table, *(Text(f) for f in flags))


def _zopa(case: Case, r: CaseAnalysis) -> RenderableType:
    z = r.zopa
    count = f"{z.count_low:,}" if z.count_low == z.count_high else f"{z.count_low:,} to {z.count_high:,}"
    share = 100 * z.count_low / z.n_outcomes
    zones = titled_table(
        "Zone of possible agreement, per issue: between the two standing offers, narrowed by the "
        "no-deal values",
        "issue",
        "range",
    )
    for zone in z.zones:
        name, _, text = zone.text.partition(": ")
        zones.add_row(name, text + (" *" if zone.assumed else ""))
    table = titled_table(
        f"Detail: {count} packages ({share:.1f}% of the space) beat walking away for both sides" + _mark(r),
        "issue",
        "options inside the ZOPA",
    )
    for i in z.issues:
        if i.low is not None:
            text = f"{i.low:g} to {i.high:g}"
        elif i.may_include or i.must_include:
            text = f"may include {{{', '.join(i.may_include)}}}; must include {{{', '.join(i.must_include)}}}"
        else:
            text = ", ".join(i.options) or "(none)"
        table.add_row(i.issue, text)
    note = (
        Text("* narrowed by the no-deal values" + _mark(r)) if any(z.assumed for z in z.zones) else Text("")
    )
    return Group(zones, note, table)


def _efficiency(case: Case, r: CaseAnalysis, a: str, b: str) -> RenderableType:
    table = titled_table(
        "Efficiency of each proposal (unstated issues: the proposer's earlier position, else the receiver's worst)"
        + _mark(r),
        "proposal",
        "from",
        a,
        b,
        "dominated",
        "equal gain",
        "distance",
        "stated",
        "carried / filled",
    )
    for p in r.proposals:
        e = p.efficiency
        stated = [f.issue for f in p.fills if f.basis.value == "stated"]
        other = [
            f.issue + ("*" if f.basis.value == "receiver_worst" else "")
            for f in p.fills
            if f.basis.value != "stated"
        ]
        table.add_row(
            f"{p.proposal_id} ({p.date})",
            party_label(case, p.from_party),
            f"{e.utilities[0]:.3f}",
            f"{e.utilities[1]:.3f}",
            "yes" if e.is_dominated else "no",
            f"{e.equal_gain:.3f}",
            f"{e.distance:.3f}",
            ", ".join(stated) or "-",
            ", ".join(other) or "-",
        )
    return Group(table, Text("* receiver's worst option (never stated by the proposer)"))


def _change(s: Improvement) -> str:
    return "; ".join(f"{issue} -> {_value(value)}" for issue, value in s.changes.items())


def _suggestions(case: Case, r: CaseAnalysis) -> RenderableType:
    table = titled_table(
        "Improvements: packages leaving both sides at least as well off (fewest issues changed first)"
        + _mark(r),
        "proposal",
        "issues changed",
        "change",
        "gains",
    )
    for p in r.proposals:
        e = p.efficiency
        if not any(f.basis.value == "stated" for f in p.fills):
            continue  # it repeats its maker's earlier package: the suggestions would too
        for s in e.suggestions:
            table.add_row(p.proposal_id, str(s.n_changed), _change(s), _utils(s.gains))
        if e.pss is not None:
            table.add_row(p.proposal_id, f"{e.pss.n_changed} (PSS)", _change(e.pss), _utils(e.pss.gains))
    return table


def _moves(case: Case, r: CaseAnalysis) -> RenderableType:
    table = titled_table(
        "Moves (DANS: how each move changes both sides' utilities)" + _mark(r),
        "date",
        "party",
        "from",
        "to",
        "own change",
        "other's change",
        "label",
    )
    for m in r.moves:
        table.add_row(
            m.date.isoformat(),
            party_label(case, m.party),
            m.from_proposal,
            m.to_proposal,
            f"{m.delta_own:+.3f}",
            f"{m.delta_other:+.3f}",
            m.label.value,
        )
    return table


def _coalition(case: Case, r: CaseAnalysis) -> RenderableType:
    c = r.coalition
    assert c is not None
    n = c.accepted
    count = (
        f"{n.estimate:,}"
        if n.is_exact
        else f"about {n.estimate:,} (95% interval {n.low:,} to {n.high:,}, from {n.samples:,} sampled packages)"
    )
    union = party_label(case, c.union)
    lines = [
        f"Coalition view{_mark(r)}: {len(c.members)} members, rule {c.rule}. Packages it accepts: {count} "
        f"of {n.n_outcomes:,}.",
    ]
    if c.best_for_union is not None:
        lines.append(
            f"Best for {union} among them{'' if c.best_is_exact else ' (search cut short: best found)'}: "
            f"{_package(c.best_for_union.package)} — worth {c.best_for_union.utilities[c.union]:.3f} to {union}."
        )
    if c.deal is not None:
        lines.append(
            f"Coalition deal (Nash point of {union} and the coalition's voice"
            f"{' among packages the members accept' if c.deal_accepted else '; the members would NOT accept it'}): "
            f"{_package(c.deal.package)}."
        )
    if c.offer_accepted is not None:
        verdict = "accepted" if c.offer_accepted else "rejected, blocked by " + ", ".join(c.offer_blockers)
        lines.append(
            f"The coalition's current offer: {verdict} under the rule; "
            f"worst off (smallest surplus first): {', '.join(party_label(case, m) for m in c.worst_off)}."
        )
    table = titled_table(
        "Members: the current offer, the coalition deal, and a separate deal with " + union + _mark(r),
        "member",
        "disagreement",
        "offer",
        "surplus",
        "coalition deal",
        "separate deal (member, union)",
        "separate better?",
    )
    for v in c.member_views:
        sep = (
            "-"
            if v.separate is None
            else (f"{v.separate.utilities[v.member]:.3f}, {v.separate.utilities[c.union]:.3f}")
        )
        table.add_row(
            party_label(case, v.member),
            f"{v.disagreement:.3f}",
            "-" if v.offer_utility is None else f"{v.offer_utility:.3f}",
            "-" if v.offer_surplus is None else f"{v.offer_surplus:+.3f}",
            "-" if v.deal_utility is None else f"{v.deal_utility:.3f}",
            sep,
            {True: "yes", False: "no", None: "-"}[v.separate_beats_coalition],
        )
    return Group(Text("\n".join(lines)), table)
