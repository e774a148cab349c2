"""``python -m deploy.replicas``: N Streamlit replicas of the app behind HAProxy.

Streamlit keeps each session (the page's state and its websocket) in the one process
that serves it, so replicas share nothing and a browser must stay on the replica
it started on: its websocket ``/_stcore/stream`` and its HTTP requests
(``/_stcore/health``, ``/_stcore/host-config``, static files) all go there. HAProxy does
this with a cookie it inserts on the first response (``cookie ... insert``), checks each
replica's ``/_stcore/health`` every second, passes websocket upgrades through, and sends
the students of a replica that died to the survivors, where their page reconnects and
reruns. The proxy's config is written from deploy/haproxy.cfg.

Every replica listens on a free loopback port; only the proxy faces the class. The
replicas share one cookie secret (``server.cookieSecret``), so the XSRF cookie a browser
got from one replica is still valid on another after a failover.

The command runs until Ctrl-C or SIGTERM and then stops everything; a replica that exits
meanwhile is started again on its port. ``serve_replicas`` is the same as a context
manager, for tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("haproxy.cfg")
# The cookie HAProxy inserts; its value is the replica's name.
COOKIE = "optlab_replica"
# The response header the proxy adds, naming the replica that answered.
REPLICA_HEADER = "X-Replica"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


def find_haproxy() -> str | None:
    """The HAProxy binary: $HAPROXY_PATH, else ``haproxy`` on PATH or in /usr/sbin (Debian
    installs it there, outside a normal user's PATH); None if absent."""
    path = os.environ.get("HAPROXY_PATH")
    if path:
        return path if os.access(path, os.X_OK) else None
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def healthy(base: str) -> bool:
    """Whether ``base`` answers Streamlit's health check (directly or through the proxy)."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def streamlit_command(script: str | Path, port: int, *flags: str) -> list[str]:
    """``streamlit run script`` on a loopback port, quiet, with Streamlit's ``flags``; run
    it from the project root, so its .streamlit/config.toml applies."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *flags,
    ]


def render_config(bind: str, servers: dict[str, str]) -> str:
    """HAProxy's config from the template: ``bind`` is ``address:port``; ``servers`` maps
    each replica's name (the cookie value and the REPLICA_HEADER response header) to its
    ``host:port``."""
    lines = "\n".join(f"    server {name} {where} cookie {name}" for name, where in servers.items())
    return string.Template(TEMPLATE.read_text()).substitute(
        bind=bind, cookie=COOKIE, header=REPLICA_HEADER, servers=lines
    )


@dataclass
class Replica:
    """One ``streamlit run app.py`` on a loopback port."""

    name: str
    port: int
    env: dict[str, str]
    log: IO[bytes] | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = streamlit_command("app.py", self.port)
        # Its own session: Ctrl-C in a terminal reaches this script, which stops the
        # replicas in order, rather than every process at once.
        self.process = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            start_new_session=True,
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Kill it at once (SIGKILL), as a crash would: no goodbye to its websockets."""
        if self.running():
            self.process.kill()
        if self.process is not None:
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@dataclass
class Cluster:
    """Running replicas and the proxy in front of them. ``url`` is the proxy's."""

    url: str
    replicas: dict[str, Replica]
    proxy: subprocess.Popen
    log: IO[bytes] | None = None

    def revive(self) -> list[str]:
        """Start again every replica that has exited, on its port; return their names.
        HAProxy's health check lets students onto it once it answers."""
        dead = [r for r in self.replicas.values() if not r.running()]
        for replica in dead:
            replica.start()
        return [r.name for r in dead]

    def output(self) -> str:
        """The tail of the processes' output, when it goes to a file (tests)."""
        if self.log is None:
            return ""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-6000:]


def _wait(check, what: str, processes: list[subprocess.Popen], cluster_log, timeout: float):
    deadline = time.monotonic() + timeout
    while not check():
        exited = [p for p in processes if p.poll() is not None]
        if exited or time.monotonic() > deadline:
            state = (
                f"exited with code {exited[0].returncode}"
                if exited
                else f"not ready after {timeout:g} s"
            )
            output = ""
            if cluster_log is not None:
                cluster_log.seek(0)
                output = "\n" + cluster_log.read().decode(errors="replace")[-4000:]
            raise RuntimeError(f"{what} {state}{output}")
        time.sleep(0.2)


@contextlib.contextmanager
def serve_replicas(
    count: int,
    *,
    address: str = "127.0.0.1",
    port: int | None = None,
    haproxy: str | None = None,
    log: IO[bytes] | None = None,
    timeout: float = START_TIMEOUT_S,
) -> Iterator[Cluster]:
    """Start ``count`` replicas on free loopback ports and HAProxy on ``address:port``
    (a free port if None); yield the Cluster once the proxy answers. Everything is
    stopped on exit. ``log`` receives all output (None: this process's stdout/stderr).
    """
    if count < 1:
        raise ValueError(f"Invalid replica count: {count} (at least 1)")
    haproxy = haproxy or find_haproxy()
    if haproxy is None:
        raise FileNotFoundError("HAProxy not found (Debian package haproxy; or HAPROXY_PATH)")
    port = port or free_port(address)
    env = dict(os.environ)
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    replicas = {f"r{i}": Replica(f"r{i}", free_port(), env, log) for i in range(1, count + 1)}
    proxy = None
    with tempfile.TemporaryDirectory(prefix="optlab-haproxy-") as tmp:
        config = Path(tmp, "haproxy.cfg")
        config.write_text(
            render_config(
                f"{address}:{port}", {r.name: f"127.0.0.1:{r.port}" for r in replicas.values()}
            )
        )
        try:
            for replica in replicas.values():
                replica.start()
            for replica in replicas.values():
                _wait(
                    lambda r=replica: healthy(r.url),
                    f"replica {replica.name} (port {replica.port})",
                    [replica.process],
                    log,
                    timeout,
                )
            check = subprocess.run(
                [haproxy, "-c", "-f", str(config)], capture_output=True, text=True
            )
            if check.returncode != 0:
                raise RuntimeError(f"HAProxy refused its config:\n{check.stdout}{check.stderr}")
            # -db: stay in the foreground, so stopping this process's child stops it.
            proxy = subprocess.Popen(
                [haproxy, "-db", "-f", str(config)],
                stdout=log,
                stderr=subprocess.STDOUT if log else None,
                start_new_session=True,
            )
            host = "127.0.0.1" if address in ("0.0.0.0", "") else address
            url = f"http://{host}:{port}"
            _wait(lambda: healthy(url), f"HAProxy on {address}:{port}", [proxy], log, timeout)
            yield Cluster(url, replicas, proxy, log)
        finally:
            # The proxy first, so no student reaches a stopping replica; then the
            # replicas, all told at once to stop.
            if proxy is not None:
                stop(proxy)
            for replica in replicas.values():
                if replica.running():
                    replica.process.terminate()
            for replica in replicas.values():
                replica.stop()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.replicas",
        description="Serve Optimizer Lab from several Streamlit replicas behind HAProxy, "
        "one browser staying on one replica. Runs until Ctrl-C or SIGTERM.",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=len(os.sched_getaffinity(0)),
        metavar="N",
        help="Streamlit processes; one per CPU core this process may use (default: %(default)s)",
    )
    parser.add_argument(
        "--address",
        default="127.0.0.1",
        help="the proxy's address; 0.0.0.0 to serve other machines (default: %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=8501, help="the proxy's port (default: %(default)s)"
    )
    parser.add_argument(
        "--print-config",
        action="store_true",
        help="print the HAProxy config for --backend servers and exit, starting nothing",
    )
    parser.add_argument(
        "--backend",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="with --print-config: a replica running elsewhere (repeat for each)",
    )
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error(f"--replicas must be at least 1, got {args.replicas}")
    return args


def _stop_on_sigterm() -> None:
    """SIGTERM (docker stop, systemd) unwinds like Ctrl-C, so everything is stopped."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.print_config:
        if not args.backend:
            print("--print-config needs at least one --backend HOST:PORT", file=sys.stderr)
            return 2
        servers = {f"r{i}": where for i, where in enumerate(args.backend, 1)}
        print(render_config(f"{args.address}:{args.port}", servers), end="")
        return 0
    _stop_on_sigterm()
    try:
        with serve_replicas(args.replicas, address=args.address, port=args.port) as cluster:
            ports = ", ".join(f"{r.name} :{r.port}" for r in cluster.replicas.values())
            print(f"Optimizer Lab at {cluster.url} ({args.replicas} replicas: {ports})")
            print("Ctrl-C stops everything.", flush=True)
            while cluster.proxy.poll() is None:
                for name in cluster.revive():
                    print(f"replica {name} had exited; started it again", flush=True)
                time.sleep(1)
            print(f"HAProxy exited with code {cluster.proxy.returncode}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    except (FileNotFoundError, RuntimeError) as e:
        print(e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
