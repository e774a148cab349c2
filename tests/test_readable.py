"""Readable in class: no run hides under another, every mark has a key, nothing piles
into a blot, and the charts read from the back of a room (or in presentation mode)."""

import json
import math

import numpy as np
import plotly.io as pio
import pytest
from hypothesis import given
from hypothesis import strategies as st

import functions
import optimizers
from tests import reference
from tests.pages import new_page as page
from tests.plotly_json import decode
from viz import figures
from viz.config import DEFAULT_OPTIMIZERS, Config
from viz.text import STRINGS
from viz.text import t as text


def tr(key, **kw):
    return text(key, "en", **kw)


def spec_of(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def runs_for(names, fn, x0=None, steps=1000):
    x0 = fn.x0 if x0 is None else x0
    return [
        figures.Run(n, n.upper(), optimizers.run(n, fn, x0, steps, **optimizers.get(n).defaults))
        for n in names
    ]


# --- The default race: five different stories ---------------------------------------


def critical_points(fn, n=400_001):
    """Local minima and maxima of f on a dense grid, from f's values alone."""
    xs = np.linspace(*fn.bounds, n)
    f = fn.f(xs)
    inner = slice(1, -1)
    minima = xs[inner][(f[inner] < f[:-2]) & (f[inner] < f[2:])]
    maxima = xs[inner][(f[inner] > f[:-2]) & (f[inner] > f[2:])]
    return minima, maxima, xs[np.argmin(f)]


def story(x_end, minima, maxima, best, tol=0.01) -> tuple:
    """Where a run ended, as a teacher would say it."""
    if abs(x_end - best) < tol:
        return ("global minimum",)
    for kind, points in (("local minimum", minima), ("local maximum", maxima)):
        near = np.flatnonzero(np.abs(points - x_end) < tol)
        if near.size:
            return (kind, round(float(points[near[0]]), 2))
    return ("still moving", round(x_end, 1))


def test_the_default_race_tells_five_different_stories():
    """Re-run with the plain reference loops: each default optimizer ends somewhere
    else, as config.py says: gradient descent in the first dip, Newton's method on the
    maximum beside it, RMSprop still moving halfway down, momentum in a dip near 3.3,
    AdamW at the global minimum."""
    fn = functions.get("article")
    minima, maxima, best = critical_points(fn)
    ends = {
        n: reference.LOOPS[n](fn, fn.x0, 1000, **optimizers.get(n).defaults).x[-1]
        for n in DEFAULT_OPTIMIZERS
    }
    stories = {n: story(x, minima, maxima, best) for n, x in ends.items()}
    assert len(set(stories.values())) == len(DEFAULT_OPTIMIZERS), stories
    first_dip = minima[minima > fn.x0][0]
    assert stories["gd"] == ("local minimum", round(float(first_dip), 2))
    assert stories["newton"][0] == "local maximum"
    assert stories["rmsprop"][0] == "still moving"
    assert stories["momentum"][0] == "local minimum" and abs(stories["momentum"][1] - 3.3) < 0.1
    assert stories["adamw"] == ("global minimum",)
    # No two of them end where their markers would overlap on the landscape.
    width = np.subtract(*fn.bounds[::-1])
    xs = sorted(ends.values())
    assert min(np.diff(xs)) > 0.01 * width


def test_no_two_default_runs_coincide():
    fn = functions.get("article")
    assert figures.coinciding(fn, runs_for(DEFAULT_OPTIMIZERS, fn)) == []


# --- Runs that end together ---------------------------------------------------------

HIDING = ("gd", "adagrad", "newton_reg")  # all three end in the first dip, 1e-9 apart


def test_runs_that_end_together_are_found():
    fn = functions.get("article")
    runs = runs_for(HIDING, fn)
    assert (
        max(float(r.traj.x_final) for r in runs) - min(float(r.traj.x_final) for r in runs) < 1e-6
    )
    assert figures.coinciding(fn, runs) == [[0, 1, 2]]
    apart = runs_for(("gd", "momentum"), fn)
    assert figures.coinciding(fn, apart) == []


def test_runs_that_end_together_are_all_drawn_visibly():
    """Each end marker drawn under another is larger (a ring around it), each path under
    another wider and of another dash; the moving markers, which all start on one
    point, are nested the same way."""
    fn = functions.get("article")
    runs = runs_for(HIDING, fn)
    spec = spec_of(figures.landscape_figure(fn, runs, tr))
    paths = path_lines(spec)
    ends = [d for d in spec["data"] if str(d.get("marker", {}).get("symbol", "")).endswith("-open")]
    ends = [d for d in ends if d.get("showlegend") is False]
    widths = [p["line"]["width"] for p in paths]
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == 3
    assert len({p["line"].get("dash", "solid") for p in paths}) == 3
    sizes = [d["marker"]["size"] for d in ends]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 3
    moving = spec["data"][-1]["marker"]["size"]
    assert len(set(moving)) == 3  # at step 0 all three sit on x0
    last = spec["frames"][-1]["data"][0]["marker"]["size"]
    assert len(set(last)) == 3  # and they end together
    # Apart, every marker has the same size.
    apart = spec_of(figures.landscape_figure(fn, runs_for(("gd", "momentum"), fn), tr))
    assert len(set(apart["frames"][-1]["data"][0]["marker"]["size"])) == 1


def test_the_time_lines_of_runs_that_end_together_differ():
    fn = functions.get("article")
    spec = spec_of(figures.panels_figure(fn, runs_for(HIDING, fn), tr, None, False))
    lines = {(d["legendgroup"], d["line"]["width"], d["line"]["dash"]) for d in spec["data"]}
    assert len({(w, dash) for _, w, dash in lines}) == 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_says_which_runs_end_together(lang):
    at = page(opt="gd,newton_reg,momentum", steps="1000", lang=lang)
    assert not at.exception
    captions = [c.value for c in at.caption]
    gd, reg = (text("optimizers", lang) and optimizers.get(n) for n in ("gd", "newton_reg"))
    labels = [o.label if lang == "en" else o.label_zh for o in (gd, reg)]
    # The landscape's text alternative names every run too: only the coincide note ends so.
    ending = STRINGS["coincide"][lang][-12:]
    said = [c for c in captions if all(label in c for label in labels) and c.endswith(ending)]
    assert len(said) == 1, captions
    momentum = optimizers.get("momentum")
    assert (momentum.label if lang == "en" else momentum.label_zh) not in said[0]
    assert "19.23" in said[0]


def test_the_default_page_says_nothing_coincides():
    at = page()
    assert not at.exception
    assert not [c.value for c in at.caption if "too close to tell apart" in c.value]


# --- A key for the marks ------------------------------------------------------------


def test_the_hollow_end_markers_and_crosses_have_a_legend_entry():
    fn = functions.get("article")
    wild = optimizers.run("momentum", fn, fn.x0, 100, lr=100.0)
    runs = [*runs_for(("gd",), fn, steps=100), figures.Run("momentum", "M", wild)]
    assert int(runs[1].traj.diverged_at) > 0
    spec = spec_of(figures.landscape_figure(fn, runs, tr))
    keys = {
        d["name"]: d.get("marker", {}).get("symbol")
        for d in spec["data"]
        if d.get("showlegend", True) and d.get("name")
    }
    assert keys[tr("legend_end")].endswith("-open")
    assert keys[tr("legend_diverged")] == "x-thin-open"
    # No cross in the key when nothing diverged.
    spec = spec_of(figures.landscape_figure(fn, runs[:1], tr))
    assert tr("legend_diverged") not in [d.get("name") for d in spec["data"]]


# --- Newton's rings -----------------------------------------------------------------


def test_newtons_rings_do_not_pile_into_a_blot():
    """Newton sits on the maximum at x = -18.72 for 97 of its 100 steps: one ring there,
    no two rings overlapping, and every step taken uphill under a ring."""
    fn = functions.get("article")
    runs = runs_for(("newton",), fn, steps=100)
    tr_ = runs[0].traj
    uphill = np.flatnonzero(tr_.state["curvature"] <= 0)
    assert uphill.size >= 97
    spec = spec_of(figures.landscape_figure(fn, runs, tr))
    [rings] = [d for d in spec["data"] if "maximum" in d.get("name", "")]
    rx, ry = decode(rings["x"]), decode(rings["y"])
    xr, yr = spec["layout"]["xaxis"]["range"], spec["layout"]["yaxis"]["range"]
    scale = np.array([xr[1] - xr[0], yr[1] - yr[0]])
    rings_at = np.column_stack([rx, ry]) / scale
    # A 12 px ring on a chart some 900 x 500 px: rings closer than that overlap.
    for i in range(len(rings_at)):
        for j in range(i):
            assert np.any(np.abs(rings_at[i] - rings_at[j]) > 0.015)
    steps_at = np.column_stack([tr_.x[uphill], tr_.f[uphill]]) / scale
    for p in steps_at:
        assert np.min(np.max(np.abs(rings_at - p), axis=1)) <= 0.015
    assert len(rings_at) < 10
    assert sum(rings["customdata"]) == uphill.size  # each ring's hover counts its steps


# --- "Diverged at step" labels -----------------------------------------------------


def test_divergence_labels_near_a_pole_do_not_stack():
    """1/x on [-5, 5] from -2.4: six runs leave the bounds near x = 5. Their labels
    become one label with a line per run, none written over another."""
    fn = functions.from_expression("1/x", (-5.0, 5.0))
    names = ("gd", "momentum", "rmsprop", "adam", "newton_reg", "adagrad", "adamw")
    runs = runs_for(names, fn, x0=-2.4)
    gone = {r.name: int(r.traj.diverged_at) for r in runs if int(r.traj.diverged_at) >= 0}
    assert len(gone) >= 6
    spec = spec_of(figures.landscape_figure(fn, runs, tr))
    labels = spec["layout"]["annotations"]
    lines = [line for a in labels for line in a["text"].split("<br>")]
    assert len(lines) == len(gone)
    for name, step in gone.items():
        colour = optimizers.get(name).color
        said = [x for x in lines if f'color:{colour}">' in x and f"diverged at step {step}<" in x]
        assert len(said) == 1, (name, step)
    # Label anchors far enough apart not to overlap: a label is some 150 x 20 px of a
    # chart some 900 x 500 px; and each anchor inside the view.
    xr, yr = spec["layout"]["xaxis"]["range"], spec["layout"]["yaxis"]["range"]
    at = np.array([[a["x"], a["y"]] for a in labels])
    assert np.all((xr[0] <= at[:, 0]) & (at[:, 0] <= xr[1]))
    assert np.all((yr[0] <= at[:, 1]) & (at[:, 1] <= yr[1]))
    scaled = at / np.array([xr[1] - xr[0], yr[1] - yr[0]])
    for i in range(len(scaled)):
        for j in range(i):
            gap = np.abs(scaled[i] - scaled[j])
            assert gap[0] > 0.2 or gap[1] > 0.08


# --- The projector ------------------------------------------------------------------


def luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_reference():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def texts_of(spec: dict) -> list[dict]:
    """The fonts of every tick, axis title and legend of a figure."""
    layout = spec["layout"]
    axes = [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))]
    return [a["tickfont"] for a in axes] + [layout["legend"]["font"], layout["font"]]


@pytest.mark.parametrize("present", [False, True])
def test_ticks_legends_and_paths_read_on_a_projector(present):
    fn = functions.get("article")
    runs = runs_for(DEFAULT_OPTIMIZERS, fn, steps=100)
    for spec in (
        spec_of(figures.landscape_figure(fn, runs, tr, present)),
        spec_of(figures.panels_figure(fn, runs, tr, "lr_eff", False, present)),
    ):
        for font in texts_of(spec):
            assert contrast(font["color"], "#ffffff") >= 4.5
            assert font["size"] >= (22 if present else 14)
    spec = spec_of(figures.landscape_figure(fn, runs, tr, present))
    paths = path_lines(spec)
    assert len(paths) == len(runs)
    for p in paths:
        assert p["line"]["width"] >= (4 if present else 2) and p["opacity"] >= 0.6


def test_presentation_mode_is_in_the_link():
    cfg = Config(present=True)
    assert cfg.to_query() == {"present": "1"}
    assert Config.from_query(cfg.to_query()) == (cfg, [])
    assert Config().set("present", True) == cfg


def test_the_presentation_switch_sets_large_type_and_thick_lines():
    at = page(steps="60")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] == figures.NORMAL.font
    at.toggle(key="present").set_value(True).run()
    assert not at.exception
    assert at.query_params["present"] == ["1"] or at.session_state["_config"].present
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] == figures.PRESENTATION.font
    paths = path_lines(spec)
    assert min(p["line"]["width"] for p in paths) >= figures.PRESENTATION.path


def path_lines(spec: dict) -> list[dict]:
    """Each run's path line (its dots are a trace of their own)."""
    return [d for d in spec["data"] if d.get("mode") == "lines" and d.get("legendgroup")]


def nested_sizes_by_hand(points, spans, base):
    """The nesting rule, point by point: a point joins the first group with a member
    within OVERLAP of it on both axes (as fractions of the spans); the r-th of a group
    of g is drawn g - 1 - r sizes larger."""
    groups = []
    for i, (x, y) in enumerate(points):
        for g in groups:
            if any(
                abs(x / spans[0] - points[j][0] / spans[0]) <= figures.OVERLAP
                and abs(y / spans[1] - points[j][1] / spans[1]) <= figures.OVERLAP
                for j in g
            ):
                g.append(i)
                break
        else:
            groups.append([i])
    size = {}
    for g in groups:
        for r, i in enumerate(g):
            size[i] = base + figures.NEST * (len(g) - 1 - r)
    return [size[i] for i in range(len(points))]


coordinate = st.sampled_from([0.0, 0.1, 0.3, 5.0, math.nan, math.inf, -math.inf]) | st.floats(-3, 3)


@given(
    frames=st.integers(1, 6).flatmap(
        lambda n: st.lists(
            st.lists(st.tuples(coordinate, coordinate), min_size=n, max_size=n),
            min_size=1,
            max_size=8,
        )
    )
)
def test_each_frames_markers_nest_as_the_rule_says(frames):
    """Frames drawn at once (one NumPy pass, then grouping only where markers meet)
    size every marker as the point-by-point rule does, NaN and infinite points too."""
    spans = (10.0, 4.0)
    xs = [[p[0] for p in frame] for frame in frames]
    fs = [[p[1] for p in frame] for frame in frames]
    got = figures._frame_sizes(xs, fs, np.array(spans), 16)
    assert got == [nested_sizes_by_hand(frame, spans, 16) for frame in frames]
