"""The reader against the corpus: precision and recall of every kind of draft at least 0.8."""

from __future__ import annotations

import pytest
from corpus import Article, articles

from accord.ingest import Reading, read_article
from accord.ingest.drafts import DraftKind
from accord.ingest.evaluation import score

THRESHOLD = 0.8


_READINGS: dict[str, Reading] = {}


def _reading(article: Article) -> Reading:
    if article.name not in _READINGS:
        _READINGS[article.name] = read_article(
            article.case, article.raw, published=article.published, outlet=article.outlet
        )
    return _READINGS[article.name]


def test_the_corpus_has_at_least_twelve_articles_of_real_and_invented_talks():
    corpus = articles()
    assert len(corpus) >= 12
    assert {a.case.id for a in corpus} >= {"wga-amptp-2023", "sag-aftra-amptp-2023", "harbor-transit-2024"}
    expected_kinds = {d["kind"] for a in corpus for d in a.expected}
    assert expected_kinds == {kind.value for kind in DraftKind}


@pytest.mark.parametrize("kind", [kind.value for kind in DraftKind])
def test_precision_and_recall_per_kind_are_at_least_0_8(kind):
    scores = score((a.name, _reading(a).drafts, a.expected) for a in articles())
    result = scores[kind]
    report = "\n".join(["misses:", *result.misses, "extras:", *result.extras])
    assert result.expected >= 5, f"too few expected {kind} drafts to measure"
    assert result.precision >= THRESHOLD, report
    assert result.recall >= THRESHOLD, report


def test_every_draft_is_pinned_to_its_sentence_in_the_text_read():
    for article in articles():
        reading = _reading(article)
        for draft in reading.drafts:
            start, end = draft.span
            assert reading.text[start:end] == draft.sentence, (article.name, draft.id)
            assert draft.known == article.published


def test_reading_is_deterministic():
    article = articles()[0]
    first = read_article(article.case, article.raw, published=article.published, outlet=article.outlet)
    assert first == _reading(article)


def test_html_scripts_styles_and_page_furniture_never_reach_the_drafts():
    article = next(a for a in articles() if a.path.suffix == ".html")
    reading = _reading(article)
    assert reading.article.format == "html"
    for fragment in ("will never respond", "trackArticle", "font-family", "Most read", "Copyright", "Home |"):
        assert fragment not in reading.text
    assert reading.article.title == "Studios and Writers Trade Blame Over Stalled Talks"
