"""Explore: sweep maps, basins of attraction and noise ensembles, as pure functions.

Each analysis is one vectorised ``optimizers.run`` (a whole grid of configurations
advances in one loop over steps) and returns plain data; a ``*_figure`` function turns
that data into a Plotly figure in the page's language. No Streamlit here: the page
caches and shows them. Newton's local model and the step inspector, which look at
one step of one run, live in ``viz.step_view`` and are re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
from scipy.optimize import brentq

import optimizers
from errors import LabError
from functions import Objective
from optimizers.spec import HyperParam
from viz import config
from viz.config import CUSTOM, Config
from viz.figures import FONT, NORMAL, curve, legend_below, style
from viz.grids import is_decay
from viz.step_view import inspect_step, newton_model, newton_model_figure
from viz.text import hparam_label, optimizer_label, t

__all__ = [
    "DIVERGED",
    "ELSEWHERE",
    "ENSEMBLE_OPTIMIZERS",
    "METRICS",
    "Basins",
    "Ensemble",
    "Sweep",
    "basins",
    "basins_figure",
    "ensemble",
    "ensemble_figure",
    "inspect_step",
    "local_minima",
    "newton_model",
    "newton_model_figure",
    "schedule_param",
    "sweep",
    "sweep_axes",
    "sweep_config",
    "sweep_figure",
]

METRICS = config.SWEEP_METRICS  # ("f", "distance", "settled"), as the link names them
DIVERGED_COLOR = "#b0b0b0"

# --- sweep map: final result over a grid of learning rate x one more setting --------


@dataclass(frozen=True, eq=False)
class Sweep:
    """Final results over lr (columns, log-spaced) x ``y_axis`` (rows).

    ``y_scale`` is how the rows are spaced: "linear", "log", or "decay" (1 - logspace:
    crowded towards 1, where a decay rate's effect changes fastest). Grids are
    (len(y), len(lr)); a diverged cell keeps the last x it reached. ``current`` is the
    configuration's own (lr, y), marked on the map.
    """

    optimizer: str
    objective: Objective
    y_axis: str
    y_scale: str
    steps: int
    lr: np.ndarray
    y: np.ndarray
    x_final: np.ndarray
    f_final: np.ndarray
    distance: np.ndarray  # |x_final - x_min|
    settled_at: np.ndarray
    diverged_at: np.ndarray
    current: tuple[float, float]
    schedule: str = "constant"  # the race's schedule, whose parameter a row may be

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0


def sweep_axes(name: str, schedule: str = "constant") -> tuple[str, ...]:
    """What ``name`` can sweep against lr under ``schedule`` (``viz.config.sweep_axes``,
    which the link validates against); none for an optimizer without a learning rate
    (Newton)."""
    return config.sweep_axes(name, schedule) if "lr" in optimizers.get(name).defaults else ()


def schedule_param(schedule: str, y_axis: str) -> HyperParam | None:
    """The spec of the parameter of ``schedule`` a sweep axis names; None for another
    axis."""
    if not y_axis.startswith(config.SCHEDULE_AXIS):
        return None
    return optimizers.SCHEDULES[schedule].param(y_axis.removeprefix(config.SCHEDULE_AXIS))


def _checked_axis(name: str, y_axis: str, schedule: str = "constant") -> None:
    axes = sweep_axes(name, schedule)
    if not axes:
        raise LabError("no_lr_to_sweep", name=name)
    if y_axis not in axes:
        raise LabError("bad_sweep_axis", value=y_axis, optimizer=name, choices=", ".join(axes))


def _axis(spec: HyperParam, n: int) -> tuple[np.ndarray, str]:
    """``n`` values over the spec's lo..hi, and the scale they are spaced on."""
    if spec.log:
        values, scale = np.geomspace(spec.lo, spec.hi, n), "log"
    elif is_decay(spec):
        values, scale = 1 - np.geomspace(1 - spec.lo, 1 - spec.hi, n), "decay"
    else:
        values, scale = np.linspace(spec.lo, spec.hi, n), "linear"
    values = np.clip(values, spec.lo, spec.hi)
    if spec.kind == "int":  # rounding merges neighbours: fewer, distinct rows
        values = np.unique(np.round(values)).astype(np.int64)
    return values, scale


MAX_CELLS = 100  # per axis
# Steps a sweep map may take in all (cells x steps x cost): about 2.5 s here for the
# article's function at 5000 steps, so no setting makes the page hang.
SWEEP_BUDGET = 5e7


# Typed functions cost more per step than built-ins: measured here, `x^4 - 3x^2 + x`
# runs 2.4-3.3x slower than the article's function, a 181-character sum of sin·tanh
# terms 6.6-10.5x. Built-ins count as 1.
def work_cost(cfg: Config) -> float:
    return 2 + len(cfg.expr) / 25 if cfg.function == CUSTOM else 1.0


def sweep_cells(cfg: Config) -> int:
    """Cells per axis of a sweep map for ``cfg``: MAX_CELLS unless the steps and the
    function's cost would take too long. Decided from the settings alone, never from a
    clock, so a link always draws the same map."""
    budget = SWEEP_BUDGET / (cfg.steps * work_cost(cfg))
    return max(10, min(MAX_CELLS, math.isqrt(int(budget))))


# Basins cost chosen optimizers x steps x cost; ten built-in optimizers at 5000 steps
# (about 2 s here) fit, more waits for a click.
BASINS_BUDGET = 5e4


def basins_quick(cfg: Config) -> bool:
    return len(cfg.optimizers) * cfg.steps * work_cost(cfg) <= BASINS_BUDGET


def sweep(cfg: Config, name: str, y_axis: str, n: int = MAX_CELLS) -> Sweep:
    """Run ``name`` on an n x n grid: lr over its spec's range (log) x ``y_axis``.

    ``y_axis`` is "x0" (over the function's bounds) or a numeric hyperparameter (over
    its spec's range); every other setting comes from ``cfg``. One vectorised
    summary-mode run. ValueError if the axis is unknown or the settings cannot run.
    """
    _checked_axis(name, y_axis, cfg.schedule)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise LabError("integer_too_small", name="n", value=n, minimum=2)
    fn = cfg.objective
    opt = optimizers.get(name)
    lr_spec = opt.hparam("lr")
    lrs = np.geomspace(lr_spec.lo, lr_spec.hi, n)
    hp = cfg.hparams_of(name)
    sched = cfg.schedule_for(name)
    spec = schedule_param(cfg.schedule, y_axis)
    if spec is not None:
        params = cfg.schedule_of(cfg.schedule)
        current = (float(hp["lr"]), float(params[spec.name]))
        ys, scale = _axis(spec, n)
        x0 = cfg.start
        sched = optimizers.schedule(cfg.schedule, **{**params, spec.name: ys[:, None]})
    elif y_axis == "x0":
        current = (float(hp["lr"]), float(cfg.start))
        ys, scale = np.linspace(*fn.bounds, n), "linear"
        x0 = ys[:, None]
    else:
        current = (float(hp["lr"]), float(hp[y_axis]))
        ys, scale = _axis(opt.hparam(y_axis), n)
        x0 = cfg.start
        hp[y_axis] = ys[:, None]
    hp["lr"] = lrs[None, :]
    tr = optimizers.run(name, fn, x0=x0, steps=cfg.steps, summary=True, schedule=sched, **hp)
    shape = (ys.size, lrs.size)
    x_final = np.broadcast_to(tr.x_final, shape)
    return Sweep(
        optimizer=name,
        objective=fn,
        y_axis=y_axis,
        y_scale=scale,
        steps=cfg.steps,
        lr=lrs,
        y=ys,
        x_final=x_final,
        f_final=np.broadcast_to(tr.f_final, shape),
        distance=np.abs(x_final - fn.x_min),  # NaN without a global minimum
        settled_at=np.broadcast_to(tr.settled_at, shape),
        diverged_at=np.broadcast_to(tr.diverged_at, shape),
        current=current,
        schedule=cfg.schedule,
    )


def sweep_config(cfg: Config, name: str, y_axis: str, lr: float, y: float) -> Config:
    """``cfg`` with one cell's settings: ``name``'s lr and ``y_axis`` (or x0) set to
    (lr, y), clamped to their ranges, and ``name`` among the chosen optimizers."""
    _checked_axis(name, y_axis, cfg.schedule)
    opt = optimizers.get(name)
    out = cfg if name in cfg.optimizers else replace(cfg, optimizers=(*cfg.optimizers, name))
    out = out.with_hparam(name, "lr", _clamped(lr, opt.hparam("lr")))
    spec = schedule_param(cfg.schedule, y_axis)
    if spec is not None:
        out = out.with_schedule_param(cfg.schedule, spec.name, _clamped(y, spec))
    elif y_axis == "x0":
        lo, hi = cfg.objective.bounds
        out = replace(out, x0=min(max(_finite(y, "x0"), lo), hi))
    else:
        out = out.with_hparam(name, y_axis, _clamped(y, opt.hparam(y_axis)))
    return out.normalised()


def _finite(value: Any, name: str) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise LabError("not_finite", name=name, value=value)
    return v


def _clamped(value: Any, spec: HyperParam) -> float | int:
    v = min(max(_finite(value, spec.name), spec.lo), spec.hi)
    return round(v) if spec.kind == "int" else v


def _metric_label(metric: str, lang: str) -> str:
    if metric not in METRICS:
        raise LabError("bad_choice", name="metric", value=metric, choices=", ".join(METRICS))
    return t(f"col.{metric}", lang)


def _y_title(sw: Sweep, lang: str) -> str:
    spec = schedule_param(sw.schedule, sw.y_axis)
    if spec is not None:
        return spec.label if lang == "en" else spec.label_zh
    return t("x0", lang) if sw.y_axis == "x0" else hparam_label(sw.y_axis, lang)


def _color_range(sw: Sweep, metric: str) -> tuple[float, float]:
    """Fixed colour limits, so a colour means the same on every map of a function:
    f from its minimum to its largest value on the domain, the distance up to the
    domain's width, the settling step up to the step count. Runs that end far
    outside the domain take the top colour."""
    fn = sw.objective
    if metric == "f":
        ys = curve(fn)[1]
        low = fn.f_min if fn.has_minimum else float(np.nanmin(ys))  # unbounded below
        return low, float(np.nanmax(ys))
    if metric == "distance":
        return 0.0, fn.bounds[1] - fn.bounds[0]
    return 0.0, float(sw.steps)


def _decay_ticks(y: np.ndarray) -> dict:
    """Ticks at 0, 0.9, 0.99, ... on the plotted 1 - y (a reversed log axis)."""
    deepest = math.ceil(-math.log10(max(1 - float(y.max()), 1e-12)))
    betas = [1 - 10.0**-k for k in range(deepest + 1)]
    betas = [b for b in betas if y.min() <= b <= y.max() * (1 + 1e-12)]
    return {"tickvals": [1 - b for b in betas], "ticktext": [f"{b:g}" for b in betas]}


def sweep_figure(sw: Sweep, metric: str, lang: str) -> go.Figure:
    """A heatmap of ``metric`` ("f", "distance" or "settled") over the sweep's grid.

    Traces: the metric's heatmap (NaN where diverged), a grey heatmap of the diverged
    cells, the configuration's own cell, then invisible markers at the cell centres
    (converged, diverged), which make cells clickable in a page. Every cell's
    ``customdata`` starts [lr, y], y in its own units (a decay axis plots 1 - y).
    """
    label = _metric_label(metric, lang)
    values = {"f": sw.f_final, "distance": sw.distance, "settled": sw.settled_at}[metric]
    values = values.astype(float)
    zmin, zmax = _color_range(sw, metric)
    div = sw.diverged
    y_plot = 1 - sw.y if sw.y_scale == "decay" else sw.y.astype(float)
    lr_grid, y_grid = np.meshgrid(sw.lr, sw.y.astype(float))
    _, y_plot_grid = np.meshgrid(sw.lr, y_plot)
    custom = np.stack([lr_grid, y_grid], axis=-1)
    y_title = _y_title(sw, lang)
    where = f"η = %{{customdata[0]:.4g}}<br>{y_title} = %{{customdata[1]:.6g}}<br>"
    ok_hover = f"{where}{label} = %{{z:.6g}}<extra></extra>"
    div_hover = where + t("diverged_at", lang, step="%{z}") + "<extra></extra>"
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            x=sw.lr,
            y=y_plot,
            z=np.where(div, np.nan, values),
            customdata=custom,
            colorscale="Viridis",
            zmin=zmin,
            zmax=zmax,
            colorbar={"title": {"text": label}},
            name=label,
            hovertemplate=ok_hover,
        )
    )
    z_div = np.where(div, sw.diverged_at, np.nan).astype(float)
    fig.add_trace(
        go.Heatmap(
            x=sw.lr,
            y=y_plot,
            z=z_div,
            colorscale=[[0, DIVERGED_COLOR], [1, DIVERGED_COLOR]],
            showscale=False,
            name=t("sweep.diverged", lang),
            hoverinfo="skip",  # the diverged cells' markers below carry the hover
        )
    )
    cur_lr, cur_y = sw.current
    fig.add_trace(
        go.Scatter(
            x=[cur_lr],
            y=[1 - cur_y if sw.y_scale == "decay" else cur_y],
            mode="markers",
            name=t("sweep.current", lang),
            marker={"symbol": "circle-open", "size": 18, "color": "white", "line": {"width": 3}},
            hovertemplate=t("sweep.current", lang) + "<extra></extra>",
        )
    )
    for cells, z, hover, name in (
        (~div, values, ok_hover, t("sweep.pick", lang)),
        (div, z_div, div_hover, t("sweep.diverged", lang)),
    ):
        fig.add_trace(
            go.Scattergl(
                x=lr_grid[cells],
                y=y_plot_grid[cells],
                customdata=np.column_stack([custom[cells], z[cells]]),
                mode="markers",
                marker={"size": 6, "color": "rgba(0,0,0,0)"},
                name=name,
                hovertemplate=hover.replace("%{z", "%{customdata[2]"),
            )
        )
    yaxis: dict[str, Any] = {"title": {"text": y_title}}
    if sw.y_scale == "log":
        yaxis["type"] = "log"
    elif sw.y_scale == "decay":
        yaxis.update(type="log", autorange="reversed", **_decay_ticks(sw.y))
    if div.any():
        note = t("sweep.diverged_note", lang, count=int(div.sum()), total=div.size)
        fig.add_annotation(
            text=note, xref="paper", yref="paper", x=0, y=-0.16, xanchor="left", showarrow=False
        )
    title = t(
        "sweep.title",
        lang,
        label=optimizer_label(sw.optimizer, lang),
        metric=label,
        steps=sw.steps,
    )
    if metric == "distance" and not sw.objective.has_minimum:  # every cell is empty
        title += "<br><sub>" + t("no_global_min", lang) + "</sub>"
    fig.update_layout(
        font=FONT,
        height=560,
        margin={"l": 70, "r": 20, "t": 50, "b": 90},
        title={"text": title},
        xaxis={
            "title": {"text": t("sweep.lr", lang)},
            "type": "log",
            "dtick": 1,
            "exponentformat": "power",
        },
        yaxis=yaxis,
        showlegend=False,
        hovermode="closest",
        clickmode="event+select",
    )
    return fig


# --- basins of attraction: where each start ends up ---------------------------------

DIVERGED, ELSEWHERE = -1, -2  # basin labels besides a minimum's index
MINIMA_GRID = 20_001
# A run "ended in" a minimum when its final x lies this close (fraction of the width).
BASIN_TOL = 1e-3


def local_minima(fn: Objective, points: int = MINIMA_GRID) -> np.ndarray:
    """The local minima of ``fn`` on its bounds, sorted: where f' turns from - to +
    on a fine grid, refined by root finding, plus an endpoint where f rises inwards."""
    lo, hi = fn.bounds
    xs = np.linspace(lo, hi, points)
    with np.errstate(all="ignore"):
        g = np.asarray(fn.df(xs), dtype=float)

        def df(x: float) -> float:
            return float(fn.df(np.float64(x)))

        found = [_root(df, xs[i], xs[i + 1]) for i in np.flatnonzero((g[:-1] < 0) & (g[1:] >= 0))]
    if g[0] > 0 or (g[0] == 0 and g[1] > 0):
        found.append(lo)
    if g[-1] < 0:
        found.append(hi)
    return np.unique(np.asarray(found, dtype=float))


def _root(df, a: float, b: float) -> float:
    """The zero of f' in [a, b], where the grid saw it turn from - to +."""
    try:
        return brentq(df, a, b, xtol=1e-14)
    except ValueError:  # a scalar f' disagreed with the vectorised one in the last bit
        return float(b)


class BasinRun(NamedTuple):
    x_final: np.ndarray  # (n,) per start
    diverged_at: np.ndarray
    basin: np.ndarray  # index into Basins.minima, or DIVERGED / ELSEWHERE


@dataclass(frozen=True, eq=False)
class Basins:
    objective: Objective
    steps: int
    x0: np.ndarray
    minima: np.ndarray
    f_minima: np.ndarray
    global_index: int  # the deepest of ``minima``; -1 if none was found
    runs: dict[str, BasinRun]
    errors: dict[str, str]  # optimizers that could not run: their message


def basins(cfg: Config, n: int = 400) -> Basins:
    """For each chosen optimizer, the final x from each of n starts across the domain
    (one vectorised run per optimizer), and which local minimum each run ended in."""
    fn = cfg.objective
    lo, hi = fn.bounds
    x0 = np.linspace(lo, hi, n)
    minima = local_minima(fn)
    with np.errstate(all="ignore"):
        f_minima = np.asarray(fn.f(minima), dtype=float)
    runs, errors = {}, {}
    for name in cfg.optimizers:
        try:
            tr = optimizers.run(
                name,
                fn,
                x0=x0,
                steps=cfg.steps,
                summary=True,
                schedule=cfg.schedule_for(name),
                **cfg.hparams_of(name),
            )
        except ValueError as e:
            errors[name] = str(e)
            continue
        basin = np.full(n, ELSEWHERE)
        if minima.size:
            gap = np.abs(tr.x_final[:, None] - minima[None, :])
            nearest = np.argmin(gap, axis=1)
            near = gap[np.arange(n), nearest] <= BASIN_TOL * (hi - lo)
            basin = np.where(near, nearest, ELSEWHERE)
        basin = np.where(tr.diverged, DIVERGED, basin)
        runs[name] = BasinRun(tr.x_final, tr.diverged_at, basin)
    return Basins(
        objective=fn,
        steps=cfg.steps,
        x0=x0,
        minima=minima,
        f_minima=f_minima,
        global_index=int(np.argmin(f_minima)) if minima.size else -1,
        runs=runs,
        errors=errors,
    )


def basins_figure(data: Basins, lang: str) -> go.Figure:
    """End point against start for each optimizer; dotted lines at the local minima,
    a solid one at the deepest; diverged starts as crosses along the top edge."""
    lo, hi = data.objective.bounds
    pad = 0.04 * (hi - lo)
    fig = go.Figure()
    if data.minima.size:
        xs, ys = np.tile([lo, hi, np.nan], data.minima.size), np.repeat(data.minima, 3)
        fig.add_trace(_line(xs, ys, t("basins.minima", lang), "#999", width=1, dash="dot"))
    if data.global_index >= 0:
        xg = float(data.minima[data.global_index])
        fig.add_trace(_line([lo, hi], [xg, xg], t("basins.global", lang, x=xg), "#222"))
    for name, run in data.runs.items():
        color, symbol = style(name)
        label = optimizer_label(name, lang)
        ok = run.diverged_at < 0
        fig.add_trace(
            go.Scatter(
                x=data.x0[ok],
                y=run.x_final[ok],
                mode="markers",
                name=label,
                legendgroup=name,
                marker={"color": color, "symbol": symbol, "size": 6, "opacity": 0.8},
                hovertemplate=f"{label}<br>x₀ = %{{x:.4g}} → %{{y:.6g}}<extra></extra>",
            )
        )
        if not ok.all():
            diverged = t("diverged_at", lang, step="%{customdata}")
            fig.add_trace(
                go.Scatter(
                    x=data.x0[~ok],
                    y=np.full(int((~ok).sum()), hi + 0.5 * pad),
                    customdata=run.diverged_at[~ok],
                    mode="markers",
                    name=t("basins.diverged", lang, label=label),
                    legendgroup=name,
                    showlegend=False,
                    marker={
                        "color": color,
                        "symbol": "x-thin-open",
                        "size": 9,
                        "line": {"width": 2},
                    },
                    hovertemplate=f"{label}<br>x₀ = %{{x:.4g}}: {diverged}<extra></extra>",
                )
            )
    _layout(fig, t("basins.title", lang, steps=data.steps), t("x0", lang), t("basins.end", lang))
    fig.update_layout(xaxis_range=[lo - pad, hi + pad], yaxis_range=[lo - pad, hi + pad])
    return fig


def _line(x, y, name: str, color: str, width: float = 2, dash: str | None = None, **kw):
    """A plain line trace; no hover unless a hovertemplate is given."""
    kw.setdefault("hoverinfo", "skip")
    style = {"color": color, "width": width, "dash": dash}
    return go.Scatter(x=x, y=y, mode="lines", name=name, line=style, **kw)


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 560) -> None:
    fig.update_layout(
        font=FONT,
        height=height,
        margin={"l": 70, "r": 20, "t": 50, "b": 130},
        title={"text": title},
        xaxis={"title": {"text": x_title}},
        yaxis={"title": {"text": y_title}},
        legend=legend_below(NORMAL, height),
        hovermode="closest",
    )


# --- noise ensembles: many seeds of SGD at once ---------------------------------------

ENSEMBLE_OPTIMIZERS = config.NOISE_OPTIMIZERS  # ("sgd", "minibatch")
QUANTILES = (0.1, 0.9)
SHOWN_RUNS = 5  # single runs drawn faintly behind the fan


@dataclass(frozen=True, eq=False)
class Ensemble:
    optimizer: str
    objective: Objective
    seeds: np.ndarray  # (k,)
    x: np.ndarray  # (steps + 1, k)
    median: np.ndarray  # (steps + 1,)
    lo: np.ndarray  # QUANTILES[0] of x_t over the seeds
    hi: np.ndarray  # QUANTILES[1]
    gd_x: np.ndarray  # the noise-free path: gradient descent, same lr, same start
    diverged: np.ndarray  # (k,) bool


def ensemble(cfg: Config, name: str, k: int = 50) -> Ensemble:
    """K runs of a noisy optimizer with seeds seed0 .. seed0 + K - 1, in one run."""
    if name not in ENSEMBLE_OPTIMIZERS:
        raise LabError("not_noisy", name=name, choices=", ".join(ENSEMBLE_OPTIMIZERS))
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise LabError("integer_too_small", name="k", value=k, minimum=1)
    fn = cfg.objective
    hp = cfg.hparams_of(name)
    seeds = int(hp.pop("seed")) + np.arange(k)
    sched = cfg.schedule_for(name)
    tr = optimizers.run(name, fn, x0=cfg.start, steps=cfg.steps, seed=seeds, schedule=sched, **hp)
    gd = optimizers.run("gd", fn, x0=cfg.start, steps=cfg.steps, lr=hp["lr"], schedule=sched)
    lo, hi = np.quantile(tr.x, QUANTILES, axis=1)
    return Ensemble(
        optimizer=name,
        objective=fn,
        seeds=seeds,
        x=tr.x,
        median=np.median(tr.x, axis=1),
        lo=lo,
        hi=hi,
        gd_x=gd.x,
        diverged=tr.diverged,
    )


def ensemble_figure(data: Ensemble, lang: str) -> go.Figure:
    """x_t against t: the spread band and median of the seeds, a few single runs
    faintly, the noise-free gradient-descent path dashed, the global minimum dotted."""
    color = style(data.optimizer)[0]
    steps = np.arange(data.x.shape[0])
    k = data.seeds.size
    hover = "t = %{x}<br>x = %{y:.6g}<extra></extra>"
    fig = go.Figure()
    for j in range(min(SHOWN_RUNS, k)):
        seed = t("ensemble.seed", lang, seed=int(data.seeds[j]))
        single = t("ensemble.single", lang)
        fig.add_trace(
            _line(
                steps,
                data.x[:, j],
                single,
                color,
                width=1,
                opacity=0.3,
                legendgroup="single",
                showlegend=j == 0,
                hovertemplate=f"{seed}<br>{hover}",
            )
        )
    q_lo, q_hi = (round(100 * q) for q in QUANTILES)
    band = t("ensemble.band", lang, lo=q_lo, hi=q_hi, k=k)
    fig.add_trace(_line(steps, data.lo, band, color, width=0, showlegend=False, legendgroup="b"))
    fig.add_trace(
        _line(
            steps,
            data.hi,
            band,
            color,
            width=0,
            legendgroup="b",
            fill="tonexty",
            fillcolor=_rgba(color, 0.25),
        )
    )
    median = t("ensemble.median", lang, k=k)
    fig.add_trace(_line(steps, data.median, median, color, width=3, hovertemplate=hover))
    gd = t("ensemble.gd", lang)
    fig.add_trace(_line(steps, data.gd_x, gd, style("gd")[0], dash="dash", hovertemplate=hover))
    x_min = data.objective.x_min
    if data.objective.has_minimum:  # f unbounded below has none to draw
        x_min_label = t("basins.global", lang, x=x_min)
        line = _line(steps[[0, -1]], [x_min, x_min], x_min_label, "#777", width=1, dash="dot")
        fig.add_trace(line)
    title = t("ensemble.title", lang, label=optimizer_label(data.optimizer, lang), k=k)
    if data.diverged.any():
        title += " · " + t("ensemble.diverged", lang, count=int(data.diverged.sum()))
    _layout(fig, title, t("step", lang), "xₜ", height=480)
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
