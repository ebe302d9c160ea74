"""Coalition analysis: what a coalition can accept under its rule, and what its members would get alone.

The coalition's members each have a model; a member accepts a package worth at least its
disagreement value, and the coalition accepts under its decision rule
(:func:`accord.prefs.coalition_accepts`: unanimity, majority, weighted, vetoes). Every such
rule is *monotone*: more accepting members never turn a yes into a no. So the packages the
coalition accepts are those where every member of some *minimal winning set* accepts, and

- **how many packages it accepts**: counted exactly by enumeration on spaces of at most
  ``max_enumerate`` outcomes; on larger ones estimated from a seeded uniform sample, with a 95%
  Wilson score interval (Wilson 1927, *JASA* 22(158));
- **the best of them for the other side** (the union): per minimal winning set, a branch and
  bound over the issues: a partial package is dropped when some member of the set cannot reach
  its disagreement value whatever the remaining issues add, or when a Lagrangian bound
  (Fisher 1981, "The Lagrangian relaxation method for solving integer programming problems",
  *Management Science* 27(1)) shows it cannot beat the best package found so far. The bound
  ``u_0 + sum_m lambda_m (u_m - r_m)`` separates over issues, so its best completion is a
  sum of per-issue maxima; ``lambda`` comes from a projected subgradient descent. Exact: any
  ``lambda >= 0`` gives a valid bound, a better one only prunes more;
- **each member's separate deal**: the Nash point (Nash 1950) of the bargain between the union
  and that member alone, relative to their disagreement values, compared with what the member
  gets from the *coalition deal*: the Nash point of the union and the coalition's one voice
  among the frontier packages the coalition's rule accepts;
- **who the current offer leaves worst off**: each member's surplus over its disagreement value
  at the coalition's latest offer, smallest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import sqrt

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.frontier import Frontier, pareto_frontier_additive
from accord.analysis.solutions import nash_points, solution
from accord.analysis.space import decode, enumerate_utilities, package, utility_chunks
from accord.model import DecisionRule, Value
from accord.prefs import coalition_accepts
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MAX_MEMBERS = 16
MAX_ENUMERATE = 5_000_000
SAMPLES = 200_000
MAX_STATES = 1_000_000
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class AcceptedCount:
    """How many packages the coalition accepts: exactly (``method == "enumeration"``, low ==
    high) or a 95% interval from ``samples`` uniform draws (``method == "sample"``)."""

    low: int
    high: int
    estimate: int
    n_outcomes: int
    method: str
    samples: int

    @property
    def is_exact(self) -> bool:
        return self.method == "enumeration"


@dataclass(frozen=True, slots=True)
class Deal:
    """A package with every party's utility (``utilities`` keyed by party id)."""

    choices: tuple[int, ...]
    package: dict[str, Value]
    utilities: dict[str, float]


@dataclass(frozen=True, slots=True)
class MemberView:
    """One member: its disagreement value, the current offer and the coalition deal for it, and its
    separate deal with the union (``None`` when no package suits both better than no deal)."""

    member: str
    disagreement: float
    offer_utility: float | None
    offer_surplus: float | None
    accepts_offer: bool | None
    deal_utility: float | None
    separate: Deal | None
    separate_beats_coalition: bool | None


@dataclass(frozen=True, slots=True)
class CoalitionAnalysis:
    """See the module docstring. ``best_is_exact`` is False when the search hit its state limit
    (``best_for_union`` is then the best package found, or None)."""

    union: str
    members: tuple[str, ...]
    rule: str
    accepted: AcceptedCount
    best_for_union: Deal | None
    best_is_exact: bool
    deal: Deal | None
    deal_accepted: bool
    offer_accepted: bool | None
    offer_blockers: tuple[str, ...]
    member_views: tuple[MemberView, ...]
    worst_off: tuple[str, ...]
    assumed: bool = False
    """Whether the preferences behind it are assumptions (set by the case analysis)."""


def minimal_winning_sets(rule: DecisionRule, members: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """The minimal sets of members (as column indexes) whose acceptance carries the coalition.

    Examples
    --------
    >>> minimal_winning_sets(DecisionRule(kind="majority", vetoes=["a"]), ["a", "b", "c"])
    ((0, 1), (0, 2))
    """
    m = len(members)
    if not 0 < m <= MAX_MEMBERS:
        raise ValueError(f"coalition analysis handles 1 to {MAX_MEMBERS} members, got {m}")
    patterns = ((np.arange(2**m)[:, None] >> np.arange(m)) & 1).astype(np.float64)
    winning = patterns[coalition_accepts(rule, members, patterns, np.full(m, 0.5)).accepted].astype(bool)
    sets = [frozenset(np.flatnonzero(w).tolist()) for w in winning]
    minimal = [s for s in sets if not any(o < s for o in sets)]
    return tuple(sorted(tuple(sorted(s)) for s in minimal))


def count_accepted(
    tables: UtilityTables,
    rule: DecisionRule,
    reservations: ArrayLike,
    max_enumerate: int = MAX_ENUMERATE,
    samples: int = SAMPLES,
    seed: int | np.random.SeedSequence = 0,
) -> AcceptedCount:
    """How many outcomes of ``tables`` (one column per member) the coalition accepts.

    Examples
    --------
    >>> t = UtilityTables(("x",), ((0, 1, 2),), (np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]),),
    ...     np.zeros(2), ("a", "b"))
    >>> count_accepted(t, DecisionRule(kind="unanimity"), [0.4, 0.4]).estimate
    1
    """
    r = np.asarray(reservations, dtype=np.float64)
    members = tables.parties
    n = tables.n_outcomes
    if n <= max_enumerate:
        count = sum(
            int(coalition_accepts(rule, members, U, r).accepted.sum()) for _, U in utility_chunks(tables)
        )
        return AcceptedCount(count, count, count, n, "enumeration", 0)
    rng = np.random.default_rng(seed)
    choices = np.stack([rng.integers(0, m, size=samples) for m in tables.shape], axis=1)
    share = float(coalition_accepts(rule, members, tables.utilities(choices), r).accepted.mean())
    low, high = _wilson(share, samples)
    return AcceptedCount(int(low * n), int(np.ceil(high * n)), round(share * n), n, "sample", samples)


def _wilson(p: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def best_accepted(
    tables: UtilityTables,
    rule: DecisionRule,
    reservations: ArrayLike,
    seeds: IntArray | None = None,
    max_states: int = MAX_STATES,
    max_enumerate: int = 100_000,
) -> tuple[tuple[int, ...] | None, bool]:
    """The package best for column 0 (the union) among those the members (columns 1..) accept.

    Parameters
    ----------
    tables : utilities; column 0 is maximised, columns 1.. are the members.
    rule : the coalition's decision rule over the members.
    reservations : ``(m,)`` the members' disagreement values.
    seeds : candidate packages ``(n, n_issues)`` to start from (default: the frontier of the
        union against the members' average); a good start lets the search prune early.
    max_states : most partial packages kept at once; beyond it the search stops.
    max_enumerate : spaces at most this large are simply enumerated (the same answer, faster).

    Returns
    -------
    (choices or None when no package is accepted, whether the answer is proven optimal)

    Examples
    --------
    >>> t = UtilityTables(("x",), ((0, 1, 2),), (np.array([[0.0, 1.0], [0.5, 0.6], [1.0, 0.0]]),),
    ...     np.zeros(2), ("union", "a"))
    >>> best_accepted(t, DecisionRule(kind="unanimity"), [0.5])
    ((1,), True)
    """
    members = tables.parties[1:]
    r = np.asarray(reservations, dtype=np.float64)
    if tables.n_outcomes <= max_enumerate:
        U = enumerate_utilities(tables)
        ok = coalition_accepts(rule, members, U[:, 1:], r).accepted
        if not ok.any():
            return None, True
        index = int(np.flatnonzero(ok)[np.argmax(U[ok, 0])])
        return tuple(int(c) for c in decode(np.array([index]), tables.shape)[0]), True
    best_choice: IntArray | None = None
    best = -np.inf
    if seeds is None:  # the packages efficient between the union and the members' average
        average = UtilityTables(
            tables.issue_ids,
            tables.options,
            tuple(np.stack([t[:, 0], t[:, 1:].mean(axis=1)], axis=1) for t in tables.tables),
            np.array([tables.offset[0], tables.offset[1:].mean()]),
            (tables.parties[0], "average"),
        )
        seeds = pareto_frontier_additive(average).choices
    if len(seeds):
        U = tables.utilities(np.asarray(seeds, dtype=np.int64))
        ok = coalition_accepts(rule, members, U[:, 1:], r).accepted
        if ok.any():
            i = int(np.flatnonzero(ok)[np.argmax(U[ok, 0])])
            best_choice, best = np.asarray(seeds[i], dtype=np.int64), float(U[i, 0])
    order = np.argsort(tables.shape, kind="stable")  # small issues first, the largest expanded last
    searches = []
    for winning in minimal_winning_sets(rule, members):
        cols = np.array(winning, dtype=np.int64) + 1
        lam, bound, guess = _lagrangian(tables, cols, r[cols - 1], best)
        searches.append((bound, cols, lam))
        if guess is not None:  # a package the multipliers picked that the set accepts: a start
            u = tables.utilities(guess[None, :])[0]
            if u[0] > best and coalition_accepts(rule, members, u[1:], r).accepted[0]:
                best_choice, best = guess, float(u[0])
    exact = True
    for bound, cols, lam in sorted(searches, key=lambda s: -s[0]):
        if bound < best - _SLACK:
            continue
        found, complete = _search(tables, cols, r[cols - 1], lam, order, best, max_states)
        exact &= complete
        if found is not None:
            U = tables.utilities(found)
            ok = coalition_accepts(rule, members, U[:, 1:], r).accepted & (U[:, 0] > best)
            if ok.any():
                i = int(np.flatnonzero(ok)[np.argmax(U[ok, 0])])
                best_choice, best = found[i], float(U[i, 0])
    return (None if best_choice is None else tuple(int(c) for c in best_choice)), exact


def _lagrangian(
    tables: UtilityTables, cols: IntArray, r: FloatArray, stop_below: float, steps: int = 200
) -> tuple[FloatArray, float, IntArray | None]:
    """Multipliers ``lambda >= 0``, the bound ``max u_0 + lambda . (u_W - r)`` they give, and the
    best package for column 0 among those the descent visited that every member of ``W`` may
    accept (a starting point for the search). Stops early once the bound is below
    ``stop_below`` (nothing better can be found then)."""
    n = len(tables.tables)
    width = max((t.shape[0] for t in tables.tables), default=1)
    # every issue's table padded to one width; padding can never be the best option
    union = np.full((n, width), -np.inf)
    side = np.zeros((n, width, cols.shape[0]))
    for i, t in enumerate(tables.tables):
        union[i, : t.shape[0]] = t[:, 0]
        side[i, : t.shape[0]] = t[:, cols]
    base = tables.offset[cols] - r
    lam = np.zeros(cols.shape[0])
    best_lam, best_bound = lam, np.inf
    rows = np.arange(n)
    guess: IntArray | None = None
    guess_value = -np.inf
    for step in range(steps):
        scores = union + side @ lam
        pick = np.argmax(scores, axis=1)
        value = float(union[rows, pick].sum())
        if value > guess_value and np.all(base + side[rows, pick].sum(axis=0) >= 0):
            guess, guess_value = pick.astype(np.int64), value
        bound = float(tables.offset[0] + lam @ base + scores[rows, pick].sum())
        if bound < best_bound:
            best_lam, best_bound = lam.copy(), bound
            if bound < stop_below - _SLACK:
                break
        grad = base + side[rows, pick].sum(axis=0)
        norm = float(np.linalg.norm(grad))
        if norm == 0:
            break
        lam = np.maximum(0.0, lam - (0.5 / (1 + step)) * grad / norm)
    return best_lam, best_bound, guess


def _search(
    tables: UtilityTables,
    cols: IntArray,
    r: FloatArray,
    lam: FloatArray,
    order: IntArray,
    best: float,
    max_states: int,
) -> tuple[IntArray | None, bool]:
    """Packages where every member in ``cols`` may reach ``r`` and column 0 may beat ``best``."""
    tabs = [tables.tables[i] for i in order]
    n = len(tabs)
    rest_lag = np.zeros(n + 1)
    rest_high = np.zeros((n + 1, tables.n_parties))
    for i in range(n - 1, -1, -1):
        rest_lag[i] = rest_lag[i + 1] + float((tabs[i][:, 0] + tabs[i][:, cols] @ lam).max())
        rest_high[i] = rest_high[i + 1] + tabs[i].max(axis=0)
    states = tables.offset[None, :].copy()
    picks = np.zeros((1, 0), dtype=np.int64)
    for i, t in enumerate(tabs):
        m = t.shape[0]
        if states.shape[0] * m > max_states:
            return None, False
        states = (states[:, None, :] + t[None, :, :]).reshape(-1, tables.n_parties)
        picks = np.concatenate(
            [np.repeat(picks, m, axis=0), np.tile(np.arange(m), picks.shape[0])[:, None]], axis=1
        )
        lag = states[:, 0] + (states[:, cols] - r) @ lam + rest_lag[i + 1]
        reachable = np.all(states[:, cols] + rest_high[i + 1][cols] >= r - _SLACK, axis=1)
        keep = reachable & (lag >= best - _SLACK) & (states[:, 0] + rest_high[i + 1][0] >= best - _SLACK)
        states, picks = states[keep], picks[keep]
        if states.shape[0] == 0:
            return None, True
    choices = np.empty_like(picks)
    choices[:, order] = picks
    return choices, True


def separate_deal(tables: UtilityTables, union: int, member: int, d: tuple[float, float]) -> Deal | None:
    """The Nash point of the union and one member bargaining alone (``None``: no package beats
    both disagreement values)."""
    pair = UtilityTables(
        tables.issue_ids,
        tables.options,
        tuple(t[:, [union, member]] for t in tables.tables),
        tables.offset[[union, member]],
        (tables.parties[union], tables.parties[member]),
    )
    frontier = pareto_frontier_additive(pair)
    nash = solution(frontier, np.array(d), "nash")
    if nash.choices.shape[0] == 0:
        return None
    return deal(tables, tuple(int(c) for c in nash.choices[0]))


def deal(tables: UtilityTables, choices: tuple[int, ...]) -> Deal:
    U = tables.utilities(np.array([choices], dtype=np.int64))[0]
    return Deal(
        choices, package(tables, choices), {p: float(u) for p, u in zip(tables.parties, U, strict=True)}
    )


def coalition_deal(
    tables: UtilityTables,
    rule: DecisionRule,
    reservations: ArrayLike,
    frontier: Frontier,
    d_pair: tuple[float, float],
) -> tuple[Deal | None, bool]:
    """The Nash point of ``frontier`` (the union and the coalition's one voice) among the frontier
    packages the members accept; else the plain Nash point. Returns it and whether it is accepted."""
    members = tables.parties[1:]
    r = np.asarray(reservations, dtype=np.float64)
    U = tables.utilities(frontier.choices)
    ok = coalition_accepts(rule, members, U[:, 1:], r).accepted
    P = frontier.points[frontier.point_of]
    for mask, accepted in ((ok, True), (np.ones_like(ok), False)):
        ids = nash_points(P[mask], np.array(d_pair))
        if ids.size:
            return deal(
                tables, tuple(int(c) for c in frontier.choices[np.flatnonzero(mask)[ids[0]]])
            ), accepted
    return None, False


def coalition_analysis(
    tables: UtilityTables,
    rule: DecisionRule,
    disagreement: Sequence[float],
    frontier: Frontier,
    d_pair: tuple[float, float],
    offer: tuple[int, ...] | None = None,
    max_enumerate: int = MAX_ENUMERATE,
    samples: int = SAMPLES,
    seed: int | np.random.SeedSequence = 0,
    max_states: int = MAX_STATES,
) -> CoalitionAnalysis:
    """The coalition view (see the module docstring).

    Parameters
    ----------
    tables : column 0 the union, columns 1.. the coalition's members.
    rule : the coalition's decision rule.
    disagreement : ``(1 + m,)`` disagreement values, the union's first.
    frontier : the frontier of the union and the coalition's one voice, over the same issues.
    d_pair : the disagreement point of that bargain.
    offer : the coalition's current offer (option indexes), if any.
    max_enumerate, samples, seed : see :func:`count_accepted`.
    max_states : see :func:`best_accepted`.
    """
    d = np.asarray(disagreement, dtype=np.float64)
    members = tables.parties[1:]
    r = d[1:]
    member_tables = UtilityTables(
        tables.issue_ids, tables.options, tuple(t[:, 1:] for t in tables.tables), tables.offset[1:], members
    )
    accepted = count_accepted(member_tables, rule, r, max_enumerate, samples, seed)
    best, exact = best_accepted(tables, rule, r, frontier.choices, max_states)
    coalition, deal_ok = coalition_deal(tables, rule, r, frontier, d_pair)
    offer_deal = None if offer is None else deal(tables, offer)
    offer_ok: bool | None = None
    blockers: tuple[str, ...] = ()
    if offer_deal is not None:
        u = np.array([offer_deal.utilities[m] for m in members])
        verdict = coalition_accepts(rule, members, u, r)
        offer_ok = bool(verdict.accepted[0])
        blockers = tuple(m for m, b in zip(members, verdict.blockers[0], strict=True) if b)
    views = []
    for j, member in enumerate(members, start=1):
        separate = separate_deal(tables, 0, j, (float(d[0]), float(d[j])))
        at_offer = None if offer_deal is None else offer_deal.utilities[member]
        at_deal = None if coalition is None else coalition.utilities[member]
        views.append(
            MemberView(
                member=member,
                disagreement=float(d[j]),
                offer_utility=at_offer,
                offer_surplus=None if at_offer is None else at_offer - float(d[j]),
                accepts_offer=None if at_offer is None else at_offer >= float(d[j]),
                deal_utility=at_deal,
                separate=separate,
                separate_beats_coalition=(
                    None if separate is None or at_deal is None else separate.utilities[member] > at_deal
                ),
            )
        )
    rated = [(v.offer_surplus, v.member) for v in views if v.offer_surplus is not None]
    worst = tuple(member for _, member in sorted(rated))
    return CoalitionAnalysis(
        union=tables.parties[0],
        members=members,
        rule=rule.kind.value,
        accepted=accepted,
        best_for_union=None if best is None else deal(tables, best),
        best_is_exact=exact,
        deal=coalition,
        deal_accepted=deal_ok,
        offer_accepted=offer_ok,
        offer_blockers=blockers,
        member_views=tuple(views),
        worst_off=worst,
    )
