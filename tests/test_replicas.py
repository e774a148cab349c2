"""Two app replicas behind HAProxy (deploy/replicas.py), with a class of virtual students
(bench/classroom.py) going through the proxy: no errors, each browser stays on one
replica for its websocket and its HTTP requests, and a replica killed mid-class costs
only its own students a reconnect to the survivor, where they rerun.

Which replica answered is read from the proxy's ``X-Replica`` header, and checked against
each replica's own count of open sessions (``/_stcore/metrics``, asked directly).
Needs Debian's haproxy: without it the test skips, except under CI=true, where it fails.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from bench import classroom
from bench.classroom import (
    CONTROL,
    StudentResult,
    Tab,
    _rerun_reconnecting,
    get_ready,
    run_sync,
)
from deploy import replicas
from deploy.replicas import (
    COOKIE,
    REPLICA_HEADER,
    ROOT,
    find_haproxy,
    free_port,
    healthy,
    serve_replicas,
)

STUDENTS = 4
CLOSE_TIMEOUT_S = 15


@pytest.fixture(scope="module")
def haproxy() -> str:
    path = find_haproxy()
    if path is None:
        reason = "HAProxy not found (Debian package haproxy, or set HAPROXY_PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install it")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def cluster(haproxy: str):
    with tempfile.TemporaryFile() as log, serve_replicas(2, haproxy=haproxy, log=log) as c:
        yield c


def test_config_for_replicas_elsewhere_names_each_one_and_haproxy_accepts_it(capsys, tmp_path):
    args = ["--print-config", "--port", "8080", "--backend", "10.0.0.11:8501"]
    assert replicas.main([*args, "--backend", "10.0.0.12:8501"]) == 0
    config = capsys.readouterr().out
    assert "bind 127.0.0.1:8080\n" in config
    assert "server r1 10.0.0.11:8501 cookie r1\n" in config
    assert "server r2 10.0.0.12:8501 cookie r2\n" in config
    haproxy = find_haproxy()
    if haproxy is not None:
        (tmp_path / "haproxy.cfg").write_text(config)
        check = subprocess.run(
            [haproxy, "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    assert replicas.main(["--print-config"]) == 2
    assert "--backend" in capsys.readouterr().err


def get(tab: Tab, path: str) -> tuple[str | None, str]:
    """GET ``path`` through the proxy with the tab's cookies, as its browser would; the
    replica that answered and the body."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(tab.cookies)
    )
    with opener.open(f"{tab.base}{path}", timeout=30) as r:
        return r.headers.get(REPLICA_HEADER), r.read().decode(errors="replace")


def sticky_cookie(tab: Tab) -> str | None:
    return next((c.value for c in tab.cookies if c.name == COOKIE), None)


def active_sessions(replica_url: str) -> int:
    """The replica's own count of open sessions, asked directly (not through the proxy)."""
    with urllib.request.urlopen(f"{replica_url}/_stcore/metrics", timeout=10) as r:
        text = r.read().decode()
    return int(re.search(r"^active_sessions (\d+)$", text, re.MULTILINE)[1])


def page_requests(tab: Tab) -> dict[str, str | None]:
    """The replica behind each of the page's HTTP requests: the page, a script it loads,
    the health check and host config its frontend polls."""
    answered, html = get(tab, "/")
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', html)[1]
    paths = [f"/{script}", "/_stcore/health", "/_stcore/host-config"]
    return {"/": answered} | {path: get(tab, path)[0] for path in paths}


def test_classroom_bench_through_the_proxy_spreads_the_class_without_errors(cluster, capsys):
    args = ["--url", cluster.url, "--students", str(STUDENTS), "--moves", "1", "--pause", "0"]
    assert classroom.main(args) == 0
    out = capsys.readouterr().out
    assert re.search(r"errors +0\n", out), out
    assert re.search(r"reconnects +0\n", out), out
    # Each student's one connection, counted under the replica that answered it.
    counts = re.search(rf"connections by {REPLICA_HEADER} +r1 (\d+), r2 (\d+)\n", out)
    assert counts and sum(map(int, counts.groups())) == STUDENTS, out


async def open_link(tab: Tab, result: StudentResult) -> None:
    """Open the link, then the moved optimizer's settings, as the classroom's students
    do."""
    assert await get_ready(tab, result)


async def move(tab: Tab, result: StudentResult) -> None:
    """Move the slider to another option and rerun, reconnecting once if the connection
    dropped, as the classroom's students do."""
    tab.move(CONTROL, result.student + 2 * len(result.moves) + 1)
    result.moves.append(await _rerun_reconnecting(tab, result))


async def each(coroutine, tabs, results):
    await asyncio.gather(*(coroutine(t, r) for t, r in zip(tabs, results, strict=True)))


async def lesson(cluster, tabs: list[Tab], results: list[StudentResult]) -> None:
    # The class opens the link at once and moves the slider: HAProxy spreads them.
    await each(open_link, tabs, results)
    await each(move, tabs, results)
    for result in results:
        assert not result.errors, result.errors
    on = {r.student: r.servers[0] for r in results}
    assert set(on.values()) == set(cluster.replicas), on
    # One browser, one replica: every request of a page goes where its websocket went.
    for tab, result in zip(tabs, results, strict=True):
        requests = await asyncio.to_thread(page_requests, tab)
        assert set(requests.values()) == {result.servers[0]}, (result.servers, requests)
        assert sticky_cookie(tab) == result.servers[0]
    # The replicas' own session counts agree with the header.
    for name, replica in cluster.replicas.items():
        students = sum(1 for s in on.values() if s == name)
        assert await asyncio.to_thread(active_sessions, replica.url) == students, name
    # A dropped connection (a phone's network blip, not a dead replica) comes back to the
    # same replica, which resumes the same session.
    tab, result = next((t, r) for t, r in zip(tabs, results, strict=True) if on[r.student] == "r2")
    await tab.close()
    assert await tab.open() == "r2"
    await tab.rerun()
    assert tab.session_id == result.session_ids[0]

    # r1 dies mid-class (SIGKILL, as in a crash): its students' connections drop, the
    # others' stay open.
    await asyncio.to_thread(cluster.replicas["r1"].kill)
    for tab, result in zip(tabs, results, strict=True):
        if result.servers[0] == "r1":
            await asyncio.wait_for(tab.ws.wait_closed(), CLOSE_TIMEOUT_S)
        else:
            assert tab.ws.close_code is None
    # Everyone moves the slider again: r1's students reconnect to r2 and rerun there.
    await each(move, tabs, results)
    for result in results:
        assert not result.errors, result.errors
        assert result.load is not None and len(result.moves) == 2, result
        if on[result.student] == "r1":
            assert result.servers == ["r1", "r2"] and result.reconnects == 1, result
            assert result.session_ids[0] != result.session_ids[1], result
        else:
            assert result.servers == ["r2"] and result.reconnects == 0, result
            assert len(result.session_ids) == 1, result
    # After the failover the proxy sends r1's students to r2 for everything, cookie too.
    for tab in tabs:
        assert set((await asyncio.to_thread(page_requests, tab)).values()) == {"r2"}
        assert sticky_cookie(tab) == "r2"
    assert await asyncio.to_thread(active_sessions, cluster.replicas["r2"].url) == STUDENTS


def test_students_stay_on_their_replica_and_a_killed_one_costs_only_its_students(cluster):
    assert all(r.running() for r in cluster.replicas.values())
    tabs = [Tab(cluster.url, "", REPLICA_HEADER) for _ in range(STUDENTS)]
    results = [StudentResult(i) for i in range(STUDENTS)]

    async def run() -> None:
        try:
            await lesson(cluster, tabs, results)
        finally:
            await asyncio.gather(*(tab.close() for tab in tabs))

    try:
        run_sync(run())
    finally:
        # Shown only if the test fails: the replicas' and the proxy's output.
        print(cluster.output())


def test_a_revived_replica_takes_new_browsers(cluster):
    """What ``python -m deploy.replicas`` does when a replica exits: start it again on its
    port; once its health check passes, the proxy sends it new browsers again."""
    cluster.replicas["r1"].kill()
    assert cluster.revive() == ["r1"]
    assert cluster.revive() == []
    # New browsers (no cookie) until one lands on r1: HAProxy needs two passed checks,
    # a second apart, after the replica answers.
    deadline = time.monotonic() + 60
    while get(Tab(cluster.url, "", None), "/")[0] != "r1":
        assert time.monotonic() < deadline, cluster.output()
        time.sleep(0.3)


def test_the_command_serves_until_sigterm_then_stops_everything(haproxy: str, tmp_path):
    """``python -m deploy.replicas`` as a container or a terminal runs it: up behind the
    proxy, and SIGTERM (docker stop) leaves nothing running."""
    port = free_port()
    with open(tmp_path / "out", "w+b") as out:
        command = subprocess.Popen(
            [sys.executable, "-m", "deploy.replicas", "--replicas", "1", "--port", str(port)],
            cwd=ROOT,
            env=os.environ | {"HAPROXY_PATH": haproxy},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not (banner := re.search(rb"r1 :(\d+)\)", out_so_far(out))):
                assert command.poll() is None and time.monotonic() < deadline, out_so_far(out)
                time.sleep(0.2)
            url, replica_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{banner[1].decode()}"
            assert healthy(url) and healthy(replica_url)
            command.send_signal(signal.SIGTERM)
            assert command.wait(timeout=30) == 0, out_so_far(out)
        finally:
            if command.poll() is None:
                command.kill()
        assert out_so_far(out).rstrip().endswith(b"stopped")
    assert not healthy(url) and not healthy(replica_url)


def out_so_far(out) -> bytes:
    out.seek(0)
    return out.read()
