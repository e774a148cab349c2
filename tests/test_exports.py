"""Exports: every number reads back exactly, the snippet reproduces the runs, and the
HTML file plays offline."""

import contextlib
import csv
import io
import json
import math
import re

import numpy as np
import plotly.io as pio
import pytest

import optimizers
from viz import exports, figures
from viz.config import Config
from viz.text import t as text

# Every optimizer once, so every state field appears; gd diverges (NaN gradient and
# state after its divergence step), sgd and minibatch draw noise from their seeds.
CONFIG = Config(
    function="article",
    x0=-17.3,
    steps=60,
    optimizers=tuple(optimizers.OPTIMIZERS),
    hparams={"gd": {"lr": 50.0}, "sgd": {"seed": 7, "noise": 2.5}, "adam": {"lr": 1 / 3}},
)
# Awkward floats: x0 and lr whose shortest repr has 17 digits, a non-default seed,
# a boolean turned off.
AWKWARD = Config(
    function="quadratic",
    x0=0.1 + 0.2,
    steps=25,
    optimizers=("gd", "sgd", "adam", "newton"),
    hparams={
        "gd": {"lr": 1 / 3},
        "sgd": {"seed": 123456789, "noise": 0.7},
        "adam": {"bias_correction": False, "beta2": 0.95},
    },
)


def page_runs(cfg: Config) -> list[figures.Run]:
    """The runs exactly as the page makes them (ui/cache.py)."""
    return [
        figures.Run(
            n,
            n.upper(),
            optimizers.run(n, cfg.objective, float(cfg.start), cfg.steps, **cfg.hparams_of(n)),
        )
        for n in cfg.optimizers
    ]


@pytest.fixture(scope="module")
def runs():
    out = page_runs(CONFIG)
    gd = out[0].traj
    assert out[0].name == "gd" and 0 < int(gd.diverged_at) < CONFIG.steps
    return out


def same(text_value: str, value) -> bool:
    """The text reads back to exactly ``value`` (NaN matches NaN)."""
    v = float(value)
    r = float(text_value)
    return (math.isnan(r) and math.isnan(v)) or (
        r == v and math.copysign(1, r) == math.copysign(1, v)
    )


# CSV


def test_csv_header_lists_every_state_field_once(runs):
    rows = list(csv.reader(io.StringIO(exports.trajectories_csv(runs))))
    fields = list(dict.fromkeys(k for r in runs for k in r.traj.state))
    assert rows[0] == ["optimizer", "step", "x", "f", "grad", *fields]
    assert len(rows) == 1 + len(runs) * (CONFIG.steps + 1)


def test_csv_round_trips_exactly(runs):
    rows = list(csv.DictReader(io.StringIO(exports.trajectories_csv(runs))))
    by_name = {r.name: r.traj for r in runs}
    seen = set()
    for row in rows:
        tr = by_name[row["optimizer"]]
        step = int(row["step"])
        seen.add((row["optimizer"], step))
        assert same(row["x"], tr.x[step])
        assert same(row["f"], tr.f[step])
        for key in ["grad", *{k for r in runs for k in r.traj.state}]:
            if step == 0 or (key != "grad" and key not in tr.state):
                assert row[key] == "", (row["optimizer"], step, key)
            else:
                value = tr.grad[step - 1] if key == "grad" else tr.state[key][step - 1]
                assert same(row[key], value), (row["optimizer"], step, key)
    assert seen == {(r.name, s) for r in runs for s in range(CONFIG.steps + 1)}


def test_csv_writes_nan_after_divergence(runs):
    rows = [r for r in csv.DictReader(io.StringIO(exports.trajectories_csv(runs)))]
    gd = runs[0].traj
    after = [r for r in rows if r["optimizer"] == "gd" and int(r["step"]) > int(gd.diverged_at)]
    assert after and all(r["grad"] == "nan" for r in after)


def test_exports_refuse_batched_trajectories():
    traj = optimizers.run("gd", "quadratic", x0=np.array([1.0, 2.0]), steps=5)
    with pytest.raises(ValueError, match="unbatched"):
        exports.trajectories_csv([figures.Run("gd", "GD", traj)])
    summary = optimizers.run("gd", "quadratic", steps=5, summary=True)
    with pytest.raises(ValueError, match="unbatched"):
        exports.trajectories_json([figures.Run("gd", "GD", summary)], Config())


# JSON


def json_same(value, expected) -> bool:
    expected = float(expected)
    if not math.isfinite(expected):
        return value is None
    return isinstance(value, float) and value == expected


def test_json_round_trips_exactly(runs):
    def no_constants(name):
        raise AssertionError(f"non-standard JSON constant {name}")

    doc = json.loads(exports.trajectories_json(runs, CONFIG), parse_constant=no_constants)
    assert doc["function"] == "article"
    assert doc["x0"] == -17.3 and doc["steps"] == 60
    assert [r["optimizer"] for r in doc["runs"]] == list(CONFIG.optimizers)
    for out, run in zip(doc["runs"], runs, strict=True):
        tr = run.traj
        assert out["label"] == run.label
        assert out["hparams"] == {
            k: v.item() if hasattr(v, "item") else v for k, v in tr.hparams.items()
        }
        assert out["hparams"] == CONFIG.hparams_of(run.name)
        for key, arr in (("x", tr.x), ("f", tr.f), ("grad", tr.grad)):
            assert len(out[key]) == len(arr)
            assert all(json_same(a, b) for a, b in zip(out[key], arr, strict=True)), key
        assert set(out["state"]) == set(tr.state)
        for key, arr in tr.state.items():
            assert all(json_same(a, b) for a, b in zip(out["state"][key], arr, strict=True)), key
        diverged = int(tr.diverged_at)
        assert out["diverged_at"] == (diverged if diverged >= 0 else None)
        assert out["settled_at"] == int(tr.settled_at)
    gd = doc["runs"][0]
    assert gd["diverged_at"] is not None and gd["grad"][-1] is None


def test_json_writes_infinity_as_null():
    # Newton at a point of zero curvature: 1/0 is an infinite effective learning rate,
    # and the step diverges.
    traj = optimizers.run("newton", "saddle", x0=-2.0, steps=3)
    assert np.isinf(traj.state["lr_eff"][0])
    cfg = Config(function="saddle", x0=-2.0, steps=10, optimizers=("newton",))
    doc = json.loads(exports.trajectories_json([figures.Run("newton", "N", traj)], cfg))
    assert doc["runs"][0]["state"]["lr_eff"][0] is None
    assert doc["runs"][0]["diverged_at"] == 1


# Python snippet


def exec_snippet(cfg: Config) -> tuple[dict, str]:
    code = exports.python_snippet(cfg)
    namespace: dict = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), namespace)
    return namespace, out.getvalue()


@pytest.mark.parametrize("cfg", [CONFIG, AWKWARD, Config()], ids=["all", "awkward", "default"])
def test_snippet_reproduces_the_runs_exactly(cfg):
    namespace, printed = exec_snippet(cfg)
    got = namespace["runs"]
    assert list(got) == list(cfg.optimizers)
    for run in page_runs(cfg):
        mine, theirs = got[run.name], run.traj
        assert np.array_equal(mine.x, theirs.x)
        assert np.array_equal(mine.grad, theirs.grad, equal_nan=True)
        for key in theirs.state:
            assert np.array_equal(mine.state[key], theirs.state[key], equal_nan=True)
        assert f"{run.name}: final x = {float(theirs.x_final)!r}" in printed


def test_snippet_spells_out_every_hyperparameter():
    code = exports.python_snippet(AWKWARD)
    assert "import functions\nimport optimizers\n" in code
    assert 'fn = functions.get("quadratic")' in code
    assert "x0=0.30000000000000004" in code and "steps=25" in code
    assert "lr=0.3333333333333333" in code
    assert "seed=123456789" in code and "bias_correction=False" in code
    for name in AWKWARD.optimizers:
        for hp in optimizers.get(name).hparams:
            assert f"{hp.name}=" in code
    assert max(len(line) for line in code.splitlines()) <= 100


# Standalone HTML


@pytest.fixture(scope="module")
def page(runs):
    fig = figures.landscape_figure(CONFIG.objective, runs, lambda key, **kw: text(key, "en", **kw))
    return fig, exports.standalone_html(fig)


def test_html_holds_the_figure_and_every_frame(page):
    fig, html = page
    assert html.lower().startswith("<!doctype html>")
    assert "<title>Optimizer Lab</title>" in html
    assert "Plotly.addFrames(" in html
    names = [f.name for f in fig.frames]
    assert names == [str(s) for s in figures.sampled_steps(CONFIG.steps)]
    for name in names:
        assert f'"name":"{name}"' in html
    # Not playing on load: the student presses Play.
    assert "Plotly.animate(" not in html


def script_bodies_removed(html: str) -> str:
    return re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S | re.I)


def test_html_loads_nothing_from_the_network(page):
    _, html = page
    assert exports.network_resources(html) == []
    markup = script_bodies_removed(html)
    assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", markup, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", markup, re.I)
    assert not re.search(r"<link\b", markup, re.I)
    assert "@import" not in markup
    assert "MathJax.js" not in html and "mathjax@" not in html.lower()
    # The only large script is plotly.js, inlined whole.
    assert len(html) > 3_000_000


@pytest.mark.parametrize(
    "options",
    [
        {"include_plotlyjs": "cdn"},
        {"include_plotlyjs": True, "include_mathjax": "cdn"},
        {"include_plotlyjs": "directory"},
    ],
)
def test_network_check_catches_cdn_loaders(page, options):
    fig, _ = page
    html = pio.to_html(fig, full_html=True, **options)
    assert exports.network_resources(html)


def test_network_check_catches_urls_in_our_own_scripts():
    html = '<html><body><script>fetch("https://example.com/data.json")</script></body></html>'
    assert exports.network_resources(html) == ["https://example.com"]
    assert exports.network_resources('<img src="//example.com/a.png">')
    assert exports.network_resources("<style>@import 'x.css';</style>")


def test_snippet_reproduces_a_typed_function():
    cfg = Config(function="custom", expr="sin(3x) + 0.1x^2", lo=-4.0, hi=5.0, optimizers=("adam",))
    fn = cfg.objective
    expected = optimizers.run("adam", fn, cfg.start, cfg.steps, **cfg.hparams_of("adam"))
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(exports.python_snippet(cfg), namespace)
    np.testing.assert_array_equal(namespace["runs"]["adam"].x, expected.x)


def test_json_names_the_typed_function():
    cfg = Config(function="custom", expr="sin(3x) + 0.1x^2", lo=-4.0, hi=5.0, optimizers=("gd",))
    traj = optimizers.run("gd", cfg.objective, cfg.start, cfg.steps)
    doc = json.loads(exports.trajectories_json([figures.Run("gd", "GD", traj)], cfg))
    assert doc["function"] == "custom"
    assert doc["expr"] == "sin(3x) + 0.1x^2" and doc["bounds"] == [-4.0, 5.0]
