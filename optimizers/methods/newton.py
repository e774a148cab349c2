"""Newton's method and its regularised form: steps scaled by the curvature f''.

The two share one module: the same rule, with and without α added to the curvature.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.latex import digits_for, num, words
from optimizers.spec import LR_EFF, HyperParam, Optimizer, Source, StateField, Text


class NewtonState(NamedTuple):
    curvature: object  # f''(x_t) + alpha, the denominator of the step
    lr_eff: object  # 1 / curvature: the learning rate Newton's step amounts to


def _newton_init(x, hp):
    return NewtonState(curvature=x * 0.0, lr_eff=x * 0.0)


def _newton_update(x, g, h, state, hp, t):
    # Where curvature <= 0 the step heads for a maximum; where it is 0 the step is
    # infinite and the runner records the divergence.
    curvature = h + hp.get("alpha", 0.0)
    return x - g / curvature, g, NewtonState(curvature=curvature, lr_eff=1.0 / curvature)


# Where the curvature is 0 the step is infinite, and the run stops there as diverged.
NEWTON_SOURCE = Source("x_new = x - g / h")
NEWTON_REG_SOURCE = Source("x_new = x - g / (h + alpha)")


HEADS_MAX = Text("this step heads for a maximum", "这一步朝极大值走")


def _newton_rows(s, i, g, hp, x, lang):
    c = s["curvature"][i]
    if "alpha" in hp:
        alpha = float(hp["alpha"])
        denom = r"f''(x_{t-1}) + \alpha"
        rows = [
            (r"f''(x_{t-1})", num(c - alpha)),
            (denom, rf"{num(c - alpha)} + {num(alpha)} = {num(c)}"),
        ]
    else:
        denom = r"f''(x_{t-1})"
        rows = [(denom, num(c))]
    rows.append((r"\eta_{\text{eff}}", rf"\frac{{1}}{{{denom}}} = {num(s['lr_eff'][i])}"))
    if c <= 0:
        rows.append(("", rf"{denom} \le 0:\ " + words(HEADS_MAX.get(lang))))
    with np.errstate(all="ignore"):  # f'' + α = 0: an infinite step, shown as such
        dx = -(np.float64(g) / np.float64(c))
    d = digits_for(dx, lambda a, b: -(a / b), g, c)
    return (
        rows,
        rf"-\frac{{g_t}}{{{denom}}} = -\frac{{{num(g, d)}}}{{{num(c, d)}}} = {num(dx)}",
        dx,
    )


_RECORDED = (
    StateField(
        "curvature",
        r"f''(x_t) + \alpha",
        Text("curvature the step divides by", "步长所除的曲率"),
    ),
    LR_EFF,
)

NEWTON = Optimizer(
    name="newton",
    label="Newton's method",
    label_zh="牛顿法",
    order=90,
    latex=r"x_{t+1} = x_t - \frac{f'(x_t)}{f''(x_t)}",
    hparams=(),
    init=_newton_init,
    update=_newton_update,
    source=NEWTON_SOURCE,
    second_order=True,
    recorded=_RECORDED,
    uphill_state="curvature",
    curvature="f″",
    rows=_newton_rows,
    color="#000000",
    marker="star",
    idea=Text(
        en="Divide the slope by the curvature: x − f′(x)/f″(x) jumps to the lowest point "
        "of the parabola that matches f's value, slope and curvature at x. On a quadratic "
        "that parabola is f itself, so one step lands on the minimum.",
        zh="用坡度除以曲率：x − f′(x)/f″(x) 直接跳到一条抛物线的最低点，这条抛物线在 "
        "x 处与 f 的函数值、斜率和曲率都相同。在二次函数上，这条抛物线就是 f 本身，所以"
        "一步就落在最小点。",
    ),
    failure=Text(
        en="It needs f″ > 0: where f″ < 0 the matching parabola opens downwards and the "
        "step heads for its top, and where f″ is near 0 the step is enormous. On this "
        "landscape of ripples it often climbs to a nearby local maximum and stays there, "
        "since f′ = 0 there too.",
        zh="它要求 f″ > 0：f″ < 0 时，那条抛物线开口向下，这一步奔向的是它的顶点；f″ "
        "接近 0 时，步子会大得离谱。在这片布满波纹的地形上，它常常爬到附近的局部极大值"
        "并停在那里，因为那里同样有 f′ = 0。",
    ),
)

NEWTON_REG = Optimizer(
    name="newton_reg",
    label="Regularized Newton",
    label_zh="正则化牛顿法",
    order=100,
    latex=r"x_{t+1} = x_t - \frac{f'(x_t)}{f''(x_t) + \alpha}",
    hparams=(
        HyperParam(
            "alpha",
            r"\alpha",
            10.0,
            "Added to the curvature: large α makes short, gradient-like steps.",
            lo=0.0,
            hi=100.0,
            label="regularization",
            label_zh="正则化系数",
            help_zh="加到曲率上：α 越大，步子越短、越像梯度下降。",
        ),
    ),
    init=_newton_init,
    update=_newton_update,
    source=NEWTON_REG_SOURCE,
    second_order=True,
    recorded=_RECORDED,
    uphill_state="curvature",
    curvature="f″ + α",
    rows=_newton_rows,
    color="#882255",
    marker="star-diamond",
    idea=Text(
        en="Newton's step with α added to the curvature: x − f′/(f″ + α). A small α "
        "keeps Newton's speed; a large α makes it gradient descent with a learning rate of "
        "about 1/α.",
        zh="在曲率上加 α 的牛顿步：x − f′/(f″ + α)。α 小时保留牛顿法的速度；α 大时它"
        "就是学习率约为 1/α 的梯度下降。",
    ),
    failure=Text(
        en="α trades Newton for gradient descent: too small, and wherever f″ + α ≤ 0 it "
        "inherits Newton's failure and heads for a maximum; too large, and it crawls like "
        "gradient descent with a tiny learning rate. On the article's function f″ ≥ −12.3, "
        "so any α above 12.3 points every step downhill.",
        zh="α 在牛顿法与梯度下降之间取舍：α 太小，在 f″ + α ≤ 0 的地方就会沿袭牛顿法的"
        "毛病，奔向极大值；α 太大，又会像学习率极小的梯度下降那样慢慢爬。在文章的函数上 "
        "f″ ≥ −12.3，所以只要 α 大于 12.3，每一步都指向下坡。",
    ),
)
