"""Malformed and hostile GENIUS / GeniusWeb files: refused with the file, line and what was expected."""

import json

import pytest

from accord.casefile.errors import CaseFileError
from accord.casefile.genius import export_genius, import_genius, read_genius_domain
from accord.casefile.geniusweb import geniusweb_profile, import_geniusweb
from accord.model import Case, PreferenceSet
from accord.prefs import utility

DOMAIN = """<negotiation_template><utility_space><objective index="0" name="Deal">
<issue index="1" name="Price" type="discrete"><item index="1" value="low"/><item index="2" value="high"/></issue>
<issue index="2" name="Units" type="integer" lowerbound="0" upperbound="10"/>
</objective></utility_space></negotiation_template>
"""

PROFILE = """<utility_space>
<objective index="0" name="Deal">
<issue index="1" name="Price">
<item index="1" value="low" evaluation="10"/>
<item index="2" value="high" evaluation="4"/>
</issue>
<issue index="2" name="Units" type="integer"><evaluator ftype="linear" offset="-0.2" slope="0.2"/></issue>
<weight index="1" value="0.6"/>
<weight index="2" value="0.6"/>
</objective>
<reservation value="0.25"/>
</utility_space>
"""


def _import(tmp_path, profile=PROFILE, domain=DOMAIN):
    (tmp_path / "d.xml").write_text(domain)
    (tmp_path / "p.xml").write_text(profile)
    return import_genius(tmp_path / "d.xml", [tmp_path / "p.xml"], ["buyer"])


def _problems(tmp_path, profile=PROFILE, domain=DOMAIN, columns=True):
    with pytest.raises(CaseFileError) as info:
        _import(tmp_path, profile, domain)
    if columns:
        return [p.render("f") for p in info.value.problems]
    return [f"f:{p.line}: {p.field}: {p.message}" for p in info.value.problems]


def test_integer_issue_with_a_clipped_linear_evaluator(tmp_path):
    result = _import(tmp_path)
    units = result.case.issue("Units")
    assert (units.low, units.high, units.step) == (0, 10, 1)
    # clip(-0.2 + 0.2 x, 0, 1): 0 up to x = 1, then rising to 1 at x = 6, flat after
    points = result.preferences.model("buyer").values["Units"].points
    assert [x for point in points for x in point] == pytest.approx([0, 0, 1, 0, 6, 1, 10, 1])
    assert any("weights sum to 1.2" in note for note in result.notes)


def test_real_issue_becomes_numeric_with_a_step(tmp_path):
    domain = DOMAIN.replace(
        'type="integer" lowerbound="0" upperbound="10"',
        'type="real"><range lowerbound="0" upperbound="5"/></issue><x',
    )
    domain = domain.replace("<x/>", "")
    path = tmp_path / "d.xml"
    path.write_text(domain)
    units = read_genius_domain(path, real_steps=5).issues[1]
    assert units.levels == (0, 1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('evaluation="4"', 'evaluation="four"'),
            "f:5: <item evaluation=...>: expected a number, got 'four'",
        ),
        (
            ('value="high" evaluation', 'value="mid" evaluation'),
            "f:5: <item>: item 'mid' is not an option of 'Price'; expected one of ['low', 'high']",
        ),
        (
            ('<weight index="2" value="0.6"/>', '<weight index="7" value="0.6"/>'),
            "f:2: <objective>: the profile gives no <weight> for issue 'Units' (index '2'); "
            "the <weight index='7'> at line 9 matches no issue",
        ),
        (
            ('name="Units" type', 'name="Unit" type'),
            "f:7: <issue name=...>: issue 'Unit' is not in the domain; expected one of ['Price', 'Units']",
        ),
        (
            ('evaluation="4"', 'evaluation="NaN"'),
            "f:5: <item evaluation=...>: expected a finite number, got 'NaN'",
        ),
        (
            ('<weight index="1" value="0.6"/>', '<weight index="1" value="inf"/>'),
            "f:8: <weight value=...>: expected a finite number, got 'inf'",
        ),
        (
            ('<weight index="1" value="0.6"/>', '<weight index="1" value="1e999"/>'),
            "f:8: <weight value=...>: expected a finite number, got '1e999' (too large)",
        ),
        (
            ('<item index="2" value="high" evaluation="4"/>', ""),
            "f:3: <issue>: no evaluation for item(s) ['high'] of issue 'Price'",
        ),
        (
            ('ftype="linear" offset="-0.2" slope="0.2"', 'ftype="triangular"'),
            "f:7: <evaluator ftype=...>: evaluator type 'triangular' is not supported; expected linear or constant",
        ),
        (
            ("<utility_space>", "<negotiation_template>"),
            "f:1: <negotiation_template>: expected a <utility_space> profile, found <negotiation_template>",
        ),
    ],
)
def test_malformed_profiles_are_refused_at_their_line(tmp_path, change, expected):
    profile = PROFILE.replace(*change)
    if change[0] == "<utility_space>":
        profile = profile.replace("</utility_space>", "</negotiation_template>")
    assert expected in _problems(tmp_path, profile, columns=False)


def test_not_well_formed(tmp_path):
    assert _problems(tmp_path, PROFILE.replace("</issue>\n<weight", "</isue>\n<weight", 1)) == [
        "f:7:101: not well-formed XML: mismatched tag"
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<utility_space><objective name="&lol3;"/></utility_space>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE utility_space [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<utility_space><objective name="&secret;"/></utility_space>
"""


def test_entity_bombs_and_external_entities_are_refused(tmp_path):
    assert _problems(tmp_path, BILLION_LAUGHS)[0].startswith(
        "f:3: entity declarations are not allowed (found 'lol')"
    )
    assert _problems(tmp_path, EXTERNAL_ENTITY)[0].startswith(
        "f:2: entity declarations are not allowed (found 'secret')"
    )
    external_dtd = '<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://example.com/x.dtd">\n<utility_space/>'
    assert "external DTDs and references are not allowed" in _problems(tmp_path, external_dtd)[0]


def test_missing_file(tmp_path):
    with pytest.raises(CaseFileError, match="no such file"):
        import_genius(tmp_path / "none.xml", [])


def test_provision_issues_are_exported_as_one_yes_no_issue_per_provision(tmp_path):
    case = Case(id="c", title="C", parties=[{"id": "u", "name": "U", "kind": "union"}],
                issues=[{"type": "provisions", "id": "ai", "name": "AI",
                         "provisions": [{"id": "b", "name": "B"}, {"id": "c", "name": "C"}]}])  # fmt: skip
    prefs = PreferenceSet(case="c", models=[{"party": "u", "label": "U", "weights": {"ai": 1},
                                             "values": {"ai": {"kind": "provisions", "values": {"b": 3, "c": -1}}}}])  # fmt: skip
    paths = export_genius(case, prefs, tmp_path / "out")
    again = import_genius(paths[0], paths[1:], ["u"])
    assert [(i.name, i.options) for i in again.case.issues] == [
        ("AI: B", ("no", "yes")),
        ("AI: C", ("no", "yes")),
    ]
    model = again.preferences.model("u")
    # {b}: (3 + 1) / 4 = 1; {}: 1 / 4; {b, c}: 3 / 4; {c}: 0
    for b, c, expected in (("yes", "no", 1.0), ("no", "no", 0.25), ("yes", "yes", 0.75), ("no", "yes", 0.0)):
        assert utility(model, again.case.issues, {"AI_B": b, "AI_C": c}) == pytest.approx(expected)
    assert "reservationBid" not in geniusweb_profile(case, prefs.models[0])["LinearAdditiveUtilitySpace"]


WEB = {
    "LinearAdditiveUtilitySpace": {
        "name": "p",
        "issueUtilities": {"size": {"numberutils": {"lowValue": 0, "lowUtility": 1, "highValue": 4, "highUtility": 0}},
                           "colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 0.2, "blue": 1}}}},
        "issueWeights": {"size": 0.5, "colour": 0.5},
        "domain": {"name": "d", "issuesValues": {"size": {"range": {"low": "0", "high": "4", "step": "1"}},
                                                 "colour": {"values": ["red", "blue"]}}},
        "reservationBid": {"issuevalues": {"size": 2, "colour": "red"}},
    }
}  # fmt: skip


def _web_problems(tmp_path, data, text=None):
    path = tmp_path / "p.json"
    path.write_text(text if text is not None else json.dumps(data))
    with pytest.raises(CaseFileError) as info:
        import_geniusweb([path])
    return [p.render("p.json") for p in info.value.problems]


def test_geniusweb_numeric_issue_and_mixed_dialects(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(WEB))
    result = import_geniusweb([path])
    size = result.case.issue("size")
    assert size.levels == (0, 1, 2, 3, 4)
    # reservation bid: size 2 -> 0.5 (linear from 1 at 0 to 0 at 4), red 0.2: 0.5*0.5 + 0.5*0.2
    assert result.preferences.model("p").reservation == pytest.approx(0.35)


def test_geniusweb_malformed(tmp_path):
    assert _web_problems(tmp_path, None, '{"LinearAdditiveUtilitySpace": {\n  "name": }') == [
        "p.json:2:11: not valid JSON: Expecting value"
    ]
    bad = json.loads(json.dumps(WEB))
    bad["LinearAdditiveUtilitySpace"]["issueUtilities"]["colour"] = {"valueutils": {}}
    assert _web_problems(tmp_path, bad) == [
        "p.json: LinearAdditiveUtilitySpace.issueUtilities.colour: expected one of the keys 'discreteutils', "
        "'DiscreteValueSetUtilities', 'numberutils', 'NumberValueSetUtilities'; found ['valueutils']"
    ]
    bad = json.loads(json.dumps(WEB))
    bad["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"]["colour"] = "green"
    assert _web_problems(tmp_path, bad) == [
        "p.json: LinearAdditiveUtilitySpace.reservationBid.issuevalues.colour: expected one of ['red', 'blue'], got 'green'"
    ]
    assert _web_problems(tmp_path, {"UtilitySpace": {}}) == [
        "p.json: expected a 'LinearAdditiveUtilitySpace' profile; found keys ['UtilitySpace']"
    ]


def test_names_that_break_the_text_rule_are_refused_at_their_line(tmp_path):
    """Issue and value names follow the one text rule (accord.model.limits), named like every other
    bad value (a control character once escaped as a raw validation error from the model)."""
    domain = DOMAIN.replace('value="high"', 'value="hi\x7fgh"').replace('name="Units"', 'name="Un\x85its"')
    assert _problems(tmp_path, domain=domain, columns=False) == [
        "f:2: <item value=...>: contains U+007F (a control character) at character 3; expected text without NUL, "
        "control characters, unpaired surrogates or noncharacters",
        "f:3: <issue name=...>: contains U+0085 (a control character) at character 3; expected text without NUL, "
        "control characters, unpaired surrogates or noncharacters",
    ]


def test_geniusweb_names_that_break_the_text_rule_are_refused_naming_the_field(tmp_path):
    bad = json.loads(json.dumps(WEB))
    space = bad["LinearAdditiveUtilitySpace"]
    space["domain"]["issuesValues"]["colour"]["values"][0] = "r\x00ed"
    assert _web_problems(tmp_path, bad) == [
        "p.json: LinearAdditiveUtilitySpace.domain.issuesValues.colour.values.0: contains U+0000 (NUL) at "
        "character 2; expected text without NUL, control characters, unpaired surrogates or noncharacters"
    ]
