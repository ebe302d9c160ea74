"""Check that the domains ``accord domain export`` writes load in NegMAS with Accord's utilities.

Run with ``make check-domain-export`` (it builds ``.venv-bench``, which has Accord and NegMAS), or
directly with a Python that has both: ``python bench/check_domain_export.py [--sample 2000]``.
NegMAS is AGPL-3.0: it is a benchmark peer only, never a test or runtime dependency, which is why
this check lives here and not in the test suite.

For each case (the bundled cases with their preference files, and the project's own domain
fixtures read by Accord's importer) and each format (GENIUS XML, GeniusWeb JSON), it exports the
domain with Accord, loads the folder with NegMAS's own loader (``Scenario.from_genius_folder`` /
``from_geniusweb_folder``), and compares, on every outcome of a seeded sample (every outcome of a
small space), each profile's utility in NegMAS with the utility Accord's model gives the package
the outcome stands for; and each reserved value (a GeniusWeb reservation bid's utility is at or
just above the model's reservation value). It prints one line per case and format and exits 1 if
any utility differs by more than ``--tolerance``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from accord.casefile.domain_files import FORMATS, export_domain
from accord.casefile.domain_layout import domain_issues, domain_package
from accord.casefile.domains import import_domain
from accord.casefile.prefsfile import case_with_preferences
from accord.model import Case, PreferenceSet
from accord.prefs import utility

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = [
    ROOT / "src" / "accord" / "data" / "domains" / "job-offer",
    *sorted(p for p in (ROOT / "tests" / "fixtures" / "domains").glob("*/*") if p.is_dir()),
    *sorted(p for p in (ROOT / "tests" / "casefile" / "fixtures" / "genius").glob("*") if p.is_dir()),
]


def cases() -> list[tuple[str, Case, PreferenceSet]]:
    found = []
    for name in ("wga-amptp-2023", "sag-aftra-amptp-2023"):
        case, prefs = case_with_preferences(name)
        found.append((name, case, prefs))
    for folder in FIXTURES:
        imported = import_domain(folder)
        found.append((folder.relative_to(ROOT).as_posix(), imported.case, imported.preferences))
    return found


def load(folder: Path, fmt: str) -> Any:
    from negmas.inout import Scenario

    loader = Scenario.from_genius_folder if fmt == "genius" else Scenario.from_geniusweb_folder
    scenario = loader(folder)
    if scenario is None:
        raise RuntimeError(f"NegMAS could not load {folder}")
    return scenario


def check(case: Case, prefs: PreferenceSet, fmt: str, sample: int, seed: int) -> dict[str, Any]:
    """Export, load in NegMAS, compare utilities on a sample of outcomes and the reserved values."""
    issues = domain_issues(case)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "domain"
        export_domain(case, prefs, folder, fmt)
        scenario = load(folder, fmt)
    space = list(scenario.outcome_space.issues)
    if [i.name for i in space] != [i.name for i in issues]:
        raise AssertionError(f"issue names differ: {[i.name for i in space]} vs {[i.name for i in issues]}")
    # NegMAS may read a value name as a number: match each value by its text
    values = []
    for mine, theirs in zip(issues, space, strict=True):
        by_text = {_text(v): v for v in theirs.all}
        values.append([by_text[label] for label in mine.labels])
    # NegMAS names a GENIUS profile by its file (<party id>.xml), a GeniusWeb one by its "name"
    party_of = {p.name: p.id for p in case.parties} | {p.id: p.id for p in case.parties}
    ufuns = {party_of.get(u.name, u.name): u for u in scenario.ufuns}
    models = {m.party: m for m in prefs.models}
    if set(ufuns) != set(models):
        raise AssertionError(f"profiles differ: {sorted(ufuns)} vs {sorted(models)}")
    shape = [len(i.labels) for i in issues]
    n = math.prod(shape)
    if n <= sample:
        choices = np.array(list(itertools.product(*(range(k) for k in shape))))
    else:
        rng = np.random.default_rng(seed)
        choices = np.stack([rng.integers(0, k, sample) for k in shape], axis=1)
    worst = 0.0
    for choice in choices:
        package = domain_package(case, issues, [int(c) for c in choice])
        outcome = tuple(values[i][int(c)] for i, c in enumerate(choice))
        for party, model in models.items():
            ours = utility(model, case.issues, package)
            theirs = float(ufuns[party](outcome))
            worst = max(worst, abs(ours - theirs))
    reserved = max(
        (
            float(ufuns[p].reserved_value) - m.reservation
            for p, m in models.items()
            if ufuns[p].reserved_value is not None and math.isfinite(ufuns[p].reserved_value)
        ),
        default=0.0,
    )
    lowest = min(
        (
            float(ufuns[p].reserved_value) - m.reservation
            for p, m in models.items()
            if ufuns[p].reserved_value is not None and math.isfinite(ufuns[p].reserved_value)
        ),
        default=0.0,
    )
    return {"outcomes": n, "compared": len(choices), "worst": worst, "reserved": (lowest, reserved)}


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=2000, help="outcomes compared per case (all if fewer)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args(argv)
    import negmas

    print(f"NegMAS {negmas.__version__}: utilities of Accord's exported domains, theirs vs ours")
    failed = False
    for name, case, prefs in cases():
        for fmt in FORMATS:
            try:
                result = check(case, prefs, fmt, args.sample, args.seed)
            except Exception as error:  # one line per failure, and go on
                print(f"FAIL {name} [{fmt}]: {type(error).__name__}: {error}")
                failed = True
                continue
            low, high = result["reserved"]
            ok = result["worst"] <= args.tolerance and low >= -args.tolerance
            failed |= not ok
            print(
                f"{'ok  ' if ok else 'FAIL'} {name} [{fmt}]: {result['compared']:,} of {result['outcomes']:,} "
                f"outcomes, largest utility difference {result['worst']:.2e}; reserved values "
                f"{'equal' if max(abs(low), abs(high)) <= args.tolerance else f'{low:+.2e} to {high:+.2e} above the models'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
