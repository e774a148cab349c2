"""The page sends each figure as built (ui.cache.Built): the same figure Plotly's own
validated ``go.Figure`` makes, typed arrays and all."""

import gc
import json
import math

import numpy as np
import plotly.io as pio
import pytest

import functions
import optimizers
from tests.plotly_json import decode
from ui import cache
from viz import figures
from viz.config import DEFAULT_OPTIMIZERS, Config
from viz.text import t as text


def tr(key, **kw):
    return text(key, "en", **kw)


def plain(value):
    """A figure's JSON with typed arrays decoded to lists, and null properties and the
    objects left empty without them dropped (go.Figure leaves out a property set to
    None)."""
    if isinstance(value, dict):
        if "bdata" in value:
            return decode(value).tolist()
        kept = {k: plain(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def runs():
    fn = functions.get("article")
    return [
        figures.Run(n, n, optimizers.run(n, fn, steps=300)) for n in (*DEFAULT_OPTIMIZERS, "newton")
    ]


def validated(fig) -> dict:
    return plain(json.loads(pio.to_json(fig)))


def sent(spec: dict) -> dict:
    """What st.plotly_chart sends for a Built figure: its to_dict, as JSON."""
    return json.loads(pio.to_json(cache.Built(spec).to_dict(), validate=False))


def test_landscape_is_sent_as_plotly_builds_it(runs):
    fn = functions.get("article")
    got = sent(figures.landscape_spec(fn, runs, tr))
    assert got["data"][1]["x"]["dtype"] == "f4"  # typed arrays, not float lists
    assert plain(got) == validated(figures.landscape_figure(fn, runs, tr))


@pytest.mark.parametrize("state_key, log", [("lr_eff", False), (None, True)])
def test_panels_are_sent_as_plotly_builds_them(runs, state_key, log):
    fn = functions.get("article")
    got = sent(figures.panels_spec(fn, runs, tr, state_key, log))
    assert plain(got) == validated(figures.panels_figure(fn, runs, tr, state_key, log))


def test_a_built_figure_as_a_dict_is_the_figure_it_sends(runs):
    """``Built.spec`` (the offline HTML file's figure) is what the page sends."""
    spec = figures.landscape_spec(functions.get("article"), runs, tr)
    assert cache.Built(spec).spec() == sent(spec)


WORST = "gd,sgd,minibatch,momentum,adagrad,rmsprop,adam,adamw,newton,newton_reg"


@pytest.mark.parametrize(
    "queries",
    [
        # Ten runs, some ending on one spot (ringed), then one of them alone: a run's
        # traces kept for one race must not be reused where its ring differs.
        [{"opt": WORST, "steps": "300"}, {"opt": "adam", "steps": "300"}],
        # One slider moved: the other runs' traces come from the cache.
        [{}, {"adamw.lr": "0.3"}],
        [{"lang": "zh", "present": "1", "opt": "newton,newton_reg", "x0": "3"}],
    ],
)
def test_a_landscape_of_cached_runs_is_the_landscape_built_whole(queries):
    """ui.cache.landscape draws each run's still traces once (cache.run_traces)."""
    for query in queries:
        cfg, notices = Config.from_query(query)
        assert not notices
        lang = query.get("lang", "en")
        shown, _ = cache.runs(cfg.runs_of(), lang)
        whole = figures.landscape_spec(cfg.objective, shown, cache.tr(lang), cfg.present)
        assert cache.landscape(cfg.runs_of(), lang, cfg.present).spec() == sent(whole)


def tracked_containers(root) -> int:
    """The dicts, lists and tuples the garbage collector tracks, reached from ``root``
    through dicts, lists and tuples alone."""
    seen, todo = set(), [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        todo.extend(node.values() if isinstance(node, dict) else node)
        todo[:] = [v for v in todo if isinstance(v, dict | list | tuple) and gc.is_tracked(v)]
    return len(seen)


def test_a_cached_landscape_gives_the_collector_almost_nothing_to_walk(runs):
    """Streamlit collects garbage in full after every rerun: a cached figure must not
    keep its frames as thousands of containers for each collection to walk."""
    spec = figures.landscape_spec(functions.get("article"), runs, tr)
    built = cache.Built(spec)
    frames = len(built.frame_steps)
    assert frames >= 100
    assert tracked_containers(vars(built)) < frames / 4
    # The same figure as nested dicts and lists: the structure it replaces.
    assert tracked_containers(spec) > 5 * frames


def test_typed_arrays_keep_every_value_and_narrow_64_bit_integers():
    values = np.array([0.1, -2.5, np.nan, 1e300])
    spec = cache.typed_arrays({"a": [values, np.arange(3)], "b": np.float64(2.5)})
    (floats, ints), scalar = spec["a"], spec["b"]
    assert floats["dtype"] == "f8" and ints["dtype"] == "i4"
    np.testing.assert_array_equal(decode(floats), values)
    np.testing.assert_array_equal(decode(ints), [0, 1, 2])
    assert scalar == 2.5 and type(scalar) is float


def test_long_paths_leave_out_only_points_under_a_drawn_one():
    fn = functions.get("article")
    traj = optimizers.run("sgd", fn, steps=5000)  # noisy: wanders over many cells
    cell = (0.01, 0.02)
    shown = figures.visible_steps(traj.x, traj.f, cell)
    assert shown[0] == 0 and shown[-1] == 5000 and np.all(np.diff(shown) > 0)
    assert len(shown) < 5001
    drawn, last = set(shown.tolist()), 0
    for i in range(5001):  # each left-out point is within a cell of the last drawn one
        if i in drawn:
            last = i
        else:
            assert abs(traj.x[i] - traj.x[last]) < cell[0]
            assert abs(traj.f[i] - traj.f[last]) < cell[1]


def test_a_dot_left_out_lies_within_a_cell_of_a_drawn_one():
    fn = functions.get("article")
    cell = (0.01, 0.02)
    for name in ("rmsprop", "momentum", "sgd"):  # bouncing, settling, wandering
        traj = optimizers.run(name, fn, steps=1000)
        dots = figures.distinct_steps(traj.x, traj.f, cell)
        assert dots[0] == 0 and np.all(np.diff(dots) > 0)
        drawn = np.stack([traj.x[dots], traj.f[dots]], axis=1)
        for i in range(len(traj.x)):  # a plain loop over every step
            near = (np.abs(drawn[:, 0] - traj.x[i]) < cell[0]) & (
                np.abs(drawn[:, 1] - traj.f[i]) < cell[1]
            )
            assert near.any(), (name, i)
    # A run that settles leaves most of its dots out.
    gd = optimizers.run("gd", fn, steps=1000)
    assert len(figures.distinct_steps(gd.x, gd.f, cell)) < 100


def test_every_step_of_a_sent_path_is_within_a_pixel_of_a_drawn_dot():
    # On a projector's full-width plot (1500 px by 1500 px, the widest the page draws), a
    # step's dot left out is within a pixel of a drawn one.
    fn = functions.get("article")
    runs = [figures.Run(n, n, optimizers.run(n, fn, steps=2000)) for n in ("sgd", "rmsprop")]
    got = sent(figures.landscape_spec(fn, runs, tr))
    spans = [
        hi - lo for lo, hi in (got["layout"]["xaxis"]["range"], got["layout"]["yaxis"]["range"])
    ]
    pixel = [span / 1500 for span in spans]
    assert min(spans) > 0
    for run in runs:
        (dots,) = [
            d
            for d in got["data"]
            if d.get("legendgroup") == run.name
            and d["mode"] == "markers"
            and d.get("hoverinfo") == "skip"
        ]
        xs, fs = decode(dots["x"]).astype(float), decode(dots["y"]).astype(float)
        assert 1 < len(xs) < 2001  # a dot for many steps, not for every one
        for x, f in zip(run.traj.x.tolist(), run.traj.f.tolist(), strict=True):
            near = (np.abs(xs - x) < pixel[0]) & (np.abs(fs - f) < pixel[1])
            assert near.any(), (run.name, x, f)


def test_the_dots_are_the_first_step_into_each_cell_visited():
    fn = functions.get("article")
    cell = (0.01, 0.02)
    runs = [optimizers.run(n, fn, steps=1000) for n in ("rmsprop", "momentum", "newton")]
    runs.append(optimizers.run("gd", fn, steps=300, lr=60.0))  # diverges: inf, then NaN
    for traj in runs:
        expected, seen = [], set()
        for i, (x, f) in enumerate(zip(traj.x.tolist(), traj.f.tolist(), strict=True)):
            if math.isfinite(x) and math.isfinite(f):
                spot = (math.floor(x / cell[0]), math.floor(f / cell[1]))
                if spot not in seen:
                    seen.add(spot)
                    expected.append(i)
        assert figures.distinct_steps(traj.x, traj.f, cell).tolist() == expected


def test_short_paths_are_drawn_whole():
    fn = functions.get("article")
    traj = optimizers.run("adam", fn, steps=figures.MAX_PATH_POINTS - 1)
    shown = figures.visible_steps(traj.x, traj.f, (1.0, 1.0))
    np.testing.assert_array_equal(shown, np.arange(figures.MAX_PATH_POINTS))
