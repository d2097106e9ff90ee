"""Nothing is acknowledged before it is on disk, and writers that commit together share
one fsync (kiosk.store.durability)."""

from __future__ import annotations

import threading

import pytest

from kiosk.store import connect, durability, transaction


@pytest.fixture
def table(db_path):
    db = connect(db_path)
    db.execute("CREATE TABLE notes (n INTEGER)")
    yield db
    db.close()


def insert(db, n: int) -> None:
    with transaction(db):
        db.execute("INSERT INTO notes VALUES (?)", [n])


def test_a_commit_is_on_disk_when_its_transaction_returns(table, db_path):
    syncer = durability.for_path(db_path)
    before = syncer.fsyncs
    insert(table, 1)
    assert syncer.synced == syncer.issued
    assert syncer.fsyncs == before + 1


def test_commits_that_arrive_together_share_an_fsync(table, db_path):
    syncer, barrier = durability.for_path(db_path), threading.Barrier(8)
    before_commits, before_fsyncs = syncer.issued, syncer.fsyncs

    def writer(first: int) -> None:
        db = connect(db_path, migrate=False)
        barrier.wait()
        for n in range(first, first + 50):
            insert(db, n)
        db.close()

    threads = [threading.Thread(target=writer, args=(k * 50,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert table.execute("SELECT count(DISTINCT n) FROM notes").fetchone()[0] == 400
    assert syncer.issued - before_commits == 400
    assert syncer.synced == syncer.issued
    assert syncer.fsyncs - before_fsyncs < 400  # some commits rode on another's fsync


def test_a_deferred_commit_is_on_disk_once_durable_returns(table, db_path, monkeypatch):
    monkeypatch.setattr(durability.WalSync, "start", lambda self: None)  # no helper thread
    syncer = durability.for_path(db_path)
    table.defer_sync = True
    insert(table, 1)
    assert syncer.synced < syncer.issued  # committed, not yet acknowledged
    from kiosk.store import durable

    durable(table)
    assert syncer.synced == syncer.issued


def test_the_api_answers_a_scan_only_once_it_is_on_disk(app, client, db_path, loaded,
                                                       station_token, monkeypatch):
    """Without the helper thread nothing syncs in the background: only the request's own
    wait before answering can have put the scan on disk."""
    monkeypatch.setattr(durability.WalSync, "start", lambda self: None)
    code = loaded.execute("SELECT badge_code FROM attendees LIMIT 1").fetchone()[0]
    syncer = durability.for_path(db_path)
    response = client.post("/api/scans", json={"code": code},
                           headers={"Authorization": f"Bearer {station_token('reception')}"})
    assert response.json["result"] == "checked_in"
    assert syncer.synced == syncer.issued


def test_a_failed_fsync_is_an_error_not_an_acknowledgement(table, db_path, monkeypatch):
    def broken_disk(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(durability, "_datasync", broken_disk)
    with pytest.raises(durability.DurabilityError):
        insert(table, 1)
    monkeypatch.undo()
    insert(table, 2)  # the disk is back: the next commit (and the earlier one) syncs
    syncer = durability.for_path(db_path)
    assert syncer.synced == syncer.issued


def test_without_a_wal_file_there_is_nothing_left_to_sync(tmp_path):
    syncer = durability.WalSync(tmp_path / "gone.db")
    syncer.wait(syncer.committed())  # the last connection closed: WAL checkpointed away
    assert syncer.synced == 1
