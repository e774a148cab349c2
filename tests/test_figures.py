"""Figure builders as pure functions of Trajectories."""

import json

import numpy as np
import plotly.io as pio
import pytest

import functions
import optimizers
from tests.plotly_json import decode
from viz import figures
from viz.config import DEFAULT_OPTIMIZERS
from viz.text import t as text


def tr(key, **kw):
    return text(key, "en", **kw)


def runs_for(names, fn="article", steps=1000, **overrides):
    objective = functions.get(fn)
    return [
        figures.Run(n, n.upper(), optimizers.run(n, objective, steps=steps, **overrides.get(n, {})))
        for n in names
    ]


@pytest.mark.parametrize("steps", [1, 5, 199, 200, 201, 1000, 4999, 5000])
def test_sampled_steps_are_even_bounded_and_keep_the_ends(steps):
    s = figures.sampled_steps(steps)
    assert s[0] == 0 and s[-1] == steps
    assert len(s) <= figures.MAX_FRAMES
    assert np.all(np.diff(s) > 0)
    if steps + 1 <= figures.MAX_FRAMES:
        assert len(s) == steps + 1
    else:  # even, but for the round steps the slider labels, moved onto their frames
        gaps = np.diff(s)
        assert gaps.max() - gaps.min() <= steps / (len(s) - 1) + 1
    assert set(figures.step_ticks(steps)) <= set(s.tolist())


def figure_json(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def test_frames_move_only_the_markers_to_the_trajectory():
    runs = runs_for(DEFAULT_OPTIMIZERS)
    fn = functions.get("article")
    spec = figure_json(figures.landscape_figure(fn, runs, tr))
    moving = len(spec["data"]) - 1  # one trace carries every moving marker
    assert spec["data"][moving]["hovertext"] == [r.label for r in runs]
    legend = [d["name"] for d in spec["data"] if d.get("showlegend", True) and d.get("name")]
    labels = [r.label for r in runs]
    assert legend[0] == "f(x)" and [n for n in legend if n in labels] == labels
    steps = figures.sampled_steps(1000)
    assert [int(f["name"]) for f in spec["frames"]] == list(steps)
    for frame, s in zip(spec["frames"], steps, strict=True):
        assert frame["traces"] == [moving]
        (data,) = frame["data"]
        np.testing.assert_array_equal(decode(data["x"]), [r.traj.x[s] for r in runs])
        np.testing.assert_array_equal(decode(data["y"]), [r.traj.f[s] for r in runs])
    # The page draws its own keyboard-operable controls (ui/playbar.py), not Plotly's.
    assert "updatemenus" not in spec["layout"] and "sliders" not in spec["layout"]
    # Fixed axes: the view does not jump while the animation plays.
    assert spec["layout"]["xaxis"]["autorange"] is False
    assert spec["layout"]["yaxis"]["autorange"] is False


def test_static_paths_hold_the_whole_trajectory():
    runs = runs_for(["adam"])
    spec = figure_json(figures.landscape_figure(functions.get("article"), runs, tr))
    path = spec["data"][1]
    # Drawn in single precision (hover is off on paths): every step, to seven digits.
    assert path["x"]["dtype"] == path["y"]["dtype"] == "f4"
    np.testing.assert_allclose(decode(path["x"]), runs[0].traj.x, rtol=1e-7)
    np.testing.assert_allclose(decode(path["y"]), runs[0].traj.f, rtol=1e-7, atol=1e-7)


def test_default_figure_is_small():
    runs = runs_for(DEFAULT_OPTIMIZERS)
    size = len(pio.to_json(figures.landscape_figure(functions.get("article"), runs, tr)))
    assert size <= 300 * 1024


def test_all_optimizers_at_5000_steps_stay_under_205_kib_each():
    """2 MiB for the first ten; each optimizer's 5000-step path costs about as much."""
    runs = runs_for(optimizers.OPTIMIZERS, steps=5000)
    size = len(pio.to_json(figures.landscape_figure(functions.get("article"), runs, tr)))
    assert size <= len(runs) * 205 * 1024


def test_divergence_is_marked_with_its_step():
    runs = runs_for(["gd"], gd={"lr": 100.0})
    assert int(runs[0].traj.diverged_at) > 0
    spec = figure_json(figures.landscape_figure(functions.get("article"), runs, tr))
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(f">diverged at step {int(runs[0].traj.diverged_at)}<" in x for x in texts)


def test_newton_heading_for_a_maximum_is_shown():
    runs = runs_for(["newton"], steps=50)
    curvature = runs[0].traj.state["curvature"]
    uphill = np.flatnonzero(curvature <= 0)
    assert uphill.size > 0  # the article's function has f'' < 0 near its start
    spec = figure_json(figures.landscape_figure(functions.get("article"), runs, tr))
    marks = [d for d in spec["data"] if "maximum" in d.get("name", "")]
    assert len(marks) == 1
    # One ring per spot (tests/test_readable.py): every ring is an uphill step's.
    rings = decode(marks[0]["x"])
    assert rings[0] == runs[0].traj.x[uphill[0]] and np.isin(rings, runs[0].traj.x[uphill]).all()


def test_panels_plot_f_x_and_state_against_t():
    runs = runs_for(["adam", "gd"], steps=100)
    fn = functions.get("article")
    spec = figure_json(figures.panels_figure(fn, runs, tr, "lr_eff", log=False))
    ys = [decode(d["y"]) for d in spec["data"]]
    np.testing.assert_array_equal(ys[0], runs[0].traj.f)
    np.testing.assert_array_equal(ys[1], runs[0].traj.x)
    np.testing.assert_array_equal(ys[2], runs[0].traj.state["lr_eff"])
    assert len(spec["data"]) == 5  # gd has no lr_eff
    # Against t: step i of each y at x0 + i * dx (the state is recorded from step 1).
    starts = [(d.get("x0"), d.get("dx"), "x" in d) for d in spec["data"]]
    assert starts == [(0, 1, False), (0, 1, False), (1, 1, False), (0, 1, False), (0, 1, False)]


def test_log_panel_shows_the_positive_gap_to_the_minimum():
    runs = runs_for(["newton_reg"], fn="quadratic", steps=50)
    fn = functions.get("quadratic")
    spec = figure_json(figures.panels_figure(fn, runs, tr, None, log=True))
    gap = decode(spec["data"][0]["y"])
    assert np.all(gap > 0)
    np.testing.assert_allclose(gap[:5], runs[0].traj.f[:5] - fn.f_min)
    assert spec["layout"]["yaxis"]["type"] == "log"


def test_a_diverged_run_is_never_reported_as_settled():
    from viz.tables import summary_rows

    fn = functions.get("cliff")
    runs = runs_for(["gd"], fn="cliff", gd={"lr": 100.0})
    assert int(runs[0].traj.diverged_at) > 0
    (row,) = summary_rows(fn, runs)
    assert row["diverged"] == int(runs[0].traj.diverged_at) and row["settled"] is None


def test_the_offline_file_gets_plotlys_play_controls():
    fig = figures.landscape_figure(functions.get("article"), runs_for(["gd"]), tr)
    spec = figure_json(figures.play_controls(fig, tr))
    (menu,) = spec["layout"]["updatemenus"]
    assert [b["label"] for b in menu["buttons"]] == ["▶ Slow", "▶ Play", "▶ Fast", "❚❚ Pause"]
    (slider,) = spec["layout"]["sliders"]
    names = [f["name"] for f in spec["frames"]]
    assert [st["label"] for st in slider["steps"]] == names
    assert [st["args"][0] for st in slider["steps"]] == [[n] for n in names]
    assert "updatemenus" not in figure_json(fig)["layout"]  # the cached figure is untouched


@pytest.mark.parametrize(
    ("steps", "ticks"),
    [
        (1000, [0, 200, 400, 600, 800, 1000]),
        (5000, [0, 1000, 2000, 3000, 4000, 5000]),
        (1234, [0, 250, 500, 750, 1000]),
        (200, [0, 50, 100, 150, 200]),
        (37, [0, 10, 20, 30]),
        (5, [0, 1, 2, 3, 4, 5]),
        (0, [0]),
    ],
)
def test_step_slider_labels_are_round(steps, ticks):
    assert figures.step_ticks(steps) == ticks


def test_a_landscape_without_runs_is_the_curve_alone():
    """No run to draw (every optimizer failed): the curve, and markers that stay empty."""
    spec = json.loads(pio.to_json(figures.landscape_figure(functions.get("article"), [], tr)))
    assert [d.get("name") for d in spec["data"] if d.get("mode") == "lines"] == ["f(x)"]
    assert all(not frame["data"][0]["x"] for frame in spec["frames"])
