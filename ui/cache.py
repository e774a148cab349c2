"""Bounded caches keyed by Configs cut down to what each computation reads
(``Config.runs_of``): links come from strangers, so every cache is bounded, and
cached objects are never mutated."""

from __future__ import annotations

import base64
import functools
import json

import numpy as np
import orjson
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

import optimizers
from viz import figures
from viz.config import Config
from viz.text import error_text, optimizer_label, plain, t

# Built figures are handed to Plotly as orjson fragments: Plotly must encode with orjson
# (its default whenever orjson is installed, as requirements.txt has it).
pio.json.config.default_engine = "orjson"

# How a Config keys a cache: its repr names every field, floats to the last bit, and
# hyperparameters in sorted order.
HASH_FUNCS = {Config: repr}


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=HASH_FUNCS)
def trajectory(name: str, race: Config):
    """One optimizer's run: a slider change recomputes only the optimizer it touched."""
    return optimizers.run(
        name,
        race.objective,
        race.start,
        race.steps,
        schedule=race.schedule_for(name),
        **race.hparams_of(name),
    )


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


_JSON_ATOMS = frozenset({str, int, float, bool, type(None)})


def typed_arrays(value):
    """``value`` with every numeric NumPy array a Plotly typed array (base64 of its
    bytes, as ``go.Figure.to_dict`` makes them) and NumPy scalars Python numbers. 64-bit
    integers become 32-bit: JavaScript has no Int64Array."""
    if isinstance(value, dict):
        return {k: typed_arrays(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if all(type(v) in _JSON_ATOMS for v in value):
            return value  # a frame's few markers: nothing in it to convert
        return [typed_arrays(v) for v in value]
    if isinstance(value, np.ndarray) and value.ndim and value.dtype.kind in "fiu":
        if value.dtype.itemsize == 8 and value.dtype.kind in "iu":
            value = value.astype(np.int32 if value.dtype.kind == "i" else np.uint32)
        data = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<"))
        return {"dtype": data.dtype.str[1:], "bdata": base64.b64encode(data.tobytes()).decode()}
    if isinstance(value, np.generic | np.ndarray) and not np.ndim(value):
        return value.item()
    return value


def _json(value) -> str:
    """``value`` as JSON, as Plotly encodes it with orjson (NaN and infinities as null),
    without Plotly's module lookups on every call: a figure is encoded key by key.
    Plotly's escapes for a page's HTML (``<``, ``>``, ``/``) are made once, on the whole
    figure, when Streamlit encodes it."""
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()


@functools.cache
def _default_template() -> dict:
    return go.Figure().to_dict()["layout"]["template"]


class Built(go.Figure):
    """A figure kept as the JSON Streamlit sends, built without validation.

    ``st.plotly_chart`` sends ``fig.to_dict()`` encoded by Plotly. A ``go.Figure``
    validates every property of every animation frame when built, and deep-copies itself
    in ``to_dict``: most of a rerun's time. The builders' dicts are validated by the
    tests (``viz.figures.*_figure``); here the dict as built, with NumPy arrays as Plotly
    typed arrays, is encoded once. ``to_dict`` hands Plotly that JSON as it is, in parts
    (``orjson.Fragment``), so a rerun neither decodes nor re-encodes it; ``spec`` is the
    figure as a plain dict. Its ``data``/``layout``/``frames`` attributes are empty.

    Cached as strings, not as nested dicts: a full garbage collection scans every dict,
    and the cached figures' frames were 20,000 dicts for a class.
    """

    def __init__(self, spec: dict) -> None:
        # This wrapper's own layout is never sent. An empty template there spares the
        # copy of Plotly's default one that go.Figure() makes (5 ms a figure), and
        # Plotly's validation of it another 0.4 ms.
        super().__init__(layout={"template": {}}, _validate=False)
        data, layout = typed_arrays(spec["data"]), typed_arrays(spec["layout"])
        # go.Figure puts Plotly's default template in every layout: so does this.
        layout.setdefault("template", _default_template())
        # Plotly's to_json walks the traces (to drop their uids) and Streamlit reads the
        # layout's width and height: those stay dicts, their values JSON.
        self._data_json = tuple({k: _json(v) for k, v in t.items()} for t in data)
        self._layout_json = {k: _json(v) for k, v in layout.items()}
        # Frames hold Python numbers only (viz.figures builds them so): no arrays to
        # convert, and walking 200 frames' dicts was a third of a landscape's build.
        self._frames_json = _json(spec["frames"]) if "frames" in spec else None
        self._frame_steps = tuple(int(frame["name"]) for frame in spec.get("frames", ()))

    def _assembled(self, part) -> dict:
        """The figure with ``part`` applied to each JSON part."""
        fig = {
            "data": [{k: part(v) for k, v in t.items()} for t in self._data_json],
            "layout": {k: part(v) for k, v in self._layout_json.items()},
        }
        if self._frames_json is not None:
            fig["frames"] = part(self._frames_json)
        return fig

    def to_dict(self) -> dict:
        """The figure for Plotly to encode: its parts already JSON."""
        fig = self._assembled(orjson.Fragment)
        for key in self._layout_json.keys() & {"width", "height"}:
            fig["layout"][key] = json.loads(self._layout_json[key])
        return fig

    to_plotly_json = to_dict

    def spec(self) -> dict:
        """The figure as a plain dict."""
        return self._assembled(json.loads)

    @property
    def frame_steps(self) -> tuple[int, ...]:
        """The steps its animation frames show, for the play controls."""
        return self._frame_steps


def run_traces(race: Config, lang: str, present: bool, rank: tuple[int, int]) -> tuple[dict, ...]:
    """One run's still traces on the landscape (``figures.run_traces``), its arrays as
    typed arrays; ``race`` is cut down to that run's optimizer. A slider move changes
    one run: the race's other runs are not drawn again (a third of a class's rebuilt
    landscapes, ``python -m bench classroom``)."""
    return _run_traces(repr(race), race, lang, present, rank)


# A functools cache: a hit costs microseconds, where Streamlit's inspects the function's
# signature and hashes its arguments on every call (0.3 ms, five times a move). Keyed
# by the race's repr as well as the race: == takes 0.0 for -0.0 (see HASH_FUNCS).
@functools.lru_cache(maxsize=256)
def _run_traces(
    key: str, race: Config, lang: str, present: bool, rank: tuple[int, int]
) -> tuple[dict, ...]:
    (run,), _ = runs(race, lang)
    traces = figures.run_traces(race.objective, run, tr(lang), present, rank)
    return tuple(typed_arrays(trace) for trace in traces)


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=HASH_FUNCS)
def landscape(race: Config, lang: str, present: bool = False) -> Built:
    fn, shown = race.objective, runs(race, lang)[0]

    def traces_of(i: int, rank: tuple[int, int]) -> list[dict]:
        return list(run_traces(race.runs_of((shown[i].name,)), lang, present, rank))

    return Built(figures.landscape_spec(fn, shown, tr(lang), present, traces_of))


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=HASH_FUNCS)
def panels(
    race: Config, lang: str, state_key: str | None, log: bool, present: bool = False
) -> Built:
    fn, shown = race.objective, runs(race, lang)[0]
    return Built(figures.panels_spec(fn, shown, tr(lang), state_key, log, present))
