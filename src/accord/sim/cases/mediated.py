"""Mediated single text: a mediator proposes packages; the parties accept or reject each one.

Protocol (reference semantics):

1. The mediator's candidates are the packages every side may offer (each coalition's rule
   approves them and no side values them above its opening; all packages when no package
   qualifies for every side). Among them it keeps the Pareto frontier of the sides' (voice)
   utilities (:func:`accord.analysis.frontier.pareto_frontier`) and picks a *solution point* on
   it (:mod:`accord.analysis.solutions`; Nash by default) relative to each side's disagreement
   value on the first day; when no frontier package is at least that good for every side, the
   worst frontier utility of each side stands in for the disagreement point.
2. Its *path* orders the frontier packages by their Euclidean distance (in the sides'
   utilities) from the solution point, farthest first (ties by outcome index), and in round
   ``ρ`` of ``n`` proposes the package at position ``ceil((ρ + 1) * f / n) - 1`` of that order
   (``f`` packages), so the texts step along the frontier toward the solution, which is the
   last text (with fewer rounds than packages, the farthest are skipped).
   This is the single negotiating text of Fisher's Camp David procedure (Raiffa, *The Art and
   Science of Negotiation*, 1982, ch. 14), with the mediator's drafts on the frontier.
3. In each round every side, in speaking order, first may walk away (ending the negotiation),
   then votes on the text with its strategy's ``respond`` (a coalition by its members' votes
   under its rule), on turn ``ρ * n_sides + p`` of the clock the alternating-offers engines
   use. The text is agreed when every side accepts it; otherwise the next round begins. The
   deadline ends the negotiation without agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.analysis.solutions import CONCEPTS, solution_points
from accord.sim.engine.agent_view import SideAgents, agent_views
from accord.sim.engine.reference import AGREEMENT, DEADLINE, WALKED, seat, side_accepts
from accord.sim.scenarios.scenario import IntArray, Scenario
from accord.sim.strategies.base import Strategy


@dataclass(frozen=True, slots=True)
class Text:
    """One round: the mediator's ``proposal`` and each side's vote (``None`` after a walk-out)."""

    round: int
    proposal: int
    votes: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class MediatedNegotiation:
    """A finished mediated negotiation: the texts, the agreed package (or ``-1``), the round and
    turn it ended on, why (``"agreement"``, ``"deadline"`` or ``"walk"``), and the solution
    package the mediator steered toward."""

    texts: tuple[Text, ...]
    agreement: int
    end_round: int
    end_turn: int
    reason: str
    target: int


def _candidates(sides: Sequence[SideAgents], n_outcomes: int) -> IntArray:
    common = np.arange(n_outcomes, dtype=np.int64)
    for agents in sides:
        common = np.intersect1d(common, agents.voice.order)
    return common if common.size else np.arange(n_outcomes, dtype=np.int64)


def mediator_path(scenario: Scenario, n_rounds: int, concept: str = "nash") -> tuple[IntArray, int]:
    """The mediator's text in each of ``n_rounds`` rounds, and its target (the solution package).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.7, 0.4], [0.6, 0.6], [0.4, 0.7], [0.0, 1.0], [0.1, 0.1]])
    >>> path, target = mediator_path(Scenario.bilateral("s", U, ("a", "b")), 5)
    >>> path.tolist(), target
    ([0, 4, 1, 3, 2], 2)
    """
    if concept not in CONCEPTS:
        raise ValueError(f"unknown solution concept {concept!r}; expected one of {sorted(CONCEPTS)}")
    if n_rounds < 1:
        raise ValueError(f"n_rounds must be >= 1, got {n_rounds}")
    sides = agent_views(scenario, n_rounds)
    V = np.stack([a.voice.u for a in sides], axis=1)
    candidates = _candidates(sides, scenario.n_outcomes)
    frontier = candidates[pareto_frontier(V[candidates])]
    P = V[frontier]
    d = np.array([a.voice.disagreement[0] for a in sides])
    best = solution_points(P, d, concept)
    if best.size == 0:
        best = solution_points(P, P.min(axis=0), concept)
    target = int(frontier[best[0]])
    distance = np.sqrt(((P - V[target]) ** 2).sum(axis=1))
    order = frontier[np.lexsort((frontier, -distance))]
    f = order.size
    steps = ((np.arange(n_rounds) + 1) * f + n_rounds - 1) // n_rounds - 1
    return order[steps], target


def run_mediated(
    scenario: Scenario,
    strategies: Sequence[Strategy],
    n_rounds: int,
    *,
    concept: str = "nash",
    seed: int = 0,
    index: int = 0,
) -> MediatedNegotiation:
    """Run one mediated single-text negotiation (see the module docstring).

    Examples
    --------
    >>> from accord.sim.strategies import make_strategy
    >>> U = np.array([[1.0, 0.0], [0.7, 0.4], [0.6, 0.6], [0.4, 0.7], [0.0, 1.0]])
    >>> m = run_mediated(Scenario.bilateral("s", U, ("a", "b")), [make_strategy("linear")] * 2, 5)
    >>> [t.proposal for t in m.texts], m.reason, m.agreement
    ([0, 4, 1, 3], 'agreement', 3)
    """
    path, target = mediator_path(scenario, n_rounds, concept)
    seated = seat(scenario, strategies, n_rounds, seed=seed, index=index)
    n_sides = scenario.n_sides
    texts: list[Text] = []
    for rho, proposal in enumerate(path.tolist()):
        votes: list[bool] = []
        for p, (agents, strategy) in enumerate(zip(seated.sides, strategies, strict=True)):
            turn = rho * n_sides + p
            if agents.voice.order.size == 0 or strategy.walks(agents.voice, turn):
                texts.append(Text(rho, proposal, tuple(votes)))
                return MediatedNegotiation(tuple(texts), -1, rho, turn, WALKED, target)
            votes.append(side_accepts(agents, strategy, seated.states[p], turn, proposal, seated.uniforms[p]))
        texts.append(Text(rho, proposal, tuple(votes)))
        if all(votes):
            return MediatedNegotiation(
                tuple(texts), proposal, rho, rho * n_sides + n_sides - 1, AGREEMENT, target
            )
    last = n_rounds - 1
    return MediatedNegotiation(tuple(texts), -1, last, n_sides * n_rounds - 1, DEADLINE, target)
