"""Every user-facing string, keyed, in English and Simplified Chinese.

What the page says about an optimizer (its label, explanation, state labels and
inspector notes) and about a hyperparameter (label and help) lives in its spec, in
both languages; the helpers here read it. Function names and help are written in
English once, in their specs; their Chinese lives here, keyed by their ids.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import functions
import optimizers
from errors import LabError

STRINGS: dict[str, dict[str, str]] = {
    "title": {"en": "Optimizer Lab", "zh": "优化器实验室"},
    "tagline": {
        "en": "Watch optimizers race down a landscape full of local minima.",
        "zh": "看优化器在布满局部极小值的地形上赛跑。",
    },
    "language": {"en": "Language", "zh": "语言"},
    "function": {"en": "Function", "zh": "函数"},
    "function_help": {
        "en": "The landscape to minimise. Each built-in teaches one thing.",
        "zh": "要最小化的地形。每个内置函数各说明一个现象。",
    },
    "fn.custom": {"en": "Your own function…", "zh": "自定义函数…"},
    "expr": {"en": "f(x) =", "zh": "f(x) ="},
    "expr_help": {
        "en": "Use x, numbers, + − * / ^, parentheses, sin cos tan exp log sqrt abs tanh "
        "sinh cosh atan, pi and e. 3x and 2sin(x) mean 3·x and 2·sin(x).",
        "zh": "可用 x、数字、+ − * / ^、括号、sin cos tan exp log sqrt abs tanh sinh cosh "
        "atan、pi 和 e。3x 与 2sin(x) 表示 3·x 与 2·sin(x)。",
    },
    "lo": {"en": "from", "zh": "从"},
    "hi": {"en": "to", "zh": "到"},
    "expr_error": {
        "en": "Not used: {error}. The page keeps the last function that worked.",
        "zh": "未采用：{error}。页面保留上一个可用的函数。",
    },
    "x0": {"en": "Start x₀", "zh": "起点 x₀"},
    "x0_help": {"en": "Where every optimizer starts.", "zh": "所有优化器的出发点。"},
    "steps": {"en": "Steps", "zh": "步数"},
    "steps_help": {
        "en": "How many updates each optimizer makes.",
        "zh": "每个优化器更新的次数。",
    },
    "optimizers": {"en": "Optimizers", "zh": "优化器"},
    "optimizers_help": {
        "en": "Pick several to race them on the same landscape.",
        "zh": "选择多个，让它们在同一地形上比赛。",
    },
    "no_optimizer": {
        "en": "Choose at least one optimizer in the sidebar.",
        "zh": "请在侧栏中至少选择一个优化器。",
    },
    "log_scale": {"en": "Log scale for f(x) − f*", "zh": "f(x) − f* 用对数坐标"},
    "log_scale_help": {
        "en": "Plot the gap to the global minimum on a log axis, to see slow progress.",
        "zh": "用对数坐标画与全局最小值的差距，便于看清缓慢的进展。",
    },
    "state_pick": {"en": "Internal state", "zh": "内部状态"},
    "state_pick_help": {
        "en": "Which of the optimizers' internal quantities to plot against t.",
        "zh": "选择要随 t 绘制的优化器内部量。",
    },
    "play": {"en": "▶ Play", "zh": "▶ 播放"},
    "slow": {"en": "▶ Slow", "zh": "▶ 慢放"},
    "fast": {"en": "▶ Fast", "zh": "▶ 快放"},
    "pause": {"en": "❚❚ Pause", "zh": "❚❚ 暂停"},
    "step": {"en": "Step", "zh": "步"},
    "play_controls": {"en": "Animation", "zh": "动画"},
    "alt.diverged": {
        "en": "diverged at step {step} (x = {x})",
        "zh": "在第 {step} 步发散（x = {x}）",
    },
    "alt.ended": {
        "en": "from x = {x0} to x = {x} (f = {f}) in {steps} steps",
        "zh": "{steps} 步内从 x = {x0} 走到 x = {x}（f = {f}）",
    },
    "alt.sep": {"en": "; ", "zh": "；"},
    "alt.end": {"en": ".", "zh": "。"},
    "alt.colon": {"en": ": ", "zh": "："},
    "alt.panels": {"en": "At step {steps}: ", "zh": "第 {steps} 步时："},
    "alt.panel": {"en": "{label} has f = {f}, x = {x}", "zh": "{label} 的 f = {f}，x = {x}"},
    "alt.panel_state": {"en": ", {name} = {value}", "zh": "，{name} = {value}"},
    "alt.panel_col": {"en": "Panel", "zh": "小图"},
    "alt.table": {"en": "The chart's data as a table", "zh": "图中的数据（表格）"},
    "alt.noise": {
        "en": "{k} runs of {label} with different seeds: at the last step the median x is "
        "{median} and half the runs lie between {lo} and {hi}; {diverged} diverged. Gradient "
        "descent without noise ended at x = {gd}.",
        "zh": "{label} 用不同种子跑了 {k} 次：最后一步 x 的中位数是 {median}，一半的运行落在 "
        "{lo} 到 {hi} 之间；{diverged} 次发散。无噪声的梯度下降停在 x = {gd}。",
    },
    "alt.median": {"en": "median x", "zh": "x 的中位数"},
    "alt.band": {"en": "middle half of x", "zh": "x 的中间一半"},
    "alt.gd": {"en": "gradient descent x", "zh": "梯度下降的 x"},
    "alt.basins": {
        "en": "From {n} starts across the domain, the share that ends in the deepest minimum "
        "(x = {x}): ",
        "zh": "从区间内 {n} 个起点出发，停在最深极小值（x = {x}）的比例：",
    },
    "alt.basin": {
        "en": "{label} {best}% ({diverged}% diverge)",
        "zh": "{label} {best}%（{diverged}% 发散）",
    },
    "alt.diverged_short": {"en": "diverged", "zh": "发散"},
    "alt.newton": {
        "en": "Step {step}: at x = {x}, f′ = {grad} and {curvature} = {c}, so the model "
        "parabola has its {shape} at x = {x_star}, the next x.",
        "zh": "第 {step} 步：在 x = {x} 处，f′ = {grad}，{curvature} = {c}，"
        "模型抛物线的{shape}在 x = {x_star}，即下一个 x。",
    },
    "alt.newton_min": {"en": "minimum", "zh": "最低点"},
    "alt.newton_max": {"en": "maximum", "zh": "最高点"},
    "alt.newton_next": {"en": "next x", "zh": "下一个 x"},
    "alt.value": {"en": "value", "zh": "值"},
    "alt.sweep": {
        "en": "{n} runs; {diverged} diverged. The lowest final f, {f}, came from η = {lr} and "
        "{name} = {y}.",
        "zh": "共 {n} 次运行，{diverged} 次发散。最低的最终 f 为 {f}，来自 η = {lr}、{name} = {y}。",
    },
    "diverged_at": {"en": "diverged at step {step}", "zh": "第 {step} 步发散"},
    "ended_at": {"en": "ended at x = {x:.4g}", "zh": "终点 x = {x:.4g}"},
    "uphill": {
        "en": "{label}: {curvature} ≤ 0, heading for a maximum",
        "zh": "{label}：{curvature} ≤ 0，朝极大值走",
    },
    "panel_f": {"en": "f(xₜ)", "zh": "f(xₜ)"},
    "panel_gap": {"en": "f(xₜ) − f* (log)", "zh": "f(xₜ) − f*（对数）"},
    "panel_x": {"en": "xₜ (dotted: global minimum)", "zh": "xₜ（虚线：全局最小点）"},
    "panel_state": {"en": "{name}", "zh": "{name}"},
    "view.race": {"en": "The race", "zh": "比赛"},
    "view.explore": {"en": "Explore", "zh": "探索"},
    "view.article": {"en": "The article's figures", "zh": "文章中的图"},
    "panels": {"en": "Over time", "zh": "随时间变化"},
    "formulas": {"en": "Update rules", "zh": "更新公式"},
    "summary": {"en": "Where they ended", "zh": "终点汇总"},
    "col.optimizer": {"en": "Optimizer", "zh": "优化器"},
    "col.x": {"en": "final x", "zh": "最终 x"},
    "col.f": {"en": "final f(x)", "zh": "最终 f(x)"},
    "col.distance": {"en": "distance to global min", "zh": "与全局最小点的距离"},
    "col.settled": {"en": "settled at step", "zh": "稳定于第几步"},
    "col.diverged": {"en": "diverged at step", "zh": "发散于第几步"},
    "col.uphill": {"en": "steps towards a maximum", "zh": "朝极大值的步数"},
    "global_min": {
        "en": "Global minimum on the bounds: x* = {x:.6g}, f* = {f:.6g}",
        "zh": "区间上的全局最小值：x* = {x:.6g}，f* = {f:.6g}",
    },
    "no_global_min": {
        "en": "f has no global minimum on the bounds: it falls without limit near a pole "
        "or the edge of where it is defined, so no distance to one is shown.",
        "zh": "f 在区间上没有全局最小值：它在极点或定义域边缘附近无限下降，"
        "因此不显示到全局最小点的距离。",
    },
    "start_undefined": {
        "en": "f is not defined at the start x₀ = {x:.6g}, so the runs cannot begin there "
        "and no marker is drawn: choose a start where f(x) is a finite number.",
        "zh": "f 在起点没有定义（x₀ = {x:.6g}），优化无法从这里开始，也画不出标记："
        "请选择一个 f(x) 取有限值的起点。",
    },
    "slope_undefined": {
        "en": "The slope f′ is not defined at the start x₀ = {x:.6g}, so the first step "
        "cannot be taken: choose a start where f′(x) is a finite number.",
        "zh": "斜率 f′ 在起点没有定义（x₀ = {x:.6g}），第一步无法迈出："
        "请选择一个 f′(x) 取有限值的起点。",
    },
    "reset": {"en": "Reset to defaults", "zh": "恢复默认设置"},
    "share": {"en": "Share", "zh": "分享"},
    "share_help": {
        "en": "This link reproduces exactly this page.",
        "zh": "此链接可完全重现当前页面。",
    },
    "copy_link": {"en": "Copy link", "zh": "复制链接"},
    "copy_embed": {"en": "Copy embed link", "zh": "复制嵌入链接"},
    "copied": {"en": "Copied ✓", "zh": "已复制 ✓"},
    "embed_help": {
        "en": "For slides and course pages: only the figure and its play controls.",
        "zh": "用于幻灯片和课程网页：只显示图和播放控件。",
    },
    "never": {"en": "—", "zh": "—"},
    "on": {"en": "on", "zh": "开"},
    "off": {"en": "off", "zh": "关"},
    "not_settled": {"en": "not yet", "zh": "尚未"},
    "error_run": {
        "en": "{label} could not run with these settings: {error}",
        "zh": "{label} 无法在这些设置下运行：{error}",
    },
    "notice_head": {
        "en": "Some settings in the link were ignored or adjusted:",
        "zh": "链接中的部分设置被忽略或调整：",
    },
    "notice.repeated": {
        "en": "{key}: given twice, the last kept",
        "zh": "{key}：重复出现，保留最后一个",
    },
    "notice.too_long": {"en": "{key}: value too long", "zh": "{key}：值太长"},
    "notice.empty": {"en": "{key}: empty", "zh": "{key}：为空"},
    "notice.not_a_number": {"en": "{key}: not a number", "zh": "{key}：不是数字"},
    "notice.not_finite": {"en": "{key}: not a finite number", "zh": "{key}：不是有限数"},
    "notice.not_integer": {"en": "{key}: not a whole number", "zh": "{key}：不是整数"},
    "notice.clamped": {
        "en": "{key}: out of range, set to {detail}",
        "zh": "{key}：超出范围，设为 {detail}",
    },
    "notice.bad_expression": {"en": "{key}: {detail}", "zh": "{key}：{detail}"},
    "notice.bad_bounds": {
        "en": "lo, hi: the lower bound must be below the upper one",
        "zh": "lo, hi：下界必须小于上界",
    },
    "notice.not_a_flag": {"en": "{key}: should be 1 or 0", "zh": "{key}：应为 1 或 0"},
    "notice.unknown_choice": {"en": "{key}: unknown value", "zh": "{key}：未知取值"},
    "notice.unknown_optimizer": {
        "en": "opt: unknown optimizer “{detail}”",
        "zh": "opt：未知优化器“{detail}”",
    },
    "export": {"en": "Take it with you", "zh": "带走结果"},
    "export_help": {
        "en": "Download the runs as data, the animation as a file, or code that reproduces them.",
        "zh": "下载运行数据、动画文件，或能重现这些运行的代码。",
    },
    "export.csv": {"en": "Trajectories (CSV)", "zh": "轨迹（CSV）"},
    "export.csv_help": {
        "en": "One row per optimizer and step: x, f(x), the gradient and the internal state.",
        "zh": "每个优化器每一步一行：x、f(x)、梯度和内部状态。",
    },
    "export.json": {"en": "Trajectories (JSON)", "zh": "轨迹（JSON）"},
    "export.json_help": {
        "en": "The settings and every run's numbers; NaN and infinity are written as null.",
        "zh": "设置和每次运行的全部数值；NaN 和无穷大记为 null。",
    },
    "export.html": {"en": "Animation (HTML)", "zh": "动画（HTML）"},
    "export.html_help": {
        "en": "A single file that plays in any browser, offline too (about 5 MB).",
        "zh": "单个文件，可在任何浏览器中播放，无需联网（约 5 MB）。",
    },
    "export.python": {"en": "Python code", "zh": "Python 代码"},
    "export.python_help": {
        "en": "A self-contained program that runs anywhere with Python and NumPy and "
        "reproduces these runs exactly; with matplotlib it also draws them.",
        "zh": "一个独立的程序，在任何装有 Python 和 NumPy 的地方都能运行，并精确重现这些运行；"
        "装有 matplotlib 时还会画出轨迹。",
    },
    "lessons": {"en": "Guided lessons", "zh": "引导课程"},
    "lessons_help": {
        "en": "Each lesson sets up the page to show one idea and says what to look for.",
        "zh": "每节课都会把页面设置好，展示一个要点，并告诉你该看什么。",
    },
    "lesson_pick": {"en": "Lesson", "zh": "课程"},
    "lesson_none": {"en": "Free play", "zh": "自由探索"},
    "lesson_look_for": {"en": "What to look for", "zh": "观察要点"},
    "explain": {"en": "How it works", "zh": "工作原理"},
    "explain.idea": {"en": "Idea", "zh": "思路"},
    "explain.failure": {"en": "Typical failure", "zh": "典型失败"},
    "explain.hparams": {"en": "Hyperparameters", "zh": "超参数"},
    "gallery.pick": {"en": "Sweep", "zh": "扫描"},
    "gallery.heading": {"en": "The article's figures, reproduced", "zh": "重现文章中的图"},
    "gallery.intro": {
        "en": "Each panel is one run on the article's function from x₀ = −20 for 1000 steps: "
        "the grey curve is f(x), the dots are the path and the open circle is where it ended.",
        "zh": "每个小图是在文章的函数上从 x₀ = −20 出发、运行 1000 步的一次结果："
        "灰色曲线是 f(x)，圆点是路径，空心圆是终点。",
    },
    "gallery.adam_heading": {
        "en": "The article's Adam against correct Adam, both with β₂ = 0.999",
        "zh": "文章版 Adam 与正确的 Adam 对比，β₂ 都取 0.999",
    },
    "gallery.adam_article": {
        "en": "Article's Adam (correction compounds)",
        "zh": "文章版 Adam（偏差修正逐步累乘）",
    },
    "gallery.adam_correct": {"en": "Correct Adam", "zh": "正确的 Adam"},
    "gallery.adam_paths": {
        "en": "Paths, η = {lr:g}, β₁ = 0.9, β₂ = 0.999",
        "zh": "路径，η = {lr:g}，β₁ = 0.9，β₂ = 0.999",
    },
    "gallery.adam_steps": {"en": "Step size |xₜ − xₜ₋₁| (log)", "zh": "步长 |xₜ − xₜ₋₁|（对数）"},
    "gallery.adam_v": {
        "en": "Second moment in the step: vₜ, v̂ₜ (log)",
        "zh": "步长所除的二阶矩：vₜ、v̂ₜ（对数）",
    },
    "gallery.adam_v_inf": {"en": "v = ∞ from step {step}", "zh": "第 {step} 步起 v = ∞"},
    "gallery.adam_explain": {
        "en": "With β₂ = 0.999 the article's Adam divides v by 1 − β₂ᵗ ≈ t/1000 again at every "
        "step, so v grows about 1000/t-fold per step: after a first step of about η = {lr:g} "
        "the steps fall below a millionth of η by step {tiny}, x last changes at step "
        "{frozen} (x = {x_frozen:.4g}), and v overflows to infinity at step {inf_step}. "
        "Correct Adam with the same η, β₁ = 0.9 and β₂ = 0.999 corrects only a copy of v, so "
        "the v̂ it divides by stays between {v_lo:.2g} and {v_hi:.2g} and the run is free "
        "to travel, reaching x = {x_correct:.4g}. What blew up was the "
        "compounding correction, not β₂ = 0.999, which is Adam's standard setting.",
        "zh": "β₂ = 0.999 时，文章版 Adam 每一步都把 v 再除以一次 1 − β₂ᵗ ≈ t/1000，"
        "于是 v 每步约放大 1000/t 倍：第一步约走了 η = {lr:g}，到第 {tiny} 步步长已不到 η "
        "的百万分之一，x 最后一次变化是在第 {frozen} 步（x = {x_frozen:.4g}），"
        "第 {inf_step} 步 v 溢出为无穷大。正确的 Adam 用相同的 η、β₁ = 0.9 和 β₂ = 0.999，"
        "只对 v 的副本做修正，它所除的 v̂ 始终在 {v_lo:.2g} 到 {v_hi:.2g} 之间，"
        "运行不会被冻结，最终到达 x = {x_correct:.4g}。"
        "出问题的是逐步累乘的偏差修正，而不是 β₂ = 0.999——这正是 Adam 的标准设置。",
    },
    # Explore: sweep maps, basins, noise ensembles, Newton's model, the step inspector.
    "optimizer": {"en": "Optimizer", "zh": "优化器"},
    "computing": {"en": "Running every setting…", "zh": "正在运行所有设置…"},
    "explore.pick": {"en": "View", "zh": "视图"},
    "explore.sweep": {"en": "Sweep map", "zh": "扫描图"},
    "explore.basins": {"en": "Basins of attraction", "zh": "吸引域"},
    "explore.noise": {"en": "Noise ensembles", "zh": "噪声集合"},
    "explore.newton": {"en": "Newton's local model", "zh": "牛顿法的局部模型"},
    "explore.inspect": {"en": "Step inspector", "zh": "单步检查"},
    "explore.sweep_help": {
        "en": "Every cell is one full run: 100 learning rates × 100 values of a second "
        "setting, computed together. Click a cell to race that setting.",
        "zh": "每个格子是一次完整运行：100 个学习率 × 另一设置的 100 个取值，一次算完。"
        "点击格子即可在比赛中查看该设置。",
    },
    "explore.basins_help": {
        "en": "Where each optimizer ends, for every start x₀ across the domain: flat steps "
        "are basins, jumps are their borders.",
        "zh": "对定义域内每个起点 x₀，各优化器最终停在哪里：平台是吸引域，跳变是它们的边界。",
    },
    "explore.noise_help": {
        "en": "Many runs that differ only in their random seed: the band shows how far the "
        "noise spreads them, the line their median.",
        "zh": "许多只在随机种子上不同的运行：色带表示噪声让它们散开多远，线是中位数。",
    },
    "explore.newton_help": {
        "en": "At step t Newton fits a parabola to f and jumps to its vertex. Where the "
        "parabola opens downwards (f″ + α ≤ 0) the vertex is a maximum.",
        "zh": "在第 t 步，牛顿法用抛物线拟合 f 并跳到顶点。抛物线开口向下（f″ + α ≤ 0）时，"
        "顶点是极大值。",
    },
    "explore.inspect_help": {
        "en": "One step of one optimizer, its update rule with that step's numbers filled in.",
        "zh": "某个优化器的某一步：把这一步的数值代入它的更新公式。",
    },
    "explore.runs": {"en": "Runs (seeds)", "zh": "运行次数（种子数）"},
    "sweep.coarser": {
        "en": "A coarser {n} × {n} map keeps this many steps quick.",
        "zh": "步数较多，改用较粗的 {n} × {n} 网格以保持响应迅速。",
    },
    "sweep.y": {"en": "Second axis", "zh": "第二个轴"},
    "sweep.metric": {"en": "Colour shows", "zh": "颜色表示"},
    "sweep.title": {
        "en": "{label}: {metric} after {steps} steps",
        "zh": "{label}：{steps} 步后的{metric}",
    },
    "sweep.lr": {"en": "learning rate η", "zh": "学习率 η"},
    "sweep.diverged": {"en": "diverged", "zh": "发散"},
    "sweep.diverged_note": {
        "en": "Grey cells diverged ({count} of {total}).",
        "zh": "灰色格子表示发散（{total} 个中有 {count} 个）。",
    },
    "sweep.current": {"en": "current setting", "zh": "当前设置"},
    "sweep.pick": {"en": "click to load this setting", "zh": "点击载入此设置"},
    "basins.slow": {
        "en": "{k} optimizers × {steps} steps from 400 starts on a typed function take a "
        "while: press the button when you are ready.",
        "zh": "在自定义函数上从 400 个起点运行 {k} 个优化器 × {steps} 步需要一些时间："
        "准备好后请按按钮。",
    },
    "basins.compute": {"en": "Compute the basins", "zh": "计算吸引域"},
    "basins.title": {
        "en": "Where each start ends after {steps} steps",
        "zh": "每个起点在 {steps} 步后的终点",
    },
    "basins.end": {"en": "end point x", "zh": "终点 x"},
    "basins.minima": {"en": "local minima", "zh": "局部极小点"},
    "basins.global": {"en": "global minimum x* = {x:.4g}", "zh": "全局最小点 x* = {x:.4g}"},
    "basins.diverged": {"en": "{label}: diverged", "zh": "{label}：发散"},
    "ensemble.title": {
        "en": "{label}: {k} seeds at once",
        "zh": "{label}：同时运行 {k} 个随机种子",
    },
    "ensemble.band": {"en": "middle {lo}–{hi} % of {k} runs", "zh": "{k} 次运行中间的 {lo}–{hi} %"},
    "ensemble.median": {"en": "median of {k} runs", "zh": "{k} 次运行的中位数"},
    "ensemble.single": {"en": "single runs", "zh": "单次运行"},
    "ensemble.seed": {"en": "seed {seed}", "zh": "种子 {seed}"},
    "ensemble.gd": {"en": "gradient descent (no noise)", "zh": "梯度下降（无噪声）"},
    "ensemble.diverged": {"en": "{count} diverged", "zh": "{count} 次发散"},
    "newton.model": {"en": "Newton's local model q(x)", "zh": "牛顿法的局部模型 q(x)"},
    "newton.jump": {"en": "jump to the model's stationary point", "zh": "跳到模型的驻点"},
    "newton.bowl_now": {
        "en": "Step {t}: {curvature} = {c:.4g} > 0, the model is a bowl; its bottom is at "
        "x = {x:.6g}",
        "zh": "第 {t} 步：{curvature} = {c:.4g} > 0，模型是一个碗，碗底在 x = {x:.6g}",
    },
    "newton.hill_now": {
        "en": "Step {t}: {curvature} = {c:.4g} ≤ 0, the model is a hill; the step heads for its "
        "top at x = {x:.6g}",
        "zh": "第 {t} 步：{curvature} = {c:.4g} ≤ 0，模型是一座山，这一步朝山顶 x = {x:.6g} 走",
    },
    "inspect.rounded_away": {
        "en": "the step is smaller than the gap between floating-point numbers at x, "
        "so x does not change",
        "zh": "这一步比 x 附近相邻浮点数的间距还小，所以 x 没有变化",
    },
    "inspect.diverged_here": {
        "en": "this step left the domain: the run diverged and x stays where it was",
        "zh": "这一步离开了定义域：运行发散，x 停在原处",
    },
}

FUNCTION_LABELS_ZH = {
    "article": "文章中的函数",
    "quadratic": "二次碗",
    "cliff": "悬崖",
    "saddle": "带鞍点的平台",
    "double_well": "不对称双势阱",
    "rastrigin": "Rastrigin 函数",
    "pseudo_huber": "伪 Huber（牛顿法发散）",
}


ALLOWED_ZH = (
    "只允许 x、数字、+ − * / ^、括号，以及 sin cos tan exp log sqrt abs tanh sinh cosh atan pi e"
)
# The core's errors (errors.LabError) as a Chinese page shows them: code -> template,
# formatted with the error's params, the same fields as its English in errors.MESSAGES.
ERRORS_ZH: dict[str, str] = {
    "not_a_string": "表达式必须是字符串，而不是 {type}",
    "empty_expression": "表达式为空",
    "too_long": "表达式太长：{length} 个字符（最多 {limit} 个）",
    "non_ascii": (
        "第 {column} 列的非 ASCII 字符 {char!r}（U+{codepoint:04X} {char_name}）不允许使用；"
        "请只输入 ASCII 字符，例如 x、2、+"
    ),
    "bad_character": "第 {column} 列的字符 {char!r} 不允许使用；" + ALLOWED_ZH,
    "keyword": "第 {column} 列：不允许使用 {name!r}；" + ALLOWED_ZH,
    "unknown_name": "第 {column} 列的名称 {name!r} 未知；" + ALLOWED_ZH,
    "unknown_name_product": (
        "第 {column} 列的名称 {name!r} 未知（乘法请写出 *，例如 {product}）；" + ALLOWED_ZH
    ),
    "number_too_large": "第 {column} 列的数字 {number} 太大（最多 {limit:,.0f}）",
    "needs_parenthesis": "第 {column} 列的 {name} 后面必须跟 '('",
    "unmatched_parenthesis": "第 {column} 列的 ')' 没有匹配的 '('",
    "missing_operator": "第 {column} 列的 {token!r} 前缺少运算符？",
    "unexpected_token": "第 {column} 列出现意外的 {token!r}",
    "empty_parentheses": "第 {column} 列的括号是空的",
    "ends_unexpectedly": "表达式在第 {column} 列的 {token!r} 之后意外结束",
    "unclosed_parenthesis": "第 {column} 列的 '(' 没有闭合",
    "too_deep_at": "第 {column} 列嵌套太深（最多 {limit} 层）",
    "too_deep": "嵌套太深（最多 {limit} 层）",
    "syntax_error": "第 {column} 列有语法错误",
    "exponent_too_large": "第 {column} 列的指数 {exponent} 太大（最多 {limit}）",
    "constant_too_large": "第 {column} 列的数字太大",
    "node_not_allowed": "第 {column} 列：不允许使用 {node} {source!r}；" + ALLOWED_ZH,
    "undefined": "第 {column} 列的 {expression} 无定义或太大（{value}）",
    "too_slow": "{expression!r} 计算太慢；请换一个更短的表达式",
    "nowhere_finite": "{expression!r} 在 [{lo:g}, {hi:g}] 上处处无定义；请换一个区间",
    "bounds_not_numbers": "区间必须是两个数字（下界，上界），而不是 {bounds!r}",
    "bad_bounds": "区间 {bounds!r} 无效：需要有限的下界 < 上界",
    "bounds_too_wide": "区间太宽：宽度 {width:g}（最多 {limit:g}）",
    "x0_not_a_number": "x0 必须是数字，而不是 {value!r}",
    "x0_outside": "x0 = {value:g} 不在区间 [{lo:g}, {hi:g}] 内",
    "objective_bounds": "区间 {bounds} 无效：需要有限的下界 < 上界",
    "objective_x0": "x0 的取值 {value} 无效；必须在 [{lo}, {hi}] 内",
    "objective_not_finite": "函数在它的区间上处处无定义",
    "unknown_function": "未知的函数 {name!r}；可选：{choices}",
    "unknown_optimizer": "未知的优化器 {name!r}；可选：{choices}",
    "unknown_gallery": "未知的扫描 {name!r}；可选：{choices}",
    "unknown_lesson": "未知的课程 {name!r}；可选：{choices}",
    "unknown_language": "未知的语言 {name!r}；可选：{choices}",
    "unknown_hparam": "{optimizer} 没有超参数 {name!r}",
    "unexpected_hparam": "{optimizer} 没有超参数 {name!r}；它接受：{choices}",
    "not_bool": "{name} 的取值 {value!r} 无效；必须是 True 或 False",
    "not_a_number": "{name} 的取值 {value!r} 无效；必须是数字",
    "not_integer": "{name} 的取值 {value!r} 无效；必须是整数",
    "not_finite": "{name} 的取值 {value!r} 无效；必须是有限的数字",
    "out_of_range": "{name} 的取值 {value!r} 无效；允许范围 {range}",
    "integer_too_small": "{name} 的取值 {value!r} 无效；需要 >= {minimum} 的整数",
    "bad_choice": "{name} 的取值 {value!r} 无效；可选：{choices}",
    "nesterov": "Nesterov 需要动量 > 0 且阻尼为 0",
    "batch_too_large": (
        "批量太大：{runs} 次运行 × {steps} 步无法全部记录；最多 {limit} 个值，或传入 summary=True"
    ),
    "too_many_seeds": "随机种子太多：{seeds} 个不同的种子 × {steps} 步；最多 {limit} 个噪声值",
    "no_lr_to_sweep": "{name!r} 没有可以扫描的学习率",
    "bad_sweep_axis": "y_axis 的取值 {value!r} 无效；{optimizer} 可以扫描：{choices}",
    "not_noisy": "{name!r} 不能做噪声集合；噪声集合需要以下之一：{choices}",
    "need_full_run": "轨迹无效：需要一次完整的运行（不是摘要，也不是批量）",
    "wrong_optimizer": "轨迹无效：它运行的是 {ran!r}，不是 {name!r}",
    "export_needs_full_run": (
        "运行 {name!r} 无效：导出需要一条完整、不分批的轨迹（一个 x0、标量超参数、summary=False）"
    ),
}


def error_text(error: BaseException | str, lang: str) -> str:
    """An error of the core in ``lang``: a LabError in its code's template for ``lang``
    filled with its params; anything else (not one of ours, or a bare message) as it
    reads, ``str(error)``."""
    if lang == "zh" and isinstance(error, LabError):
        return ERRORS_ZH[error.code].format(**error.params)
    return str(error)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: object) -> str:
    """``text`` escaped so Streamlit's markdown shows it as typed: a typed expression
    like ``__import__`` must not turn bold, nor ``$x$`` into LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def t(key: str, lang: str = "en", /, **fmt: Any) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt``. ``state.<field>`` is the
    label of a recorded state field, as ``state_label`` reads it from the specs."""
    if key.startswith("state."):
        return state_label(key.removeprefix("state."), lang).format(**fmt)
    return STRINGS[key][lang].format(**fmt)


# Every optimizer the page can name: the picker's, then the named variants.
_SPECS = (*optimizers.OPTIMIZERS.values(), *optimizers.VARIANTS.values())
# Each hyperparameter and state field by name, as the first spec declaring it has it;
# tests/test_display.py checks that every spec of one name agrees.
_HPARAMS = {hp.name: hp for opt in reversed(_SPECS) for hp in reversed(opt.hparams)}
_STATE = {s.field: s for opt in reversed(_SPECS) for s in reversed(opt.recorded)}


def optimizer_label(name: str, lang: str) -> str:
    opt = optimizers.get(name)
    return opt.label if lang == "en" else opt.label_zh


def state_label(field: str, lang: str) -> str:
    """The state panel's name for the recorded state field ``field``."""
    return _STATE[field].label.get(lang)


def function_label(name: str, lang: str) -> str:
    if name not in functions.FUNCTIONS:
        return t("fn.custom", lang)
    return functions.get(name).label if lang == "en" else FUNCTION_LABELS_ZH[name]


def hparam_label(name: str, lang: str) -> str:
    hp = _HPARAMS[name]
    return hp.label if lang == "en" else hp.label_zh


def hparam_help(hp: optimizers.HyperParam, lang: str) -> str:
    return hp.help if lang == "en" else hp.help_zh


_SUBSCRIPTS = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_LATEX_NAME = re.compile(r"\\(?:text\{([^}]*)\}|([A-Za-z]+))")


def symbol_text(latex: str) -> str:
    """A symbol's LaTeX as plain Unicode (``\\beta_1`` -> ``β₁``): a widget label that a
    screen reader reads as text, where ``$\\beta_1$`` would be read out as typed."""

    def name(m: re.Match) -> str:
        if m[1] is not None:
            return m[1]
        # Unicode spells λ "lamda"; \\varepsilon, \\varphi are ε and φ here.
        letter = m[2].removeprefix("var").upper().replace("LAMBDA", "LAMDA")
        case = "CAPITAL" if m[2][0].isupper() else "SMALL"
        return unicodedata.lookup(f"GREEK {case} LETTER {letter}")

    text = _LATEX_NAME.sub(name, latex)
    return re.sub(r"_\{?([^{}\s]+)\}?", lambda m: m[1].translate(_SUBSCRIPTS), text)
