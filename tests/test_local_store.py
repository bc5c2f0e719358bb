"""The local endpoint's SQLite store under threads: closing never pulls a connection from
under a running transaction (that can crash the process, not just raise)."""

from __future__ import annotations

import threading

from jupyter_image_versions.local import Store


def test_close_leaves_a_running_transaction_its_connection(tmp_path):
    store = Store(str(tmp_path / "state.sqlite"))
    entered, go_on = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def transaction() -> None:
        try:
            with store.transaction() as db:
                entered.set()
                go_on.wait(10)
                seen["images"] = db.execute("SELECT count(*) FROM images").fetchone()[0]
        except Exception as exc:  # before the fix: "Cannot operate on a closed database"
            seen["error"] = exc

    worker = threading.Thread(target=transaction)
    worker.start()
    assert entered.wait(10)
    store.close()
    go_on.set()
    worker.join(10)
    assert seen == {"images": 0}
    assert store._connections == []  # closed as its transaction ended


def test_a_store_still_answers_after_close_and_closes_again(tmp_path):
    store = Store(str(tmp_path / "state.sqlite"))
    store.close()
    with store.transaction() as db:  # a late caller (a pool thread) gets a fresh connection
        assert db.execute("SELECT count(*) FROM images").fetchone()[0] == 0
    assert store._connections == []
