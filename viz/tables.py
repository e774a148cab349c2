"""The formula panel and the summary table, as pure functions of specs and runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from functions import Objective
from optimizers import SCHEDULES, Optimizer
from viz.figures import Run, uphill_signal
from viz.text import hparam_label, t


def _latex_value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return rf"\text{{{t('on' if value else 'off', lang)}}}"
    if isinstance(value, str):
        return rf"\text{{{value}}}"
    text = f"{value:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def formula_latex(opt: Optimizer, values: dict[str, Any], lang: str = "en") -> str:
    """The update rule with the current hyperparameter values beneath it. A switch is
    named in words (its symbol is a word too), in ``lang``, as is the rule's note."""
    rule = opt.latex
    if opt.latex_note is not None:
        rule += rf"\qquad \text{{{opt.latex_note.get(lang)}}}"
    if not opt.hparams:
        return rf"\begin{{gathered}}{rule}\end{{gathered}}"
    settings = r",\ ".join(
        (rf"\text{{{hparam_label(hp.name, lang)}}}" if hp.kind == "bool" else hp.symbol)
        + f" = {_latex_value(values[hp.name], lang)}"
        for hp in opt.hparams
    )
    return rf"\begin{{gathered}}{rule} \\ {settings}\end{{gathered}}"


def schedule_latex(kind: str, values: dict[str, Any], lang: str = "en") -> str:
    """A schedule's closed form with its parameters' current values beneath."""
    spec = SCHEDULES[kind]
    if not spec.params:
        return spec.latex
    settings = r",\ ".join(
        (rf"\text{{{p.label if lang == 'en' else p.label_zh}}}" if p.kind == "bool" else p.symbol)
        + f" = {_latex_value(values[p.name], lang)}"
        for p in spec.params
    )
    return rf"\begin{{gathered}}{spec.latex} \\ {settings}\end{{gathered}}"


def summary_rows(fn: Objective, runs: Sequence[Run]) -> list[dict[str, Any]]:
    rows = []
    for run in runs:
        tr = run.traj
        signal = uphill_signal(tr)
        rows.append(
            {
                "optimizer": run.label,
                "x": float(tr.x_final),
                "f": float(tr.f_final),
                # No global minimum (f unbounded below near a pole): no distance to it.
                "distance": abs(float(tr.x_final) - fn.x_min) if fn.has_minimum else None,
                # A run that diverged never settled, whatever its last steps did.
                "settled": int(tr.settled_at)
                if int(tr.settled_at) < tr.steps and int(tr.diverged_at) < 0
                else None,
                "diverged": int(tr.diverged_at) if int(tr.diverged_at) >= 0 else None,
                "uphill": None if signal is None else int(np.sum(signal <= 0)),
            }
        )
    return rows
