"""Calibrate the bundled preferences' walk-away points and strike costs against the record.

    .venv/bin/python bench/calibrate_prefs.py [--case wga-amptp-2023|sag-aftra-amptp-2023] [--prefs FILE]

A FIT, NOT A FINDING. The weights and value functions of the bundled ``*.prefs.yaml`` files
(``src/accord/data/cases``) stay as the modeller read them from the record; this script fits the four numbers the record says least about, each side's reservation
value ``r`` and daily strike cost ``c`` (no-deal value ``d(t) = r - c t`` after ``t`` strike days
completed), to two things the record does say:

1. **The zone of possible agreement opens when the sides moved.** No package beats both
   no-deal values when the strike starts (the union struck), and the first day some package
   does is the day the AMPTP moved (WGA: Aug 11, its first counter-offer, the WGA countering on
   Aug 15; SAG-AFTRA: Oct 24, its new offer after talks broke off on Oct 11).
   Residual: opening day minus that day, in strike days.
2. **The table-reading Nash package on the tentative agreement's date is near the agreed
   terms** (the ``terms`` of the case's tentative agreement). Residual: the mean over the issues of
   the distance between the two packages (numeric: the difference over the issue's range;
   provisions: the share of provisions on which they differ).

Method: an exhaustive grid over ``r`` (0.30 to 0.95, step 0.025) and ``c`` (0.0005 to 0.0080,
step 0.0005) for each side; loss = (residual 1 / 7 days)^2 + (residual 2 / 0.05)^2 + 0.1 * the
sum of the squared relative changes from the modeller's values (the fit moves them no more than
it must). The members of the AMPTP keep their spread: each member's ``r`` moves by the AMPTP's
change, capped so that each member still prefers the agreed terms to striking on when the TA was
signed (the AMPTP's unanimity rule accepted them), by a margin of 0.01; their daily costs stay as
the modeller read them (from the record of each company's losses). Prints the method, the parameters before and
after, and the residuals of both; the bundled file holds the fitted values.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math

import numpy as np

from accord.analysis.case_analysis import analyze_case
from accord.analysis.frontier import pareto_frontier_additive
from accord.analysis.proposals import filled_proposals
from accord.analysis.solutions import solution
from accord.analysis.table import standing_offer, table_floors
from accord.casefile.prefsfile import case_with_preferences
from accord.ledger import stoppages
from accord.model import Case, NumericIssue, ProvisionIssue, Value
from accord.prefs import utility, utility_tables

CASES = {
    "wga-amptp-2023": ("wga", dt.date(2023, 8, 11), "wga-ta-2023-09-24", (0.3, 0.0015)),
    "sag-aftra-amptp-2023": ("sag-aftra", dt.date(2023, 10, 24), "sag-aftra-ta-2023-11-08", (0.35, 0.002)),
}
"""Per case: the union, the day the AMPTP moved, the tentative agreement, and the union's
(reservation, daily cost) as the modeller set them before the fit."""
AMPTP = (0.45, 0.0022)
"""The AMPTP's (reservation, daily cost) as the modeller set them (the same in both files)."""
MEMBERS = {
    "disney": 0.45,
    "wbd": 0.4,
    "nbcu": 0.45,
    "paramount": 0.4,
    "sony": 0.4,
    "netflix": 0.5,
    "amazon": 0.45,
    "apple": 0.45,
}
"""The modeller's walk-away points of the AMPTP's members before the fit."""
R_GRID = np.round(np.arange(0.30, 0.951, 0.025), 4)
C_GRID = np.round(np.arange(0.0005, 0.00801, 0.0005), 5)


def strike_days(case: Case, when: dt.date, union: str) -> int:
    return sum(s.days_completed for s in stoppages(case, when) if {s.by, s.against} == {union, "amptp"})


def distance(case: Case, a: dict[str, Value], b: dict[str, Value]) -> dict[str, float]:
    """Per issue, how far package ``a`` is from ``b`` on a 0-1 scale."""
    out = {}
    for issue in case.issues:
        x, y = a.get(issue.id), b.get(issue.id)
        if isinstance(issue, NumericIssue) and isinstance(x, (int, float)) and isinstance(y, (int, float)):
            out[issue.id] = abs(float(x) - float(y)) / (issue.high - issue.low)
        elif isinstance(issue, ProvisionIssue):
            sx = x if isinstance(x, frozenset) else frozenset()
            sy = y if isinstance(y, frozenset) else frozenset()
            out[issue.id] = len(sx ^ sy) / len(issue.provision_ids)
        else:
            out[issue.id] = float(x != y)
    return out


def opening_day(points: np.ndarray, r: np.ndarray, c: np.ndarray) -> int:
    """The first whole strike day on which some frontier point beats both ``r - c t`` (strictly)."""
    need = np.max((r[None, :] - points) / c[None, :], axis=1)  # beats d(t) for t > need
    first = int(np.floor(need.min())) + 1
    return max(first, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=sorted(CASES), default=None, help="default: both")
    parser.add_argument("--prefs", default=None)
    args = parser.parse_args()
    for name in [args.case] if args.case else list(CASES):
        calibrate(name, args.prefs)


def calibrate(name: str, prefs_path: str | None) -> None:
    union, moved, ta, modeller = CASES[name]
    case, prefs = case_with_preferences(name, prefs_path)
    wga, amptp = prefs.model(union), prefs.model("amptp")
    tables = utility_tables(case.issues, [wga, amptp])
    frontier = pareto_frontier_additive(tables)
    ta_event = case.record(ta)
    ta_date = ta_event.date
    terms = {k: v.value for k, v in ta_event.terms.items()}  # type: ignore[union-attr]
    target = strike_days(case, moved, union)
    t_ta = strike_days(case, ta_date, union)
    filled = filled_proposals(case, tables, ta_date)
    offers = (standing_offer(filled, union, "amptp"), standing_offer(filled, "amptp", union))
    held = tuple(
        None if o is None else float(tables.utilities(np.array([o.choices]))[0, j])
        for j, o in ((0, offers[1]), (1, offers[0]))
    )
    prior = np.array([*modeller, *AMPTP])
    cache: dict[tuple[float, float], float] = {}

    def ta_residual(r: np.ndarray, c: np.ndarray) -> tuple[float, dict[str, float], dict[str, Value]]:
        d = r - c * t_ta
        floors = table_floors((float(d[0]), float(d[1])), (held[0], held[1]))
        s = solution(frontier, list(floors), "nash")
        if not s.choices.shape[0]:
            return 1.0, {}, {}
        package = {i: tables.options[k][int(s.choices[0][k])] for k, i in enumerate(tables.issue_ids)}
        per_issue = distance(case, package, terms)
        return float(np.mean(list(per_issue.values()))), per_issue, package

    def loss(theta: np.ndarray) -> float:
        r, c = theta[[0, 2]], theta[[1, 3]]
        opening = opening_day(frontier.points, r, c)
        key = tuple(np.round(table_floors(tuple(r - c * t_ta), held), 6))
        if key not in cache:
            cache[key] = ta_residual(r, c)[0]
        penalty = 0.1 * float(np.sum(((theta - prior) / prior) ** 2))
        return ((opening - target) / 7) ** 2 + (cache[key] / 0.05) ** 2 + penalty

    best, best_loss = prior, loss(prior)
    for rw, cw, ra, ca in itertools.product(R_GRID, C_GRID, R_GRID, C_GRID):
        theta = np.array([rw, cw, ra, ca])
        value = loss(theta)
        if value < best_loss:
            best, best_loss = theta, value
    report(
        case, prefs, frontier.points, prior, best, (target, moved), (ta, ta_date, union), ta_residual, loss
    )


def report(case, prefs, points, prior, best, targets, ta_info, ta_residual, loss) -> None:  # type: ignore[no-untyped-def]
    target, moved = targets
    ta, ta_date, union = ta_info
    label = prefs.model(union).label
    print(f"\n=== {case.id}: calibration of the illustrative preferences: A FIT, NOT A FINDING")
    print(
        f"method: grid search, r in {R_GRID[0]}..{R_GRID[-1]} (step 0.025), c in {C_GRID[0]}..{C_GRID[-1]} (step 0.0005)"
    )
    print("loss = (opening residual / 7 days)^2 + (TA residual / 0.05)^2 + 0.1 * sum((change / prior)^2)")
    print(
        f"targets: ZOPA opens on strike day {target} ({moved}); table-reading Nash on {ta_date} = the TA terms"
    )
    for name, theta in (("modeller's values", prior), ("fitted values", best)):
        r, c = theta[[0, 2]], theta[[1, 3]]
        opening = opening_day(points, r, c)
        mean, per_issue, package = ta_residual(r, c)
        print(f"\n{name}: {label} r={theta[0]:g} c={theta[1]:g}/day; AMPTP r={theta[2]:g} c={theta[3]:g}/day")
        print(f"  opening residual: ZOPA opens on strike day {opening} ({opening - target:+d} days)")
        print(f"  TA residual (mean per-issue distance): {mean:.3f}")
        for issue, dist in per_issue.items():
            print(f"    {issue:15s} Nash {format_value(package[issue]):55s} distance {dist:.3f}")
        print(f"  loss {loss(theta):.3f}")
    shift = best[2] - prior[2]
    print(f"\nmembers of the AMPTP: r {shift:+.3f} from the modeller's values (daily costs as read)")
    print("  capped so that each accepts the agreed terms on the TA date (the unanimity rule did), by 0.01:")
    terms = {k: v.value for k, v in case.record(ta).terms.items()}
    days = strike_days(case, ta_date, union)
    in_file = [v for m in (union, "amptp") for v in (prefs.model(m).reservation, prefs.model(m).daily_cost)]
    fitted_all = list(best)
    for member, r in MEMBERS.items():
        model = prefs.model(member)
        cap = utility(model, case.issues, terms) + model.daily_cost * days - 0.01
        fitted = min(r + shift, math.floor(cap * 1000) / 1000)
        print(f"  {member:10s} r={fitted:.3f} (cap {cap:.3f}; file: {model.reservation:g})")
        in_file.append(model.reservation)
        fitted_all.append(fitted)
    print(f"the bundled file holds the fitted values: {np.allclose(in_file, fitted_all)}")
    check = analyze_case(case, prefs, ta_date)  # the file as it is: what `accord analyze` prints
    print(
        f"\nthe prefs file as it is, on {ta_date}: floors from the table {tuple(round(x, 3) for x in check.disagreement_table)}"
    )


def format_value(value: Value) -> str:
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    return f"{value:g}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
