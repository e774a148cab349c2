"""What a student takes home: the runs as CSV or JSON, the animation as one offline HTML
file, and a Python program that reproduces the runs with the public API.

All four are pure functions of the runs and the Config, so the page only offers them
as downloads. Numbers are written with ``repr``, the shortest text that reads back to
the same float, so every exported value round-trips exactly.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

import optimizers
from errors import LabError
from viz.config import CUSTOM, Config
from viz.figures import Run

CSV_COLUMNS = ("optimizer", "step", "x", "f", "grad")

# What in a page's markup would make a browser fetch from the network: external
# scripts, stylesheets, media, CSS imports. A MathJax or plotly.js CDN loader is a
# <script src=...>, so it is caught by the first pattern.
MARKUP_PATTERNS = (
    re.compile(r"<script\b[^>]*\bsrc\s*=", re.IGNORECASE),
    re.compile(r"<link\b[^>]*\bhref\s*=", re.IGNORECASE),
    re.compile(r"\b(?:src|href|srcset|poster|data)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"@import\b", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE),
)
_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>)", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}\b", re.IGNORECASE)


@functools.cache
def _plotly_bundle() -> str:
    return get_plotlyjs().strip()


def _full(run: Run) -> optimizers.Trajectory:
    tr = run.traj
    if tr.x is None or np.ndim(tr.x) != 1:
        raise LabError("export_needs_full_run", name=run.name)
    return tr


def _num(value: Any) -> str:
    """A float as the shortest text that reads back to it ('nan', 'inf' included)."""
    return repr(float(value))


def _json_num(value: Any) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _plain(value: Any) -> bool | int | float:
    """A hyperparameter as a plain Python value (NumPy scalars do not serialise)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    return float(value)


def _state_fields(runs: Sequence[Run]) -> list[str]:
    """Every state field of every run, in order of first appearance."""
    return list(dict.fromkeys(k for run in runs for k in (_full(run).state or {})))


def trajectories_csv(runs: Sequence[Run]) -> str:
    """Long format: one row per (optimizer, step), steps 0..T.

    Columns: optimizer, step, x, f, grad, then every state field of any run. Row t
    holds x_t and f(x_t); grad and state are those of the step that produced x_t, so
    they are empty at step 0, and empty in a column the optimizer does not have.
    """
    fields = _state_fields(runs)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *fields])
    for run in runs:
        tr = _full(run)
        state = tr.state or {}
        for step in range(tr.steps + 1):
            row = [run.name, str(step), _num(tr.x[step]), _num(tr.f[step])]
            if step == 0:
                row += [""] * (1 + len(fields))
            else:
                row.append(_num(tr.grad[step - 1]))
                row += [_num(state[k][step - 1]) if k in state else "" for k in fields]
            writer.writerow(row)
    return out.getvalue()


def trajectories_json(runs: Sequence[Run], cfg: Config) -> str:
    """The runs and the settings that made them, as one JSON document.

    ``{"function", "x0", "steps", "runs": [{"optimizer", "label", "hparams", "schedule",
    "x", "f", "grad", "state", "diverged_at", "settled_at"}]}``: ``x`` and ``f`` have steps + 1
    entries (the start first), ``grad`` and each ``state`` field have steps. NaN and
    infinities are written as null; ``diverged_at`` is null for a run that never
    diverged. Finite floats read back exactly.
    """
    doc = {
        "function": cfg.function,
        # A typed function is part of what made the runs.
        **({"expr": cfg.expr, "bounds": [cfg.lo, cfg.hi]} if cfg.function == CUSTOM else {}),
        "x0": float(cfg.start),
        "steps": cfg.steps,
        "runs": [],
    }
    for run in runs:
        tr = _full(run)
        diverged = int(tr.diverged_at)
        doc["runs"].append(
            {
                "optimizer": run.name,
                "label": run.label,
                "hparams": {k: _plain(v) for k, v in tr.hparams.items()},
                # The lr schedule, as torch names it and its parameters; null: constant.
                "schedule": None
                if tr.schedule is None
                else {"kind": tr.schedule.kind, **tr.schedule.values},
                "x": [_json_num(v) for v in tr.x],
                "f": [_json_num(v) for v in tr.f],
                "grad": [_json_num(v) for v in tr.grad],
                "state": {k: [_json_num(v) for v in arr] for k, arr in (tr.state or {}).items()},
                "diverged_at": diverged if diverged >= 0 else None,
                "settled_at": int(tr.settled_at),
            }
        )
    # allow_nan=False: a non-finite number that slipped through fails here, loudly,
    # rather than producing a file that strict JSON readers reject.
    return json.dumps(doc, ensure_ascii=False, allow_nan=False)


def network_resources(page: str) -> list[str]:
    """Everything in ``page`` that would make a browser fetch from the network.

    The markup (script bodies removed) must hold no external script, stylesheet,
    import or media, and our own inline scripts no URL at all. The one script body
    not searched is plotly.js itself, byte for byte the library plotly ships: its code
    holds URL strings (map tiles, the topojson CDN, attributions) that it fetches only
    for map and geo traces, which these figures never have.
    """
    markup = _SCRIPT.sub(lambda m: m.group(1) + m.group(3), page)
    found = [m.group(0) for p in MARKUP_PATTERNS for m in p.finditer(markup)]
    for m in _SCRIPT.finditer(page):
        body = m.group(2).strip()
        if body != _plotly_bundle():
            found += [u.group(0) for u in _URL.finditer(body)]
    return found


def standalone_html(fig: go.Figure, title: str = "Optimizer Lab") -> str:
    """The animated figure as one HTML file that plays offline.

    plotly.js is inlined (about 5 MB) and MathJax is left out, so the file loads
    nothing from the network: it plays from a USB stick in a classroom without Wi-Fi.
    """
    page = pio.to_html(
        fig,
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=True,
        auto_play=False,
        config={"displaylogo": False, "responsive": True},
    )
    return page.replace("<head>", f"<head>\n    <title>{html.escape(title)}</title>", 1)


def _literal(spec: optimizers.HyperParam, value: Any) -> str:
    if spec.kind == "bool":
        return repr(bool(value))
    if spec.kind == "int":
        return repr(int(value))
    return repr(float(value))


def _indent(code: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in code.splitlines())


def _run_function(name: str, cfg: Config) -> str:
    """``def run_<name>()``: one optimizer's loop, its rule from its own module."""
    opt = optimizers.get(name)
    if opt.source is None:
        raise LabError("unknown_optimizer", name=name, choices=", ".join(optimizers.OPTIMIZERS))
    src, values = opt.source, cfg.hparams_of(name)
    setup = [f"{hp.name} = {_literal(hp, values[hp.name])}" for hp in opt.hparams]
    gradient = ["g = df(x)"]
    if src.noise is not None:
        setup.append(
            "# One standard normal per step, drawn up front from the seed, as the app does.\n"
            f"xi = np.random.default_rng(seed).standard_normal(STEPS)\nscale = {src.noise}"
        )
        gradient.append("g = g + scale * xi[t - 1]")
    if opt.second_order:
        gradient.append("h = d2f(x)")
    if src.init:
        setup.append(src.init)
    schedule = cfg.schedule_for(name)
    if schedule is not None:
        args = ", ".join(f"{k}={v!r}" for k, v in schedule.params)
        setup.append(
            f"# torch.optim.lr_scheduler.{schedule.spec.torch}, stepped after every step\n"
            f"lrs = {schedule.spec.lrs.__name__}(lr, {args})"
        )
    setup.append("x = np.float64(X0)\npath = [x]")
    loop = [
        *(["lr = next(lrs)  # this step's learning rate"] if schedule is not None else []),
        *gradient,
        src.step,
        "if not (abs(x_new - CENTER) <= RADIUS and WALL_LO <= x_new <= WALL_HI):",
        "    return path, t  # diverged: the run stops at its last good x",
        "x = x_new",
        "path.append(x)",
    ]
    what = "its settings, then its update rule" if opt.hparams else "its update rule"
    return (
        f"def run_{name}():\n"
        f'    """{opt.label}: {what} in a loop."""\n'
        f"{_indent(chr(10).join(setup), 4)}\n"
        "    for t in range(1, STEPS + 1):\n"
        f"{_indent(chr(10).join(loop), 8)}\n"
        "    return path, None\n"
    )


_MAIN = """\
NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def main():
    np.seterr(all="ignore")  # overflow and nan end a run as diverged; no warnings
    paths = {}
    for name, run in RUNS.items():
        path, diverged_at = run()
        paths[name] = path
        x = path[-1]
        line = f"{name}: x = {float(x)!r}, f(x) = {float(f(x))!r}"
        if diverged_at is not None:
            line += f", diverged at step {diverged_at}"
        print(line)
    plot(paths)


def plot(paths):
    \"\"\"Each path over f, if matplotlib is installed (nothing happens otherwise).\"\"\"
    try:
        import matplotlib
        import matplotlib.pyplot as plt  # with no screen, matplotlib picks Agg itself
    except ImportError:
        return
    grid = np.linspace(LO, HI, 2001)
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.plot(grid, f(grid), color="0.6", label="f(x)")
    for name, path in paths.items():
        xs = np.array(path)
        ax.plot(xs, f(xs), marker="o", markersize=3, linewidth=1, label=name)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend()
    png = Path(__file__).with_suffix(".png") if "__file__" in globals() else Path("run.png")
    fig.savefig(png, dpi=120)
    print(f"saved {png}")
    if matplotlib.get_backend().lower() not in NON_INTERACTIVE:  # a screen: show it too
        plt.show()


if __name__ == "__main__":
    main()
"""


def python_snippet(cfg: Config) -> str:
    """A program that reproduces the runs of ``cfg`` exactly and needs only NumPy.

    It holds f, f' and f'' (each built-in's own definition, or a typed expression's
    exact forward-mode derivatives), the start and the steps, and for each chosen
    optimizer a plain loop: its update rule from its own module (``Optimizer.source``)
    with every hyperparameter written out. It prints each run's final x and f(x), and
    the step it diverged at; with matplotlib installed it also draws the paths over f
    and saves them as a PNG next to itself.
    """
    fn = cfg.objective
    lo, hi = fn.bounds
    where = f"{cfg.expr.strip()!r} on [{lo!r}, {hi!r}]" if cfg.function == CUSTOM else fn.label
    runs = "".join(f"\n\n{_run_function(name, cfg)}" for name in cfg.optimizers)
    scheduled = any(cfg.schedule_for(name) for name in cfg.optimizers)
    schedule = f"\n\n{cfg.lr_schedule.spec.source.rstrip()}\n" if scheduled else ""
    table = "".join(f'    "{name}": run_{name},\n' for name in cfg.optimizers)
    # A typed function is only known on its bounds: leaving them diverges (Objective.confined).
    wall, wall_note = (
        ("LO, HI", ", and so does one that leaves [LO, HI]")
        if fn.confined
        else (
            "-np.inf, np.inf",
            "",
        )
    )
    return (
        '"""Optimizer Lab: the runs on the page, as a program that needs only NumPy.\n\n'
        f"Function: {where}. Start: x0 = {float(cfg.start)!r}; {int(cfg.steps)} steps.\n"
        "Each optimizer is a plain loop, step for step as the app (and torch.optim)\n"
        "computes it, so it prints the numbers the app shows. With matplotlib installed\n"
        "it also draws the paths over f and saves them as a PNG next to this file.\n"
        '"""\n\n'
        f"{'import math' + chr(10) if scheduled else ''}from pathlib import Path\n\n"
        "import numpy as np\n\n"
        f"{fn.source.rstrip()}\n\n\n"
        f"LO, HI = {float(lo)!r}, {float(hi)!r}  # the domain\n"
        f"X0 = {float(cfg.start)!r}\n"
        f"STEPS = {int(cfg.steps)!r}\n"
        "# A step that lands more than 100 domain widths from the centre (or at inf or nan)\n"
        f"# diverges{wall_note}: the run stops there, as in the app.\n"
        "CENTER, RADIUS = (LO + HI) / 2, 100.0 * (HI - LO)\n"
        f"WALL_LO, WALL_HI = {wall}\n"
        f"{schedule}{runs}\n\n"
        f"RUNS = {{\n{table}}}\n\n\n"
        f"{_MAIN}"
    )
