"""Reading articles does not grow the process: spaCy keeps every new word it meets unless the
reading runs in a memory zone, and a server reads whatever its users paste (issue 12: a hostile
user's made-up words grew a server by about 1 KB a word, without bound)."""

from __future__ import annotations

import datetime as dt
import random
import resource
import string

from accord.casefile import bundled_case
from accord.ingest.reader import read_article


def _made_up_article(rng: random.Random, words: int) -> str:
    letters = string.ascii_letters + "éüß"
    body = " ".join("".join(rng.choices(letters, k=9)) for _ in range(words))
    return f"Talks\n\nThe WGA said on Friday that the AMPTP {body}."


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_made_up_words_are_forgotten_after_each_article() -> None:
    case = bundled_case("wga-amptp-2023")
    rng = random.Random(7)
    published = dt.date(2023, 6, 3)
    for _ in range(3):  # the pipeline and the case's patterns, once
        read_article(case, _made_up_article(rng, 2_000), published=published)
    before = _peak_kb()
    for _ in range(30):  # 60,000 new words: about 55 MB if spaCy kept them
        reading = read_article(case, _made_up_article(rng, 2_000), published=published)
        assert [d.party for d in reading.drafts] in ([], ["wga"])
    grown_mb = (_peak_kb() - before) / 1024
    assert grown_mb < 15, f"the process grew {grown_mb:.0f} MB reading 60,000 made-up words"
