"""Gradient descent, step for step as torch.optim.SGD computes it (float64)."""

from __future__ import annotations

from optimizers.common import no_state
from optimizers.latex import digits_for, num, paren
from optimizers.spec import Optimizer, Source, Text, lr


def gd_update(x, g, h, state, hp, t):
    return x - hp["lr"] * g, g, state


GD_SOURCE = Source("x_new = x - lr * g")


def gd_rows(s, i, g, hp, x, lang):
    lr = hp["lr"]
    dx = -(lr * g)
    d = digits_for(dx, lambda a, b: -(a * b), lr, g)
    return [], rf"-\eta\, g_t = -{num(lr, d)} \times {paren(g, d)} = {num(dx)}", dx


GD = Optimizer(
    name="gd",
    label="Gradient Descent",
    label_zh="梯度下降",
    order=10,
    latex=r"x_{t+1} = x_t - \eta\, f'(x_t)",
    hparams=(lr(0.1),),
    init=no_state,
    update=gd_update,
    source=GD_SOURCE,
    rows=gd_rows,
    color="#0072B2",
    marker="circle",
    idea=Text(
        en="Step downhill: move against the slope f′(x), by η times its size. Steep "
        "slopes give long steps and flat ones short steps; the learning rate itself never "
        "adapts.",
        zh="沿下坡方向走：每步逆着斜率 f′(x) 移动，距离是斜率的 η 倍。坡陡步子就大，"
        "坡缓步子就小；学习率本身从不调整。",
    ),
    failure=Text(
        en="With η too small it crawls into the nearest dip and stays there, and on "
        "this landscape that is rarely the deepest one. With η above 2/f″ (about 44 for "
        "the bowl under the ripples, far less on the ripples themselves) every step "
        "overshoots by more than it corrects, and the run is thrown away.",
        zh="η 太小时，它爬进最近的小坑就再也出不来，而在这片地形上，那很少是最深的坑。"
        "η 超过 2/f″（对波纹下面的碗约为 44，对波纹本身则小得多）时，每一步冲过头的距离"
        "都比纠正的多，轨迹就被甩了出去。",
    ),
)
