"""SGD: gradient descent on a gradient with Gaussian noise added."""

from __future__ import annotations

from dataclasses import replace

from optimizers.common import no_state
from optimizers.methods.gd import GD_SOURCE, gd_rows, gd_update
from optimizers.spec import NOISE, SEED, Optimizer, Text, lr

SGD = Optimizer(
    name="sgd",
    label="SGD (noisy gradient)",
    label_zh="随机梯度下降（带噪声）",
    order=20,
    latex=r"g_t = f'(x_t) + \sigma \xi_t,\ \xi_t \sim \mathcal{N}(0, 1)"
    r"\qquad x_{t+1} = x_t - \eta\, g_t",
    hparams=(lr(0.1), NOISE, SEED),
    init=no_state,
    update=gd_update,
    noise_scale=lambda hp: hp["noise"],
    source=replace(GD_SOURCE, noise="noise"),
    gradient=r"f'(x_{t-1}) + \sigma \xi_t",
    rows=gd_rows,
    color="#56B4E9",
    marker="triangle-down",
    idea=Text(
        en="Gradient descent on a noisy gradient: each step adds σ·ξ, with ξ drawn from "
        "a standard normal, as when the gradient is estimated from one random example. The "
        "seed fixes the draws, so a run can be repeated exactly.",
        zh="在带噪声的梯度上做梯度下降：每步给梯度加上 σ·ξ，ξ 取自标准正态分布，就像"
        "只用一个随机样本来估计梯度。随机种子固定了这些随机数，所以同一次运行可以精确重现。",
    ),
    failure=Text(
        en="The noise can kick a run over a hump and out of a poor local minimum, but it "
        "never stops: with a fixed η the run keeps jittering around the minimum and never "
        "settles exactly. A smaller η or a larger batch (mini-batch SGD) quiets it.",
        zh="噪声可以把轨迹踢过小山、逃出较差的局部极小值，但它永远不会停：学习率固定时，"
        "轨迹会一直在极小值附近抖动，永远无法精确地停下。减小 η 或增大批量"
        "（小批量 SGD）能让它安静下来。",
    ),
)
