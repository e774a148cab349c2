"""Text alternatives for the charts: a sentence saying where each run went, computed from
the runs, and the data as a table, for readers who cannot see the chart."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from optimizers import Trajectory
from viz.figures import Run, step_ticks
from viz.text import t

TABLE_ROWS = 21  # round steps in a table, from 0; and the last step


def _num(value: float) -> str:
    return f"{value:.4g}"


def table_steps(steps: int) -> list[int]:
    """Round steps from 0 to ``steps`` (at most TABLE_ROWS of them), and the last."""
    return sorted({*step_ticks(steps, TABLE_ROWS), steps})


def run_fate(tr: Trajectory, lang: str, i: int | None = None) -> str:
    """Where one run (or run ``i`` of a batch) went: diverged at a step, or from x0 to
    its final x and f."""
    pick = (lambda a: a) if i is None else (lambda a: a[..., i])
    diverged = int(pick(tr.diverged_at))
    if diverged >= 0:
        return t("alt.diverged", lang, step=diverged, x=_num(float(pick(tr.x)[diverged])))
    return t(
        "alt.ended",
        lang,
        x0=_num(float(pick(tr.x)[0])),
        x=_num(float(pick(tr.x_final))),
        f=_num(float(pick(tr.f_final))),
        steps=tr.steps,
    )


def _join(parts: Sequence[str], lang: str) -> str:
    return t("alt.sep", lang).join(parts) + t("alt.end", lang)


def landscape_sentence(runs: Sequence[Run], lang: str) -> str:
    return _join([f"{r.label}{t('alt.colon', lang)}{run_fate(r.traj, lang)}" for r in runs], lang)


def runs_table(runs: Sequence[Run], lang: str, state_key: str | None = None) -> pd.DataFrame:
    """x and f(x) of each run (and the state ``state_key``) at round steps."""
    steps = table_steps(max(r.traj.steps for r in runs))
    table: dict[str, list] = {t("step", lang): steps}
    for r in runs:
        tr, at = r.traj, [s for s in steps if s <= r.traj.steps]
        table[f"{r.label}: x"] = [_num(tr.x[s]) for s in at]
        table[f"{r.label}: f(x)"] = [_num(tr.f[s]) for s in at]
        if state_key and state_key in (tr.state or {}):
            # state[s - 1] is recorded by step s; none before step 1.
            state = tr.state[state_key]
            table[f"{r.label}: {t(f'state.{state_key}', lang)}"] = [
                _num(state[s - 1]) if s else "" for s in at
            ]
    return pd.DataFrame(table)


def panels_sentence(runs: Sequence[Run], lang: str, state_key: str | None) -> str:
    """The panels at the last step: each run's f and x (and its state)."""
    parts = []
    for r in runs:
        tr = r.traj
        part = t("alt.panel", lang, label=r.label, f=_num(tr.f_final), x=_num(tr.x_final))
        if state_key and state_key in (tr.state or {}):
            name = t(f"state.{state_key}", lang)
            part += t("alt.panel_state", lang, name=name, value=_num(tr.state[state_key][-1]))
        parts.append(part)
    return t("alt.panels", lang, steps=max(r.traj.steps for r in runs)) + _join(parts, lang)


def gallery_sentence(labels: Sequence[str], traj: Trajectory, lang: str) -> str:
    """Each panel of a gallery (one run of a batch per label): where it went."""
    return _join(
        [
            f"{label}{t('alt.colon', lang)}{run_fate(traj, lang, i)}"
            for i, label in enumerate(labels)
        ],
        lang,
    )


def gallery_table(labels: Sequence[str], traj: Trajectory, lang: str) -> pd.DataFrame:
    diverged = [int(d) for d in traj.diverged_at]
    return pd.DataFrame(
        {
            t("alt.panel_col", lang): list(labels),
            t("col.x", lang): [_num(x) for x in traj.x_final],
            t("col.f", lang): [_num(f) for f in traj.f_final],
            t("col.diverged", lang): [str(d) if d >= 0 else t("never", lang) for d in diverged],
        }
    )


def ensemble_sentence(data, label: str, lang: str) -> str:
    """A noise ensemble (viz.explore.Ensemble): where its seeds ended."""
    return t(
        "alt.noise",
        lang,
        k=data.seeds.size,
        label=label,
        median=_num(data.median[-1]),
        lo=_num(data.lo[-1]),
        hi=_num(data.hi[-1]),
        diverged=int(data.diverged.sum()),
        gd=_num(data.gd_x[-1]),
    )


def ensemble_table(data, lang: str) -> pd.DataFrame:
    steps = table_steps(data.x.shape[0] - 1)
    return pd.DataFrame(
        {
            t("step", lang): steps,
            t("alt.median", lang): [_num(data.median[s]) for s in steps],
            t("alt.band", lang): [f"{_num(data.lo[s])} … {_num(data.hi[s])}" for s in steps],
            t("alt.gd", lang): [_num(data.gd_x[s]) for s in steps],
        }
    )


def basins_sentence(data, labels: dict[str, str], lang: str) -> str:
    """Basins of attraction (viz.explore.Basins): for each optimizer, the share of its
    starts that end in the deepest minimum and the share that diverge."""
    n = data.x0.size
    deepest = data.minima[data.global_index] if data.global_index >= 0 else float("nan")
    parts = [
        t(
            "alt.basin",
            lang,
            label=labels[name],
            best=round(100 * float((run.basin == data.global_index).mean())),
            diverged=round(100 * float((run.diverged_at >= 0).mean())),
        )
        for name, run in data.runs.items()
    ]
    return t("alt.basins", lang, n=n, x=_num(deepest)) + _join(parts, lang)


def basins_table(data, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Each start (every 20th of them) and where each optimizer took it."""
    rows = range(0, data.x0.size, max(1, data.x0.size // 20))
    table = {t("x0", lang): [_num(data.x0[i]) for i in rows]}
    for name, run in data.runs.items():
        table[labels[name]] = [
            t("alt.diverged_short", lang) if run.diverged_at[i] >= 0 else _num(run.x_final[i])
            for i in rows
        ]
    return pd.DataFrame(table)


def sweep_sentence(sw, y_label: str, lang: str) -> str:
    """A sweep map (viz.explore.Sweep): how many cells diverged, and the best cell."""
    f = sw.f_final.astype(float).copy()
    f[sw.diverged] = float("inf")
    row, col = divmod(int(f.argmin()), f.shape[1])
    return t(
        "alt.sweep",
        lang,
        n=f.size,
        diverged=int(sw.diverged.sum()),
        f=_num(f[row, col]),
        lr=_num(sw.lr[col]),
        name=y_label,
        y=_num(sw.y[row]),
    )


def sweep_table(sw, y_label: str, lang: str) -> pd.DataFrame:
    """Final f on every 10th row and column of the grid; a diverged cell says so."""
    rows = range(0, sw.y.size, max(1, sw.y.size // 10))
    cols = range(0, sw.lr.size, max(1, sw.lr.size // 10))
    table = {f"{y_label} \\ η": [_num(sw.y[r]) for r in rows]}
    for c in cols:
        table[f"η = {_num(sw.lr[c])}"] = [
            t("alt.diverged_short", lang) if sw.diverged[r, c] else _num(sw.f_final[r, c])
            for r in rows
        ]
    return pd.DataFrame(table)


def newton_sentence(m: dict, step: int, curvature: str, lang: str) -> str:
    """Newton's model at one step (``viz.step_view.newton_model``): where it jumps."""
    return t(
        "alt.newton",
        lang,
        step=step,
        x=_num(m["x"]),
        grad=_num(m["grad"]),
        curvature=curvature,
        c=_num(m["curvature"]),
        x_star=_num(m["x_star"]),
        shape=t("alt.newton_max" if m["hill"] else "alt.newton_min", lang),
    )


def newton_table(m: dict, curvature: str, lang: str) -> pd.DataFrame:
    names = ["x", "f(x)", "f′(x)", curvature, t("alt.newton_next", lang)]
    keys = ["x", "f", "grad", "curvature", "x_star"]
    return pd.DataFrame({"": names, t("alt.value", lang): [_num(m[k]) for k in keys]})
