"""Trajectory -> Plotly figures: the animated landscape and the linked panels.

Only the moving markers are animated: full paths are static traces drawn once, and
each frame carries one point per optimizer, so a figure stays small at any step count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

import optimizers
from functions import Objective
from optimizers import Trajectory

MAX_FRAMES = 200
FONT = {"size": 16}
# Below the plot: on a phone a legend on top wraps into rows under the chart's toolbar.
LEGEND_BELOW = {"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0}
PLAY_SPEEDS = (("slow", 150), ("play", 50), ("fast", 10))  # ms per frame

Translate = Callable[..., str]


def style(name: str) -> tuple[str, str]:
    """Optimizer ``name``'s colour and marker symbol, as its spec declares them."""
    opt = optimizers.get(name)
    return opt.color, opt.marker


class Run(NamedTuple):
    name: str  # optimizer id, picks the style
    label: str  # shown in the legend
    traj: Trajectory


def uphill_signal(tr: Trajectory) -> np.ndarray | None:
    """The recorded state that is <= 0 at the steps heading for a maximum, if the run's
    optimizer declares one (``Optimizer.uphill_state``) and the run recorded it."""
    field = optimizers.get(tr.optimizer).uphill_state
    return None if field is None else (tr.state or {}).get(field)


def sampled_steps(steps: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """At most ``max_frames`` evenly spread steps from 0 to ``steps``, both included,
    among them every round step the step slider labels (``step_ticks``): a labelled
    tick lands on the step it names."""
    n = min(steps + 1, max_frames)
    sampled = np.round(np.linspace(0, steps, n)).astype(int)
    ticks = step_ticks(steps)
    sampled[np.abs(sampled[:, None] - np.array(ticks)).argmin(axis=0)] = ticks
    return np.unique(sampled)


def curve(fn: Objective, points: int = 1001) -> tuple[np.ndarray, np.ndarray]:
    xs = np.linspace(*fn.bounds, points)
    with np.errstate(all="ignore"):
        ys = np.asarray(fn.f(xs), dtype=float)
    return xs, np.where(np.isfinite(ys), ys, np.nan)


def _x_range(fn: Objective) -> list[float]:
    lo, hi = fn.bounds
    pad = 0.02 * (hi - lo)
    return [lo - pad, hi + pad]


def _y_range(ys: np.ndarray) -> list[float]:
    lo, hi = float(np.nanmin(ys)), float(np.nanmax(ys))
    pad = 0.06 * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def landscape_figure(fn: Objective, runs: Sequence[Run], t: Translate) -> go.Figure:
    xs, ys = curve(fn)
    traces: list[dict] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "name": "f(x)",
            "line": {"color": "#777", "width": 2},
            "hoverinfo": "skip",
        }
    ]
    for run in runs:
        traces.extend(_static_traces(run, t))
    frames_at = sampled_steps(runs[0].traj.steps) if runs else np.array([0])
    # All moving markers are one trace with a point per optimizer, so a frame is one
    # small trace whatever the number of optimizers (each frame trace costs a Plotly
    # object on every rebuild). The legend comes from marker-only entries.
    traces.extend(_legend_entry(run) for run in runs)
    moving = {
        "type": "scatter",
        "x": [run.traj.x[0] for run in runs],
        "y": [run.traj.f[0] for run in runs],
        "mode": "markers",
        "showlegend": False,
        "hovertext": [run.label for run in runs],
        "marker": {
            "color": [style(run.name)[0] for run in runs],
            "symbol": [style(run.name)[1] for run in runs],
            "size": 16,
            "line": {"color": "white", "width": 1.5},
        },
        "hovertemplate": "%{hovertext}<br>x = %{x:.4g}<br>f = %{y:.4g}<extra></extra>",
    }
    frames = [
        {
            "name": str(s),
            "traces": [len(traces)],
            "data": [{"x": [r.traj.x[s] for r in runs], "y": [r.traj.f[s] for r in runs]}],
        }
        for s in frames_at
    ]
    layout = {
        "font": FONT,
        "height": 560,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 40},
        "xaxis": {"title": {"text": "x"}, "range": _x_range(fn), "autorange": False},
        "yaxis": {"title": {"text": "f(x)"}, "range": _y_range(ys), "autorange": False},
        "legend": LEGEND_BELOW,
        "hovermode": "closest",
    }
    return go.Figure({"data": [*traces, moving], "layout": layout, "frames": frames})


def _legend_entry(run: Run) -> dict:
    color, symbol = style(run.name)
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": run.label,
        "legendgroup": run.name,
        "marker": {"color": color, "symbol": symbol, "size": 14},
    }


def _static_traces(run: Run, t: Translate) -> list[dict]:
    color, symbol = style(run.name)
    tr = run.traj
    out = [
        {
            "type": "scatter",
            "x": tr.x,
            "y": tr.f,
            "mode": "lines+markers",
            "line": {"color": color, "width": 1},
            "marker": {"color": color, "size": 3},
            "opacity": 0.35,
            "showlegend": False,
            "legendgroup": run.name,
            "hoverinfo": "skip",
        }
    ]
    diverged = int(tr.diverged_at) >= 0
    text = (
        t("diverged_at", step=int(tr.diverged_at))
        if diverged
        else t("ended_at", x=float(tr.x_final))
    )
    out.append(
        {
            "type": "scatter",
            "x": [tr.x_final],
            "y": [tr.f_final],
            "mode": "markers+text" if diverged else "markers",
            "text": [text],
            "textposition": "top center",
            "textfont": {"color": color, "size": 15},
            "marker": {
                "color": color,
                "size": 18 if diverged else 13,
                "symbol": "x-thin-open" if diverged else f"{symbol}-open",
                "line": {"color": color, "width": 3},
            },
            "showlegend": False,
            "legendgroup": run.name,
            "hovertemplate": f"{run.label}: {text}<extra></extra>",
        }
    )
    signal = uphill_signal(tr)
    if signal is not None:
        # Steps taken where the signal is <= 0 (Newton's f''(x) + alpha) head for a maximum.
        uphill = np.flatnonzero(signal <= 0)
        if uphill.size:
            curvature = optimizers.get(run.name).curvature
            uphill_name = t("uphill", label=run.label, curvature=curvature)
            out.append(
                {
                    "type": "scatter",
                    "x": tr.x[uphill],
                    "y": tr.f[uphill],
                    "mode": "markers",
                    "name": uphill_name,
                    "legendgroup": run.name,
                    "marker": {
                        "color": color,  # an open marker's outline takes this colour
                        "size": 12,
                        "symbol": "circle-open",
                        "line": {"width": 2},
                    },
                    "hovertemplate": uphill_name + "<extra></extra>",
                }
            )
    return out


def _animate_args(frame: list | None, duration: int) -> list:
    return [
        frame,
        {
            "frame": {"duration": duration, "redraw": False},
            "fromcurrent": True,
            "mode": "immediate",
            "transition": {"duration": 0},
        },
    ]


def play_controls(fig: go.Figure, t: Translate) -> go.Figure:
    """``fig`` with Plotly's own play buttons and frame slider, for the offline HTML
    file. The page draws keyboard-operable controls of its own instead (ui/playbar.py):
    Plotly's are SVG that never takes focus."""
    steps = [int(frame.name) for frame in fig.frames]
    out = go.Figure(fig)
    out.update_layout(
        updatemenus=[_play_menu(t)],
        sliders=[_frame_slider(steps, t)],
        margin={"b": 140},
        legend={"y": -0.32},
    )
    return out


def step_ticks(steps: int, most: int = 6) -> list[int]:
    """Round steps to label a step slider from 0 to ``steps``: multiples of 1, 2 or 5
    times a power of ten, at most ``most`` of them (0, 250, 500, 750, 1000)."""
    if steps <= 0:
        return [0]
    for power in range(len(str(steps)) + 1):
        for unit in (1, 2, 2.5, 5):
            stride = int(unit * 10**power)
            if stride == unit * 10**power and steps // stride + 1 <= most:
                return list(range(0, steps + 1, stride))
    return [0, steps]


def _play_menu(t: Translate) -> dict:
    buttons = [
        {"label": t(key), "method": "animate", "args": _animate_args(None, ms)}
        for key, ms in PLAY_SPEEDS
    ]
    buttons.append({"label": t("pause"), "method": "animate", "args": _animate_args([None], 0)})
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0,
        "y": -0.08,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"r": 10, "t": 10},
        "buttons": buttons,
        "font": {"size": 15},
    }


def _frame_slider(frames_at: Sequence[int], t: Translate) -> dict:
    return {
        "active": 0,
        "x": 0,
        "len": 1,
        "y": -0.2,
        "yanchor": "top",
        "currentvalue": {"prefix": t("step") + " ", "font": {"size": 16}},
        "pad": {"t": 30},
        "steps": [
            {"label": str(s), "method": "animate", "args": _animate_args([str(s)], 0)}
            for s in frames_at
        ],
    }


PANEL_GAP = 0.08  # between the stacked panels, as a fraction of the figure


def panels_figure(
    fn: Objective, runs: Sequence[Run], t: Translate, state_key: str | None, log: bool
) -> go.Figure:
    """f(x_t), x_t and one internal state quantity against t, stacked on one t axis.

    Built from plain dicts: make_subplots and per-trace objects cost more than the rest
    of a rerun."""
    # Without a global minimum (f unbounded below) there is no gap to plot on a log axis.
    log = log and fn.has_minimum
    titles = [t("panel_gap") if log else t("panel_f"), t("panel_x")]
    if state_key:
        titles.append(t("panel_state", name=t(f"state.{state_key}")))
    rows = len(titles)
    height = (1 - PANEL_GAP * (rows - 1)) / rows
    tops = [1 - i * (height + PANEL_GAP) for i in range(rows)]
    layout: dict = {
        "font": FONT,
        "height": 260 * rows,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        "legend": {**LEGEND_BELOW, "y": -0.08 * 3 / rows},
        "hovermode": "x unified",
        "annotations": [
            {
                "text": title,
                "x": 0.5,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
            }
            for title, top in zip(titles, tops, strict=True)
        ],
        # The global minimum's x, dotted, on the x_t panel (when there is one).
        "shapes": [
            {
                "type": "line",
                "xref": "x2 domain",
                "x0": 0,
                "x1": 1,
                "yref": "y2",
                "y0": fn.x_min,
                "y1": fn.x_min,
                "line": {"dash": "dot", "color": "#777"},
            }
        ]
        if fn.has_minimum
        else [],
    }
    for i, top in enumerate(tops, 1):
        layout[f"xaxis{i}"] = {
            "anchor": f"y{i}",
            "matches": "x" if i > 1 else None,
            "showticklabels": i == rows,
            "title": {"text": "t" if i == rows else None},
        }
        layout[f"yaxis{i}"] = {"anchor": f"x{i}", "domain": [max(top - height, 0.0), top]}
    if log:
        layout["yaxis1"]["type"] = "log"
    data = []
    for run in runs:
        tr = run.traj
        steps = np.arange(tr.steps + 1)
        common = {
            "type": "scatter",
            "mode": "lines",
            "legendgroup": run.name,
            "name": run.label,
            "line": {"color": style(run.name)[0], "width": 2},
            "showlegend": False,
        }
        # On a log axis the gap to the global minimum must be positive.
        f = np.maximum(tr.f - fn.f_min, np.finfo(float).tiny) if log else tr.f
        data.append({**common, "x": steps, "y": f, "xaxis": "x", "yaxis": "y", "showlegend": True})
        data.append({**common, "x": steps, "y": tr.x, "xaxis": "x2", "yaxis": "y2"})
        if state_key and state_key in (tr.state or {}):
            y = tr.state[state_key]
            data.append({**common, "x": steps[1:], "y": y, "xaxis": "x3", "yaxis": "y3"})
    return go.Figure({"data": data, "layout": layout})
