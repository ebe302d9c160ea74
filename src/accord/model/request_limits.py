"""What one request may cost the team server: every limit on the work a request can cause, in one
place (docs/team-server.md, "Limits", lists them; a test keeps that list true).

A request over a limit is refused before the work it asks for, and before anything else that
costs: the request body before it is read, a simulation's size before the case is loaded or the
caller's role looked up (so the refusal is the same whatever the caller's role), an analysis's
outcome space before a single utility is tabulated. Each check is arithmetic on what the request
states, so the refusal takes microseconds and allocates nothing in proportion to the request.

The model is where these live because every layer needs them: the API's schemas and the
dashboard's forms state them, the services enforce them, the core's shapes define them.

Examples
--------
>>> sweep_count_problem(1_000_000_000)
'expected 2 to 25 values, got 1000000000'
>>> sweep_count_problem(5) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from accord.model.issue import Issue, NumericIssue, ProvisionIssue

REQUEST_BODY_BYTES = 5 * 1024 * 1024
"""Largest request body (API and dashboard forms); refused with 413 before it is read."""
PAGE_ENTRIES = 500
"""Most entries in one page of a listing (``limit``)."""
SWEEP_VALUES = 25
"""Most values in one sweep: one negotiation each, run by one job."""
ROUNDS = 500
"""Most rounds of one simulated negotiation."""
SIMULATION_OUTCOMES = 200_000
"""Largest outcome space (packages of the positions stated so far) a simulation runs on."""
JOBS_PER_USER = 2
"""Most simulations one user may have queued or running on one server process."""
JOBS_PER_PROCESS = 8
"""Most simulations queued or running on one server process, all users together."""
ANALYSIS_ISSUES = 20
"""Most issues in an analysed outcome space (the frontier, solutions and ZOPA of a case)."""
ANALYSIS_OPTIONS = 500
"""Most options of all issues together in an analysed outcome space (a numeric issue counts its
levels from ``low`` to ``high`` by ``step``; a provision issue ``2**provisions`` sets). The exact
frontier and ZOPA cost grows faster than this sum: within these two limits the worst case measured
(hostile weights, a three-member coalition) took about 10 s and 700 MB; the bundled WGA case,
399 options over 7 issues, takes 0.3 s."""
CASE_FILE_BYTES = 20 * 1024 * 1024
"""Largest case or preference file read (``accord import``, ``validate`` and every command that
reads one); refused before it is read."""
CASE_FILE_VALUES = 200_000
"""Most values (scalars, lists and mappings) one case or preference file may expand to."""
NESTING_DEPTH = 64
"""Deepest nesting of lists and mappings in a case or preference file (a case needs under ten)."""
LOGIN_FAILURES_PER_USER = 5
"""Failed sign-ins for one user name within :data:`LOGIN_WINDOW_MINUTES`; then sign-in is refused."""
LOGIN_FAILURES_PER_CLIENT = 30
"""Failed sign-ins from one client address within :data:`LOGIN_WINDOW_MINUTES`."""
LOGIN_WINDOW_MINUTES = 15
"""How long a failed sign-in counts against the limits above."""
LIVE_PAGES_PER_USER = 8
"""Most live pages (event streams of the dashboard's overview and timeline) one user may hold open
on one server process."""
LIVE_PAGES_PER_PROCESS = 1000
"""Most live pages open on one server process, all users together."""


@dataclass(frozen=True, slots=True)
class Limit:
    """One documented limit: its ``value`` in ``unit``, and the requests it guards."""

    name: str
    value: int
    unit: str
    guards: str


LIMITS: tuple[Limit, ...] = (
    Limit("request body", REQUEST_BODY_BYTES, "bytes", "every API request and dashboard form (413)"),
    Limit("page size", PAGE_ENTRIES, "entries", "the `limit` of every listing (422)"),
    Limit("sweep values", SWEEP_VALUES, "values", "a sweep's `values` (API) or `count` (dashboard) (422)"),
    Limit("rounds", ROUNDS, "rounds", "`n_rounds` of a simulation (422)"),
    Limit(
        "simulated outcomes",
        SIMULATION_OUTCOMES,
        "packages",
        "the packages a simulation runs on, from the positions stated by its date (422)",
    ),
    Limit("simulations per user", JOBS_PER_USER, "jobs", "starting a simulation, per server process (429)"),
    Limit(
        "simulations per process",
        JOBS_PER_PROCESS,
        "jobs",
        "starting a simulation, all users of one server process (429)",
    ),
    Limit(
        "analysed issues", ANALYSIS_ISSUES, "issues", "the analysis of a case (API 422; a note on the pages)"
    ),
    Limit(
        "analysed options",
        ANALYSIS_OPTIONS,
        "options",
        "the analysis of a case: options of all its issues together (API 422; a note on the pages)",
    ),
    Limit(
        "case file size", CASE_FILE_BYTES, "bytes", "`accord import` and every command reading a case file"
    ),
    Limit(
        "case file values", CASE_FILE_VALUES, "values", "reading a case or preference file (aliases included)"
    ),
    Limit("case file nesting", NESTING_DEPTH, "levels", "reading a case or preference file"),
    Limit(
        "failed sign-ins per user name",
        LOGIN_FAILURES_PER_USER,
        "attempts",
        f"sign-in, within {LOGIN_WINDOW_MINUTES} minutes (429)",
    ),
    Limit(
        "failed sign-ins per client",
        LOGIN_FAILURES_PER_CLIENT,
        "attempts",
        f"sign-in, within {LOGIN_WINDOW_MINUTES} minutes (429)",
    ),
    Limit(
        "live pages per user",
        LIVE_PAGES_PER_USER,
        "pages",
        "opening a live overview or timeline, per server process (429; the page retries later)",
    ),
    Limit(
        "live pages per process",
        LIVE_PAGES_PER_PROCESS,
        "pages",
        "opening a live overview or timeline, all users of one server process (429)",
    ),
)
"""Every limit above, for the documentation (``docs/team-server.md``, "Limits")."""


def sweep_count_problem(count: int) -> str | None:
    """What is wrong with a sweep of ``count`` values (``None``: nothing).

    Examples
    --------
    >>> sweep_count_problem(1)
    'expected 2 to 25 values, got 1'
    """
    if not 2 <= count <= SWEEP_VALUES:
        return f"expected 2 to {SWEEP_VALUES} values, got {count}"
    return None


def rounds_problem(n_rounds: int) -> str | None:
    """What is wrong with ``n_rounds`` rounds (``None``: nothing).

    Examples
    --------
    >>> rounds_problem(10**9)
    'expected 1 to 500, got 1000000000'
    """
    if not 1 <= n_rounds <= ROUNDS:
        return f"expected 1 to {ROUNDS}, got {n_rounds}"
    return None


def option_count(issue: Issue) -> float:
    """How many options ``issue`` spans in an outcome space, counted without listing them
    (``inf`` for a numeric range too long to count).

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> option_count(NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10, step=0.5))
    21
    >>> option_count(NumericIssue(id="pay", name="Pay", unit="%", low=0, high=1e300, step=1e-300))
    inf
    """
    if isinstance(issue, NumericIssue):
        steps = (issue.high - issue.low) / issue.step
        if not math.isfinite(steps) or steps > 1e15:
            return math.inf
        count = math.floor(steps + 1e-9) + 1
        # NumericIssue.levels adds ``high`` when the last step falls short of it
        short = round(issue.low + (count - 1) * issue.step, 12) < issue.high
        return count + 1 if short else count
    if isinstance(issue, ProvisionIssue):
        return float(2 ** len(issue.provision_ids))
    return len(issue.options)


def analysis_problem(issues: Iterable[Issue]) -> str | None:
    """Why an outcome space over ``issues`` is too large to analyse (``None``: it is not).

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> wide = NumericIssue(id="pay", name="Pay", unit="$", low=0, high=10**9)
    >>> print(analysis_problem([wide]))
    the issues span 1e+09 options together; an analysis handles at most 500 (coarsen a numeric issue's step, or split the case)
    """
    counted = [(issue.id, option_count(issue)) for issue in issues]
    if len(counted) > ANALYSIS_ISSUES:
        return f"the case has {len(counted)} issues; an analysis handles at most {ANALYSIS_ISSUES}"
    total = sum(count for _, count in counted)
    if total > ANALYSIS_OPTIONS:
        return (
            f"the issues span {total:.4g} options together; an analysis handles at most "
            f"{ANALYSIS_OPTIONS} (coarsen a numeric issue's step, or split the case)"
        )
    return None


def limits_markdown() -> str:
    """:data:`LIMITS` as the Markdown table of docs/team-server.md ("Limits"; a test compares them).

    Examples
    --------
    >>> print(limits_markdown().splitlines()[2])
    | request body | 5 MiB | every API request and dashboard form (413) |
    """
    rows = ["| Limit | Value | Guards |", "|---|---|---|"]
    for limit in LIMITS:
        value = f"{limit.value // 2**20} MiB" if limit.unit == "bytes" else f"{limit.value:,} {limit.unit}"
        rows.append(f"| {limit.name} | {value} | {limit.guards} |")
    return "\n".join(rows) + "\n"
