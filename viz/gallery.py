"""The article's figures, reproduced: its sweeps as galleries of small multiples.

Every run starts at x0 = -20 on the article's function and takes 1000 steps. Each
gallery is one vectorised ``optimizers.run`` call with the swept hyperparameter as an
array of ten values; hyperparameters neither fixed nor swept keep their spec defaults
(AdaGrad's eps = 1e-10 and RMSprop's eps = 1e-8, outside the square root as torch has
it; the article's own eps is unknown and is negligible here, where |f'| is of order 1).

The article's momentum sweep is m = 1 - 2^-i; we take i = 1..10 (m from 0.5 to
0.9990234375, all in [0, 1)): i = 0 would be m = 0, plain gradient descent with
lr = 0.002, which the GD gallery already covers, while i = 10 shows the nearly undamped
swing. Momentum and Adam are the article's variants (``momentum_article`` and
``adam_article`` in ``optimizers.methods``), not torch's.

The galleries' notes state what the runs do; tests/test_article.py checks each claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import functions
import optimizers
from errors import LabError
from optimizers import Trajectory
from viz.figures import style
from viz.text import t

FUNCTION = "article"
X0 = -20.0
STEPS = 1000
ROWS, COLS = 2, 5
CURVE_POINTS = 1001
GREY = "#999"
# The comparison's article-Adam colour: blue, far from correct Adam's vermillion.
ARTICLE_COLOR = "#0072B2"
# The swept hyperparameter as the panel titles show it (the app's symbols: the
# article's momentum m is the app's μ).
SYMBOLS = {"lr": "η", "momentum": "μ", "alpha": "α"}


@dataclass(frozen=True, eq=False)
class Gallery:
    """One of the article's sweeps: ``optimizer`` with ``fixed`` hyperparameters, run
    once for each of ``values`` of the hyperparameter ``swept``. Compares (and hashes)
    by identity, like ``Objective``."""

    id: str
    optimizer: str
    fixed: dict[str, Any]
    swept: str
    values: tuple[float, ...]
    title: dict[str, str]
    note: dict[str, str]

    def label(self, i: int) -> str:
        """Panel i's title: the swept value, e.g. "η = 16"."""
        return f"{SYMBOLS[self.swept]} = {self.values[i]:.4g}"


GALLERIES: tuple[Gallery, ...] = (
    Gallery(
        id="gd",
        optimizer="gd",
        fixed={},
        swept="lr",
        values=tuple(16 * 2.0**-i for i in range(10)),
        title={"en": "Gradient descent, η = 16·2⁻ⁱ", "zh": "梯度下降，η = 16·2⁻ⁱ"},
        note={
            "en": "Large steps (η ≥ 4) jump chaotically across the ripples and are still "
            "bouncing at step 1000. Every η ≤ 0.25 stops in the first dip, x ≈ −19.23.",
            "zh": "大步长（η ≥ 4）在波纹之间混乱地跳来跳去，到第 1000 步仍未停下。"
            "η ≤ 0.25 的每一次运行都停在第一个凹坑里，x ≈ −19.23。",
        },
    ),
    Gallery(
        id="momentum",
        optimizer="momentum_article",
        fixed={"lr": 0.002, "v0": 1.0},
        swept="momentum",
        values=tuple(1 - 2.0**-i for i in range(1, 11)),
        title={
            "en": "Momentum (article, v₀ = 1), η = 0.002, μ = 1 − 2⁻ⁱ",
            "zh": "动量法（文章版，v₀ = 1），η = 0.002，μ = 1 − 2⁻ⁱ",
        },
        note={
            "en": "μ is the article's m, for i = 1 to 10. Up to μ = 0.875 the ball stops "
            "in a nearby dip, μ = 0.9375 rolls into the global minimum at x ≈ −2.93, larger "
            "μ overshoot it, and from μ ≈ 0.98 on the ball is still swinging at step 1000 "
            "(μ = 0.999: as far as x ≈ 100).",
            "zh": "μ 即文章中的 m，i 取 1 到 10。μ ≤ 0.875 时小球停在附近的凹坑里；"
            "μ = 0.9375 时滚进 x ≈ −2.93 处的全局最小值；更大的 μ 会冲过头，"
            "从 μ ≈ 0.98 起到第 1000 步仍在来回摆动（μ = 0.999 时最远到 x ≈ 100）。",
        },
    ),
    Gallery(
        id="adagrad",
        optimizer="adagrad",
        fixed={},
        swept="lr",
        values=tuple(32 * 1.5**-i for i in range(10)),
        title={"en": "AdaGrad, η = 32·1.5⁻ⁱ", "zh": "AdaGrad，η = 32·1.5⁻ⁱ"},
        note={
            "en": "The accumulated squares only grow, so every run's steps keep shrinking. "
            "Large η cross many ripples before they stall; η ≤ 1.25 never leaves the first "
            "dip, x ≈ −19.23.",
            "zh": "梯度平方的累积只增不减，所以每次运行的步长都在不断缩小。"
            "大的 η 在停下之前越过许多波纹；η ≤ 1.25 始终没有离开第一个凹坑，x ≈ −19.23。",
        },
    ),
    Gallery(
        id="rmsprop",
        optimizer="rmsprop",
        fixed={"beta": 0.8},
        swept="lr",
        values=tuple(32 * 1.5**-i for i in range(10)),
        title={"en": "RMSprop, ρ = 0.8, η = 32·1.5⁻ⁱ", "zh": "RMSprop，ρ = 0.8，η = 32·1.5⁻ⁱ"},
        note={
            "en": "Dividing by the recent gradient size keeps every step about η long, "
            "however flat or steep the ground. So no run settles in 1000 steps: even the "
            "smallest η still wanders over about 2 units at the end.",
            "zh": "除以近期梯度的大小，使每一步都约为 η 长，不论地面平缓还是陡峭。"
            "所以没有一次运行在 1000 步内稳定下来：即使最小的 η，最后仍在约 2 个单位的范围内游走。",
        },
    ),
    Gallery(
        id="adam",
        optimizer="adam_article",
        fixed={"beta1": 0.9, "beta2": 0.9},
        swept="lr",
        values=tuple(2 * 1.2**-i for i in range(10)),
        title={
            "en": "Adam (article, compounding correction), β₁ = β₂ = 0.9, η = 2·1.2⁻ⁱ",
            "zh": "Adam（文章版，偏差修正逐步累乘），β₁ = β₂ = 0.9，η = 2·1.2⁻ⁱ",
        },
        note={
            "en": "The correction is written back into m and v, so it compounds and inflates "
            "both: around step 20 the steps reach 50 to 60 η and every run flies far out of "
            "the domain, to x ≈ 750–2900. From there it walks back at about η per step and "
            "is still outside [−20, 20] at step 1000.",
            "zh": "修正结果被写回 m 和 v，于是逐步累乘，把两者都放大：第 20 步前后步长达到 "
            "50 到 60 倍 η，每次运行都远远飞出定义域，到达 x ≈ 750–2900。之后它以每步约 η "
            "的速度往回走，到第 1000 步仍在 [−20, 20] 之外。",
        },
    ),
    Gallery(
        id="newton_reg",
        optimizer="newton_reg",
        fixed={},
        swept="alpha",
        values=tuple(20 * 1.2**-i for i in range(10)),
        title={"en": "Regularized Newton, α = 20·1.2⁻ⁱ", "zh": "正则化牛顿法，α = 20·1.2⁻ⁱ"},
        note={
            "en": "For every α here f″ + α stays positive along the way, and every run "
            "settles within 40 steps in the first dip, x ≈ −19.23. Newton heads for the "
            "nearest stationary point; α only shortens the steps.",
            "zh": "这里的每个 α 都使沿途的 f″ + α 保持为正，每次运行都在 40 步内停在第一个"
            "凹坑里，x ≈ −19.23。牛顿法奔向最近的驻点；α 只是让步子变短。",
        },
    ),
)


def get(gallery_id: str) -> Gallery:
    for gallery in GALLERIES:
        if gallery.id == gallery_id:
            return gallery
    raise LabError("unknown_gallery", name=gallery_id, choices=", ".join(g.id for g in GALLERIES))


def run_gallery(gallery: Gallery) -> Trajectory:
    """All ten runs of ``gallery`` as one batched Trajectory: x has shape (1001, 10)."""
    return optimizers.run(
        gallery.optimizer,
        FUNCTION,
        X0,
        STEPS,
        **gallery.fixed,
        **{gallery.swept: np.array(gallery.values)},
    )


def _pad(lo: float, hi: float, frac: float) -> list[float]:
    pad = frac * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def panel_title(gallery: Gallery, traj: Trajectory, i: int, lang: str) -> str:
    title = gallery.label(i)
    step = int(traj.diverged_at[i])
    if step >= 0:
        title += "<br>" + t("diverged_at", lang, step=step)
    return title


def gallery_figure(gallery: Gallery, traj: Trajectory, lang: str = "en") -> go.Figure:
    """Ten panels (2 x 5): f(x) in grey over the span the run covered, the run's path
    (x_t, f(x_t)) and where it ended; diverged runs say at which step."""
    fn = functions.get(FUNCTION)
    color = style(gallery.optimizer)[0]
    n = len(gallery.values)
    fig = make_subplots(
        rows=ROWS,
        cols=COLS,
        subplot_titles=[panel_title(gallery, traj, i, lang) for i in range(n)],
        horizontal_spacing=0.035,
        vertical_spacing=0.16,
    )
    for i in range(n):
        row, col = i // COLS + 1, i % COLS + 1
        x, f = traj.x[:, i], traj.f[:, i]
        diverged = int(traj.diverged_at[i]) >= 0
        lo = min(fn.bounds[0], float(np.nanmin(x)))
        hi = max(fn.bounds[1], float(np.nanmax(x)))
        xs = np.linspace(lo, hi, CURVE_POINTS)
        ys = fn.f(xs)
        end = (
            t("diverged_at", lang, step=int(traj.diverged_at[i]))
            if diverged
            else t("ended_at", lang, x=float(traj.x_final[i]))
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": GREY, "width": 1.5},
                hoverinfo="skip",
                showlegend=False,
            ),
            row,
            col,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=f,
                mode="lines+markers",
                line={"color": color, "width": 1},
                marker={"color": color, "size": 3},
                opacity=0.5,
                hoverinfo="skip",
                showlegend=False,
            ),
            row,
            col,
        )
        fig.add_trace(
            go.Scatter(
                x=[traj.x_final[i]],
                y=[traj.f_final[i]],
                mode="markers",
                marker={
                    "color": color,
                    "size": 14 if diverged else 11,
                    "symbol": "x-thin-open" if diverged else "circle-open",
                    "line": {"color": color, "width": 3},
                },
                hovertemplate=f"{gallery.label(i)}: {end}<extra></extra>",
                showlegend=False,
            ),
            row,
            col,
        )
        fig.update_xaxes(range=_pad(lo, hi, 0.03), row=row, col=col)
        y_lo = float(min(np.nanmin(ys), np.nanmin(f)))
        y_hi = float(max(np.nanmax(ys), np.nanmax(f)))
        fig.update_yaxes(range=_pad(y_lo, y_hi, 0.06), row=row, col=col)
    fig.update_xaxes(title_text="x", row=ROWS)
    fig.update_yaxes(title_text="f(x)", col=1)
    fig.update_annotations(font={"size": 15})
    fig.update_layout(
        font={"size": 14},
        height=560,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        showlegend=False,
        hovermode="closest",
    )
    return fig


# --- the article's Adam next to correct Adam, both with beta2 = 0.999 -----------------------

ADAM_COMPARISON = {"lr": 2.0, "beta1": 0.9, "beta2": 0.999}


class AdamComparison(NamedTuple):
    """What the two runs did, measured; the explanation quotes these numbers."""

    lr: float
    tiny: int  # first step of the article's Adam shorter than 1e-6 lr
    frozen: int  # the last step that changes the article's x
    x_frozen: float
    inf_step: int  # first step at which the article's v is inf (-1: never)
    x_correct: float
    v_lo: float  # the range of correct Adam's bias-corrected v̂
    v_hi: float


def adam_comparison_runs() -> tuple[Trajectory, Trajectory]:
    """(article's Adam, correct Adam), same hyperparameters, from x0 = -20, 1000 steps."""
    article = optimizers.run("adam_article", FUNCTION, X0, STEPS, **ADAM_COMPARISON)
    correct = optimizers.run("adam", FUNCTION, X0, STEPS, **ADAM_COMPARISON)
    return article, correct


def measure(article: Trajectory, correct: Trajectory) -> AdamComparison:
    step = np.abs(article.dx)
    lr = float(article.hparams["lr"])
    inf = np.flatnonzero(np.isinf(article.state["v"]))
    return AdamComparison(
        lr=lr,
        tiny=int(np.flatnonzero(step < 1e-6 * lr)[0]) + 1,
        frozen=int(np.flatnonzero(step > 0)[-1]) + 1,
        x_frozen=float(article.x_final),
        inf_step=int(inf[0]) + 1 if inf.size else -1,
        x_correct=float(correct.x_final),
        v_lo=float(np.min(correct.state["v_hat"])),
        v_hi=float(np.max(correct.state["v_hat"])),
    )


def _positive(values: np.ndarray) -> np.ndarray:
    """For a log axis: zeros and infinities become gaps."""
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def adam_comparison(lang: str = "en") -> tuple[go.Figure, str]:
    """The article's Adam against correct Adam at beta2 = 0.999: their paths on f(x),
    their step sizes and the second moment each divides by (log axes), and a short
    explanation built from the measured numbers."""
    fn = functions.get(FUNCTION)
    article, correct = adam_comparison_runs()
    facts = measure(article, correct)
    runs = (
        (article, t("gallery.adam_article", lang), ARTICLE_COLOR, "diamond-open"),
        (correct, t("gallery.adam_correct", lang), style("adam")[0], "diamond"),
    )
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=[
            t("gallery.adam_paths", lang, lr=facts.lr),
            t("gallery.adam_steps", lang),
            t("gallery.adam_v", lang),
        ],
        column_widths=[0.4, 0.3, 0.3],
        horizontal_spacing=0.07,
    )
    xs = np.linspace(*fn.bounds, CURVE_POINTS)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=fn.f(xs),
            mode="lines",
            line={"color": GREY, "width": 2},
            hoverinfo="skip",
            showlegend=False,
        ),
        1,
        1,
    )
    steps = np.arange(1, STEPS + 1)
    second_moments = (article.state["v"], correct.state["v_hat"])
    for (traj, label, color, symbol), v in zip(runs, second_moments, strict=True):
        group = {"legendgroup": label, "line": {"color": color, "width": 2}}
        fig.add_trace(
            go.Scatter(
                x=traj.x,
                y=traj.f,
                mode="lines+markers",
                marker={"color": color, "size": 4},
                opacity=0.6,
                name=label,
                hoverinfo="skip",
                **group,
            ),
            1,
            1,
        )
        fig.add_trace(
            go.Scatter(
                x=[traj.x_final],
                y=[traj.f_final],
                mode="markers",
                marker={"color": color, "size": 14, "symbol": symbol, "line": {"width": 2}},
                hovertemplate=label
                + ": "
                + t("ended_at", lang, x=float(traj.x_final))
                + "<extra></extra>",
                showlegend=False,
                legendgroup=label,
            ),
            1,
            1,
        )
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=_positive(np.abs(traj.dx)),
                mode="lines",
                name=label,
                showlegend=False,
                hovertemplate="t = %{x}<br>|Δx| = %{y:.3g}<extra></extra>",
                **group,
            ),
            1,
            2,
        )
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=_positive(v),
                mode="lines",
                name=label,
                showlegend=False,
                hovertemplate="t = %{x}<br>v = %{y:.3g}<extra></extra>",
                **group,
            ),
            1,
            3,
        )
    if facts.inf_step > 0:
        fig.add_vline(
            x=facts.inf_step,
            line_dash="dot",
            line_color=runs[0][2],
            annotation_text=t("gallery.adam_v_inf", lang, step=facts.inf_step),
            annotation_position="top right",
            row=1,
            col=3,
        )
    # Log t too: the article's steps collapse within its first 20.
    fig.update_xaxes(type="log", row=1, col=2)
    fig.update_yaxes(type="log", exponentformat="power", row=1, col=2)
    # An explicit range: autorange next to 1e308 would draw a tick at "Infinity".
    largest = max(np.nanmax(_positive(v)) for v in second_moments)
    fig.update_yaxes(
        type="log", exponentformat="power", range=[-1, np.log10(largest) + 1], row=1, col=3
    )
    fig.update_xaxes(title_text="x", row=1, col=1)
    fig.update_yaxes(title_text="f(x)", row=1, col=1)
    fig.update_xaxes(title_text="t", row=1, col=2)
    fig.update_xaxes(title_text="t", row=1, col=3)
    fig.update_annotations(font={"size": 15})
    fig.update_layout(
        font={"size": 14},
        height=460,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0},
        hovermode="closest",
    )
    explanation = t("gallery.adam_explain", lang, **facts._asdict())
    return fig, explanation
