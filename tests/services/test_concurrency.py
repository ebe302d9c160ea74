"""Twenty writers adding a hundred proposals each to one case at the same time: afterwards every
one of the 2,000 is there exactly once (on SQLite and on PostgreSQL)."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from accord.model import Proposal
from accord.services import Services
from accord.store import Database
from accord.store.schema import records

WRITERS = 20
EACH = 100


@pytest.mark.slow
def test_concurrent_writers_lose_nothing_and_duplicate_nothing(database_url: str, world):
    # The same database, through a pool of its own. On SQLite each connection says how hard a
    # commit syncs; NORMAL (safe against a crash of the process, which the crash test covers with
    # the default FULL) keeps this test about contention rather than about the disk.
    db = Database(database_url, pool_size=WRITERS, sqlite_synchronous="NORMAL")
    services = Services(db)

    def write(writer: int) -> list[int]:
        actor = world.wga if writer % 2 == 0 else world.amptp
        sender, receiver = ("wga", "amptp") if writer % 2 == 0 else ("amptp", "wga")
        seqs = []
        for index in range(EACH):
            proposal = Proposal.model_validate(
                {
                    "id": f"c{writer}-{index}",
                    "date": "2023-06-01",
                    "from": sender,
                    "to": receiver,
                    "positions": {"pay": (writer + index) % 21 / 2},
                    "answers": ["p1"] if sender == "amptp" else [],
                }
            )
            seqs.append(services.records.add(actor, world.case_id, proposal).seq)
        return seqs

    with ThreadPoolExecutor(WRITERS) as pool:
        acknowledged = [seq for seqs in pool.map(write, range(WRITERS)) for seq in seqs]

    with db.read() as conn:
        ids = list(
            conn.execute(
                sa.select(records.c.record_id).where(
                    records.c.case_id == world.case_id, records.c.record_id.like("c%")
                )
            ).scalars()
        )
    counts = Counter(ids)
    assert len(counts) == WRITERS * EACH
    assert set(counts.values()) == {1}
    assert len(set(acknowledged)) == WRITERS * EACH  # every write got its own place in the order
    page = services.records.page(world.observer, world.case_id, group="proposal", limit=1)
    assert page.total == WRITERS * EACH + 2
    # The case's version moved once per write.
    assert services.cases.get(world.admin, world.case_id).version >= WRITERS * EACH
    assert db.integrity_check() == []
    db.dispose()
