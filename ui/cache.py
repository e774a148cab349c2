"""Bounded caches keyed by plain values: links come from strangers, so every cache is
bounded, and cached objects are never mutated."""

from __future__ import annotations

import streamlit as st

import optimizers
from viz import figures
from viz.config import Config, objective_of
from viz.text import error_text, optimizer_label, plain, t

HpItems = tuple[tuple[str, object], ...]


@st.cache_resource(max_entries=256, show_spinner=False)
def trajectory(name: str, fn_key: tuple, x0: float, steps: int, hp: HpItems):
    """One optimizer's run: a slider change recomputes only the optimizer it touched."""
    return optimizers.run(name, objective_of(*fn_key), x0, steps, **dict(hp))


def run_key(cfg: Config, names: tuple[str, ...] | None = None) -> tuple:
    """What runs of ``names`` (the chosen optimizers by default) read from ``cfg``, as
    a hashable tuple for the caches."""
    chosen = cfg.optimizers if names is None else names
    hps = tuple((n, tuple(sorted(cfg.hparams_of(n).items()))) for n in chosen)
    return cfg.fn_key, float(cfg.start), cfg.steps, hps


def runs(key: tuple, lang: str) -> tuple[list[figures.Run], list[str]]:
    """The runs of ``key`` and a message for each optimizer that could not run."""
    fn_key, x0, steps, hps = key
    out, errors = [], []
    for name, hp in hps:
        label = optimizer_label(name, lang)
        try:
            out.append(figures.Run(name, label, trajectory(name, fn_key, x0, steps, hp)))
        except ValueError as e:
            errors.append(t("error_run", lang, label=label, error=plain(error_text(e, lang))))
    return out, errors


def _tr(lang: str):
    return lambda key, **kw: t(key, lang, **kw)


@st.cache_resource(max_entries=32, show_spinner=False)
def landscape(key: tuple, lang: str):
    fn = objective_of(*key[0])
    return figures.landscape_figure(fn, runs(key, lang)[0], _tr(lang))


@st.cache_resource(max_entries=32, show_spinner=False)
def panels(key: tuple, lang: str, state_key: str | None, log: bool):
    fn = objective_of(*key[0])
    return figures.panels_figure(fn, runs(key, lang)[0], _tr(lang), state_key, log)
