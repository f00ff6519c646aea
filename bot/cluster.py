"""``make run-cluster``: calor as several processes behind nginx, on PostgreSQL and Redis.

Two bridges, two Rasa instances, the action server, Redis, PostgreSQL and
nginx (Debian's packages), every one bound to 127.0.0.1. The cluster tests
start the very same :class:`Cluster` on free ports.
"""

from __future__ import annotations

import asyncio
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.bridge.settings import REPO_ROOT, Settings, database_url
from bot.launcher import (
    MODEL,
    Service,
    Stack,
    _port_free,
    demo_agent_line,
    ensure_demo_agent,
    secret_key,
    services,
    supervise,
)

NGINX_CONF = REPO_ROOT / "docs" / "nginx.conf"
ENDPOINTS = REPO_ROOT / "bot" / "endpoints.cluster.yml"
DATA = REPO_ROOT / "var" / "cluster"


def pg_bin(name: str) -> str:
    """A PostgreSQL server program from Debian's postgresql package."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found; `make setup` installs them")
    return found[-1]


def as_postgres(argv: list[str]) -> list[str]:
    """Run as the postgres user when we are root: PostgreSQL refuses to run as root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


@dataclass(frozen=True)
class Ports:
    """Where each part of the cluster listens (all on 127.0.0.1)."""

    lb: int = 8080
    bridges: tuple[int, ...] = (8081, 8082)
    rasa: tuple[int, ...] = (5005, 5006)
    actions: int = 5055
    redis: int = 6380
    postgres: int = 5433

    def all(self) -> list[int]:
        """Every port, to check they are free before starting."""
        return [self.lb, *self.bridges, *self.rasa, self.actions, self.redis, self.postgres]


def nginx_conf(lb: int, bridges: tuple[int, ...]) -> str:
    """docs/nginx.conf with its ports replaced by ``lb`` and one upstream server per bridge."""
    text = NGINX_CONF.read_text()
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;\n", text, flags=re.M)
    if not servers:
        raise RuntimeError(f"{NGINX_CONF}: no upstream server lines")
    template = servers[0]
    lines = "".join(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", template) for port in bridges)
    text = text.replace(template, lines, 1)
    for extra in servers[1:]:
        text = text.replace(extra, "", 1)
    return re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{lb};", text)


class Cluster:
    """Every process of a calor cluster, started and stopped together.

    Args:
        root: Folder for PostgreSQL's data, nginx's files and the logs.
        ports: Where everything listens.
        env: Environment of every child (needs CALOR_SECRET_KEY).
        logs: Whether children write to ``root``/*.log (else to the terminal).
        model: The trained Rasa model.
        rasa: Whether to run Rasa and the action server (benchmarks of the relay do without).
    """

    def __init__(self, root: Path, ports: Ports, env: dict[str, str], logs: bool = True,
                 model: Path = MODEL, rasa: bool = True) -> None:
        self.root = root
        self.ports = ports
        self.database_url = f"postgresql://calor@127.0.0.1:{ports.postgres}/calor"
        #: The same database as SQLAlchemy's asyncio driver names it, for tools.
        self.storage_url = database_url({"CALOR_DATABASE_URL": self.database_url})
        self.redis_url = f"redis://127.0.0.1:{ports.redis}/0"
        self.base_url = f"http://127.0.0.1:{ports.lb}"
        self.env = {
            **env,
            "CALOR_HOST": "127.0.0.1",
            "CALOR_DATABASE_URL": self.database_url,
            "CALOR_REDIS_URL": self.redis_url,
            "CALOR_RASA_URLS": ",".join(f"http://127.0.0.1:{p}" for p in ports.rasa),
            "CALOR_ACTIONS_PORT": str(ports.actions),
            "CALOR_ALLOWED_ORIGINS": f"{self.base_url},http://localhost:{ports.lb}",
            "CALOR_PG_PORT": str(ports.postgres),
            "CALOR_PG_DB": "calor",
            "CALOR_PG_USER": "calor",
            "CALOR_REDIS_PORT": str(ports.redis),
        }
        log_dir = root if logs else None
        self.infra = Stack([self._postgres(), self._redis()], self.env, log_dir)
        self.apps = Stack(self._apps(model, rasa), self.env, log_dir)

    def _postgres(self) -> Service:
        argv = as_postgres([pg_bin("postgres"), "-D", str(self.root / "pg"), "-p", str(self.ports.postgres),
                            "-k", str(self.root), "-c", "listen_addresses=127.0.0.1"])
        return Service("postgres", argv, f"tcp://127.0.0.1:{self.ports.postgres}")

    def _redis(self) -> Service:
        # Presence and pub/sub are rebuilt by the bridges after a restart; nothing to persist.
        argv = ["redis-server", "--port", str(self.ports.redis), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.root)]
        return Service("redis", argv, f"tcp://127.0.0.1:{self.ports.redis}")

    def _apps(self, model: Path, with_rasa: bool) -> list[Service]:
        first = Settings.from_env({**self.env, "CALOR_PORT": str(self.ports.bridges[0]),
                                   "CALOR_RASA_PORT": str(self.ports.rasa[0])})
        rasa, actions, bridge = services(first, model)
        chosen = [actions] if with_rasa else []
        for i, port in enumerate(self.ports.rasa if with_rasa else (), start=1):
            argv = list(rasa.argv)
            argv[argv.index("--port") + 1] = str(port)
            argv[argv.index("--endpoints") + 1] = str(ENDPOINTS)
            chosen.append(Service(f"rasa{i}", argv, f"http://127.0.0.1:{port}/"))
        for i, port in enumerate(self.ports.bridges, start=1):
            chosen.append(Service(f"bridge{i}", bridge.argv, f"http://127.0.0.1:{port}/healthz",
                                  {"CALOR_PORT": str(port)}))
        nginx = self.root / "nginx"
        chosen.append(Service("nginx", ["nginx", "-p", str(nginx), "-c", str(nginx / "nginx.conf"),
                                        "-e", "stderr", "-g", f"daemon off; pid {nginx / 'nginx.pid'};"],
                              f"{self.base_url}/healthz"))
        return chosen

    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        _give_to_postgres(self.root)
        if not (self.root / "pg" / "PG_VERSION").exists():
            subprocess.run(as_postgres([pg_bin("initdb"), "-D", str(self.root / "pg"), "-A", "trust",
                                        "-U", "calor", "--no-sync"]), check=True, capture_output=True)
        nginx = self.root / "nginx"
        (nginx / "temp").mkdir(parents=True, exist_ok=True)
        (nginx / "nginx.conf").write_text(nginx_conf(self.ports.lb, self.ports.bridges))
        # nginx's workers drop root; they must reach their temp folder.
        for path in (self.root, nginx, nginx / "temp"):
            path.chmod(0o755)

    def _create_database(self) -> None:
        exists = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U", "calor", "-d", "postgres",
             "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'calor'"],
            check=True, capture_output=True, text=True).stdout.strip()
        if exists != "1":
            subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U", "calor",
                            "calor"], check=True, capture_output=True)

    def start(self, timeout: float = 300.0) -> None:
        """Start PostgreSQL and Redis, then Rasa, the actions, the bridges and nginx."""
        self._prepare()
        self.infra.start()
        self.infra.wait_ready(timeout=60)
        self._create_database()
        self.apps.start()
        self.apps.wait_ready(timeout=timeout)

    def stop(self) -> None:
        """Stop the applications first, then what they stand on."""
        self.apps.stop()
        self.infra.stop()

    def service(self, name: str) -> Service:
        """One service by name (e.g. ``bridge1``, ``redis``), to inspect or to break it."""
        return next(s for s in self.infra.services + self.apps.services if s.name == name)

    def stack_of(self, name: str) -> Stack:
        """The stack that runs a service."""
        return self.infra if any(s.name == name for s in self.infra.services) else self.apps

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to a service's process group and wait for it to end."""
        self.stack_of(name).kill(name, sig)

    def restart(self, name: str, timeout: float = 120.0) -> None:
        """Start a stopped service again and wait until it is ready."""
        self.stack_of(name).start_one(name, timeout)


def main() -> int:
    """``make run-cluster``: start the cluster, print where to go, stop it all on Ctrl-C."""
    ports = Ports()
    busy = [p for p in ports.all() if not _port_free(p)]
    if busy:
        print(f"calor: port(s) {', '.join(map(str, busy))} already in use", file=sys.stderr)
        return 2
    for program in ("redis-server", "nginx"):
        if shutil.which(program) is None:
            print(f"calor: {program} is not installed; `make run-cluster` installs it", file=sys.stderr)
            return 2
    env = {**os.environ, "CALOR_SECRET_KEY": secret_key()}
    cluster = Cluster(DATA, ports, env)

    def start() -> str:
        cluster.start()
        password = asyncio.run(ensure_demo_agent(cluster.storage_url))
        return (f"\ncalor cluster is running behind nginx.\n"
                f"  Demo page with the chat widget: {cluster.base_url}/\n"
                f"  Agent console:                  {cluster.base_url}/agent\n"
                f"  Logs and data:                  {DATA}" + demo_agent_line(password))

    return supervise("calor: starting PostgreSQL, Redis, 2 Rasa instances, the action server, "
                     "2 bridges and nginx (loading the model takes a while)…", start,
                     lambda: cluster.apps.failed() or cluster.infra.failed(), cluster.stop)


if __name__ == "__main__":
    sys.exit(main())
