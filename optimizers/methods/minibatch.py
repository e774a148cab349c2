"""Mini-batch SGD: the noisy gradient averaged over a batch of B."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from optimizers.common import no_state
from optimizers.methods.gd import GD_SOURCE, gd_rows, gd_update
from optimizers.spec import NOISE, SEED, HyperParam, Interval, Optimizer, Text, lr

BATCH_SIZE = HyperParam(
    "batch_size",
    "B",
    16,
    "Mini-batch size: averaging B noisy gradients divides the noise by √B.",
    lo=1,
    hi=1024,
    log=True,
    kind="int",
    valid=Interval(1.0),
    label="batch size",
    label_zh="批量大小",
    help_zh="小批量大小：对 B 个带噪梯度取平均，噪声除以 √B。",
)

MINIBATCH = Optimizer(
    name="minibatch",
    label="Mini-batch SGD",
    label_zh="小批量随机梯度下降",
    order=30,
    latex=r"g_t = f'(x_t) + \frac{\sigma}{\sqrt{B}} \xi_t,\ \xi_t \sim \mathcal{N}(0, 1)"
    r"\qquad x_{t+1} = x_t - \eta\, g_t",
    hparams=(lr(0.1), NOISE, BATCH_SIZE, SEED),
    init=no_state,
    update=gd_update,
    noise_scale=lambda hp: hp["noise"] / np.sqrt(hp["batch_size"]),
    source=replace(GD_SOURCE, noise="noise / np.sqrt(batch_size)"),
    gradient=r"f'(x_{t-1}) + \frac{\sigma}{\sqrt{B}} \xi_t",
    rows=gd_rows,
    color="#332288",
    marker="triangle-left",
    idea=Text(
        en="SGD whose gradient is the average of B noisy gradients, so the noise's "
        "standard deviation falls from σ to σ/√B. A batch of 16 is four times quieter, "
        "for sixteen times the work per step.",
        zh="这种 SGD 用 B 个带噪梯度的平均值作为梯度，因此噪声的标准差从 σ 降到 σ/√B。批量为 "
        "16 时噪声只剩四分之一，每步的计算量却是 16 倍。",
    ),
    failure=Text(
        en="Dividing the noise by √B brings it closer to gradient descent in both "
        "directions: it rests nearer the minimum, but it also escapes local minima less "
        "often. Quadrupling B only halves the noise, so big batches are an expensive way "
        "to quiet it.",
        zh="噪声除以 √B 后，它在好坏两方面都更接近梯度下降：停得离极小值更近，但也更难"
        "逃出局部极小值。B 翻两番，噪声才减半，用大批量来降噪代价很高。",
    ),
)
