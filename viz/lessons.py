"""Guided lessons: each sets the page up to show one idea and says what to look at.

A lesson is a URL query in viz.config's names (fn, x0, steps, opt, ``<opt>.<hp>``,
log), so opening it is opening a link. Every number quoted in a text was measured with
``optimizers.run`` on the lesson's own configuration, and tests/test_lessons.py
re-measures each claim, so a change to an optimizer or a function that breaks a lesson
fails a test instead of silently turning the text false.

Each optimizer can appear once per configuration, so where a lesson needs plain
gradient descent twice it uses SGD with noise σ = 0, which is exactly gradient descent
(the noise term is 0·ξ = 0), and says so in its text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from errors import LabError
from viz.config import LANGUAGES, Config


@dataclass(frozen=True)
class Lesson:
    id: str
    query: dict[str, str]  # the URL query that sets the configuration
    title: dict[str, str]  # language -> text
    look_for: dict[str, str]  # language -> 2-3 sentences: what to look at and why
    # Where its point shows without touching a control: (panel, optimizer) pairs, the
    # panel "f", "x" or a state field. tests/test_lessons.py checks that each of those
    # lines spans a visible part of its panel.
    watch: tuple[tuple[str, str], ...] = ()


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="lr_extremes",
        query={"opt": "gd,sgd", "gd.lr": "0.01", "sgd.lr": "50", "sgd.noise": "0"},
        title={
            "en": "Learning rate: too small, too large",
            "zh": "学习率：太小与太大",
        },
        look_for={
            "en": "Gradient descent with η = 0.01 crawls into the nearest dip (x ≈ −19.23, "
            "still from step 145 on) and never leaves it, though the global minimum lies near "
            "x ≈ −2.93. The second runner is SGD with its noise set to σ = 0, which is exactly "
            "gradient descent, here with η = 50: the bowl under the ripples curves by only "
            "f″ = 0.045, so any η above 2/0.045 ≈ 44 overshoots by more than it corrects, and "
            "it is thrown out at step 20. Drag gradient descent's η up: from about 0.3 it no "
            "longer comes to rest, and around 1 it hops from dip to dip.",
            "zh": "学习率 η = 0.01 的梯度下降慢慢爬进最近的小坑（x ≈ −19.23，第 145 步后"
            "不再移动），从此再也出不来，而全局最小值在 x ≈ −2.93 附近。另一位选手是把噪声设为 "
            "σ = 0 的 SGD，它与梯度下降完全相同，这里用 η = 50：波纹下面那个碗的曲率只有 "
            "f″ = 0.045，η 一旦超过 2/0.045 ≈ 44，每一步冲过头的距离就比纠正的还多，于是在"
            "第 20 步被甩了出去。试着把梯度下降的 η 往上拖：大约从 0.3 起它就停不稳了，到 1 "
            "左右便在小坑之间跳来跳去。",
        },
        watch=(("x", "gd"), ("f", "sgd")),
    ),
    Lesson(
        id="lr_limit",
        query={
            "fn": "quadratic",
            "steps": "100",
            "opt": "gd,sgd",
            "gd.lr": "1.9",
            "sgd.lr": "2.1",
            "sgd.noise": "0",
        },
        title={
            "en": "The 2/f″ limit on the learning rate",
            "zh": "学习率的 2/f″ 上限",
        },
        look_for={
            "en": "On this bowl f″ = 1, and every gradient step multiplies the distance to the "
            "minimum by 1 − η. Gradient descent with η = 1.9 overshoots each time, but by a "
            "factor 0.9 that shrinks, so it zigzags in; SGD with σ = 0 (plain gradient descent "
            "again) with η = 2.1 overshoots by a growing factor 1.1 and diverges at step 55. "
            "Set either learning rate to 1 = 1/f″ and it lands on the minimum in one step: "
            "that is exactly Newton's step.",
            "zh": "这个碗的 f″ = 1，梯度下降每走一步，到最小点的距离都乘以 1 − η。η = 1.9 的"
            "梯度下降每次都冲过头，但冲过的距离按 0.9 倍缩小，于是左右摆动着收敛；η = 2.1 的 "
            "SGD（σ = 0，同样就是梯度下降）冲过的距离按 1.1 倍放大，在第 55 步发散。把任意"
            "一个学习率设为 1 = 1/f″，一步就落到最小点：这恰好就是牛顿法的一步。",
        },
        watch=(("x", "gd"), ("x", "sgd")),
    ),
    Lesson(
        id="momentum_escape",
        query={
            "fn": "double_well",
            "opt": "gd,momentum",
            "gd.lr": "0.01",
            "momentum.lr": "0.01",
            "state": "velocity",
        },
        title={
            "en": "Momentum rolls out of a local minimum",
            "zh": "动量冲出局部极小值",
        },
        look_for={
            "en": "Both start at x = 2.2 with the same learning rate η = 0.01. Gradient descent "
            "stops in the shallow right valley (x ≈ 1.35, f ≈ −2.62), while momentum (μ = 0.9) "
            "keeps the speed it gathered on the way down, rolls over the hump and settles in "
            "the deeper left valley (x ≈ −1.47, f ≈ −5.44). Watch the velocity vₜ panel, then "
            "lower μ to 0.85: with less speed kept, momentum stops in the shallow valley too.",
            "zh": "两者都从 x = 2.2 出发，学习率同为 η = 0.01。梯度下降停在右边较浅的山谷"
            "（x ≈ 1.35，f ≈ −2.62）；动量法（μ = 0.9）保留了下坡时积累的速度，越过中间的"
            "小山，最后停在左边更深的山谷（x ≈ −1.47，f ≈ −5.44）。留意速度 vₜ 面板，再把 μ "
            "降到 0.85：保留的速度少了，动量法也会停在浅谷里。",
        },
        watch=(("x", "gd"), ("x", "momentum"), ("velocity", "momentum")),
    ),
    Lesson(
        id="adagrad_stalls",
        query={"fn": "cliff", "opt": "adagrad,rmsprop", "state": "lr_eff"},
        title={
            "en": "AdaGrad stalls where RMSprop does not",
            "zh": "AdaGrad 停滞不前，RMSprop 却不会",
        },
        look_for={
            "en": "The panel under xₜ shows the effective learning rates, on a log axis. At "
            "step 21 AdaGrad steps off the cliff edge, where the slope is about 60 times "
            "steeper than on the gentle slope before it; that one squared gradient stays in "
            "its sum Gₜ forever, so its effective learning rate drops from 0.50 to 0.10 for "
            "good, and 1000 steps later it is still creeping towards the minimum at x = 6 "
            "(x ≈ 5.85). RMSprop's running average "
            "forgets (ρ = 0.99 halves the old memory every 69 steps), its effective learning "
            "rate grows again as the slope flattens, and it settles at x = 6 by step 86.",
            "zh": "xₜ 下面的面板用对数坐标画出有效学习率。第 21 步时 AdaGrad 踏过悬崖边缘，"
            "那里的坡度约是前面缓坡的 60 倍；这一个梯度的平方永远留在累积和 Gₜ 里，它的有效学习率从 "
            "0.50 一下子降到 0.10，再也回不去，1000 步后仍在朝 x = 6 处的最小值缓慢挪动"
            "（x ≈ 5.85）。RMSprop 的滑动平均会遗忘（ρ = 0.99，旧的记忆每 69 步减半），坡度"
            "变缓后有效学习率重新变大，第 86 步便停在 x = 6。",
        },
        watch=(("lr_eff", "adagrad"), ("lr_eff", "rmsprop"), ("x", "adagrad")),
    ),
    Lesson(
        id="adam_bias_correction",
        query={
            "steps": "300",
            "opt": "adam,adamw",
            "adam.bias_correction": "0",
            "adamw.weight_decay": "0",
        },
        title={
            "en": "Adam's first steps, with and without bias correction",
            "zh": "Adam 的最初几步：有无偏差修正",
        },
        look_for={
            "en": "AdamW with λ = 0 is exactly Adam with bias correction on (the runs agree to "
            "the last digit), so the two markers are Adam with and without it. With the "
            "correction m̂₁/√v̂₁ = ±1 and the first step is exactly η = 1; without it m₁ = 0.1·g₁ "
            "but √v₁ ≈ 0.032·|g₁|, so the first step is 0.1/√0.001 ≈ 3.16 times longer, and "
            "under a steady gradient the steps stay 3 to 6.6 times too long for a hundred "
            "steps: too large, not too small. Here those oversized steps happen to fling "
            "uncorrected Adam out of the first dip to x ≈ 1.76 while corrected Adam stays in it "
            "at x ≈ −19.23, luck of this landscape rather than a virtue.",
            "zh": "λ = 0 的 AdamW 与开启偏差修正的 Adam 完全相同（两条轨迹逐位一致），所以这"
            "两个标记就是有修正和无修正的 Adam。有修正时 m̂₁/√v̂₁ = ±1，第一步恰好是 η = 1；"
            "无修正时 m₁ = 0.1·g₁，而 √v₁ ≈ 0.032·|g₁|，第一步长了 0.1/√0.001 ≈ 3.16 倍，"
            "若梯度保持不变，前一百步每步都长 3 到 6.6 倍：是太大，而不是太小。在这里，过大的"
            "步子恰好把无修正的 Adam 甩出第一个小坑，落到 x ≈ 1.76，而有修正的 Adam 留在坑里"
            "（x ≈ −19.23），这是这片地形上的运气，并不是优点。",
        },
        watch=(("x", "adam"),),
    ),
    Lesson(
        id="newton_quadratic",
        query={"fn": "quadratic", "steps": "100", "opt": "gd,newton"},
        title={
            "en": "Newton's method on a quadratic: one step",
            "zh": "二次函数上的牛顿法：一步到位",
        },
        look_for={
            "en": "On f(x) = ½(x − 3)² the curvature is f″ = 1 everywhere, so Newton's step "
            "x − f′/f″ lands exactly on x = 3 at step 1 and never moves again. Gradient descent "
            "with η = 0.1 closes a tenth of the remaining gap per step and after 100 steps is "
            "still 3×10⁻⁴ short. Newton uses the curvature that gradient descent ignores; the "
            "next lesson shows what that costs where f″ is not positive.",
            "zh": "在 f(x) = ½(x − 3)² 上，曲率处处为 f″ = 1，所以牛顿步 x − f′/f″ 在第 1 步"
            "就精确落到 x = 3，之后再也不动。η = 0.1 的梯度下降每步只缩短剩余距离的十分之一，"
            "100 步后仍差 3×10⁻⁴。牛顿法用上了梯度下降忽略的曲率；下一课会看到，在 f″ 不为正"
            "的地方，这要付出什么代价。",
        },
        watch=(("x", "gd"), ("x", "newton")),
    ),
    Lesson(
        id="newton_article",
        query={"steps": "100", "opt": "gd,newton"},
        title={
            "en": "Newton's method needs f″ > 0",
            "zh": "牛顿法需要 f″ > 0",
        },
        look_for={
            "en": "From x = −20 Newton's first step lands at x ≈ −18.71, where f″ ≈ −11.8 is "
            "negative, so −f′/f″ points uphill: by step 3 it sits on the local maximum at "
            "x ≈ −18.72, where f′ = 0 as at a minimum. Gradient descent only follows the slope "
            "and goes down into the dip at x ≈ −19.23. The hollow rings mark where Newton "
            "stepped with f″ ≤ 0: everywhere but its start.",
            "zh": "从 x = −20 出发，牛顿法第一步落在 x ≈ −18.71，那里 f″ ≈ −11.8 为负，"
            "−f′/f″ 指向上坡：到第 3 步它已停在 x ≈ −18.72 的局部极大值上，那里和极小值处"
            "一样有 f′ = 0。梯度下降只顺着坡走，下到 x ≈ −19.23 的小坑里。空心圆圈标出牛顿法"
            "在 f″ ≤ 0 处迈步的位置：除了起点，处处都是。",
        },
        watch=(("x", "gd"), ("x", "newton"), ("curvature", "newton")),
    ),
    Lesson(
        id="newton_reg_alpha",
        query={
            "steps": "200",
            "opt": "gd,newton_reg,newton",
            "gd.lr": "0.01",
            "newton_reg.alpha": "100",
        },
        title={
            "en": "Regularized Newton: α slides from gradient descent to Newton",
            "zh": "正则化牛顿法：α 在梯度下降与牛顿法之间滑动",
        },
        look_for={
            "en": "With α = 100 the step f′/(f″ + α) is a gradient step with an effective "
            "learning rate between 0.0094 and 0.0100, so regularized Newton follows gradient "
            "descent with η = 0.01 into the dip at x ≈ −19.23 (at rest from step 150, against "
            "145). Drag α down: the same dip is reached sooner, by step 21 at α = 10 and step "
            "5 at α = 1, as the curvature takes over. At α = 0 it is Newton's method and climbs "
            "to the maximum at x ≈ −18.72: α trades Newton's speed for gradient descent's "
            "safety.",
            "zh": "α = 100 时，f′/(f″ + α) 这一步就是有效学习率在 0.0094 到 0.0100 之间的"
            "梯度步，所以正则化牛顿法紧跟着 η = 0.01 的梯度下降走进 x ≈ −19.23 的小坑（第 "
            "150 步后不再移动，梯度下降是第 145 步）。把 α 往下拖：曲率的作用越来越大，到达"
            "同一个小坑也越来越快，α = 10 时第 21 步、α = 1 时第 5 步就到了。α = 0 时它就是"
            "牛顿法，会爬上 x ≈ −18.72 的极大值：α 是在牛顿法的速度和梯度下降的稳妥之间取舍。",
        },
        watch=(("x", "gd"), ("x", "newton_reg"), ("x", "newton")),
    ),
    Lesson(
        id="sgd_noise_batch",
        query={"opt": "gd,sgd,minibatch", "sgd.noise": "3", "minibatch.noise": "3"},
        title={
            "en": "SGD noise and mini-batch size",
            "zh": "SGD 噪声与小批量大小",
        },
        look_for={
            "en": "All three use η = 0.1, and SGD and mini-batch SGD draw the same random "
            "numbers (seed 0); only the noise differs: σ = 3 for SGD, 3/√16 = 0.75 for a batch "
            "of 16, none for gradient descent. The noise kicks SGD over the first hump at step "
            "13 and it wanders on down the landscape, while the quieter mini-batch only jitters "
            "inside the first dip, where gradient descent comes to rest. Noise helps escape but "
            "never lets a run settle exactly; change the seed to see the escape is no fluke "
            "(SGD escapes with every seed from 0 to 49, the batch of 16 with none).",
            "zh": "三者的学习率都是 η = 0.1，SGD 和小批量 SGD 用的是同一串随机数（种子 0），"
            "区别只在噪声：SGD 为 σ = 3，批量 16 为 3/√16 = 0.75，梯度下降没有噪声。噪声在"
            "第 13 步把 SGD 踢过第一座小山，之后它一路在地形上游走；噪声较小的小批量 SGD 只"
            "在第一个小坑里抖动，梯度下降则在那里停稳。噪声有助于逃出小坑，却让轨迹永远无法"
            "精确地停下；换个种子试试，就知道这次逃脱并非侥幸（种子 0 到 49，SGD 每次都能逃出，"
            "批量 16 一次也不能）。",
        },
        watch=(("x", "sgd"),),
    ),
    Lesson(
        id="lion_constant_step",
        query={"fn": "quadratic", "steps": "300", "opt": "gd,lion"},
        title={
            "en": "Lion: every step the same length",
            "zh": "Lion：每一步都一样长",
        },
        look_for={
            "en": "Every one of Lion's 300 steps is exactly η = 0.1 long, η times a sign, "
            "however steep or flat the slope: from x = −8 it walks in a straight line and "
            "reaches the minimum x = 3 after 110 steps. Gradient descent with the same η "
            "takes a first step of 1.1 and ever shorter ones after it, and is at rest by "
            "step 104. Lion cannot slow down: its slowly forgetting momentum (β₂ = 0.99) "
            "carries it on to x ≈ 8.4, and from step 150 to the end it still swings "
            "between x ≈ 0.4 and 8.4.",
            "zh": "Lion 的 300 步每一步都恰好长 η = 0.1，即 η 乘以一个符号，与坡度陡缓无关："
            "它从 x = −8 出发沿直线前进，走了 110 步到达极小点 x = 3。同样 η 的梯度下降"
            "第一步长 1.1，之后越走越短，第 104 步便停稳了。Lion 无法减速：遗忘得很慢的"
            "动量（β₂ = 0.99）把它一直带到 x ≈ 8.4，从第 150 步到最后，它仍在 x ≈ 0.4 "
            "与 8.4 之间来回摆动。",
        },
        watch=(("x", "lion"), ("x", "gd")),
    ),
    Lesson(
        id="radam_warmup",
        query={"opt": "adam,radam", "radam.lr": "1", "state": "rect"},
        title={
            "en": "RAdam tames its first steps",
            "zh": "RAdam 驯服最初的步子",
        },
        look_for={
            "en": "Both use η = 1. RAdam trusts √v̂ₜ only once ρₜ > 5, from step 6: its "
            "first five steps are plain momentum steps η·m̂ₜ, 0.8 to 2.2 long on this slope, "
            "which carry it out of the first dip to x ≈ −12.5. After that its adaptive step "
            "is Adam's times the rectification rₜ in the panel, 0.026 at step 6 and still "
            "only 0.22 at step 100, so it comes to rest at x ≈ −12.99 by step 202, while "
            "Adam's full-size steps keep it moving around the first dip for all 1000 steps.",
            "zh": "两者都用 η = 1。RAdam 要等到 ρₜ > 5（从第 6 步起）才信任 √v̂ₜ：它的前五步"
            "是普通的动量步 η·m̂ₜ，在这段坡上长 0.8 到 2.2，把它带出第一个小坑，到达 "
            "x ≈ −12.5。此后它的自适应步是 Adam 的步子乘以面板中的方差修正 rₜ，第 6 步时"
            "为 0.026，到第 100 步也只有 0.22，所以它在第 202 步停在 x ≈ −12.99；而 Adam "
            "的步子始终是全尺寸的，1000 步里一直在第一个小坑附近打转。",
        },
        watch=(("rect", "radam"), ("x", "radam")),
    ),
    Lesson(
        id="schedule_free",
        query={
            "fn": "quadratic",
            "steps": "200",
            "opt": "gd,sf_sgd",
            "gd.lr": "2",
            "sf_sgd.lr": "2",
            "state": "x_avg",
        },
        title={
            "en": "Schedule-Free SGD needs no schedule",
            "zh": "免调度 SGD 不需要学习率调度",
        },
        look_for={
            "en": "Both keep η = 2 on a bowl with f″ = 1. Gradient descent multiplies the "
            "distance to the minimum by 1 − η = −1 at every step, so it bounces between "
            "x = −8 and x = 14 forever: only a schedule that lowers η would stop it. "
            "Schedule-Free SGD keeps η = 2 but reads its gradient near the running average "
            "x̄ₜ (the panel), which stays within 10⁻³ of x = 3 from step 52 on, and it is at "
            "rest by step 69.",
            "zh": "两者在 f″ = 1 的碗上都保持 η = 2。梯度下降每一步都把到极小点的距离乘以 "
            "1 − η = −1，所以永远在 x = −8 和 x = 14 之间来回弹：只有降低 η 的调度才能"
            "让它停下。免调度 SGD 始终用 η = 2，却在滑动平均点 x̄ₜ（见面板）附近读取梯度，"
            "x̄ₜ 从第 52 步起与 x = 3 的距离一直小于 10⁻³，第 69 步它便停稳了。",
        },
        watch=(("x_avg", "sf_sgd"), ("x", "gd")),
    ),
    Lesson(
        id="prodigy_step_size",
        query={"fn": "quadratic", "opt": "adam,prodigy", "adam.lr": "0.001", "state": "d"},
        title={
            "en": "Prodigy finds its own step size",
            "zh": "Prodigy 自己找到步长",
        },
        look_for={
            "en": "Adam with the common default η = 0.001 has moved from x = −8 only to "
            "x ≈ −7.02 after 1000 steps: its step size was chosen for it, and badly for this "
            "problem. Prodigy, with η = 1, starts from the tiny step scale d₀ = 10⁻⁶ (its "
            "first 10 steps move x by 0.011 in all), grows dₜ about 2.6-fold per step and by "
            "step 18 has found dₜ ≈ 6.41 (the panel), the order of the distance 11 to the "
            "minimum; it then reaches x = 3 and is at rest by step 265.",
            "zh": "常用默认值 η = 0.001 的 Adam 走了 1000 步，只从 x = −8 挪到 x ≈ −7.02："
            "它的步长是别人替它选的，而且对这个问题选得很差。Prodigy 用 η = 1，从极小的"
            "步长尺度 d₀ = 10⁻⁶ 起步（前 10 步一共只让 x 移动了 0.011），dₜ 每步约增大 "
            "2.6 倍，到第 18 步已找到 dₜ ≈ 6.41（见面板），与到极小点的距离 11 同一量级；"
            "随后它到达 x = 3，第 265 步停稳。",
        },
        watch=(("d", "prodigy"), ("x", "prodigy")),
    ),
)

LESSONS_BY_ID: dict[str, Lesson] = {lesson.id: lesson for lesson in LESSONS}


def get(lesson_id: str) -> Lesson:
    """The lesson called ``lesson_id``; ValueError lists the valid ids."""
    try:
        return LESSONS_BY_ID[lesson_id]
    except KeyError:
        raise LabError("unknown_lesson", name=lesson_id, choices=", ".join(LESSONS_BY_ID)) from None


def _checked_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise LabError("unknown_language", name=lang, choices=", ".join(LANGUAGES))
    return lang


def lesson_config(lesson: Lesson, lang: str = "en") -> Config:
    """The Config the lesson sets up, in ``lang``."""
    cfg, _ = Config.from_query(lesson.query)
    return replace(cfg, lang=_checked_lang(lang))


def lesson_url_query(lesson: Lesson, lang: str) -> dict[str, str]:
    """The lesson's URL query with the language added: open it as a link."""
    return {**lesson.query, "lang": _checked_lang(lang)}
