"""What each optimizer does, and how it typically fails on a landscape like the article's.

The idea and the failure are written here, in English and Simplified Chinese; what each
hyperparameter does is not repeated: it comes from the specs' help (English) and
viz.text.HPARAM_HELP_ZH (Chinese), so there is one source for each sentence.
"""

from __future__ import annotations

from typing import Any

import optimizers
from errors import LabError
from viz.config import LANGUAGES
from viz.text import hparam_help

EXPLANATIONS: dict[str, dict[str, dict[str, str]]] = {
    "gd": {
        "idea": {
            "en": "Step downhill: move against the slope f′(x), by η times its size. Steep "
            "slopes give long steps and flat ones short steps; the learning rate itself never "
            "adapts.",
            "zh": "沿下坡方向走：每步逆着斜率 f′(x) 移动，距离是斜率的 η 倍。坡陡步子就大，"
            "坡缓步子就小；学习率本身从不调整。",
        },
        "failure": {
            "en": "With η too small it crawls into the nearest dip and stays there, and on "
            "this landscape that is rarely the deepest one. With η above 2/f″ (about 44 for "
            "the bowl under the ripples, far less on the ripples themselves) every step "
            "overshoots by more than it corrects, and the run is thrown away.",
            "zh": "η 太小时，它爬进最近的小坑就再也出不来，而在这片地形上，那很少是最深的坑。"
            "η 超过 2/f″（对波纹下面的碗约为 44，对波纹本身则小得多）时，每一步冲过头的距离"
            "都比纠正的多，轨迹就被甩了出去。",
        },
    },
    "sgd": {
        "idea": {
            "en": "Gradient descent on a noisy gradient: each step adds σ·ξ, with ξ drawn from "
            "a standard normal, as when the gradient is estimated from one random example. The "
            "seed fixes the draws, so a run can be repeated exactly.",
            "zh": "在带噪声的梯度上做梯度下降：每步给梯度加上 σ·ξ，ξ 取自标准正态分布，就像"
            "只用一个随机样本来估计梯度。随机种子固定了这些随机数，所以同一次运行可以精确重现。",
        },
        "failure": {
            "en": "The noise can kick a run over a hump and out of a poor local minimum, but it "
            "never stops: with a fixed η the run keeps jittering around the minimum and never "
            "settles exactly. A smaller η or a larger batch (mini-batch SGD) quiets it.",
            "zh": "噪声可以把轨迹踢过小山、逃出较差的局部极小值，但它永远不会停：学习率固定时，"
            "轨迹会一直在极小值附近抖动，永远无法精确地停下。减小 η 或增大批量"
            "（小批量 SGD）能让它安静下来。",
        },
    },
    "minibatch": {
        "idea": {
            "en": "SGD whose gradient is the average of B noisy gradients, so the noise's "
            "standard deviation falls from σ to σ/√B. A batch of 16 is four times quieter, "
            "for sixteen times the work per step.",
            "zh": "这种 SGD 用 B 个带噪梯度的平均值作为梯度，因此噪声的标准差从 σ 降到 σ/√B。批量为 "
            "16 时噪声只剩四分之一，每步的计算量却是 16 倍。",
        },
        "failure": {
            "en": "Dividing the noise by √B brings it closer to gradient descent in both "
            "directions: it rests nearer the minimum, but it also escapes local minima less "
            "often. Quadrupling B only halves the noise, so big batches are an expensive way "
            "to quiet it.",
            "zh": "噪声除以 √B 后，它在好坏两方面都更接近梯度下降：停得离极小值更近，但也更难"
            "逃出局部极小值。B 翻两番，噪声才减半，用大批量来降噪代价很高。",
        },
    },
    "momentum": {
        "idea": {
            "en": "Keep a velocity vₜ that remembers past gradients: each step keeps the "
            "fraction μ of the old velocity and adds the new gradient. Like a ball rolling "
            "downhill, it speeds up on long slopes and can coast over small humps.",
            "zh": "维护一个记住过去梯度的速度 vₜ：每步保留旧速度的 μ 倍，再加上新的梯度。"
            "就像滚下山坡的小球，它在长坡上越滚越快，能凭惯性冲过小山丘。",
        },
        "failure": {
            "en": "The speed that rolls it out of a shallow dip also carries it past the "
            "minimum, so it swings back and forth before settling, and with μ or η too large "
            "it can overshoot the deep valley it was heading for. With μ = 0 it is plain "
            "gradient descent and stops in the nearest dip again.",
            "zh": "让它冲出浅坑的速度，也会把它带过极小点，所以它停下之前要来回摆动；μ 或 η "
            "太大时，它还可能冲过原本要去的深谷。μ = 0 时它就是普通的梯度下降，又会停在最近"
            "的小坑里。",
        },
    },
    "adagrad": {
        "idea": {
            "en": "Give each step its own learning rate η/√Gₜ, where Gₜ adds up every squared "
            "gradient seen so far. Large past gradients make for cautious steps, which suits "
            "problems whose large gradients are rare.",
            "zh": "给每一步单独的学习率 η/√Gₜ，其中 Gₜ 累加迄今为止所有梯度的平方。过去的梯度"
            "越大，步子就越谨慎，适合大梯度很少出现的问题。",
        },
        "failure": {
            "en": "Gₜ only grows, so the steps only shrink: one steep stretch, such as a cliff, "
            "cuts the effective learning rate for good, and the run slows to a crawl long "
            "before it reaches the minimum. It stalls where RMSprop, which forgets old "
            "gradients, keeps going.",
            "zh": "Gₜ 只增不减，所以步长只会越来越小：一段陡坡（比如悬崖）就会永久压低有效学习"
            "率，轨迹远没到极小值就慢得像在爬。RMSprop 会遗忘旧的梯度，能继续前进；AdaGrad 却"
            "停滞不前。",
        },
    },
    "rmsprop": {
        "idea": {
            "en": "Like AdaGrad, divide the step by the root of the squared gradients, but keep "
            "a running average sₜ that forgets: each step keeps the fraction ρ of the old "
            "average. Wherever the slope is steady, steep or flat, the steps are about η long.",
            "zh": "和 AdaGrad 一样把步长除以梯度平方的平方根，但改用会遗忘的滑动平均 sₜ：每步"
            "只保留旧平均的 ρ 倍。只要坡度稳定，无论陡缓，步长都约为 η。",
        },
        "failure": {
            "en": "Because the step is normalised, it stays about η long even next to the "
            "minimum, where the gradient is tiny, so with a large η it hops around the minimum "
            "instead of settling. On long flat stretches it amplifies tiny gradients, which "
            "carries it across plateaus but magnifies noise too.",
            "zh": "由于步长被归一化，即使在梯度很小的极小点旁边，步长也仍约为 η，所以 η 较大时"
            "它会在极小点附近来回跳，停不下来。在又长又平的地段，它会放大微小的梯度，这能带它"
            "穿过平台，但也会放大噪声。",
        },
    },
    "adam": {
        "idea": {
            "en": "Momentum and RMSprop together: mₜ averages the gradients (β₁), vₜ averages "
            "their squares (β₂), and the step is η·m̂ₜ/(√v̂ₜ + ε). Both averages start at 0, so "
            "bias correction divides them by 1 − βᵗ to undo that start.",
            "zh": "动量法与 RMSprop 的结合：mₜ 是梯度的滑动平均（β₁），vₜ 是梯度平方的滑动平均"
            "（β₂），每步走 η·m̂ₜ/(√v̂ₜ + ε)。两个平均都从 0 开始，所以偏差修正把它们除以 "
            "1 − βᵗ，抵消这个起点的影响。",
        },
        "failure": {
            "en": "In the first steps the averages have not warmed up. Without bias correction "
            "mₜ is too small but √vₜ is far too small (by √(1 − β₂ᵗ)), so the early steps come "
            "out 3 to 6.6 times too long, not too short; with it, the first step is η. Like "
            "RMSprop, its steps stay about η long near the minimum, so a large η keeps it "
            "circling rather than settling.",
            "zh": "最初几步里，两个平均值都还没“热身”。没有偏差修正时，mₜ 偏小，√vₜ 却偏小得"
            "多（差一个 √(1 − β₂ᵗ) 的因子），所以早期的步子反而长了 3 到 6.6 倍，而不是太短；"
            "有修正时，第一步就是 η。和 RMSprop 一样，它在极小点附近的步长仍约为 η，η 较大时"
            "会一直绕圈，停不下来。",
        },
    },
    "adamw": {
        "idea": {
            "en": "Adam with decoupled weight decay: instead of adding λx to the gradient, it "
            "shrinks x itself by the factor 1 − ηλ before each Adam step. With λ = 0 it is "
            "exactly Adam.",
            "zh": "权重衰减解耦的 Adam：它不把 λx 加进梯度，而是在每次 Adam 更新之前直接把 x "
            "乘以 1 − ηλ。λ = 0 时它与 Adam 完全相同。",
        },
        "failure": {
            "en": "Adam's own weight decay adds λx to the gradient, and the division by √v̂ₜ "
            "then rescales that pull, so where gradients are large the decay all but vanishes; "
            "AdamW's shrink bypasses the division and takes the same fraction ηλ off x "
            "whatever the gradients. "
            "Either way, a large λ drags the run towards x = 0, and where it comes to rest is "
            "no longer the minimum of f.",
            "zh": "Adam 自带的权重衰减把 λx 加进梯度，随后除以 √v̂ₜ 又把这股拉力重新缩放，"
            "所以在梯度大的地方，衰减几乎消失；AdamW 的缩小绕过了这个除法，无论梯度大小，"
            "每步都把 x 按同样的比例 ηλ 拉向 0。不管哪一种，λ 太大都会把轨迹拽向 x = 0，它停下的位置也就不再是 f 的极小点。",
        },
    },
    "newton": {
        "idea": {
            "en": "Divide the slope by the curvature: x − f′(x)/f″(x) jumps to the lowest point "
            "of the parabola that matches f's value, slope and curvature at x. On a quadratic "
            "that parabola is f itself, so one step lands on the minimum.",
            "zh": "用坡度除以曲率：x − f′(x)/f″(x) 直接跳到一条抛物线的最低点，这条抛物线在 "
            "x 处与 f 的函数值、斜率和曲率都相同。在二次函数上，这条抛物线就是 f 本身，所以"
            "一步就落在最小点。",
        },
        "failure": {
            "en": "It needs f″ > 0: where f″ < 0 the matching parabola opens downwards and the "
            "step heads for its top, and where f″ is near 0 the step is enormous. On this "
            "landscape of ripples it often climbs to a nearby local maximum and stays there, "
            "since f′ = 0 there too.",
            "zh": "它要求 f″ > 0：f″ < 0 时，那条抛物线开口向下，这一步奔向的是它的顶点；f″ "
            "接近 0 时，步子会大得离谱。在这片布满波纹的地形上，它常常爬到附近的局部极大值"
            "并停在那里，因为那里同样有 f′ = 0。",
        },
    },
    "newton_reg": {
        "idea": {
            "en": "Newton's step with α added to the curvature: x − f′/(f″ + α). A small α "
            "keeps Newton's speed; a large α makes it gradient descent with a learning rate of "
            "about 1/α.",
            "zh": "在曲率上加 α 的牛顿步：x − f′/(f″ + α)。α 小时保留牛顿法的速度；α 大时它"
            "就是学习率约为 1/α 的梯度下降。",
        },
        "failure": {
            "en": "α trades Newton for gradient descent: too small, and wherever f″ + α ≤ 0 it "
            "inherits Newton's failure and heads for a maximum; too large, and it crawls like "
            "gradient descent with a tiny learning rate. On the article's function f″ ≥ −12.3, "
            "so any α above 12.3 points every step downhill.",
            "zh": "α 在牛顿法与梯度下降之间取舍：α 太小，在 f″ + α ≤ 0 的地方就会沿袭牛顿法的"
            "毛病，奔向极大值；α 太大，又会像学习率极小的梯度下降那样慢慢爬。在文章的函数上 "
            "f″ ≥ −12.3，所以只要 α 大于 12.3，每一步都指向下坡。",
        },
    },
}


def explanation(name: str, lang: str) -> dict[str, Any]:
    """How optimizer ``name`` works, in ``lang``.

    ``{"idea": str, "failure": str, "hparams": [(symbol, help), ...]}``: the symbols are
    LaTeX, in the order of the optimizer's spec; the help comes from the spec (English)
    or viz.text.HPARAM_HELP_ZH (Chinese).
    """
    opt = optimizers.get(name)
    if lang not in LANGUAGES:
        raise LabError("unknown_language", name=lang, choices=", ".join(LANGUAGES))
    text = EXPLANATIONS[name]
    return {
        "idea": text["idea"][lang],
        "failure": text["failure"][lang],
        "hparams": [(hp.symbol, hparam_help(hp, lang)) for hp in opt.hparams],
    }
