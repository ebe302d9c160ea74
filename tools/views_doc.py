"""Rewrite the JSON examples of docs/reference/views.md from the code: each ```python block that
is followed by a ```json block is evaluated (after the page's first block, the setup) and the
JSON block replaced by its result. tests/ledger/test_views_doc.py checks the page is in sync.

    python tools/views_doc.py            # rewrite the page
    python tools/views_doc.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import json
import re
import sys
from itertools import pairwise
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "reference" / "views.md"
BLOCK = re.compile(r"```(python|json)\n(.*?)```", re.DOTALL)


def regenerate(text: str) -> str:
    blocks = list(BLOCK.finditer(text))
    namespace: dict[str, object] = {}
    exec(blocks[0].group(2), namespace)
    out, last = [], 0
    for code, shown in pairwise(blocks[1:]):
        if code.group(1) != "python" or shown.group(1) != "json":
            continue
        result = eval(code.group(2).strip(), namespace)
        out.append(text[last : shown.start()])
        out.append("```json\n" + json.dumps(result, indent=2, ensure_ascii=False) + "\n```")
        last = shown.end()
    out.append(text[last:])
    return "".join(out)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = regenerate(text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
