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
from optimizers.schedules import KINDS as SCHEDULES
from optimizers.schedules import LR_USED

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
    "controls_coming": {
        "en": "The controls appear here once the race is drawn.",
        "zh": "赛跑图画好后，控件会出现在这里。",
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
    "schedule": {"en": "Learning-rate schedule", "zh": "学习率调度"},
    "schedule_help": {
        "en": "How each step's learning rate ηₜ follows from the lr slider η. It applies to "
        "every optimizer that has a learning rate; Newton's methods have none, so they run "
        "unscheduled.",
        "zh": "每一步的学习率 ηₜ 如何由学习率滑块 η 得出。它作用于每个有学习率的优化器；"
        "牛顿法没有学习率，所以不受调度影响。",
    },
    "schedule_where": {
        "en": "As `torch.optim.lr_scheduler.{torch}`, with torch's parameter names and "
        "defaults. Stepped once per optimizer step, after it (`optimizer.step()`, then "
        "`scheduler.step()`): step 1 uses the lr the scheduler starts with.",
        "zh": "与 `torch.optim.lr_scheduler.{torch}` 相同，参数名和默认值也沿用 torch。"
        "每个优化步之后调度一次（先 `optimizer.step()`，再 `scheduler.step()`）："
        "第 1 步使用调度器初始的学习率。",
    },
    "schedule_formula": {"en": "Learning-rate schedule: {label}", "zh": "学习率调度：{label}"},
    "schedule_e": {
        "en": "e = t − 1 is the number of scheduler steps before step t and η is each "
        "optimizer's lr; in the update rules below, η stands for that step's ηₜ. "
        "Newton's methods have no learning rate and run unscheduled.",
        "zh": "e = t − 1 是第 t 步之前调度器走过的步数，η 是各优化器的学习率；下面的更新公式中，"
        "η 即该步的 ηₜ。牛顿法没有学习率，不受调度影响。",
    },
    "tune": {"en": "⚖ Tune every learning rate, then race", "zh": "⚖ 调好每个学习率再比赛"},
    "tune_help": {
        "en": "Finds each chosen optimizer's best learning rate for the current function, "
        "start, steps and schedule (one vectorised run over the lr slider's values each), "
        "sets the sliders to them and races them at their best.",
        "zh": "针对当前的函数、起点、步数和调度，为每个选中的优化器找到最佳学习率"
        "（每个优化器对学习率滑块的全部取值做一次向量化运行），把滑块设到这些值，"
        "让它们各以最佳状态比赛。",
    },
    "tune_nothing": {
        "en": "None of the chosen optimizers has a learning rate to tune.",
        "zh": "选中的优化器都没有可调的学习率。",
    },
    "tuned_head": {"en": "How the learning rates were chosen", "zh": "学习率是怎样选出的"},
    "tuned_how": {
        "en": "Each optimizer's learning rate was tuned for this function, the start "
        "x₀ = {x0:.6g}, {steps} steps and the schedule ({schedule}): one vectorised run "
        "over the values its lr slider offers (ten a decade; see the table). The score "
        "is the final f(x) averaged over the last tenth of the run ({tail} steps), lower "
        "is better: a huge lr that bounces across the landscape and happens to be low at "
        "its last step does not win, and a run that diverges scores worst. SGD and "
        "mini-batch SGD, whose gradients are noisy, are scored by the median over {seeds} "
        "seeds (their own seed and the next {more}). Where several learning rates score "
        "the same (within 10⁻⁹), the one that settles soonest wins.",
        "zh": "每个优化器的学习率都针对当前函数、起点 x₀ = {x0:.6g}、{steps} 步和调度方式"
        "（{schedule}）调过：对其学习率滑块提供的全部取值（每个数量级十个，见下表）"
        "做一次向量化运行。评分是运行最后十分之一（{tail} 步）中 f(x) 的平均值，越低越好："
        "学习率过大、在地形上乱跳、只是碰巧在最后一步落得很低的运行不会获胜；发散的运行"
        "得分最差。梯度带噪声的随机梯度下降和小批量随机梯度下降按 {seeds} 个随机种子"
        "（它自己的种子及其后的 {more} 个）的中位数评分。若几个学习率得分相同"
        "（相差不超过 10⁻⁹），最先稳定下来的获胜。",
    },
    "tune.lr": {"en": "tuned lr", "zh": "调出的学习率"},
    "tune.grid": {"en": "lr values tried", "zh": "试过的学习率"},
    "tune.score": {"en": "score: mean f, last tenth", "zh": "评分：最后十分之一的平均 f"},
    "tune.racing": {"en": "racing at lr", "zh": "比赛所用学习率"},
    "tune.status": {"en": "status", "zh": "状态"},
    "tune.ok": {"en": "tuned", "zh": "已调好"},
    "tune.changed": {
        "en": "lr differs from the tuned one (changed by hand or for other settings)",
        "zh": "学习率与调出的不同（被手动改过，或是为别的设置调的）",
    },
    "tune.none": {"en": "every lr on the grid diverged", "zh": "网格上的每个学习率都发散"},
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
        "en": "{label}:<br>{curvature} ≤ 0, heading for a maximum",
        "zh": "{label}：<br>{curvature} ≤ 0，朝极大值走",
    },
    "panel_f": {"en": "f(xₜ)", "zh": "f(xₜ)"},
    "panel_gap": {"en": "f(xₜ) − f* (log)", "zh": "f(xₜ) − f*（对数）"},
    "panel_x": {"en": "xₜ (dotted: global minimum)", "zh": "xₜ（虚线：全局最小点）"},
    "panel_state": {"en": "{name}", "zh": "{name}"},
    "ring_steps": {"en": "{n} steps on this spot", "zh": "此处共 {n} 步"},
    "panel_state_log": {"en": "{name} (log)", "zh": "{name}（对数）"},
    "legend_end": {"en": "hollow: where a run ended", "zh": "空心：终点"},
    "legend_diverged": {"en": "×: where a run diverged", "zh": "×：发散处"},
    "coincide": {
        "en": "{labels} end at most {gap:.2g} apart (x ≈ {x:.4g}), too close to tell apart "
        "at this scale: each marker under another is drawn larger, as a ring around it, "
        "and each line under another wider, with the one on top dashed.",
        "zh": "{labels} 的终点相距不超过 {gap:.2g}（x ≈ {x:.4g}），在这个比例下分辨不出："
        "被压在下面的标记画得更大，像一圈环绕着上面的标记；被压在下面的线画得更宽，上面的"
        "线画成虚线。",
    },
    "and": {"en": " and ", "zh": " 和 "},
    "list_sep": {"en": ", ", "zh": "、"},
    "present": {"en": "Presentation mode", "zh": "演示模式"},
    "present_help": {
        "en": "Large type and thick lines in the charts, to read from the back of a room. "
        "The link keeps it.",
        "zh": "图中使用大字号和粗线条，便于在教室后排看清。链接会保留此设置。",
    },
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
        "en": "All {runs} runs of the article's six sweeps, each computed as the article's "
        "own code computes it (its constants, its order of arithmetic, its f′ term by term), "
        "from x₀ = −20 for 1000 steps. Each panel is titled with its i (from 0, as the "
        "article counts) and its value.",
        "zh": "文章六组扫描的全部 {runs} 次运行，每次都按文章自己的代码计算（它的常数、运算顺序，"
        "f′ 逐项的求和顺序），从 x₀ = −20 出发，运行 1000 步。每个小图的标题是它的 i"
        "（像文章那样从 0 数起）和取值。",
    },
    "gallery.style": {"en": "Style", "zh": "样式"},
    "gallery.style.app": {"en": "This app's", "zh": "本应用的样式"},
    "gallery.style.article": {"en": "As in the article", "zh": "文章的样式"},
    "gallery.style_help": {
        "en": "As in the article: x from −20 to 20, y from −2 to 10, f in faded blue, the "
        "path in red and the end a green ×, titled as the article titles its figures. A run "
        "that leaves this window leaves the panel, as it did in the article.",
        "zh": "文章的样式：x 从 −20 到 20，y 从 −2 到 10，f 为淡蓝色，路径为红色，终点为绿色 ×，"
        "标题与文章中各图的标题相同。离开这个范围的运行也会离开小图，和文章里一样。",
    },
    "gallery.panel": {"en": "Panel i", "zh": "小图 i"},
    "gallery.panel_help": {
        "en": "Scrub through the runs: the page of panels holding run i is shown, and the "
        "buttons below act on it.",
        "zh": "拖动以浏览各次运行：显示包含第 i 次运行的那一页小图，下方按钮作用于它。",
    },
    "gallery.page": {
        "en": "Panels {first}–{last} of {n}",
        "zh": "第 {first}–{last} 个小图，共 {n} 个",
    },
    "gallery.focus": {"en": "Panel i = {i}: {label}, {end}", "zh": "小图 i = {i}：{label}，{end}"},
    "gallery.race": {"en": "Race this panel", "zh": "在赛道中运行这个小图"},
    "gallery.race_help": {
        "en": "Open the Race view with this run's function, optimizer, hyperparameters, "
        "start and steps, to play it step by step.",
        "zh": "在赛道视图中打开这次运行的函数、优化器、超参数、起点和步数，逐步播放。",
    },
    "gallery.link": {"en": "Link to this panel", "zh": "这个小图的链接"},
    "checked.heading": {"en": "The article, checked", "zh": "核对文章"},
    "checked.says": {"en": "The article says:", "zh": "文章说："},
    "checked.measured": {"en": "Measured here:", "zh": "本页实测："},
    "checked.gd.claim": {
        "en": "A learning rate too small gets stuck in a local minimum; one too large never "
        "converges.",
        "zh": "学习率太小会卡在局部极小值里；太大则根本不收敛。",
    },
    "checked.gd.measured": {
        "en": "Right on both counts. Of its {n} runs, the {n_moving} with η ≥ {lr_moving:g} "
        "are still moving at step 1000, and the {n_stuck} with η ≤ {lr_stuck:g} stop in the "
        "first dip, x = {dip:.4f}. {n_best} of the {n} reach the global minimum.",
        "zh": "两点都对。它的 {n} 次运行中，η ≥ {lr_moving:g} 的 {n_moving} 次到第 1000 步仍在移动，"
        "η ≤ {lr_stuck:g} 的 {n_stuck} 次停在第一个凹坑 x = {dip:.4f}。{n} 次中有 {n_best} 次到达全局最小值。",
    },
    "checked.py2.claim": {
        "en": "Its code begins with `from __future__ import print_function`, a Python 2 habit, "
        "and writes f′'s bowl term as `(9/200)*x`. It never says which Python drew its "
        "figures.",
        "zh": "它的代码以一行 `__future__` 导入开头（这是 Python 2 的习惯），"
        "并把 f′ 中碗形项写成 `(9/200)*x`。文章没有说明它的图是用哪个版本的 Python 画的。",
    },
    "checked.py2.measured": {
        "en": "Under Python 2, 9/200 is integer division, 0: f′ loses the bowl's pull 0.045x "
        "back to the middle, while f, computed with floats, keeps its bowl. Rerun that way, "
        "{py2_differ} of the {runs} runs end elsewhere; {py2_outside} end outside "
        "−20 ≤ x ≤ 20 (Python 3: {py3_outside}) and {py2_diverged} leaves the app's escape "
        "radius. Gradient descent with η = 16 ends at x = {py2_gd16:.4g} instead of "
        "{gd16:.4g}. The galleries use Python 3's 9/200 = 0.045.",
        "zh": "在 Python 2 中，9/200 是整数除法，结果为 0：f′ 失去了把 x 拉回中间的 0.045x，"
        "而用浮点数计算的 f 仍然保留碗形。这样重新运行，{runs} 次运行中有 {py2_differ} 次"
        "终点改变；{py2_outside} 次终点在 −20 ≤ x ≤ 20 之外（Python 3 为 {py3_outside} 次），"
        "{py2_diverged} 次超出本应用的逃逸半径。η = 16 的梯度下降终点为 x = {py2_gd16:.4g}，"
        "而不是 {gd16:.4g}。图集使用 Python 3 的 9/200 = 0.045。",
    },
    "checked.momentum.claim": {
        "en": "The velocity starts at v = 0; momentum carries the ball out of local minima. "
        "m above 0.9 works well, but too large a value cannot stay at the minimum.",
        "zh": "速度从 v = 0 开始；动量能带小球冲出局部极小值。m 在 0.9 以上效果较好，"
        "但太大就停不在极小值处。",
    },
    "checked.momentum.measured": {
        "en": "Its code starts at v = 1.0, a push before any gradient: with μ = {mu_push:.6g} "
        "the first step moves x by {push:.4f}, almost all of it μ·v₀. Started at v₀ = 0, as "
        "the text says, {rest_differ} of the {n} runs end elsewhere: {rest_dip} stop in the "
        "first dip and {rest_best} reach the global minimum. With the push, μ = {best_mu:g} "
        "(i = {best_i}) reaches it, x = {x_min:.4f}, and the {n_moving} runs with "
        "μ ≥ {mu_moving:.6g} are still swinging at step 1000.",
        "zh": "它的代码从 v = 1.0 开始，这是任何梯度起作用之前的一推：μ = {mu_push:.6g} 时，"
        "第一步让 x 移动 {push:.4f}，几乎全部来自 μ·v₀。若像正文那样从 v₀ = 0 开始，{n} 次运行"
        "中有 {rest_differ} 次终点改变：{rest_dip} 次停在第一个凹坑，{rest_best} 次到达全局"
        "最小值。有了这一推，μ = {best_mu:g}（i = {best_i}）到达全局最小值 x = {x_min:.4f}，"
        "而 μ ≥ {mu_moving:.6g} 的 {n_moving} 次运行到第 1000 步仍在摆动。",
    },
    "checked.adagrad.claim": {
        "en": "δ = 1e-7 keeps the denominator from zero. The results are not very good.",
        "zh": "δ = 1e-7 使分母不为零。效果并不是很好。",
    },
    "checked.rmsprop.claim": {
        "en": "δ = 1e-6, decay ρ = 0.8: forgetting old gradients, it converges quickly once "
        "it finds a bowl.",
        "zh": "δ = 1e-6，衰减率 ρ = 0.8：它会遗忘旧的梯度，一旦找到碗形区域就能快速收敛。",
    },
    "checked.eps.measured": {
        "en": "√r is never below {root:.4g}, so δ changes no step by more than {rel:.2g} of "
        "itself. Yet with torch's ε = {torch_eps:g} in its place, {eps_differ} of the {n} "
        "runs end elsewhere, and computing torch's way, η·(g/(√r + ε)), with the article's δ "
        "moves {order_differ}: on these ripples the last bit decides where a run ends.",
        "zh": "√r 从不小于 {root:.4g}，所以 δ 对任何一步的影响都不超过该步的 {rel:.2g}。"
        "然而换成 torch 的 ε = {torch_eps:g}，{n} 次运行中有 {eps_differ} 次终点改变；"
        "保留文章的 δ 但按 torch 的方式 η·(g/(√r + ε)) 计算，有 {order_differ} 次改变："
        "在这些波纹上，最后一位决定了运行停在哪里。",
    },
    "checked.adagrad.measured": {
        "en": "Not very good indeed: {n_dip} of the {n} runs never leave the first dip, "
        "{n_moving} are still moving at step 1000 and {n_best} reach the global minimum.",
        "zh": "确实不好：{n} 次运行中有 {n_dip} 次始终没有离开第一个凹坑，{n_moving} 次到第 "
        "1000 步仍在移动，{n_best} 次到达全局最小值。",
    },
    "checked.rmsprop.measured": {
        "en": "Not here: {n_moving} of the {n} runs are still moving at step 1000 and "
        "{n_best} reach the global minimum. Dividing by the recent gradient size keeps each "
        "step about η long, even beside a minimum.",
        "zh": "在这里并非如此：{n} 次运行中有 {n_moving} 次到第 1000 步仍在移动，{n_best} 次"
        "到达全局最小值。除以近期梯度的大小，使每一步即使在极小值旁边也约为 η 长。",
    },
    "checked.eps_formula": {
        "en": "As torch, the article's code and this app compute it, ε is added outside the "
        "root. The formula notes this app started from, like many textbooks, write "
        "η/√(rₜ + ε), ε inside the root.",
        "zh": "torch、文章的代码和本应用都这样计算：ε 加在根号外面。本应用最初参考的公式笔记和"
        "许多教科书一样，写成 η/√(rₜ + ε)，把 ε 放在根号里面。",
    },
    "checked.adam.claim": {
        "en": "With ρ₂ = 0.9, Adam's performance is god-like; in the end Adam works best, "
        "though its learning rate still needs tuning.",
        "zh": "ρ₂ = 0.9 时 Adam 表现神级；最后还是 Adam 效果最好，尽管学习率仍需调参。",
    },
    "checked.adam.measured": {
        "en": "{n_left} of its {n} runs leave the plotted window (−20 ≤ x ≤ 20, "
        "−2 ≤ y ≤ 10), and {n_back} of those come back: the {n_out} with η ≥ {lr_out:.4g} "
        "end outside it, at x from {out_lo:.4g} to {out_hi:.4g} (the table lists each). "
        "{n_best} of the {n} ends at the global minimum (η = {best_lr:.4g}).",
        "zh": "它的 {n} 次运行中有 {n_left} 次离开了图的范围（−20 ≤ x ≤ 20，−2 ≤ y ≤ 10），"
        "其中 {n_back} 次回来了：η ≥ {lr_out:.4g} 的 {n_out} 次终点在范围之外，x 从 "
        "{out_lo:.4g} 到 {out_hi:.4g}（表中逐一列出）。{n} 次中有 {n_best} 次终点在全局最小值"
        "（η = {best_lr:.4g}）。",
    },
    "checked.adam999.claim": {
        "en": "With ρ₂ = 0.999 Adam does not converge at all: early on 1 − ρ₂ᵗ is near 0, so "
        "r = r/(1 − ρ₂ᵗ) explodes and reaches inf within a hundred steps.",
        "zh": "ρ₂ = 0.999 时 Adam 根本不收敛：开始时 1 − ρ₂ᵗ 接近 0，所以 r = r/(1 − ρ₂ᵗ) "
        "迅速爆炸，百步之内到了 ∞。",
    },
    "checked.adam999.measured": {
        "en": "r first becomes inf at step {inf_steps} in each of the {n} runs, not within a "
        "hundred steps: at step 100 it is {v100:.3g}. The cause is the write-back: each step "
        "divides the already corrected r by 1 − ρ₂ᵗ again, so the correction compounds. "
        "Correct Adam with the same ρ₂ = 0.999 corrects only a copy, and the v̂ it divides by "
        "stays below {vhat_max:.3g}. With ρ₂ = 0.9 the compounded r stays finite (at most "
        "{v09_max:.3g}), which hid the bug without fixing it.",
        "zh": "在全部 {n} 次运行中，r 都在第 {inf_steps} 步才第一次变成 ∞，并非百步之内："
        "第 100 步时它是 {v100:.3g}。原因在于写回：每一步都把已经修正过的 r 再除以一次 "
        "1 − ρ₂ᵗ，修正逐步累乘。正确的 Adam 用同样的 ρ₂ = 0.999，只修正副本，它所除的 v̂ "
        "始终小于 {vhat_max:.3g}。ρ₂ = 0.9 时累乘后的 r 保持有限（最大 {v09_max:.3g}），"
        "这掩盖了错误，却没有改正它。",
    },
    "checked.newton.claim": {
        "en": "Its code calls ddf(x), f″, but never defines it. Even regularised, Newton is "
        "pitiful: second-order methods do badly on non-convex functions.",
        "zh": "它的代码调用了二阶导数 f″ 的函数，却从未定义它。即使加了正则化，牛顿法也很可怜："
        "二阶方法在非凸函数上表现很糟。",
    },
    "checked.newton.measured": {
        "en": "So the code as printed stops at its Newton sweep; here f″ is the exact "
        "0.045 − cos x − 3 sin 3x − 5 cos 5x − 7 sin 7x (within {fd_err:.1g} of a central "
        "difference of f′). f″ falls to {h_min:.4g} (at x = {x_h_min:.3g}), so only "
        "α > {h_neg:.4g} keeps f″ + α > 0 everywhere. Of the {n} runs, {n_dip} "
        "(α ≥ {alpha_dip:.3g}) stop in the first dip, x = {dip:.4f}; {n_hump} "
        "(α ≤ {alpha_hump:.3g}) climb to x = {hump:.4f}, a local maximum where "
        "f″ = {h_hump:.3g}; {n_else} end elsewhere and {n_best} reach the global minimum.",
        "zh": "所以照原样运行，代码会在牛顿法这一组停下；这里的 f″ 是精确的 "
        "0.045 − cos x − 3 sin 3x − 5 cos 5x − 7 sin 7x（与 f′ 的中心差分相差不超过 "
        "{fd_err:.1g}）。f″ 最低到 {h_min:.4g}（在 x = {x_h_min:.3g} 处），所以只有 "
        "α > {h_neg:.4g} 才能处处保证 f″ + α > 0。{n} 次运行中，{n_dip} 次（α ≥ {alpha_dip:.3g}）"
        "停在第一个凹坑 x = {dip:.4f}；{n_hump} 次（α ≤ {alpha_hump:.3g}）爬到 x = {hump:.4f}，"
        "那是一个局部极大值，f″ = {h_hump:.3g}；{n_else} 次停在别处，{n_best} 次到达全局最小值。",
    },
    "checked.col.i": {"en": "i", "zh": "i"},
    "checked.col.lr": {"en": "η", "zh": "η"},
    "checked.col.farthest": {"en": "farthest x", "zh": "最远的 x"},
    "checked.col.end": {"en": "x at step 1000", "zh": "第 1000 步的 x"},
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
    "article_code": "文章中的函数，f′ 按其代码的顺序求和",
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
    "no_lr_to_schedule": "调度无效：{name!r} 没有可调度的学习率",
    "onecycle_too_short": (
        "周期步数 {total_steps} 无效：单周期调度无法运行 {steps} 步，周期步数至少要等于步数"
    ),
    "onecycle_phases": (
        "上升比例 {pct_start!r} 无效：乘以周期步数 {total_steps} 后，单周期调度的某个阶段不足一步"
    ),
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


def name_list(names: list[str], lang: str) -> str:
    """``names`` as a sentence lists them: "A, B and C", "A、B 和 C"."""
    head = t("list_sep", lang).join(names[:-1])
    return f"{head}{t('and', lang)}{names[-1]}" if head else names[-1]


# Every optimizer the page can name: the picker's, then the named variants.
_SPECS = (*optimizers.OPTIMIZERS.values(), *optimizers.VARIANTS.values())
# Each hyperparameter and state field by name, as the first spec declaring it has it;
# tests/test_display.py checks that every spec of one name agrees.
_HPARAMS = {hp.name: hp for opt in reversed(_SPECS) for hp in reversed(opt.hparams)}
_STATE = {
    LR_USED.field: LR_USED,
    **{s.field: s for opt in reversed(_SPECS) for s in reversed(opt.recorded)},
}


def optimizer_label(name: str, lang: str) -> str:
    opt = optimizers.get(name)
    return opt.label if lang == "en" else opt.label_zh


def state_label(field: str, lang: str) -> str:
    """The state panel's name for the recorded state field ``field``."""
    return _STATE[field].label.get(lang)


def function_label(name: str, lang: str) -> str:
    if name not in functions.FUNCTIONS and name not in functions.VARIANTS:
        return t("fn.custom", lang)
    return functions.get(name).label if lang == "en" else FUNCTION_LABELS_ZH[name]


def hparam_label(name: str, lang: str) -> str:
    hp = _HPARAMS[name]
    return hp.label if lang == "en" else hp.label_zh


def hparam_help(hp: optimizers.HyperParam, lang: str) -> str:
    return hp.help if lang == "en" else hp.help_zh


def schedule_label(kind: str, lang: str) -> str:
    return SCHEDULES[kind].label.get(lang)


_SUBSCRIPTS = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_LATEX_NAME = re.compile(r"\\(?:(?:text|mathrm)\{([^}]*)\}|([A-Za-z]+))")


def symbol_text(latex: str) -> str:
    """A symbol's LaTeX as plain Unicode (``\\beta_1`` -> ``β₁``): a widget label that a
    screen reader reads as text, where ``$\\beta_1$`` would be read out as typed."""

    def name(m: re.Match) -> str:
        if m[1] is not None:
            return m[1]
        # Unicode spells λ "lamda"; \\varepsilon, \\varphi are ε and φ here.
        letter = m[2].removeprefix("var").upper().replace("LAMBDA", "LAMDA")
        case = "CAPITAL" if m[2][0].isupper() else "SMALL"
        try:
            return unicodedata.lookup(f"GREEK {case} LETTER {letter}")
        except KeyError:  # an operator name: \\max, \\min
            return m[2]

    def subscript(m: re.Match) -> str:
        # Unicode has no subscript c, f, g, ...: such a subscript follows as a word
        # (d_c -> "d c"), never as the "_" a screen reader spells out.
        small = m[1].translate(_SUBSCRIPTS)
        return " " + m[1] if any(c.isascii() for c in small) else small

    text = _LATEX_NAME.sub(name, latex)
    return re.sub(r"_\{?([^{}\s]+)\}?", subscript, text)
