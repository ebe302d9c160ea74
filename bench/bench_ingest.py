"""Reading the news: precision and recall per kind of draft on the ingest corpus
(tests/ingest/corpus: all articles, the development set and the held-out set), and the time to
read a 2,000-word article. Printed, never asserted (the tests hold the quality; wall-clock time
depends on the machine).

Run: ``make bench-ingest`` (or ``.venv/bin/python bench/bench_ingest.py``).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ingest"))

from corpus import articles  # noqa: E402

from accord.ingest.drafts import DraftKind  # noqa: E402
from accord.ingest.evaluation import score  # noqa: E402


def _table(title: str, pairs: list) -> None:
    results = score(pairs)
    print(f"\n{title} ({len(pairs)} articles)")
    print(f"  {'kind':15} {'precision':>9} {'recall':>7} {'expected':>8} {'produced':>8}")
    for kind in DraftKind:
        r = results[kind.value]
        print(f"  {kind.value:15} {r.precision:9.2f} {r.recall:7.2f} {r.expected:8d} {r.produced:8d}")
    total = sum(r.matched for r in results.values())
    produced = sum(r.produced for r in results.values())
    expected = sum(r.expected for r in results.values())
    print(f"  {'all':15} {total / produced:9.2f} {total / expected:7.2f} {expected:8d} {produced:8d}")


def main() -> None:
    started = time.perf_counter()
    from accord.ingest import read_article

    corpus = articles()
    first = corpus[0]
    read_article(first.case, first.raw, published=first.published)
    cold = time.perf_counter() - started
    pairs = []
    for article in corpus:
        reading = read_article(article.case, article.raw, published=article.published, outlet=article.outlet)
        pairs.append((article.name, reading.drafts, article.expected, article.heldout))
    _table("All articles", [p[:3] for p in pairs])
    _table("Development articles (the rules were written against these)", [p[:3] for p in pairs if not p[3]])
    _table("Held-out articles (written after the rules; see docs/ingest.md)", [p[:3] for p in pairs if p[3]])

    same_case = [a for a in corpus if a.case.id == "wga-amptp-2023" and a.path.suffix == ".txt"]
    bodies = [a.raw.decode().split("\n", 2)[2] for a in same_case]
    text = "A long article\n\n" + "\n\n".join(bodies)
    while len(text.split()) < 2000:
        text += "\n\n" + "\n\n".join(bodies)
    words = len(text.split())
    case = same_case[0].case
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        reading = read_article(case, text, published=same_case[0].published)
        times.append(time.perf_counter() - t0)
    print(
        f"\nA {words:,}-word article ({len(reading.drafts)} drafts): read in {statistics.median(times):.2f} s "
        f"(median of 5; fastest {min(times):.2f} s)"
    )
    print(f"First reading of the run, loading spaCy, dateparser and the pipeline: {cold:.2f} s")


if __name__ == "__main__":
    main()
