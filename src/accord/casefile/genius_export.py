"""GENIUS XML export: a case's issues as a GENIUS domain and each preference model as a profile.

Every issue is written as a discrete GENIUS issue, laid out by :mod:`accord.casefile.domain_layout`
(a numeric issue value by value, a provision set as one ``no``/``yes`` issue per provision), and
each profile gives the same utility as the model on every package. Profiles are written as
``<party id>.xml``; where a party's name differs from its id, the domain file lists it as an
``<agent>`` naming that file, which the importer reads back as the profile's label. The importer
is :mod:`accord.casefile.genius`.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from accord.casefile.atomic import write_files
from accord.casefile.domain_layout import DomainIssue, domain_issues, domain_profile
from accord.casefile.interop import slug
from accord.model import Case, PreferenceModel, PreferenceSet


def _issue_element(parent: ET.Element, index: int, issue: DomainIssue) -> ET.Element:
    return ET.SubElement(
        parent,
        "issue",
        index=str(index),
        name=issue.name,
        type="discrete",
        etype="discrete",
        vtype="discrete",
    )


def genius_domain_xml(case: Case, prefs: PreferenceSet | None = None) -> str:
    """The case's issues as a GENIUS domain (``negotiation_template``); with ``prefs``, an
    ``<agent>`` for each model whose party's name is not its id (the profile's label)."""
    template = ET.Element("negotiation_template")
    space = ET.SubElement(template, "utility_space", number_of_issues=str(len(domain_issues(case))))
    objective = ET.SubElement(
        space, "objective", index="0", name=case.title, type="objective", etype="objective"
    )
    for index, issue in enumerate(domain_issues(case), start=1):
        element = _issue_element(objective, index, issue)
        for k, label in enumerate(issue.labels, start=1):
            ET.SubElement(element, "item", index=str(k), value=label)
    for model in prefs.models if prefs else ():
        name = _party_name(case, model)
        if name != model.party:
            ET.SubElement(template, "agent", name=name, utility_space=f"{model.party}.xml")
    ET.indent(template)
    return ET.tostring(template, encoding="unicode") + "\n"


def _party_name(case: Case, model: PreferenceModel) -> str:
    return next((p.name for p in case.parties if p.id == model.party), model.label)


def genius_profile_xml(case: Case, model: PreferenceModel) -> str:
    """``model`` as a GENIUS profile over the case's domain (issues it does not weigh get 0)."""
    issues = domain_issues(case)
    profile = domain_profile(case, model, issues)
    space = ET.Element("utility_space")
    objective = ET.SubElement(
        space, "objective", index="0", name=case.title, type="objective", etype="objective"
    )
    for index, (issue, scores) in enumerate(zip(issues, profile.evaluations, strict=True), start=1):
        element = _issue_element(objective, index, issue)
        for k, (label, value) in enumerate(zip(issue.labels, scores, strict=True), start=1):
            ET.SubElement(element, "item", index=str(k), value=label, evaluation=repr(value))
    for index, weight in enumerate(profile.weights, start=1):
        ET.SubElement(objective, "weight", index=str(index), value=repr(weight))
    ET.SubElement(space, "reservation", value=repr(model.reservation))
    ET.SubElement(space, "discount_factor", value=repr(model.discount))
    ET.indent(space)
    return ET.tostring(space, encoding="unicode") + "\n"


def genius_texts(case: Case, prefs: PreferenceSet) -> dict[str, str]:
    """File name -> text of the GENIUS domain of ``case`` and ``prefs``: ``<case>_domain.xml``
    first, then ``<party>.xml`` per model."""
    profiles = {f"{model.party}.xml": genius_profile_xml(case, model) for model in prefs.models}
    domain, count = f"{slug(case.id)}_domain.xml", 1
    while domain in profiles:  # a party named like the domain file
        count += 1
        domain = f"{slug(case.id)}_domain_{count}.xml"
    return {domain: genius_domain_xml(case, prefs)} | profiles


def export_genius(case: Case, prefs: PreferenceSet, folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``<case>_domain.xml`` and one ``<party>.xml`` profile per model into ``folder``."""
    return write_files(folder, genius_texts(case, prefs))
