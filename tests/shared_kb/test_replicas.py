"""`rustcoder api` replicas (real processes) against one shared base.

Four replicas take 200 concurrent learn events (and retries of some of them):
every event is stored exactly once. Then the database is stopped mid-run:
the replicas keep answering, queue what they learn in their local files and
send it after the restart, losing and duplicating nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rustcoder.kb.pg_local import LocalPostgres, free_port
from tests.shared_kb.conftest import NO_BASE, example, psql


@dataclass
class Replica:
    port: int
    process: subprocess.Popen[bytes]

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        payload = json.loads(response.read())
        conn.close()
        return response.status, payload

    def queued(self) -> int:
        status = self.call("GET", "/health")[1]["kb_shared"]
        return 0 if status is None else int(status["queued"])


def start_replicas(url: str, folder: Path, count: int) -> list[Replica]:
    replicas = []
    for i in range(count):
        port = free_port()
        env = {
            **os.environ,
            "RUSTCODER_USER_KB": str(folder / f"replica-{i}" / "learned.sqlite"),
            "RUSTCODER_CONTRIBUTOR": f"replica-{i}",
        }
        argv = [sys.executable, "-m", "rustcoder", "api", "--port", str(port),
                "--kb", str(NO_BASE), "--shared-kb", url]  # fmt: skip
        process = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)
        replicas.append(Replica(port, process))
    deadline = time.monotonic() + 120
    for replica in replicas:
        while True:
            try:
                if replica.call("GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert replica.process.poll() is None, "a replica exited"
            assert time.monotonic() < deadline, "a replica did not start"
            time.sleep(0.2)
    return replicas


def stop_replicas(replicas: list[Replica]) -> None:
    for replica in replicas:
        replica.process.terminate()
    for replica in replicas:
        try:
            replica.process.wait(20)
        except subprocess.TimeoutExpired:
            replica.process.kill()
            replica.process.wait(5)


@pytest.fixture
def replicas_factory(tmp_path: Path) -> Iterator[Any]:
    started: list[Replica] = []

    def make(url: str, count: int) -> list[Replica]:
        replicas = start_replicas(url, tmp_path, count)
        started.extend(replicas)
        return replicas

    yield make
    stop_replicas(started)


def learn_body(i: int, event_id: str) -> dict[str, Any]:
    ex = example(i)
    return {
        "code": ex.code,
        "message": ex.message,
        "before": ex.before,
        "after": ex.after,
        "title": ex.title,
        "edition": "2021",
        "event_id": event_id,
    }


def send_all(replicas: list[Replica], bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def send(n: int) -> dict[str, Any]:
        status, payload = replicas[n % len(replicas)].call("POST", "/kb/learn", bodies[n])
        assert status == 200, payload
        return dict(payload)

    with ThreadPoolExecutor(32) as pool:
        return list(pool.map(send, range(len(bodies))))


def wait_drained(replicas: list[Replica], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while any(r.queued() for r in replicas):
        assert time.monotonic() < deadline, [r.queued() for r in replicas]
        time.sleep(0.2)


def totals(url: str) -> tuple[int, int, int]:
    """(events, examples, successes) in the shared base."""
    events = psql(url, "SELECT count(*) FROM kb_events")[0][0]
    learned, successes = psql(
        url, "SELECT count(*), coalesce(sum(success_count), 0) FROM kb_learned"
    )[0]
    return int(events), int(learned), int(successes)  # type: ignore[call-overload]


def test_four_replicas_store_200_concurrent_learn_events_once_each(
    shared_url: str, replicas_factory: Any
) -> None:
    replicas = replicas_factory(shared_url, 4)
    ids = [str(uuid.uuid4()) for _ in range(200)]
    # 150 distinct fixes; the last 50 events are the first 50 fixes learned again.
    bodies = [learn_body(n if n < 150 else n - 150, ids[n]) for n in range(200)]
    # 20 client retries (the same event id, sent to another replica) count nothing.
    retries = [bodies[n] for n in range(5, 200, 10)]
    replies = send_all(replicas, bodies + retries)
    assert {r["shared"] for r in replies} == {"queued"}
    wait_drained(replicas)
    assert totals(shared_url) == (200, 150, 200)
    counts = psql(
        shared_url, "SELECT success_count, count(*) FROM kb_learned GROUP BY 1 ORDER BY 1"
    )
    assert counts == [(1, 100), (2, 50)]
    contributors = psql(shared_url, "SELECT count(DISTINCT contributor) FROM kb_events")[0][0]
    assert contributors == 4
    # A replica finds what the others learned (each fix is shown once, shared or its own).
    status, found = replicas[3].call(
        "POST", "/kb/search", {"query": example(0).message, "limit": 20}
    )
    assert status == 200
    shared = [h for h in found["hits"] if h["origin"] == "shared"]
    assert {h["details"]["contributor"] for h in shared} - {"replica-3"}
    afters = [h["details"]["after"] for h in found["hits"]]
    assert len(afters) == len(set(afters)) == 20


def test_the_database_stopped_mid_run_loses_and_duplicates_nothing(
    tmp_path: Path, replicas_factory: Any
) -> None:
    with LocalPostgres() as pg:
        url = pg.create_database("team")
        replicas = replicas_factory(url, 2)
        first = [learn_body(n, str(uuid.uuid4())) for n in range(20)]
        send_all(replicas, first)
        wait_drained(replicas)
        assert totals(url) == (20, 20, 20)

        pg.stop()
        during = [learn_body(n, str(uuid.uuid4())) for n in range(20, 40)]
        replies = send_all(replicas, during)  # learning goes on, into the local queue
        assert all(r["created"] for r in replies)
        started = time.monotonic()
        status, found = replicas[0].call("POST", "/kb/search", {"query": example(25).message})
        assert status == 200 and time.monotonic() - started < 5  # served from the local base
        assert found["hits"] and {h["origin"] for h in found["hits"]} == {"user"}
        assert sum(r.queued() for r in replicas) == 20
        deadline = time.monotonic() + 60  # the senders notice the outage
        while any(r.call("GET", "/health")[1]["kb_shared"]["reachable"] for r in replicas):
            assert time.monotonic() < deadline
            time.sleep(0.2)

        pg.start()
        after = [learn_body(n, str(uuid.uuid4())) for n in range(40, 50)]
        send_all(replicas, after)
        wait_drained(replicas)
        assert totals(url) == (50, 50, 50)
        status, found = replicas[1].call("POST", "/kb/search", {"query": example(25).message})
        assert found["hits"][0]["origin"] == "shared"
