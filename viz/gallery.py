"""The article's figures, reproduced: all 170 runs of its six sweeps, as galleries.

Every run starts at x0 = -20 and takes 1000 steps on ``article_code``, the article's
function with f' summed in its code's order, with the article's variants
(``momentum_article``, ``adagrad_article``, ``rmsprop_article``, ``adam_article``) and
the article's constants, so each run is the article's own loop to the last bit
(tests/test_article.py checks all 170 against plain loops). Each gallery is one
vectorised ``optimizers.run`` call with the swept hyperparameter as an array; its
values are the article's, ``i`` from 0 as its loops count.

A gallery is shown a page of ``PER_PAGE`` panels at a time, each a small figure of its
own (Streamlit stacks a row of them on a phone), in one of two styles: the app's (f in
grey over the span the run covered, the path in the optimizer's colour, axes that fit
the run) or the article's (x in [-20, 20], y in [-2, 10], f in faded blue, the path in
red, the end point a green x, titled as the article titles its figures). The article
marks x_999, the last x its loop stored; both styles mark x_1000, where the run ended.
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

FUNCTION = "article_code"
X0 = -20.0
STEPS = 1000
PER_PAGE = 12
CURVE_POINTS = 1001
GREY = "#999"
STYLES = ("app", "article")
# The article's look: matplotlib's "b" at alpha 0.5, "r", and a green "x".
ARTICLE_X, ARTICLE_Y = (-20.0, 20.0), (-2.0, 10.0)
ARTICLE_CURVE, ARTICLE_PATH, ARTICLE_END = "rgba(0, 0, 255, 0.5)", "#ff0000", "#008000"
ARTICLE_CURVE_POINTS = 1000  # np.linspace(-20, 20, 1000), as the article draws f
# The comparison's article-Adam colour: blue, far from correct Adam's vermillion.
ARTICLE_COLOR = "#0072B2"
# The swept hyperparameter as the panel titles show it (the app's symbols: the
# article's momentum m is the app's μ).
SYMBOLS = {"lr": "η", "momentum": "μ", "alpha": "α"}
TITLE_CHARS = 34  # a title line that fits a third of a wide page


@dataclass(frozen=True, eq=False)
class Gallery:
    """One of the article's sweeps: ``optimizer`` with ``fixed`` hyperparameters, run
    once for each of ``values`` of the hyperparameter ``swept`` (value i is the
    article's for its loop's i). ``article_title`` is the title the article gives
    each figure, a format string over the hyperparameters. Compares (and hashes) by
    identity, like ``Objective``."""

    id: str
    optimizer: str
    fixed: dict[str, Any]
    swept: str
    values: tuple[float, ...]
    name: dict[str, str]  # short, for the picker: a phone shows it whole
    title: dict[str, str]
    article_title: str

    def hparams(self, i: int) -> dict[str, Any]:
        """Every hyperparameter panel i's run was given."""
        return {**self.fixed, self.swept: self.values[i]}

    def label(self, i: int) -> str:
        """Panel i's title in the app's style: the swept value, e.g. "η = 16"."""
        return f"{SYMBOLS[self.swept]} = {self.values[i]:.4g}"

    def article_label(self, i: int) -> str:
        """Panel i's title as the article titles its figure, e.g. "Adam,lr=2.000000"."""
        return self.article_title.format(**self.hparams(i))

    @property
    def pages(self) -> int:
        return -(-len(self.values) // PER_PAGE)


GALLERIES: tuple[Gallery, ...] = (
    Gallery(
        id="gd",
        optimizer="gd",
        fixed={},
        swept="lr",
        values=tuple(pow(2, -i) * 16 for i in range(10)),
        name={"en": "Gradient descent", "zh": "梯度下降"},
        title={"en": "Gradient descent, η = 16·2⁻ⁱ", "zh": "梯度下降，η = 16·2⁻ⁱ"},
        article_title="Gradient descent,lr={lr:f}",
    ),
    Gallery(
        id="momentum",
        optimizer="momentum_article",
        fixed={"lr": 0.002, "v0": 1.0},
        swept="momentum",
        values=tuple(1 - pow(0.5, i) for i in range(10)),
        name={"en": "Momentum", "zh": "动量法"},
        title={
            "en": "Momentum (article, v₀ = 1), η = 0.002, μ = 1 − 2⁻ⁱ",
            "zh": "动量法（文章版，v₀ = 1），η = 0.002，μ = 1 − 2⁻ⁱ",
        },
        article_title="Gradient descent + momentum,lr={lr:f},m={momentum:f}",
    ),
    Gallery(
        id="adagrad",
        optimizer="adagrad_article",
        fixed={"eps": 1e-7},
        swept="lr",
        values=tuple(pow(1.5, -i) * 32 for i in range(15)),
        name={"en": "AdaGrad", "zh": "AdaGrad"},
        title={"en": "AdaGrad, δ = 1e-7, η = 32·1.5⁻ⁱ", "zh": "AdaGrad，δ = 1e-7，η = 32·1.5⁻ⁱ"},
        article_title="AdaGrad,lr={lr:f}",
    ),
    Gallery(
        id="rmsprop",
        optimizer="rmsprop_article",
        fixed={"beta": 0.8, "eps": 1e-6},
        swept="lr",
        values=tuple(pow(1.5, -i) * 32 for i in range(15)),
        name={"en": "RMSprop", "zh": "RMSprop"},
        title={
            "en": "RMSprop, ρ = 0.8, δ = 1e-6, η = 32·1.5⁻ⁱ",
            "zh": "RMSprop，ρ = 0.8，δ = 1e-6，η = 32·1.5⁻ⁱ",
        },
        article_title="RMSProp,lr={lr:f},rou={beta:f}",
    ),
    Gallery(
        id="adam",
        optimizer="adam_article",
        fixed={"beta1": 0.9, "beta2": 0.9, "eps": 1e-8},
        swept="lr",
        values=tuple(pow(1.2, -i) * 2 for i in range(48)),
        name={"en": "Adam", "zh": "Adam"},
        title={
            "en": "Adam (article, compounding correction), β₁ = β₂ = 0.9, η = 2·1.2⁻ⁱ",
            "zh": "Adam（文章版，偏差修正逐步累乘），β₁ = β₂ = 0.9，η = 2·1.2⁻ⁱ",
        },
        article_title="Adam,lr={lr:f}",
    ),
    Gallery(
        id="newton_reg",
        optimizer="newton_reg",
        fixed={},
        swept="alpha",
        values=tuple(pow(1.2, -i) * 20 for i in range(72)),
        name={"en": "Regularized Newton", "zh": "正则化牛顿法"},
        title={"en": "Regularized Newton, α = 20·1.2⁻ⁱ", "zh": "正则化牛顿法，α = 20·1.2⁻ⁱ"},
        article_title="Newton,alpha={alpha:f}",
    ),
)
RUNS = sum(len(g.values) for g in GALLERIES)


def get(gallery_id: str) -> Gallery:
    for gallery in GALLERIES:
        if gallery.id == gallery_id:
            return gallery
    raise LabError("unknown_gallery", name=gallery_id, choices=", ".join(g.id for g in GALLERIES))


def run_gallery(gallery: Gallery, function: str = FUNCTION) -> Trajectory:
    """All runs of ``gallery`` as one batched Trajectory: x has shape (1001, n)."""
    return optimizers.run(
        gallery.optimizer,
        function,
        X0,
        STEPS,
        **gallery.fixed,
        **{gallery.swept: np.array(gallery.values)},
    )


def page_of(i: int) -> range:
    """The panels shown with panel i: its page of PER_PAGE."""
    first = i // PER_PAGE * PER_PAGE
    return range(first, first + PER_PAGE)


def _pad(lo: float, hi: float, frac: float) -> list[float]:
    pad = frac * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def panel_title(gallery: Gallery, traj: Trajectory, i: int, lang: str, look: str = "app") -> str:
    """Panel i's title: its value as the app or the article writes it, and how the run
    ended (where, or the step it diverged at)."""
    step = int(traj.diverged_at[i])
    end = (
        t("diverged_at", lang, step=step)
        if step >= 0
        else t("ended_at", lang, x=float(traj.x_final[i]))
    )
    if look == "article":  # its own line, and a long one wrapped after its first comma
        name = gallery.article_label(i)
        if len(name) > TITLE_CHARS:
            name = name.replace(",", ",<br>", 1)
        return f"<b>i = {i}</b> · {end}<br>{name}"
    return f"<b>i = {i}</b> · {gallery.label(i)}<br>{end}"


def panel_figure(
    gallery: Gallery, traj: Trajectory, i: int, look: str = "app", lang: str = "en"
) -> go.Figure:
    """Panel i of ``gallery``: f(x), the run's path (x_t, f(x_t)) and where it ended,
    in the app's ``look`` or the article's."""
    fn = functions.get(FUNCTION)
    x, f = traj.x[:, i], traj.f[:, i]
    diverged = int(traj.diverged_at[i]) >= 0
    end_text = t("ended_at", lang, x=float(traj.x_final[i]))
    if look == "article":
        xs = np.linspace(*ARTICLE_X, ARTICLE_CURVE_POINTS)
        curve = {"color": ARTICLE_CURVE, "width": 1.5}
        path = {"line": {"color": ARTICLE_PATH, "width": 1.5}, "mode": "lines"}
        end = {"color": ARTICLE_END, "size": 12, "symbol": "x-thin-open", "line": {"width": 2.5}}
        x_range, y_range = list(ARTICLE_X), list(ARTICLE_Y)
    else:
        color = style(gallery.optimizer)[0]
        lo = min(fn.bounds[0], float(np.nanmin(x)))
        hi = max(fn.bounds[1], float(np.nanmax(x)))
        xs = np.linspace(lo, hi, CURVE_POINTS)
        curve = {"color": GREY, "width": 1.5}
        path = {
            "line": {"color": color, "width": 1},
            "marker": {"color": color, "size": 3},
            "mode": "lines+markers",
            "opacity": 0.5,
        }
        end = {
            "color": color,
            "size": 14 if diverged else 11,
            "symbol": "x-thin-open" if diverged else "circle-open",
            "line": {"color": color, "width": 3},
        }
        ys = fn.f(xs)
        x_range = _pad(lo, hi, 0.03)
        y_range = _pad(
            float(min(np.nanmin(ys), np.nanmin(f))), float(max(np.nanmax(ys), np.nanmax(f))), 0.06
        )
    fig = go.Figure()
    fig.add_scatter(x=xs, y=fn.f(xs), mode="lines", line=curve, hoverinfo="skip")
    fig.add_scatter(x=x, y=f, hoverinfo="skip", **path)
    fig.add_scatter(
        x=[traj.x_final[i]],
        y=[traj.f_final[i]],
        mode="markers",
        marker=end,
        hovertemplate=f"{gallery.label(i)}: {end_text}<extra></extra>",
    )
    fig.update_xaxes(range=x_range, title_text="x", title_standoff=2)
    fig.update_yaxes(range=y_range)
    title = panel_title(gallery, traj, i, lang, look)
    fig.update_layout(
        title={"text": title, "font": {"size": 13}, "x": 0},
        font={"size": 12},
        height=232 + 18 * title.count("<br>"),
        margin={"l": 40, "r": 10, "t": 40 + 18 * title.count("<br>"), "b": 35},
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
