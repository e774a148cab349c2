"""Bounded caches keyed by Configs cut down to what each computation reads
(``Config.runs_of``): links come from strangers, so every cache is bounded, and
cached objects are never mutated."""

from __future__ import annotations

import streamlit as st

import optimizers
from viz import figures
from viz.config import Config
from viz.text import error_text, optimizer_label, plain, t

# How a Config keys a cache: its repr names every field, floats to the last bit, and
# hyperparameters in sorted order.
HASH_FUNCS = {Config: repr}


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=HASH_FUNCS)
def trajectory(name: str, race: Config):
    """One optimizer's run: a slider change recomputes only the optimizer it touched."""
    return optimizers.run(name, race.objective, race.start, race.steps, **race.hparams_of(name))


def runs(race: Config, lang: str) -> tuple[list[figures.Run], list[str]]:
    """The runs of the optimizers ``race`` chooses, and a message for each that could
    not run."""
    out, errors = [], []
    for name in race.optimizers:
        label = optimizer_label(name, lang)
        try:
            out.append(figures.Run(name, label, trajectory(name, race.runs_of((name,)))))
        except ValueError as e:
            errors.append(t("error_run", lang, label=label, error=plain(error_text(e, lang))))
    return out, errors


def tr(lang: str):
    return lambda key, **kw: t(key, lang, **kw)


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=HASH_FUNCS)
def landscape(race: Config, lang: str):
    return figures.landscape_figure(race.objective, runs(race, lang)[0], tr(lang))


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=HASH_FUNCS)
def panels(race: Config, lang: str, state_key: str | None, log: bool):
    return figures.panels_figure(race.objective, runs(race, lang)[0], tr(lang), state_key, log)
