"""``python -m bench classroom``: a class of virtual students on one server, beside a bare
page under the same load.

Each virtual student is what a browser tab is to the server: it fetches the page (keeping
any cookie a proxy sets), opens Streamlit's websocket (``/_stcore/stream``, subprotocol
``streamlit``) and speaks Streamlit's own protobufs. It sends a ``BackMsg`` whose
``rerun_script`` carries the query string, reads ``ForwardMsg``s until ``script_finished``,
finds the slider by its key in the deltas, then moves it: a ``rerun_script`` with the
slider's new ``widget_states``. Like the browser, it keeps large elements it was sent
(``metadata.cacheable``) and names them in ``cached_message_hashes``, so the server sends
a reference instead of an element the student already has. Any ``exception`` element, a
missing slider or a dropped connection is an error of that student.

Scenario: N students open the link at once, and each opens the settings that hold the
slider (on the app, one rerun); once all are ready, each moves the slider M times, the
next move about a second after the previous rerun finished. Moves are
timed from the ``BackMsg`` sent to ``script_finished`` received. The same scenario runs on
this app and on a bare page (one ``select_slider`` with the same key and options, one
Plotly chart of 1,001 points) in one run, one student and then the whole class (in
rounds, the two pages taking turns, so that the shared machine's slow spells fall on
both), and the
report gives p50/p95, errors, bytes per rerun and the servers' memory, with the ratios
app / bare beside the targets. ``--duration`` makes it a soak: the class keeps moving
sliders for that long while the servers' memory is sampled.

Importable: ``run_class(base_url, students)`` returns one ``StudentResult`` per student
(its latencies, bytes, errors, session ids and the server that answered each connection),
for any server or proxy already running; ``serve`` in ``bench.browser`` starts a server.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import contextlib
import http.cookiejar
import os
import platform
import random
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.browser import Server, serve
from bench.engine import positive_int
from deploy.replicas import REPLICA_HEADER
from ui import first_paint, lazy

# The slider each student moves: the learning rate of AdamW, in the default race.
MOVED = "adamw"
CONTROL = f"{MOVED}.lr"
# The app draws an optimizer's settings once its expander is open: a student opens it
# once the page is drawn (one rerun, not timed), as in the browser, before the class
# starts moving. Opened after that start, all at once, those reruns queued ahead of the
# first moves: a burst the bare page (no expander) never has.
SETTINGS = lazy.key(MOVED)
STUDENTS, MOVES, PAUSE_S = 30, 4, 1.0
ROUNDS = 3  # classes per page; a soak (--duration) runs one
TIMEOUT_S = 1200.0
# A browser keeps waiting for a busy server's page and websocket; so does a student.
CONNECT_TIMEOUT_S = 120.0
TARGET_CLASS_P95 = 1.5
TARGET_ONE_MOVE = 3.0
TARGET_KIB_PER_RERUN = 120
# Streamlit's server options for the benchmark's servers: no XSRF check, so a client
# without the page's cookie may open the websocket.
SERVER_FLAGS = ("--server.enableXsrfProtection", "false")
# Both pages run with the project's .streamlit/config.toml (the servers start in its
# root), but the bare page keeps Streamlit's default script runner: a full garbage
# collection after every rerun. The app turns that off; the collection is most of what
# a rerun of the bare page costs under a class's load.
BARE_FLAGS = ("--runner.postScriptGC", "true")

# The baseline: the least a page with this slider and a chart this size can cost, as
# Streamlit runs a page by default. Its slider has the app's key and options, so one
# scenario drives both pages.
BARE_PAGE = '''"""A bare page: one select_slider and one Plotly chart of 1,001 points."""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

options = {options!r}
lr = st.select_slider("Learning rate", options, value={value!r}, key={key!r})
x = np.linspace(-20.0, 20.0, 1001)
fig = go.Figure(go.Scatter(x=x, y=np.sin(x * lr * 10.0) * x))
st.plotly_chart(fig)
'''


# --- one student ----------------------------------------------------------------------


@dataclass
class Rerun:
    """One rerun as the student saw it: seconds from the ``BackMsg`` sent to
    ``script_finished``, the ForwardMsg payload bytes, the bytes on the wire (after any
    websocket compression) and how many elements came as a cache reference."""

    seconds: float
    bytes: int
    wire_bytes: int
    references: int


@dataclass
class StudentResult:
    student: int
    load: Rerun | None = None
    moves: list[Rerun] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # One entry per websocket connection: a reconnect adds one.
    session_ids: list[str] = field(default_factory=list)
    servers: list[str | None] = field(default_factory=list)
    reconnects: int = 0


class PageError(Exception):
    """The page showed an exception, or lacks what the scenario needs."""


class Tab:
    """One browser tab: its cookies, its websocket, the widgets and the elements it holds."""

    def __init__(self, base: str, query: str, server_header: str | None) -> None:
        self.base = base.rstrip("/")
        self.query = query.lstrip("?")
        self.server_header = server_header
        self.cookies = http.cookiejar.CookieJar()
        self.ws = None
        self.session_id = ""
        self.widget_states: dict[str, object] = {}  # widget id -> WidgetState
        self.sliders: dict[str, object] = {}  # widget id -> Slider proto
        self.expanders: set[str] = set()  # widget ids of expanders that rerun the page
        # Whether the last run drew only the race's chart and asks for the rest.
        self.asks_for_rest = False
        # The browser's ForwardMsg cache: hash -> [message, run count when last used].
        self.cache: dict[str, list] = {}
        self.runs = 0
        self.max_age = 2

    def _get_page(self) -> None:
        """GET the page as the browser does first: a proxy may set its sticky cookie."""
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies)
        )
        with opener.open(f"{self.base}/?{self.query}", timeout=CONNECT_TIMEOUT_S) as r:
            r.read()

    async def open(self) -> str | None:
        """Connect (again, with the last session id, as the browser reconnects); return
        the server's response header ``server_header`` (None if not asked or absent)."""
        from websockets.asyncio.client import connect

        await asyncio.to_thread(self._get_page)
        request = urllib.request.Request(f"{self.base}/_stcore/stream")
        self.cookies.add_cookie_header(request)
        headers = {"Cookie": request.get_header("Cookie")} if request.has_header("Cookie") else {}
        ws_url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        # As the browser: subprotocol, its XSRF cookie (a placeholder without one), the
        # session to resume. An empty entry is not a valid subprotocol token.
        xsrf = next((c.value for c in self.cookies if c.name == "_streamlit_xsrf"), None)
        session = [self.session_id] if self.session_id else []
        protocols = ["streamlit", xsrf or "PLACEHOLDER_AUTH_TOKEN", *session]
        self.ws = await connect(
            ws_url,
            subprotocols=protocols,
            additional_headers=headers,
            max_size=None,
            proxy=None,
            open_timeout=CONNECT_TIMEOUT_S,
            ping_interval=None,
            create_connection=_counting_connection(),
        )
        return self.ws.response.headers.get(self.server_header) if self.server_header else None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self) -> Rerun:
        """Send ``rerun_script`` with the query string and every widget state set so far;
        read ForwardMsgs until the script finishes."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = self.query
        back.rerun_script.widget_states.widgets.extend(self.widget_states.values())
        back.rerun_script.cached_message_hashes.extend(self.cache)
        self.asks_for_rest = False
        ws = self.ws
        wire_before = ws.wire_bytes
        start = time.perf_counter()
        await ws.send(back.SerializeToString())
        payload = references = 0
        while True:
            data = await ws.recv()
            payload += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                references += 1
                msg = self._cached(msg)
                kind = msg.WhichOneof("type")
            elif msg.metadata.cacheable:
                self.cache[msg.hash] = [msg, self.runs]
            if kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                self._age_cache()
                break
            self._read(msg, kind)
        seconds = time.perf_counter() - start
        return Rerun(seconds, payload, ws.wire_bytes - wire_before, references)

    async def load(self) -> Rerun:
        """A new page: a rerun and, if it drew only the race's chart, the rerun the
        browser asks for once the chart is drawn (ui.first_paint); the two together."""
        first = await self.rerun()
        if not self.asks_for_rest:
            return first
        rest = await self.rerun()
        return Rerun(
            first.seconds + rest.seconds,
            first.bytes + rest.bytes,
            first.wire_bytes + rest.wire_bytes,
            first.references + rest.references,
        )

    def _cached(self, ref):
        entry = self.cache.get(ref.ref_hash)
        if entry is None:
            raise PageError(f"cached element {ref.ref_hash} referenced but never sent")
        entry[1] = self.runs
        msg = type(ref)()
        msg.CopyFrom(entry[0])
        msg.metadata.CopyFrom(ref.metadata)
        return msg

    def _age_cache(self) -> None:
        """Drop elements unused for more than the server's ``max_cached_message_age``
        runs, as the browser does."""
        self.runs += 1
        for key in [k for k, (_, used) in self.cache.items() if self.runs - used > self.max_age]:
            del self.cache[key]

    def _read(self, msg, kind: str) -> None:
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id
            self.max_age = msg.new_session.config.max_cached_message_age
        elif kind == "page_info_changed":
            # The app wrote its URL: the browser's address bar, sent with the next rerun.
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                raise PageError(f"exception on the page: {element.exception.message}")
            if which == "slider":
                self.sliders[element.slider.id] = element.slider
            elif which == "bidi_component" and first_paint.is_request(element.bidi_component.id):
                self.asks_for_rest = True
        elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
            block = msg.delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self.expanders.add(block.expandable.id)

    def slider(self, key: str):
        """The slider whose key is ``key``: Streamlit ends a keyed widget's id with it."""
        for widget_id, proto in self.sliders.items():
            if _has_key(widget_id, key):
                return proto
        raise PageError(f"no slider with key {key!r} on the page")

    def expand(self, key: str) -> bool:
        """Open the expander whose key is ``key``, as clicking it does; False if the page
        has none (the bare page)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        found = [widget_id for widget_id in self.expanders if _has_key(widget_id, key)]
        for widget_id in found:
            self.widget_states[widget_id] = WidgetState(id=widget_id, bool_value=True)
        return bool(found)

    def move(self, key: str, index: int) -> str:
        """Set the slider ``key`` to its option ``index`` (a select_slider) or to that
        value (a slider), as releasing it does; return the value."""
        from streamlit.proto.Slider_pb2 import Slider
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        proto = self.slider(key)
        state = WidgetState(id=proto.id)
        if proto.type == Slider.SELECT_SLIDER:
            value = proto.options[index % len(proto.options)]
            state.string_array_value.data.append(value)
        else:
            value = proto.min + (index * proto.step) % (proto.max - proto.min)
            state.double_array_value.data.append(value)
        self.widget_states[proto.id] = state
        return str(value)


def _has_key(widget_id: str, key: str) -> bool:
    """Whether a widget id is that of the widget with ``key``: Streamlit ends it with it."""
    return widget_id == key or widget_id.endswith(f"-{key}")


def _counting_connection():
    from websockets.asyncio.client import ClientConnection

    class CountingConnection(ClientConnection):
        """Counts the bytes read from the socket: the websocket frames as sent, after any
        compression."""

        wire_bytes = 0

        def data_received(self, data: bytes) -> None:
            self.wire_bytes += len(data)
            super().data_received(data)

    return CountingConnection


# --- the scenario ---------------------------------------------------------------------


def option_index(student: int, move: int, n: int, current: int) -> int:
    """The option student ``student`` picks on move ``move``: students spread over the
    ``n`` options and step through them, never staying on the current one."""
    index = (current + 1 + student * 3 + move * 7) % n
    return index if index != current else (index + 1) % n


async def _student(
    result: StudentResult,
    base: str,
    query: str,
    key: str,
    moves: int,
    pause: float,
    everyone_loaded: asyncio.Event,
    loaded: list[int],
    total: int,
    until: float | None,
    server_header: str | None,
) -> StudentResult:
    """One student's visit: get ready (``get_ready``), wait for the class, move the slider;
    ``result`` fills as it goes."""
    number = result.student
    tab = Tab(base, query, server_header)
    rng = random.Random(number)
    try:
        try:
            await get_ready(tab, result)
        finally:
            loaded[0] += 1
            if loaded[0] == total:
                everyone_loaded.set()
        await everyone_loaded.wait()
        proto = tab.slider(key)
        current = int(proto.value[0]) if proto.value else int(proto.default[0])
        n = max(len(proto.options), 2)
        move = 0
        while move < moves or (until is not None and time.perf_counter() < until):
            await asyncio.sleep(pause * rng.uniform(0.8, 1.2))
            current = option_index(number, move, n, current)
            tab.move(key, current)
            result.moves.append(await _rerun_reconnecting(tab, result))
            move += 1
    except Exception as e:  # a student's failure is a result, not the end of the class
        result.errors.append(f"{type(e).__name__}: {e}")
    finally:
        await tab.close()
    return result


async def get_ready(tab: Tab, result: StudentResult) -> bool:
    """Open the link, then the settings that hold the slider (on the app, one rerun);
    whether the page had such settings to open."""
    start = time.perf_counter()
    try:
        result.servers.append(await tab.open())
        result.load = await tab.load()
        result.load.seconds = time.perf_counter() - start
    finally:
        result.session_ids.append(tab.session_id)
    if not tab.expand(SETTINGS):
        return False
    await _rerun_reconnecting(tab, result)
    return True


async def _rerun_reconnecting(tab: Tab, result: StudentResult) -> Rerun:
    """A rerun; if the connection drops, reconnect once (as the browser does, resuming
    its session if the server still has it) and send it again, timed from the first try."""
    from websockets.exceptions import ConnectionClosed

    start = time.perf_counter()
    try:
        return await tab.rerun()
    except (ConnectionClosed, OSError):
        result.reconnects += 1
        await tab.close()
        result.servers.append(await tab.open())
        try:
            # A replica that never had the session starts a new one: a new page.
            rerun = await tab.load()
        finally:
            result.session_ids.append(tab.session_id)
        rerun.seconds = time.perf_counter() - start
        return rerun


async def classroom(
    base: str,
    students: int = STUDENTS,
    *,
    query: str = "",
    key: str = CONTROL,
    moves: int = MOVES,
    pause: float = PAUSE_S,
    duration: float | None = None,
    server_header: str | None = None,
    timeout: float = TIMEOUT_S,
) -> list[StudentResult]:
    """Run the scenario against ``base`` (a server or a proxy): ``students`` open the
    link with ``query``, then each moves the slider ``key`` ``moves`` times (for at least
    ``duration`` seconds, if given), ``pause`` seconds apart. ``server_header`` names a
    response header of the websocket handshake that says which server answered."""
    everyone_loaded, loaded = asyncio.Event(), [0]
    until = None if duration is None else time.perf_counter() + duration
    results = [StudentResult(i) for i in range(students)]
    tasks = [
        asyncio.ensure_future(
            _student(
                result,
                base,
                query,
                key,
                moves,
                pause,
                everyone_loaded,
                loaded,
                students,
                until,
                server_header,
            )
        )
        for result in results
    ]
    _, late = await asyncio.wait(tasks, timeout=timeout + (duration or 0.0))
    for task in late:  # what a late student did so far stays in its result
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for result, task in zip(results, tasks, strict=True):
        if task in late:
            result.errors.append(f"not done after {timeout:g} s")
    return results


def run_class(base: str, students: int = STUDENTS, **options) -> list[StudentResult]:
    """``classroom`` for synchronous callers (tests, other benchmarks)."""
    return run_sync(classroom(base, students, **options))


def run_sync(coroutine):
    """Run ``coroutine`` on an event loop of its own, in a thread of its own: the
    caller's thread may run a loop already (Playwright's sync API does, in a test
    session that also drove a browser)."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


# --- servers and their memory ---------------------------------------------------------


def rss_mib(pid: int) -> float:
    """A process's resident memory in MiB (Linux /proc; NaN elsewhere)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class MemorySampler:
    """Samples processes' RSS every ``interval`` seconds on a thread while in use."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids, self.interval = pids, interval
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.perf_counter()

    def _run(self) -> None:
        while True:
            now = time.perf_counter() - self._t0
            for name, pid in self.pids.items():
                self.samples[name].append((now, rss_mib(pid)))
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def serve_bare(*flags: str) -> Iterator[Server]:
    """Serve the bare page, its slider offering what the app's moved lr slider offers."""
    import optimizers
    from viz import grids

    lr = optimizers.get(MOVED).hparam("lr")
    options = grids.slider_values(lr, lr.default)
    page = BARE_PAGE.format(options=options, value=lr.default, key=CONTROL)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "bare_page.py")
        path.write_text(page, encoding="utf-8")
        with serve(path, *BARE_FLAGS, *flags) as server:
            yield server


async def _warm(base: str) -> None:
    """One untimed visit: the server's first run imports and fills its caches."""
    tab = Tab(base, "", None)
    try:
        await tab.open()
        await tab.load()
    finally:
        await tab.close()


# --- report ---------------------------------------------------------------------------


@dataclass
class Phase:
    """One page's results in one phase of the run."""

    results: list[StudentResult]

    @property
    def loads(self) -> list[Rerun]:
        return [r.load for r in self.results if r.load is not None]

    @property
    def moves(self) -> list[Rerun]:
        return [m for r in self.results for m in r.moves]

    @property
    def errors(self) -> list[str]:
        return [f"student {r.student}: {e}" for r in self.results for e in r.errors]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _row(label: str, app: str, bare: str, ratio: str = "", target: str = "", ok=None) -> str:
    verdict = "" if ok is None else ("PASS" if ok else "MISS")
    return f"   {label:<34} {app:>10} {bare:>10} {ratio:>8}   {target:<10} {verdict}".rstrip()


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def _ratio_row(label: str, app: float, bare: float, target: float | None = None) -> str:
    ratio = app / bare if bare else float("nan")
    if target is None:
        return _row(label, _s(app), _s(bare), f"{ratio:.2f}x")
    return _row(label, _s(app), _s(bare), f"{ratio:.2f}x", f"<= {target:g}x", ratio <= target)


def _memory_rows(samples: dict[str, list[tuple[float, float]]]) -> list[str]:
    rows = []
    for what, pick in (
        ("server RSS at start", lambda s: s[0][1]),
        ("server RSS peak", lambda s: max(v for _, v in s)),
        ("server RSS at end", lambda s: s[-1][1]),
    ):
        app, bare = (pick(samples[name]) for name in ("app", "bare"))
        rows.append(_row(what, f"{app:.0f} MiB", f"{bare:.0f} MiB"))
    return rows


def _timeline(samples: list[tuple[float, float]], every: float = 60.0) -> str:
    """RSS once a minute (the first sample, then each first past a whole minute)."""
    points, next_t = [], 0.0
    for t, v in samples:
        if t >= next_t:
            points.append(f"{t / 60:.0f} min {v:.0f}")
            next_t = (t // every + 1) * every
    return ", ".join(points)


def report(solo: dict[str, Phase], full: dict[str, Phase], students: int) -> bool:
    """Print the table; True if every target is met and nothing failed."""
    print(_row("", "app", "bare", "ratio", "target"))
    one = {k: percentile([m.seconds for m in p.moves], 50) for k, p in solo.items()}
    print(_ratio_row("one student: slider move p50", one["app"], one["bare"], TARGET_ONE_MOVE))
    verdicts = [one["app"] / one["bare"] <= TARGET_ONE_MOVE]
    for label, q in (("p50", 50), ("p95", 95)):
        load = {k: percentile([r.seconds for r in p.loads], q) for k, p in full.items()}
        print(_ratio_row(f"{students} students: first load {label}", load["app"], load["bare"]))
    for label, q in (("p50", 50), ("p95", 95)):
        move = {k: percentile([m.seconds for m in p.moves], q) for k, p in full.items()}
        target = TARGET_CLASS_P95 if q == 95 else None
        print(
            _ratio_row(
                f"{students} students: slider move {label}", move["app"], move["bare"], target
            )
        )
        if target:
            verdicts.append(move["app"] / move["bare"] <= target)
    sent = {k: percentile([m.bytes for m in p.moves], 50) for k, p in full.items()}
    wire = {k: percentile([m.wire_bytes for m in p.moves], 50) for k, p in full.items()}
    # What a rerun costs the network: the websocket frames, compressed if the server is.
    ok = wire["app"] <= TARGET_KIB_PER_RERUN * 1024
    verdicts.append(ok)
    target = f"<= {TARGET_KIB_PER_RERUN} KiB"
    print(
        _row("sent per slider rerun, median", _kib(wire["app"]), _kib(wire["bare"]), "", target, ok)
    )
    print(_row("  before compression", _kib(sent["app"]), _kib(sent["bare"])))
    cached = {k: percentile([m.references for m in p.moves], 50) for k, p in full.items()}
    print(_row("  elements sent as a reference", f"{cached['app']:g}", f"{cached['bare']:g}"))
    errors = {k: len(solo[k].errors) + len(p.errors) for k, p in full.items()}
    print(_row("errors", str(errors["app"]), str(errors["bare"])))
    for k in ("app", "bare"):
        for line in (solo[k].errors + full[k].errors)[:5]:
            print(f"     {k}: {line}")
    verdicts.append(not any(errors.values()))
    print(f"   Targets: {sum(verdicts)} PASS, {len(verdicts) - sum(verdicts)} MISS")
    return all(verdicts)


def _environment() -> str:
    import plotly
    import streamlit
    import websockets

    load = f", load average {os.getloadavg()[0]:.2f} at start" if hasattr(os, "getloadavg") else ""
    return (
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
        f"Plotly {plotly.__version__}, websockets {websockets.__version__}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs{load}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench classroom",
        description="Virtual students on Streamlit's websocket: this app beside a bare "
        "one-slider page, one student and then the whole class.",
    )
    parser.add_argument(
        "--students",
        type=positive_int,
        default=STUDENTS,
        metavar="N",
        help=f"students in the class (default {STUDENTS})",
    )
    parser.add_argument(
        "--moves",
        type=positive_int,
        default=MOVES,
        metavar="M",
        help=f"slider moves per student (default {MOVES})",
    )
    parser.add_argument(
        "--solo-moves",
        type=positive_int,
        default=8,
        metavar="M",
        help="slider moves of the lone student, median taken (default 8)",
    )
    parser.add_argument(
        "--rounds",
        type=positive_int,
        default=None,
        metavar="R",
        help=f"classes per page, the pages taking turns; the figures pool them (default "
        f"{ROUNDS}, or 1 for a soak)",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=PAUSE_S,
        metavar="S",
        help=f"seconds between a rerun finished and the next move (default {PAUSE_S:g})",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        metavar="S",
        help="soak: the class keeps moving sliders for S seconds (e.g. 600)",
    )
    parser.add_argument(
        "--query",
        default="",
        metavar="Q",
        help="the link's query string, e.g. 'steps=5000' (default: the default page)",
    )
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit server option for both servers, e.g. "
        "server.enableWebsocketCompression=true (repeatable)",
    )
    parser.add_argument(
        "--url",
        default=None,
        help="run the class against this running server or proxy (e.g. the replicas of "
        "python -m deploy.replicas) instead of starting the app and the bare page",
    )
    return parser.parse_args(argv)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _flags(options: list[str]) -> list[str]:
    flags = list(SERVER_FLAGS)
    for option in options:
        name, _, value = option.partition("=")
        flags += [f"--{name}", value]
    return flags


def report_url(results: list[StudentResult]) -> None:
    """The class's figures against one URL. Each connection is counted under the replica
    that answered it (``X-Replica``; ``?`` for a server without a proxy in front)."""
    phase = Phase(results)
    loads, moves = [r.seconds for r in phase.loads], [m.seconds for m in phase.moves]
    answered = collections.Counter(s or "?" for r in results for s in r.servers)
    rows = (
        ("first load p50, p95", f"{_s(percentile(loads, 50))}, {_s(percentile(loads, 95))}"),
        ("slider move p50, p95", f"{_s(percentile(moves, 50))}, {_s(percentile(moves, 95))}"),
        (
            "sent per slider rerun, median",
            _kib(percentile([m.wire_bytes for m in phase.moves], 50)),
        ),
        ("  before compression", _kib(percentile([m.bytes for m in phase.moves], 50))),
        ("errors", str(len(phase.errors))),
        ("reconnects", str(sum(r.reconnects for r in results))),
        (
            f"connections by {REPLICA_HEADER}",
            ", ".join(f"{k} {n}" for k, n in sorted(answered.items())),
        ),
    )
    for label, value in rows:
        print(f"   {label:<34} {value}")
    for line in phase.errors[:5]:
        print(f"     {line}")


def main_url(args: argparse.Namespace) -> int:
    """``--url``: the class against a server or proxy someone else started."""
    link = f"{args.url}/?{args.query}" if args.query else args.url
    print(
        f"Scenario: {args.students} students open {link} and its {MOVED} settings, then each "
        f"moves {CONTROL!r} {args.moves} times, about {args.pause:g} s after each rerun"
    )
    results = run_class(
        args.url,
        args.students,
        moves=args.moves,
        pause=args.pause,
        query=args.query,
        duration=args.duration,
        server_header=REPLICA_HEADER,
    )
    print()
    report_url(results)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.rounds = args.rounds or (1 if args.duration else ROUNDS)
    flags = _flags(args.server_option)
    print("Optimizer Lab: classroom benchmark (virtual students on Streamlit's websocket)")
    print(_environment())
    if args.url:
        return main_url(args)
    pages = ("bare", "app")
    solo: dict[str, Phase] = {}
    full = {k: Phase([]) for k in pages}
    memory: dict[str, list[tuple[float, float]]] = {k: [] for k in pages}
    # The class, in rounds that alternate the two pages: a spell of the shared machine's
    # own slowness falls on both, not on whichever page ran then. Each round has new
    # servers, so no round finds the app's caches filled by the one before.
    for round_ in range(args.rounds):
        with serve("app.py", *flags) as app, serve_bare(*flags) as bare:
            servers = {"bare": bare, "app": app}
            for server in servers.values():
                run_sync(_warm(server.base))
            with MemorySampler({k: s.pid for k, s in servers.items()}) as sampler:
                if round_ == 0:
                    solo = {
                        k: Phase(
                            run_class(
                                s.base, 1, moves=args.solo_moves, pause=args.pause, query=args.query
                            )
                        )
                        for k, s in servers.items()
                    }
                for k, s in servers.items():
                    full[k].results += run_class(
                        s.base,
                        args.students,
                        moves=args.moves,
                        pause=args.pause,
                        query=args.query,
                        duration=args.duration,
                    )
            for k in pages:
                memory[k] += sampler.samples[k]
    soak = f", for {args.duration:g} s each" if args.duration else ""
    query = f" ?{args.query}" if args.query else ""
    rounds = (
        f"; {args.rounds} classes per page, taking turns, each on new servers"
        if args.rounds > 1
        else ""
    )
    print(
        f"Scenario: {args.students} students open the link{query} and its {MOVED} settings, "
        f"then each moves {CONTROL!r} {_times(args.moves)}{soak}, about {args.pause:g} s "
        f"after each rerun; one student alone moves it {_times(args.solo_moves)} first{rounds}"
    )
    print(
        "Bare page: one select_slider (the app's options and key), one Plotly chart;"
        f" {' '.join(BARE_FLAGS)} (Streamlit's default)"
    )
    print(f"Server options: {' '.join(flags)}")
    print()
    report(solo, full, args.students)
    print()
    for row in _memory_rows(memory):
        print(row)
    if args.duration:
        for k, samples in memory.items():
            print(f"   {k} RSS over time (MiB): {_timeline(samples)}")
    return 0
