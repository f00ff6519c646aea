"""A private, throwaway PostgreSQL server for the tests (Debian's postgresql package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.cluster import as_postgres, pg_bin


@contextmanager
def postgres_server(port: int) -> Iterator[str]:
    """Run PostgreSQL on 127.0.0.1:``port``; yield the URL of an empty database."""
    root = Path(tempfile.mkdtemp(prefix="calor-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run(as_postgres([pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "calor",
                                 "--no-sync"]), check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-w",
                                 "-l", str(root / "log"), "start"]), check=True, capture_output=True)
    try:
        subprocess.run(as_postgres([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port),
                                     "-U", "calor", "calor"]), check=True, capture_output=True)
        yield f"postgresql://calor@127.0.0.1:{port}/calor"
    finally:
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def reset(url: str) -> None:
    """Drop every table, so each test starts from an empty database."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "calor", "-d", "calor", "-q", "-c",
                    "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True, capture_output=True)
