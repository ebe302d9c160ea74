"""GENIUS XML export: a case's issues as a GENIUS domain and each preference model as a profile.

Only discrete issues are written: a numeric issue becomes one item per level, each evaluated by
the model's value function. Provision-set issues have no GENIUS form and are refused. The
importer is :mod:`accord.casefile.genius`.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from accord.casefile.atomic import write_files
from accord.casefile.interop import discrete_options, slug
from accord.model import Case, Issue, PreferenceModel, PreferenceSet


def _issue_element(parent: ET.Element, index: int, issue: Issue) -> ET.Element:
    return ET.SubElement(
        parent,
        "issue",
        index=str(index),
        name=issue.name,
        type="discrete",
        etype="discrete",
        vtype="discrete",
    )


def genius_domain_xml(case: Case) -> str:
    """The case's issues as a GENIUS domain (``negotiation_template``)."""
    template = ET.Element("negotiation_template")
    space = ET.SubElement(template, "utility_space", number_of_issues=str(len(case.issues)))
    objective = ET.SubElement(
        space, "objective", index="0", name=case.title, type="objective", etype="objective"
    )
    for index, issue in enumerate(case.issues, start=1):
        element = _issue_element(objective, index, issue)
        for k, label in enumerate(discrete_options(issue, "GENIUS")[0], start=1):
            ET.SubElement(element, "item", index=str(k), value=label)
    ET.indent(template)
    return ET.tostring(template, encoding="unicode") + "\n"


def genius_profile_xml(case: Case, model: PreferenceModel) -> str:
    """``model`` as a GENIUS profile over the case's issues (issues it does not weigh get 0)."""
    space = ET.Element("utility_space")
    objective = ET.SubElement(
        space, "objective", index="0", name=case.title, type="objective", etype="objective"
    )
    total = sum(model.weights.values())
    for index, issue in enumerate(case.issues, start=1):
        element = _issue_element(objective, index, issue)
        function = model.values.get(issue.id)
        labels, positions = discrete_options(issue, "GENIUS")
        for k, (label, position) in enumerate(zip(labels, positions, strict=True), start=1):
            value = function.value(issue, model.party, position) if function is not None else 0.0
            ET.SubElement(element, "item", index=str(k), value=label, evaluation=repr(value))
    for index, issue in enumerate(case.issues, start=1):
        ET.SubElement(
            objective, "weight", index=str(index), value=repr(model.weights.get(issue.id, 0.0) / total)
        )
    ET.SubElement(space, "reservation", value=repr(model.reservation))
    ET.SubElement(space, "discount_factor", value=repr(model.discount))
    ET.indent(space)
    return ET.tostring(space, encoding="unicode") + "\n"


def export_genius(case: Case, prefs: PreferenceSet, folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``<case>_domain.xml`` and one ``<party>.xml`` profile per model into ``folder``.

    Raises
    ------
    ValueError
        For a provision-set issue (GENIUS has no such issue type).
    """
    texts = {f"{slug(case.id)}_domain.xml": genius_domain_xml(case)}
    texts |= {f"{model.party}.xml": genius_profile_xml(case, model) for model in prefs.models}
    return write_files(folder, texts)
