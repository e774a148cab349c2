"""One step up close: Newton's local model, and any optimizer's update with its numbers.

Notation follows Kingma & Ba and torch.optim: step t (from 1) reads the gradient at
x_{t-1} and moves to x_t, so x_0 is the start and ``traj.x[t]`` is x_t; row t - 1 of
``traj.grad`` and ``traj.state`` belongs to step t.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

import optimizers
from errors import LabError
from functions import Objective
from optimizers import Trajectory
from optimizers.latex import digits_for, num, paren, words
from optimizers.schedules import LR_USED
from optimizers.spec import Row
from viz.figures import FONT, NORMAL, legend_below, style, uphill_signal
from viz.text import optimizer_label, schedule_label
from viz.text import t as translate


def newton_model(fn: Objective, x_t: float, alpha: float) -> dict[str, Any]:
    """The quadratic regularised Newton minimises at x_t, and where it jumps.

    q(x) = f(x_t) + f'(x_t)(x - x_t) + ½(f''(x_t) + α)(x - x_t)²; its stationary
    point x_t - f'(x_t)/(f''(x_t) + α) is computed exactly as ``newton_reg`` steps.
    ``hill``: f'' + α <= 0, so q has no minimum and the step heads for its maximum.
    """
    x, a = np.float64(x_t), np.float64(alpha)
    with np.errstate(all="ignore"):
        f, g, h = np.float64(fn.f(x)), np.float64(fn.df(x)), np.float64(fn.d2f(x))
        c = h + a
        x_star = x - g / c

        def q(xs):
            d = np.asarray(xs, dtype=float) - x
            return f + g * d + 0.5 * c * d * d

        q_star = q(x_star)
    return {
        "x": float(x),
        "f": float(f),
        "grad": float(g),
        "hess": float(h),
        "alpha": float(a),
        "curvature": float(c),
        "x_star": float(x_star),
        "q_star": float(q_star),
        "hill": bool(c <= 0),
        "q": q,
    }


def _checked(traj: Trajectory, t: int, first: int) -> None:
    if traj.x is None or traj.x.ndim != 1:
        raise LabError("need_full_run")
    if isinstance(t, bool) or not isinstance(t, int | np.integer) or not first <= t <= traj.steps:
        raise LabError("out_of_range", name="t", value=t, range=f"[{first}, {traj.steps}]")


def newton_model_figure(
    fn: Objective, traj: Trajectory, t: int, alpha: float, lang: str
) -> go.Figure:
    """Step t (1..steps), as the inspector numbers it: the landscape, the run, Newton's
    model parabola at x_{t-1} with an arrow to its stationary point (x_t), and a ring
    at every step taken where f'' + α <= 0.

    The view spans the run and the jump (within half a domain width of the bounds),
    so a short step is not lost in a wide domain.
    """
    _checked(traj, t, 1)
    m = newton_model(fn, float(traj.x[t - 1]), alpha)
    name = traj.optimizer
    # The model divides by f'' + alpha; a Newton method names its own curvature.
    curvature = optimizers.get(name).curvature or "f″ + α"
    color = style(name)[0]
    x_lo, x_hi = _view(fn, traj, m)
    xs = np.linspace(x_lo, x_hi, 1001)
    with np.errstate(all="ignore"):
        ys = np.asarray(fn.f(xs), dtype=float)
    ys = np.where(np.isfinite(ys), ys, np.nan)
    finite = ys[np.isfinite(ys)]  # a typed function may be undefined on the whole view
    y_lo, y_hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    span = y_hi - y_lo or 1.0
    if y_lo - span <= m["q_star"] <= y_hi + span:  # show the model's top or bottom
        y_lo, y_hi = min(y_lo, m["q_star"]), max(y_hi, m["q_star"])
    y_range = [y_lo - 0.08 * (y_hi - y_lo or 1.0), y_hi + 0.08 * (y_hi - y_lo or 1.0)]
    jump = m["x_star"] - m["x"]
    half = max(1.5 * abs(jump) if math.isfinite(jump) else x_hi - x_lo, 0.04 * (x_hi - x_lo))
    qx = np.linspace(m["x"] - half, m["x"] + half, 201)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="f(x)",
            line={"color": "#777", "width": 2},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=traj.x,
            y=traj.f,
            mode="lines+markers",
            name=optimizer_label(name, lang),
            line={"color": color, "width": 1},
            marker={"color": color, "size": 3},
            opacity=0.4,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=qx,
            y=m["q"](qx),
            mode="lines",
            name=translate("newton.model", lang),
            line={"color": "#D55E00" if m["hill"] else "#009E73", "width": 3},
            hoverinfo="skip",
        )
    )
    if math.isfinite(m["x_star"]) and math.isfinite(m["q_star"]):
        fig.add_trace(
            go.Scatter(
                x=[m["x"], m["x_star"]],
                y=[m["f"], m["q_star"]],
                mode="lines+markers",
                name=translate("newton.jump", lang),
                line={"color": "#222", "width": 2, "dash": "dash"},
                marker={
                    "symbol": ["circle", "arrow"],
                    "size": [10, 16],
                    "angleref": "previous",
                    "color": "#222",
                },
                hovertemplate="x = %{x:.6g}<extra></extra>",
            )
        )
    uphill = np.flatnonzero(_curvature(fn, traj, alpha) <= 0)
    if uphill.size:
        label = translate("uphill", lang, label=optimizer_label(name, lang), curvature=curvature)
        fig.add_trace(
            go.Scatter(
                x=traj.x[uphill],
                y=traj.f[uphill],
                mode="markers",
                name=label,
                # An open symbol's outline takes marker.color.
                marker={
                    "color": "#D55E00",
                    "size": 14,
                    "symbol": "circle-open",
                    "line": {"width": 2},
                },
                hovertemplate=label + "<extra></extra>",
            )
        )
    key = "newton.hill_now" if m["hill"] else "newton.bowl_now"
    height = 560
    fig.update_layout(
        font=FONT,
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 130},
        title={
            "text": translate(
                key, lang, t=int(t), curvature=curvature, c=m["curvature"], x=m["x_star"]
            )
        },
        xaxis={"title": {"text": "x"}, "range": [x_lo, x_hi], "autorange": False},
        yaxis={"title": {"text": "f(x)"}, "range": y_range, "autorange": False},
        legend=legend_below(NORMAL, height),
        hovermode="closest",
    )
    return fig


def _view(fn: Objective, traj: Trajectory, m: dict) -> tuple[float, float]:
    """The x range: the run's points and the jump, padded, within half a width of the
    bounds (a diverged run's last points may lie far outside)."""
    lo, hi = fn.bounds
    width = hi - lo
    points = [*traj.x[np.isfinite(traj.x)], m["x_star"] if math.isfinite(m["x_star"]) else m["x"]]
    a = max(min(points), lo - width / 2)
    b = min(max(points), hi + width / 2)
    pad = max(0.08 * (b - a), 0.01 * width)
    return a - pad, b + pad


def _curvature(fn: Objective, traj: Trajectory, alpha: float) -> np.ndarray:
    """f''(x_{t-1}) + α for each step t: recorded by Newton's runs, else computed."""
    recorded = uphill_signal(traj)
    if recorded is not None:
        return recorded
    with np.errstate(all="ignore"):
        c = np.asarray(fn.d2f(traj.x[:-1]), dtype=float) + alpha
    if traj.diverged_at >= 0:
        c[int(traj.diverged_at) :] = np.nan
    return c


# --- the step inspector -------------------------------------------------------------


def _grad_rows(opt: optimizers.Optimizer, g: float, hp: dict, x: float) -> list[Row]:
    rhs = opt.gradient
    if opt.l2_decay and hp.get("weight_decay", 0):
        rhs += (
            rf" + \lambda x_{{t-1}} = f'(x_{{t-1}}) + {num(hp['weight_decay'])} \times {paren(x)}"
        )
    return [("g_t", f"{rhs} = {num(g)}")]


def _rule_rows(opt: optimizers.Optimizer, s, i, g, hp, x, lang):
    """The optimizer-specific rows, Δx_t as its rule writes it (numbers plugged in), and
    the rule's step value when the rule gives it (then its LaTeX ends with "= Δx_t")."""
    if opt.rows is not None:
        rows, step, *value = opt.rows(s, i, g, hp, x, lang)
        return rows, step, (float(value[0]) if value else None)
    # An optimizer without its own rows (the article's variants): its recorded state.
    labels = dict(opt.state_labels)
    return [(labels[k], num(v[i])) for k, v in s.items()], "", None


def inspect_step(
    name: str, traj: Trajectory, t: int, hparams: dict[str, Any], lang: str = "en"
) -> str:
    """Step ``t`` (1 .. steps) of ``traj`` as LaTeX: the update rule of ``name`` with
    that step's gradient, state and hyperparameters plugged in, ending with
    Δx_t = x_t - x_{t-1} and x_t as the trajectory records them. The trajectory's own
    hyperparameters win over ``hparams``, so every number shown is the run's."""
    _checked(traj, t, 1)
    if traj.optimizer != name:
        raise LabError("wrong_optimizer", ran=traj.optimizer, name=name)
    opt = optimizers.get(name)
    hp = {**opt.defaults, **hparams, **traj.hparams}
    i = int(t) - 1
    x_prev, g = float(traj.x[i]), float(traj.grad[i])
    diverged_at = int(traj.diverged_at)
    rows = [("t", str(int(t))), ("x_{t-1}", num(x_prev))]
    if 0 <= diverged_at < t:  # nothing happened at this step: the run had stopped
        return _aligned([*rows, ("", words(translate("diverged_at", lang, step=diverged_at)))])
    state = dict(traj.state or {})
    lr_used = state.pop(LR_USED.field, None)
    if lr_used is not None:  # the schedule's lr of this step is the η the rule used
        hp["lr"] = lr_used[i]
        label = words(schedule_label(traj.schedule.kind, lang))
        rows.append((r"\eta_t", rf"{label}\ (e = {i}) = {num(lr_used[i])}"))
    extra, step, value = _rule_rows(opt, state, i, g, hp, x_prev, lang)
    rows += _grad_rows(opt, g, hp, x_prev) + extra
    if diverged_at == t:  # the rule's step left the domain; x stayed at x_{t-1}
        rows.append((r"\Delta x_t", step))
        rows.append(("", words(translate("inspect.diverged_here", lang))))
        return _aligned(rows)
    x_t = float(traj.x[t])
    if value is None:  # the recorded step, at digits where x_{t-1} + Δx_t = x_t holds
        d = digits_for(traj.dx[i], lambda a, b: b - a, x_prev, x_t)
        value = _round(traj.dx[i], d)
        dx = num(value, d)
        rows.append((r"\Delta x_t", f"{step} = {dx}" if step else dx))
    else:  # the rule's step, already evaluated in ``step`` at digits where it holds
        rows.append((r"\Delta x_t", step))
        d = len(_digits(step.rsplit("=", 1)[-1]))
        value = float(f"{value:.{d}g}")  # as shown
    # x_{t-1} and x_t at digits where x_{t-1} + Δx_t, as shown, gives x_t as shown.
    e = next(
        (e for e in range(6, 17) if _round(_round(x_prev, e) + value, e) == _round(x_t, e)), 17
    )
    rows[1] = ("x_{t-1}", num(x_prev, e))
    rows.append(("x_t", rf"x_{{t-1}} + \Delta x_t = {num(x_t, e)}"))
    if x_t == x_prev and value != 0:  # the step is lost to rounding
        rows.append(("", words(translate("inspect.rounded_away", lang))))
    return _aligned(rows)


def _round(v: float, digits: int) -> float:
    return float(f"{v:.{digits}g}")


def _digits(latex_number: str) -> str:
    """The significant digits of a number as ``num`` writes it."""
    mantissa = latex_number.split(r"\times")[0]
    return "".join(ch for ch in mantissa if ch.isdigit()).lstrip("0") or "0"


def _aligned(rows: list[Row]) -> str:
    """Rows as an aligned block; a row with no left side is a note."""
    body = r" \\ ".join(f"{lhs} &= {rhs}" if lhs else rf"& \quad {rhs}" for lhs, rhs in rows)
    return rf"\begin{{aligned}} {body} \end{{aligned}}"
