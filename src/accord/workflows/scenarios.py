"""Scenarios from files: imported GENIUS / GeniusWeb domains.

The core builds scenarios from values (:mod:`accord.sim.scenarios.from_case`); the files are found
and read by :mod:`accord.casefile.domains`; this module joins the two.
"""

from __future__ import annotations

import os

from accord.casefile.domains import domain_folder, import_domain
from accord.casefile.errors import CaseFileError, FileProblem
from accord.sim.scenarios.from_case import scenario_from_models
from accord.sim.scenarios.scenario import Scenario

MAX_SCENARIO_PARTIES = 8
"""Most profiles a domain scenario plays (one side each); a larger pool needs a choice."""


def scenario_from_domain(path: str | os.PathLike[str]) -> Scenario:
    """A scenario of the domain ``path`` stands for (GENIUS or GeniusWeb; a folder, a file in it or
    an example's name, :func:`accord.casefile.domains.domain_folder`), named after the folder:
    each profile is a party speaking for itself over the whole outcome space.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "deal"
    >>> folder.mkdir()
    >>> _ = (folder / "domain.xml").write_text(
    ...     '<negotiation_template><utility_space><objective name="Deal"><issue index="1" name="Price">'
    ...     '<item index="1" value="low"/><item index="2" value="high"/></issue></objective></utility_space>'
    ...     '</negotiation_template>')
    >>> for name, low, high in (("buyer", 10, 2), ("seller", 2, 10)):
    ...     _ = (folder / f"{name}.xml").write_text(
    ...         f'<utility_space><objective><issue index="1" name="Price"><item index="1" value="low" '
    ...         f'evaluation="{low}"/><item index="2" value="high" evaluation="{high}"/></issue>'
    ...         f'<weight index="1" value="1"/></objective></utility_space>')
    >>> s = scenario_from_domain(folder)
    >>> s.name, s.columns, s.U.tolist()
    ('deal', ('buyer', 'seller'), [[1.0, 0.2], [0.2, 1.0]])
    """
    folder = domain_folder(path)
    domain = import_domain(folder)
    count = len(domain.preferences.models)
    if count > MAX_SCENARIO_PARTIES:
        message = (
            f"{count} profiles; a domain scenario plays at most {MAX_SCENARIO_PARTIES} parties, one per "
            "side: keep the profiles to play in a folder of their own"
        )
        raise CaseFileError(os.fspath(folder), [FileProblem(message)])
    try:
        return scenario_from_models(
            folder.name, domain.case.issues, domain.preferences.models, exact=domain.exact or None
        )
    except ValueError as exc:
        raise CaseFileError(os.fspath(folder), [FileProblem(str(exc))]) from None
