"""Exports: every number reads back exactly, the Python program reproduces the runs
without the app, and the HTML file plays offline."""

import ast
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest

import functions
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
            optimizers.run(
                n,
                cfg.objective,
                float(cfg.start),
                cfg.steps,
                schedule=cfg.schedule_for(n),
                **cfg.hparams_of(n),
            ),
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
        assert out["schedule"] is None
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


def test_json_names_the_schedule_and_records_its_lr():
    cfg = CASES["schedule-warmup_cosine"]
    doc = json.loads(exports.trajectories_json(page_runs(cfg), cfg))
    for out, run in zip(doc["runs"], page_runs(cfg), strict=True):
        if run.name == "newton_reg":  # no lr to schedule
            assert out["schedule"] is None and "lr" not in out["state"]
            continue
        assert out["schedule"] == {"kind": "warmup_cosine", **cfg.schedule_of("warmup_cosine")}
        assert out["state"]["lr"] == run.traj.state["lr"].tolist()


def test_json_writes_infinity_as_null():
    # Newton at a point of zero curvature: 1/0 is an infinite effective learning rate,
    # and the step diverges.
    traj = optimizers.run("newton", "saddle", x0=-2.0, steps=3)
    assert np.isinf(traj.state["lr_eff"][0])
    cfg = Config(function="saddle", x0=-2.0, steps=10, optimizers=("newton",))
    doc = json.loads(exports.trajectories_json([figures.Run("newton", "N", traj)], cfg))
    assert doc["runs"][0]["state"]["lr_eff"][0] is None
    assert doc["runs"][0]["diverged_at"] == 1


# Python program: self-contained, run in a fresh folder without the app on the path

PROJECT = Path(__file__).resolve().parent.parent
LINE = re.compile(
    r"^(?P<name>\w+): x = (?P<x>\S+), f\(x\) = (?P<f>[^,]+)"
    r"(?:, diverged at step (?P<step>\d+))?$"
)
# Every optimizer alone, every hyperparameter away from its default.
NON_DEFAULT = {
    "gd": {"lr": 0.07},
    "sgd": {"lr": 0.05, "noise": 2.5, "seed": 11},
    "minibatch": {"lr": 0.2, "noise": 3.0, "batch_size": 5, "seed": 4},
    "momentum": {"lr": 0.05, "momentum": 0.8, "dampening": 0.25, "weight_decay": 0.01},
    "adagrad": {"lr": 0.7, "eps": 1e-6, "weight_decay": 0.02},
    "rmsprop": {"lr": 0.2, "beta": 0.9, "eps": 1e-6, "weight_decay": 0.03},
    "adam": {"lr": 0.3, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.05},
    "adamw": {"lr": 0.4, "beta1": 0.85, "beta2": 0.95, "eps": 1e-7, "weight_decay": 0.1},
    "newton": {},
    "newton_reg": {"alpha": 3.5},
}
CASES = {
    "default": Config(steps=40),
    **{
        f"alone-{name}": Config(
            function="double_well",
            x0=2.2,
            steps=30,
            optimizers=(name,),
            hparams={name: hp} if hp else {},
        )
        for name, hp in NON_DEFAULT.items()
    },
    "nesterov": Config(
        steps=30,
        optimizers=("momentum",),
        hparams={"momentum": {"nesterov": True, "momentum": 0.7, "weight_decay": 0.01}},
    ),
    "adam-no-bias-correction": Config(
        steps=30,
        optimizers=("adam", "adamw"),
        hparams={"adam": {"bias_correction": False}, "adamw": {"bias_correction": False}},
    ),
    **{
        f"function-{fn}": Config(function=fn, steps=25, optimizers=tuple(optimizers.OPTIMIZERS))
        for fn in functions.FUNCTIONS
    },
    "typed": Config(
        function="custom",
        expr="sin(3x) + 0.1x^2",
        lo=-4.0,
        hi=5.0,
        steps=30,
        optimizers=tuple(optimizers.OPTIMIZERS),
    ),
    # Every rule of the jet machinery: powers (constant and x-dependent), products,
    # quotients, a constant divisor, the functions, pi and a negation.
    "typed-every-rule": Config(
        function="custom",
        expr="x^x/(1+x^2) - exp(-x)/2 + sqrt(x)*log(x) + tanh(pi x)^3 - atan(x)",
        lo=0.5,
        hi=3.0,
        steps=20,
        optimizers=("gd", "newton", "adam"),
    ),
    # A typed function is only known on its bounds: a run that leaves them diverges.
    "typed-leaves-bounds": Config(
        function="custom",
        expr="1/x",
        lo=-5.0,
        hi=5.0,
        x0=-2.4,
        steps=60,
        optimizers=("gd", "adam"),
        hparams={"gd": {"lr": 1.0}},
    ),
    "noisy": Config(
        steps=40,
        optimizers=("sgd", "minibatch"),
        hparams={"sgd": {"seed": 123456789, "noise": 0.7}, "minibatch": {"seed": 9}},
    ),
    # gd diverges early; Newton diverges at a point of zero curvature.
    "diverging": Config(function="article", x0=-17.3, steps=60, hparams={"gd": {"lr": 50.0}}),
    "newton-zero-curvature": Config(function="saddle", x0=-2.0, steps=10, optimizers=("newton",)),
    # A schedule scales every optimizer with an lr (Newton's runs without one).
    **{
        f"schedule-{kind}": Config(
            steps=60,
            optimizers=("gd", "momentum", "adam", "newton_reg"),
            schedule=kind,
            schedule_params={kind: params},
        )
        for kind, params in {
            "step": {"step_size": 7},
            "exponential": {"gamma": 0.95},
            "cosine": {"T_max": 25, "eta_min": 0.01},
            "restarts": {"T_0": 10, "T_mult": 2},
            "warmup": {"total_iters": 20},
            "warmup_cosine": {"total_iters": 12, "T_max": 40},
            "onecycle": {"total_steps": 60, "anneal_strategy": "linear", "three_phase": True},
        }.items()
    },
}


@pytest.fixture(scope="module")
def no_matplotlib(tmp_path_factory):
    """A folder whose ``matplotlib`` cannot be imported, as on a machine without it."""
    folder = tmp_path_factory.mktemp("no_matplotlib")
    (folder / "matplotlib").mkdir()
    (folder / "matplotlib" / "__init__.py").write_text("raise ImportError('not installed')\n")
    return folder


def run_program(cfg: Config, folder: Path, pythonpath: Path | None = None) -> str:
    """Save the program for ``cfg`` in ``folder`` and run it there, as a student would,
    in an environment where the app's own packages cannot be imported."""
    script = folder / "optimizer_lab_run.py"
    script.write_text(exports.python_snippet(cfg), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MPL"))}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(
        [sys.executable, "-I" if pythonpath is None else "-s", script.name],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def printed(stdout: str) -> dict[str, re.Match]:
    return {m["name"]: m for m in map(LINE.match, stdout.splitlines()) if m}


@pytest.mark.parametrize("case", list(CASES))
def test_program_reproduces_the_runs_without_the_app(case, tmp_path, no_matplotlib):
    cfg = CASES[case]
    out = printed(run_program(cfg, tmp_path, no_matplotlib))
    assert list(out) == list(cfg.optimizers)
    for run in page_runs(cfg):
        got, tr = out[run.name], run.traj
        # Exact: the same float64 operations in the same order, printed with repr.
        assert same(got["x"], tr.x_final), (run.name, got["x"], float(tr.x_final))
        assert same(got["f"], tr.f_final), (run.name, got["f"], float(tr.f_final))
        diverged = int(tr.diverged_at)
        assert got["step"] == (str(diverged) if diverged >= 0 else None), run.name


def test_the_cases_cover_what_they_claim():
    # A diverging run, runs that move, noise that matters: else the cases prove little.
    runs = {run.name: run.traj for run in page_runs(CASES["diverging"])}
    assert 0 < int(runs["gd"].diverged_at) < CASES["diverging"].steps
    for run in page_runs(CASES["typed-leaves-bounds"]):  # inside the escape radius
        last = float(run.traj.x[int(run.traj.diverged_at)])
        assert int(run.traj.diverged_at) > 0 and -5 <= last <= 5
    newton = page_runs(CASES["newton-zero-curvature"])[0].traj
    assert int(newton.diverged_at) == 1
    noisy = page_runs(CASES["noisy"])
    quiet = page_runs(replace(CASES["noisy"], hparams={"sgd": {"noise": 0.0}}))
    assert float(noisy[0].traj.x_final) != float(quiet[0].traj.x_final)
    for name in NON_DEFAULT:
        cfg = CASES[f"alone-{name}"]
        assert all(
            cfg.hparams_of(name)[hp.name] != hp.default
            for hp in optimizers.get(name).hparams
            if hp.kind != "bool"
        )
        assert float(page_runs(cfg)[0].traj.x_final) != 2.2, name
    for kind in optimizers.SCHEDULES:  # each schedule changes the paths
        if kind != "constant":
            cfg = CASES[f"schedule-{kind}"]
            plain = page_runs(replace(cfg, schedule="constant"))
            for ours, theirs in zip(page_runs(cfg), plain, strict=True):
                moved = not np.array_equal(ours.traj.x, theirs.traj.x)
                assert moved == (ours.name != "newton_reg"), (kind, ours.name)


def test_program_imports_nothing_of_the_app():
    code = exports.python_snippet(CASES["typed"])
    tree = ast.parse(code)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])
    }
    assert imported <= {"numpy", "pathlib", "matplotlib"}
    for package in ("functions", "optimizers", "viz", "errors"):
        assert package not in imported


def test_an_import_of_the_app_would_fail_where_the_program_runs(tmp_path):
    # The environment the tests run the program in really lacks the app's packages.
    (tmp_path / "probe.py").write_text("import functions\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [sys.executable, "-I", "probe.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "No module named 'functions'" in done.stderr
    assert str(PROJECT) not in env.get("PYTHONPATH", "")


def test_program_spells_out_every_hyperparameter():
    cfg = CASES["noisy"]
    code = exports.python_snippet(cfg)
    assert "seed = 123456789" in code and "noise = 0.7" in code
    assert "batch_size = 16" in code
    code = exports.python_snippet(AWKWARD)
    assert "X0 = 0.30000000000000004" in code and "STEPS = 25" in code
    assert "lr = 0.3333333333333333" in code and "bias_correction = False" in code
    for name in AWKWARD.optimizers:
        for hp in optimizers.get(name).hparams:
            assert f"    {hp.name} = " in code
    assert max(len(line) for line in code.splitlines()) <= 100


def test_every_optimizer_carries_its_own_source():
    for name, opt in optimizers.OPTIMIZERS.items():
        assert opt.source is not None and "x_new = " in opt.source.step, name
        assert (opt.source.noise is None) == (opt.noise_scale is None), name


FAKE_PYPLOT = """\
import json, pathlib
calls = []
def _record(name):
    def call(*args, **kwargs):
        calls.append(name)
        if name in ("savefig", "show"):
            pathlib.Path("calls.json").write_text(json.dumps(calls))
        return Thing()
    return call
class Thing:
    def __getattr__(self, name):
        return _record(name)
    def __iter__(self):
        return iter([Thing(), Thing()])
def subplots(*args, **kwargs):
    calls.append("subplots")
    return Thing(), Thing()
def __getattr__(name):
    return _record(name)
"""


@pytest.mark.parametrize("backend", ["agg", "TkAgg"])
def test_program_draws_with_matplotlib_when_it_is_there(tmp_path, backend):
    # matplotlib is not a dependency of the app: a stand-in records what the program
    # asks of it. It saves a PNG next to itself, and shows a window only on a screen.
    fake = tmp_path / "fake"
    (fake / "matplotlib").mkdir(parents=True)
    (fake / "matplotlib" / "__init__.py").write_text(
        f"def get_backend():\n    return {backend!r}\n"
    )
    (fake / "matplotlib" / "pyplot.py").write_text(FAKE_PYPLOT)
    folder = tmp_path / "run"
    folder.mkdir()
    stdout = run_program(Config(steps=5, optimizers=("gd", "adam")), folder, fake)
    assert set(printed(stdout)) == {"gd", "adam"}
    calls = json.loads((folder / "calls.json").read_text())
    assert calls[0] == "subplots" and calls.count("plot") == 3  # f, then each path
    assert "savefig" in calls and f"saved {folder / 'optimizer_lab_run.png'}" in stdout
    assert ("show" in calls) == (backend == "TkAgg")


# Standalone HTML


@pytest.fixture(scope="module")
def page(runs):
    tr = lambda key, **kw: text(key, "en", **kw)  # noqa: E731
    fig = figures.play_controls(figures.landscape_figure(CONFIG.objective, runs, tr), tr)
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
    # Not playing on load: the student presses Play, a button of the file's own.
    assert "Plotly.animate(" not in html
    assert '"updatemenus"' in html and "▶ Play" in html


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


def test_json_names_the_typed_function():
    cfg = Config(function="custom", expr="sin(3x) + 0.1x^2", lo=-4.0, hi=5.0, optimizers=("gd",))
    traj = optimizers.run("gd", cfg.objective, cfg.start, cfg.steps)
    doc = json.loads(exports.trajectories_json([figures.Run("gd", "GD", traj)], cfg))
    assert doc["function"] == "custom"
    assert doc["expr"] == "sin(3x) + 0.1x^2" and doc["bounds"] == [-4.0, 5.0]
