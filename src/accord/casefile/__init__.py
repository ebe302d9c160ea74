"""Case files: read and write a case as YAML or JSON, with every problem reported at its line,
column and field; the bundled cases; the published JSON Schema.

>>> from accord.casefile import loads_case, dump_case
>>> case = loads_case("id: c\\ntitle: T\\nparties: [{id: w, name: W, kind: union}]\\n")
>>> loads_case(dump_case(case)) == case
True
"""

from accord.casefile.bundled import bundled_case, bundled_case_names, case_names_in, resolve_case
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.io import case_data, dump_case, format_of, loads_case, read_case, write_case
from accord.casefile.schema import case_json_schema, case_json_schema_text

__all__ = [
    "CaseFileError",
    "FileProblem",
    "bundled_case",
    "bundled_case_names",
    "case_data",
    "case_json_schema",
    "case_json_schema_text",
    "case_names_in",
    "dump_case",
    "format_of",
    "loads_case",
    "read_case",
    "resolve_case",
    "write_case",
]
