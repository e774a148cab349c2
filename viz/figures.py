"""Trajectory -> Plotly figures: the animated landscape and the linked panels.

Only the moving markers are animated: full paths are static traces drawn once, and
each frame carries one point per optimizer, so a figure stays small at any step count.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

import optimizers
from functions import Objective
from optimizers import Trajectory
from optimizers.schedules import LR_USED

MAX_FRAMES = 200
# A long path is drawn with one point per cell of a PATH_CELLS x PATH_CELLS grid over the
# axes: finer than the pixels of any screen the chart fits (and of a 4x zoom at 1400 px).
MAX_PATH_POINTS = 1001
PATH_CELLS = 8000
# A path's dots, one per cell of a DOT_CELLS x DOT_CELLS grid: a dot left out is within
# half a pixel of a drawn one on a plot up to 1000 px wide, under a pixel up to 2000 px.
# Each dot is an SVG element the browser builds on every redraw: at PATH_CELLS the worst
# case's race (ten optimizers at 5,000 steps) had 1,146, some 0.35 s of the 1.7 s its
# page took to redraw after a slider move (``python -m bench browser``). At DOT_CELLS it
# has 496, and the redraw is about 0.2 s shorter.
DOT_CELLS = 2000
FONT = {"size": 16}
PLAY_SPEEDS = (("slow", 150), ("play", 50), ("fast", 10))  # ms per frame
INK = "#262730"  # Streamlit's text colour: 15:1 on white, where its grey ticks are 3.7:1
# Two points closer than this, as a fraction of each axis, overlap on screen: a 16 px
# marker on a chart some 900 x 500 px wide.
OVERLAP = 0.015
NEST = 8  # px: each marker drawn under another is this much larger, a ring around it


class Look(NamedTuple):
    """Type sizes (px) and line widths of a figure; presentation mode is read from the
    back of a classroom."""

    font: int  # titles, legend, labels
    tick: int
    path: float  # an optimizer's path on the landscape
    line: float  # the curve f(x) and the lines against t
    marker: int  # the moving markers
    end: int  # a run's hollow end marker
    # Margins (px) as Plotly lays them out for these type sizes, measured in the browser:
    # under a plot for its x-axis' tick labels and title; left of the landscape for the
    # article's f tick labels and title; right of the panels for half their last step
    # label. Each with Plotly's 12 px pad. See ``legend_below``.
    under: int
    left: int
    right: int


NORMAL = Look(font=16, tick=15, path=2.5, line=2.5, marker=16, end=14, under=72, left=71, right=27)
PRESENTATION = Look(
    font=24, tick=22, path=5.0, line=5.0, marker=24, end=22, under=87, left=84, right=34
)
LINE_HEIGHT = 1.3  # Plotly's line height, in font sizes


def legend_below(lk: Look, height: int) -> dict:
    """A legend at the figure's foot, under the x-axis' labels and title, wrapping into
    rows on a narrow screen (on top, the rows of a phone went under the chart's toolbar).

    Streamlit draws every new figure into a fresh chart, and Plotly draws a chart once
    more whenever its margins grow after the first pass (``Plots.doAutoMargin``): room a
    legend in container coordinates claims, or that the axes' labels claim. This legend
    sits in the plot's coordinates and claims its room before the first pass, its blank
    title as tall as the x-axis' labels and title (``Look.under``), and the figures'
    margins hold the axes' labels: one pass, about 0.15 s less of the worst case's
    redraw (``python -m bench browser``). Transparent, so the labels show through.

    Plotly scrolls a legend under the plot past half the figure's ``height`` (a phone's
    wrapped rows); the blank title's room comes on top of that half, so the entries keep
    it."""
    return {
        "orientation": "h",
        "xref": "paper",
        "x": 0,
        "yref": "paper",
        "y": 0,
        "yanchor": "top",
        "bgcolor": "rgba(0,0,0,0)",
        "title": {"text": "&nbsp;", "font": {"size": math.ceil(lk.under / LINE_HEIGHT)}},
        "maxheight": height / 2 + lk.under,
    }


def look(present: bool) -> Look:
    return PRESENTATION if present else NORMAL


def _fonts(lk: Look) -> dict:
    """Layout entries that make every text of a figure dark and large enough."""
    return {
        "font": {"size": lk.font, "color": INK},
        "legend": {"font": {"size": lk.font, "color": INK}},
    }


def _axis(lk: Look, **kw) -> dict:
    title = kw.pop("title", None)
    return {
        "tickfont": {"size": lk.tick, "color": INK},
        "title": {**(title or {}), "font": {"size": lk.font, "color": INK}},
        **kw,
    }


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


@functools.lru_cache(maxsize=64)
def curve(fn: Objective, points: int = 1001) -> tuple[np.ndarray, np.ndarray]:
    """f on ``points`` evenly spaced x across its bounds, NaN where f is not finite.
    Kept for each function (objectives compare by identity), read-only: every figure of
    a function draws it, and every rerun computed it afresh."""
    xs = np.linspace(*fn.bounds, points)
    with np.errstate(all="ignore"):
        ys = np.asarray(fn.f(xs), dtype=float)
    ys = np.where(np.isfinite(ys), ys, np.nan)
    xs.flags.writeable = ys.flags.writeable = False
    return xs, ys


def _x_range(fn: Objective) -> list[float]:
    lo, hi = fn.bounds
    pad = 0.02 * (hi - lo)
    return [lo - pad, hi + pad]


def _y_range(ys: np.ndarray) -> list[float]:
    lo, hi = float(np.nanmin(ys)), float(np.nanmax(ys))
    pad = 0.06 * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def _spans(ranges: Sequence[Sequence[float]]) -> np.ndarray:
    return np.array([hi - lo for lo, hi in ranges], dtype=float)


def overlapping(
    points: np.ndarray, spans: np.ndarray, tol: float | np.ndarray = OVERLAP
) -> list[list[int]]:
    """Groups of the indices of ``points`` (n, 2) that overlap on screen: a point joins
    the first group holding a point within ``tol`` of each axis span of it."""
    groups: list[list[int]] = []
    # Python floats, not NumPy rows: the points are few (a frame's markers, Newton's
    # rings), and a NumPy call per pair cost more than the rest of a rerun's figure.
    scaled = (np.asarray(points, dtype=float) / spans).tolist()
    tx, ty = np.broadcast_to(np.asarray(tol, dtype=float), (2,)).tolist()

    def near(j: int, x: float, y: float) -> bool:
        return abs(scaled[j][0] - x) <= tx and abs(scaled[j][1] - y) <= ty

    for i, (x, y) in enumerate(scaled):
        home = next((g for g in groups if any(near(j, x, y) for j in g)), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return groups


def nested(groups: list[list[int]]) -> dict[int, tuple[int, int]]:
    """Each index's (rank, size) in its group: drawn in order, a member ranked r of g
    is drawn g - 1 - r sizes larger, so each shows as a ring around those on top."""
    return {i: (r, len(g)) for g in groups for r, i in enumerate(g)}


def _nested_sizes(points: np.ndarray, spans: np.ndarray, base: int) -> list[int]:
    rank = nested(overlapping(points, spans))
    return [base + NEST * (rank[i][1] - 1 - rank[i][0]) for i in range(len(points))]


def _frame_sizes(
    xs: list[list[float]], fs: list[list[float]], spans: np.ndarray, base: int
) -> list[list[int]]:
    """The moving markers' sizes in each frame (``_nested_sizes``). One NumPy pass finds
    which markers overlap in every frame. Most frames have none; the grouping depends on
    nothing else, so frames that overlap alike (runs that have met stay met) are grouped
    once, point by point."""
    if not xs or not xs[0]:
        return [[] for _ in xs]
    with np.errstate(invalid="ignore"):
        scaled = np.stack([np.array(xs) / spans[0], np.array(fs) / spans[1]], axis=-1)
        gap = np.abs(scaled[:, :, None, :] - scaled[:, None, :, :])
    n = len(xs[0])
    near = (gap <= OVERLAP).all(axis=-1) & ~np.eye(n, dtype=bool)
    alone = [base] * n
    grouped: dict[bytes, list[int]] = {}
    sizes = []
    for k, crowded in enumerate(near.any(axis=(1, 2)).tolist()):
        if not crowded:
            sizes.append(alone)
            continue
        key = near[k].tobytes()
        if key not in grouped:
            grouped[key] = _nested_sizes(np.column_stack([xs[k], fs[k]]), spans, base)
        sizes.append(grouped[key])
    return sizes


def landscape_ranges(fn: Objective) -> tuple[list[float], list[float]]:
    """The landscape's fixed x and f ranges."""
    return _x_range(fn), _y_range(curve(fn)[1])


def coinciding(fn: Objective, runs: Sequence[Run]) -> list[list[int]]:
    """Groups (two or more) of the runs whose end points overlap on the landscape."""
    ends = np.array([[float(r.traj.x_final), float(r.traj.f_final)] for r in runs])
    groups = overlapping(ends, _spans(landscape_ranges(fn))) if runs else []
    return [g for g in groups if len(g) > 1]


DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def _line_style(rank: tuple[int, int], width: float) -> dict:
    """Lines of runs that end together: each on top thinner and dashed, so the ones
    under it show on both sides and between its dashes."""
    r, g = rank
    return {"width": width + min(g - 1 - r, 3) * 1.5, "dash": DASHES[r % len(DASHES)]}


def landscape_figure(
    fn: Objective, runs: Sequence[Run], t: Translate, present: bool = False
) -> go.Figure:
    return go.Figure(landscape_spec(fn, runs, t, present))


# A run's traces on the landscape, given its index in the race and its (rank, size)
# among the runs that end on one spot: ``run_traces``, or a cache of it.
RunTraces = Callable[[int, tuple[int, int]], list[dict]]


def landscape_spec(
    fn: Objective,
    runs: Sequence[Run],
    t: Translate,
    present: bool = False,
    traces_of: RunTraces | None = None,
) -> dict:
    """The landscape figure as a plain dict, not validated (``landscape_figure`` is)."""
    lk = look(present)
    xs, ys = curve(fn)
    ranges = landscape_ranges(fn)
    spans = _spans(ranges)
    if traces_of is None:

        def traces_of(i: int, rank: tuple[int, int]) -> list[dict]:
            return run_traces(fn, runs[i], t, present, rank)

    traces: list[dict] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "name": "f(x)",
            "legendrank": 1,
            "line": {"color": "#555", "width": lk.line - 0.5},
            "hoverinfo": "skip",
        }
    ]
    rank = nested(coinciding(fn, runs))
    for i in range(len(runs)):
        traces.extend(traces_of(i, rank.get(i, (0, 1))))
    frames_at = sampled_steps(runs[0].traj.steps) if runs else np.array([0])
    # All moving markers are one trace with a point per optimizer, so a frame is one
    # small trace whatever the number of optimizers (each frame trace costs a Plotly
    # object on every rebuild). The legend comes from marker-only entries.
    traces.extend(_legend_entry(run, i) for i, run in enumerate(runs))
    traces.extend(_key_entries(runs, t, lk))

    # A frame's x and f, one Python float per optimizer, for every frame at once.
    at_x = np.array([r.traj.x[frames_at] for r in runs]).reshape(-1, len(frames_at)).T.tolist()
    at_f = np.array([r.traj.f[frames_at] for r in runs]).reshape(-1, len(frames_at)).T.tolist()
    sizes = _frame_sizes(at_x, at_f, spans, lk.marker)
    moving = {
        "type": "scatter",
        "x": at_x[0],
        "y": at_f[0],
        "mode": "markers",
        "showlegend": False,
        "hovertext": [run.label for run in runs],
        # Markers on one spot (all of them at step 0) are nested: each drawn under
        # another is larger, so every optimizer shows as a ring of its own colour.
        "marker": {
            "color": [style(run.name)[0] for run in runs],
            "symbol": [style(run.name)[1] for run in runs],
            "size": sizes[0],
            "line": {"color": "white", "width": 2},
        },
        "hovertemplate": "%{hovertext}<br>x = %{x:.4g}<br>f = %{y:.4g}<extra></extra>",
    }
    # A frame carries what moves: Plotly merges it into the trace, which keeps its
    # colours, symbols and outline. Sending those with every frame was a fifth of a
    # landscape's bytes.
    frames = [
        {
            "name": str(s),
            "traces": [len(traces)],
            "data": [{"type": "scatter", "x": at_x[k], "y": at_f[k], "marker": {"size": size}}],
        }
        for k, (s, size) in enumerate(zip(frames_at, sizes, strict=True))
    ]
    layout = {
        **_fonts(lk),
        "height": 560 + 80 * present,
        "margin": {"l": lk.left, "r": 20, "t": 30, "b": 40},
        "xaxis": _axis(lk, title={"text": "x"}, range=ranges[0], autorange=False),
        "yaxis": _axis(lk, title={"text": "f(x)"}, range=ranges[1], autorange=False),
        "hovermode": "closest",
    }
    labels = _diverged_labels(runs, t, lk, ranges, rank)
    if labels:  # as go.Figure sends it: no empty list
        layout["annotations"] = labels
    layout["legend"].update(legend_below(lk, layout["height"]))
    return {"data": [*traces, moving], "layout": layout, "frames": frames}


# Legend order: the runs, then the marks of one run, then the keys of marks all share.
RUN_RANK, MARK_RANK, KEY_RANK = 100, 500, 1000


def _legend_entry(run: Run, i: int) -> dict:
    color, symbol = style(run.name)
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": run.label,
        "legendgroup": run.name,
        "legendrank": RUN_RANK + i,
        "marker": {"color": color, "symbol": symbol, "size": 14},
    }


def _key_entries(runs: Sequence[Run], t: Translate, lk: Look) -> list[dict]:
    """Legend entries for the marks every run shares: the hollow marker where a run
    ended and the cross where one diverged, drawn in ink as a key, not as a run."""
    diverged = any(int(r.traj.diverged_at) >= 0 for r in runs)
    keys = [("legend_end", "circle-open")] + [("legend_diverged", "x-thin-open")] * diverged
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": t(key),
            "legendgroup": key,
            "legendrank": KEY_RANK,
            "marker": {"color": INK, "symbol": symbol, "size": 14, "line": {"width": 2.5}},
        }
        for key, symbol in keys
        if runs
    ]


def visible_steps(x: np.ndarray, y: np.ndarray, cell: tuple[float, float]) -> np.ndarray:
    """The steps of a path to draw: the first, the last, and each that leaves the grid
    cell (``cell`` = its width and height) of the step before. A step left out shares a
    cell with the one before it, back to a drawn one, so it lies under the same pixel
    (with its marker) while a cell is under a pixel. Runs of at most MAX_PATH_POINTS
    points are drawn whole."""
    if len(x) <= MAX_PATH_POINTS:
        return np.arange(len(x))
    cx, cy = _cells(x, y, cell)
    moved = (cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1])  # NaN never equals: kept
    keep = np.concatenate(([True], moved))
    keep[-1] = True
    return np.flatnonzero(keep)


def distinct_steps(x: np.ndarray, y: np.ndarray, cell: tuple[float, float]) -> np.ndarray:
    """The steps whose dots to draw: the first in each grid cell (``cell`` = its width
    and height) that a finite point visits. A dot left out lies under a drawn one, within
    a cell (DOT_CELLS: under a pixel). A run that settles or bounces between two spots
    revisits its cells: hundreds of its dots are a handful, and each dot is an SVG
    element the browser must build."""
    finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    # A cell as one complex number: NumPy finds unique numbers far faster than unique
    # rows, and complex numbers sort by real part, then imaginary part, as rows would.
    # (Set part by part: 1j * row would be NaN where a row overflowed to infinity.)
    spot = np.empty(finite.size, dtype=complex)
    spot.real, spot.imag = _cells(x[finite], y[finite], cell)
    _, first = np.unique(spot, return_index=True)
    return finite[np.sort(first)]


def _cells(
    x: np.ndarray, y: np.ndarray, cell: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """The grid cell (column, row) of each point; not finite where the point is not."""
    with np.errstate(all="ignore"):
        return np.floor(x / cell[0]), np.floor(y / cell[1])


def _float32(values: np.ndarray) -> np.ndarray:
    """A path's points to draw in single precision: seven digits are far finer than a
    pixel, and half the bytes. Huge values (a diverging run) stay huge, not infinite,
    so the path still points off the chart."""
    big = np.finfo(np.float32).max
    return np.clip(values, -big, big).astype(np.float32)


def run_traces(
    fn: Objective, run: Run, t: Translate, present: bool, rank: tuple[int, int]
) -> list[dict]:
    """What ``run`` draws on the landscape that does not move: its path, a dot on each
    spot it visits, its end marker and the marks of its steps (Newton's rings). ``rank``
    is its (rank, size) among the runs that end on one spot (``coinciding``)."""
    lk = look(present)
    spans = _spans(landscape_ranges(fn))
    color, symbol = style(run.name)
    tr = run.traj
    shown = visible_steps(tr.x, tr.f, tuple(spans / PATH_CELLS))
    dots = distinct_steps(tr.x, tr.f, tuple(spans / DOT_CELLS))
    path = {"opacity": 0.8, "showlegend": False, "legendgroup": run.name, "hoverinfo": "skip"}
    # The path is two traces: its line through every step, and a dot on each step, drawn
    # once per spot (``distinct_steps``).
    out = [
        {
            "type": "scatter",
            "x": _float32(tr.x[shown]),
            "y": _float32(tr.f[shown]),
            "mode": "lines",
            "line": {"color": color, **_line_style(rank, lk.path)},
            **path,
        },
        {
            "type": "scatter",
            "x": _float32(tr.x[dots]),
            "y": _float32(tr.f[dots]),
            "mode": "markers",
            "marker": {"color": color, "size": lk.path + 3},
            **path,
        },
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
            "mode": "markers",
            "marker": {
                "color": color,
                "size": _end_size(run, lk, rank),
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
            # One ring per spot: rings of steps that land on one another would merge
            # into a blot (Newton sits on a maximum for a hundred steps).
            points = np.column_stack([tr.x[uphill], tr.f[uphill]])
            spots = overlapping(points, spans)
            uphill = uphill[[g[0] for g in spots]]
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
                    "legendrank": MARK_RANK,
                    "marker": {
                        "color": color,  # an open marker's outline takes this colour
                        "size": 12,
                        "symbol": "circle-open",
                        "line": {"width": 2},
                    },
                    "customdata": [len(g) for g in spots],  # steps under each ring
                    "hovertemplate": uphill_name
                    + "<br>"
                    + t("ring_steps", n="%{customdata}")
                    + "<extra></extra>",
                }
            )
    return out


# How far apart (fractions of the axes) two "diverged at step" labels must start not
# to overlap: a label is some 150 px wide and 20 px high.
LABEL_SPAN = np.array([0.2, 0.08])


def _end_size(run: Run, lk: Look, rank: tuple[int, int]) -> int:
    """The size of a run's end marker, with the halo that rings the ones on top of it."""
    diverged = int(run.traj.diverged_at) >= 0
    return (lk.end + 4 if diverged else lk.end) + NEST * (rank[1] - 1 - rank[0])


def _diverged_labels(
    runs: Sequence[Run],
    t: Translate,
    lk: Look,
    ranges: tuple[list[float], list[float]],
    rank: dict[int, tuple[int, int]],
) -> list[dict]:
    """ "Diverged at step" labels (annotations), one per cluster of runs that left near
    one another, a line per run in its colour, beside the cluster's markers and kept
    inside the view."""
    gone = [i for i, r in enumerate(runs) if int(r.traj.diverged_at) >= 0]
    if not gone:
        return []
    (x0, x1), (y0, y1) = ranges
    ends = np.array(
        [
            [
                min(max(float(runs[i].traj.x_final), x0), x1),
                min(max(float(runs[i].traj.f_final), y0), y1)
                if np.isfinite(float(runs[i].traj.f_final))
                else y1,
            ]
            for i in gone
        ]
    )
    out = []
    for group in overlapping(ends, _spans(ranges), LABEL_SPAN):
        members = [runs[gone[k]] for k in group]
        named = len(group) > 1  # the colour alone names a lone label's run
        text = "<br>".join(
            f'<span style="color:{style(r.name)[0]}">'
            + (f"{r.label}: " if named else "")
            + t("diverged_at", step=int(r.traj.diverged_at))
            + "</span>"
            for r in members
        )
        # Clear of the largest marker of the cluster, by half its size and a gap.
        clear = max(_end_size(runs[gone[k]], lk, rank.get(gone[k], (0, 1))) for k in group)
        clear = clear / 2 + 6
        xs, (x, y) = ends[group, 0], ends[group[0]]
        side = (x - x0) / (x1 - x0)
        if side > 0.75:  # left of the cluster
            where = {"x": xs.min(), "xanchor": "right", "xshift": -clear, "align": "right"}
        elif side < 0.25:  # right of it
            where = {"x": xs.max(), "xanchor": "left", "xshift": clear, "align": "left"}
        elif (y - y0) / (y1 - y0) > 0.8:  # under it, near the top
            where = {"x": x, "yanchor": "top", "yshift": -clear}
        else:  # above it
            where = {"x": x, "yanchor": "bottom", "yshift": clear}
        out.append(
            {
                "y": y,
                "text": text,
                "showarrow": False,
                "font": {"size": lk.font - 1},
                "bgcolor": "rgba(255,255,255,0.8)",
                **where,
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
    out = go.Figure(fig.to_dict())
    out.update_layout(
        updatemenus=[_play_menu(t)],
        sliders=[_frame_slider([int(frame.name) for frame in fig.frames], t)],
        margin={"b": 140},
        # Under the frame slider, at the figure's foot; no blank title over the axis'
        # labels, which the slider and buttons sit under here (a file is drawn once).
        legend={
            "xref": "container",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "title": {"text": ""},
        },
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


def state_fields(runs: Sequence[Run]) -> list[str]:
    """The state fields the runs recorded, in order: what the state panel can show."""
    return list(dict.fromkeys(f for r in runs for f in (r.traj.state or {})))


def state_shown(runs: Sequence[Run], wanted: str) -> str | None:
    """The state the panel shows: ``wanted`` if a run recorded it, else a schedule's lr,
    else the first."""
    fields = state_fields(runs)
    if wanted in fields or not fields:
        return wanted if fields else None
    lr = LR_USED.field  # what a schedule changes, first
    return lr if lr in fields else fields[0]


def panel_range(series: Sequence[np.ndarray], log: bool) -> list[float] | None:
    """A y range that shows ``series`` (the runs that did not diverge: a diverged one
    would flatten the rest to a line), in log10 units on a log axis; None if nothing
    finite (positive, on a log axis) is left to show."""
    values = np.concatenate([np.ravel(s) for s in series]) if series else np.array([])
    values = values[np.isfinite(values) & ((values > 0) if log else True)]
    if not values.size:
        return None
    if log:
        values = np.log10(values)
    lo, hi = float(values.min()), float(values.max())
    pad = 0.06 * (hi - lo) if hi > lo else max(abs(hi) * 0.05, 0.5 if log else 1e-3)
    return [lo - pad, hi + pad]


LOG_STATE_RATIO = 100.0  # a state spanning more than this factor is plotted on a log axis


def log_state(series: Sequence[np.ndarray]) -> bool:
    """Whether a state panel needs a log axis: positive values spanning two decades,
    where on a linear axis the small ones (AdaGrad's learning rate beside RMSprop's)
    would lie flat on zero."""
    values = np.concatenate([np.ravel(s) for s in series]) if series else np.array([])
    values = values[np.isfinite(values)]
    return bool(values.size and values.min() > 0 and values.max() > LOG_STATE_RATIO * values.min())


def panels_figure(
    fn: Objective,
    runs: Sequence[Run],
    t: Translate,
    state_key: str | None,
    log: bool,
    present: bool = False,
) -> go.Figure:
    return go.Figure(panels_spec(fn, runs, t, state_key, log, present))


def panels_spec(
    fn: Objective,
    runs: Sequence[Run],
    t: Translate,
    state_key: str | None,
    log: bool,
    present: bool = False,
) -> dict:
    """f(x_t), x_t and one internal state quantity against t, stacked on one t axis, as a
    plain dict (``panels_figure`` validates it).

    Each panel's y range shows the runs that did not diverge; one that did leaves the
    panel. Built from plain dicts: make_subplots and per-trace objects cost more than
    the rest of a rerun."""
    lk = look(present)
    # Without a global minimum (f unbounded below) there is no gap to plot on a log axis.
    log = log and fn.has_minimum
    tiny = np.finfo(float).tiny
    # On a log axis the gap to the global minimum must be positive.
    ys = [
        [np.maximum(r.traj.f - fn.f_min, tiny) if log else r.traj.f for r in runs],
        [r.traj.x for r in runs],
    ]
    logs = [log, False]
    titles = [t("panel_gap") if log else t("panel_f"), t("panel_x")]
    if state_key:
        states = [(r.traj.state or {}).get(state_key) for r in runs]
        ys.append(states)
        logs.append(log_state([s for s in states if s is not None]))
        name = t(f"state.{state_key}")
        titles.append(t("panel_state_log", name=name) if logs[-1] else t("panel_state", name=name))
    rows = len(titles)
    height = (1 - PANEL_GAP * (rows - 1)) / rows
    tops = [1 - i * (height + PANEL_GAP) for i in range(rows)]
    layout: dict = {
        **_fonts(lk),
        "height": (260 + 60 * present) * rows,
        "margin": {"l": 60, "r": lk.right, "t": 40, "b": 40},
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
                "line": {"dash": "dot", "color": "#555"},
            }
        ]
        if fn.has_minimum
        else [],
    }
    layout["legend"].update(legend_below(lk, layout["height"]))
    kept = [i for i, r in enumerate(runs) if int(r.traj.diverged_at) < 0] or range(len(runs))
    for i, (top, series, is_log) in enumerate(zip(tops, ys, logs, strict=True), 1):
        n = i if i > 1 else ""  # the first axes are "xaxis" and "yaxis"
        layout[f"xaxis{n}"] = _axis(
            lk,
            anchor=f"y{n}",
            matches="x" if i > 1 else None,
            showticklabels=i == rows,
            title={"text": "t" if i == rows else None},
        )
        y_range = panel_range([series[k] for k in kept if series[k] is not None], is_log)
        layout[f"yaxis{n}"] = _axis(
            lk,
            anchor=f"x{n}",
            domain=[max(top - height, 0.0), top],
            type="log" if is_log else "linear",
            **({"range": y_range, "autorange": False} if y_range else {}),
        )
    rank = nested(coinciding(fn, runs))
    data = []
    for k, run in enumerate(runs):
        common = {
            "type": "scatter",
            "mode": "lines",
            "legendgroup": run.name,
            "name": run.label,
            "line": {"color": style(run.name)[0], **_line_style(rank.get(k, (0, 1)), lk.line)},
            "showlegend": False,
        }
        for i, series in enumerate(ys, 1):
            y = series[k]
            if y is not None:
                n = i if i > 1 else ""
                # Step t of a y array is at x0 + t * dx: no x array to send. States are
                # recorded from step 1.
                x0 = 0 if len(y) == run.traj.steps + 1 else 1
                data.append(
                    {
                        **common,
                        "x0": x0,
                        "dx": 1,
                        "y": y,
                        "xaxis": f"x{n}",
                        "yaxis": f"y{n}",
                        "showlegend": i == 1,
                    }
                )
    return {"data": data, "layout": layout}
