"""A student clicking through the page in random orders: no sequence of clicks breaks it.

Hypothesis drives the whole page through AppTest: it adds and removes optimizers, moves
every kind of control to its ends and to random values, opens and closes expanders,
switches tabs, Explore views, language, function and lesson, types good and bad
expressions and presses reset. After
every step the page has no exception, the URL parses back to the page's Config, every
drawn control shows that Config, and what the student set survives its control being
hidden and shown again.

``EXAMPLES`` and ``STEPS`` bound the run in CI (set OPTLAB_STATEFUL_EXAMPLES for a
longer hunt).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from streamlit.proto.WidgetStates_pb2 import WidgetState

import optimizers
from tests.pages import new_page
from ui import lazy
from viz import grids
from viz.config import SETTINGS_BY_KEY, VIEWS, Config
from viz.figures import NORMAL, PRESENTATION
from viz.lessons import LESSONS
from viz.text import t

EXAMPLES = int(os.environ.get("OPTLAB_STATEFUL_EXAMPLES", "10"))
STEPS = 15
CONFIG = "_config"  # where ui.state keeps the page's Config

GOOD_EXPRESSIONS = ["x^2", "sin(3x) + 0.1x^2", "abs(x) - 2cos(x)", "x^4 - 3x^2 + x"]
BAD_EXPRESSIONS = ["", "x +", "__import__('os')", "9**9**9", "log(-1 - x^2)", "((x)", "$x$"]
HYPER_KEYS = [f"{n}.{hp.name}" for n, o in optimizers.OPTIMIZERS.items() for hp in o.hparams]
SCHEDULE_KEYS = [f"sched.{k}.{p.name}" for k, s in optimizers.SCHEDULES.items() for p in s.params]
# Hyperparameters and schedule parameters on a select slider, which shows a value as
# its label.
LABELLED = {
    f"{n}.{hp.name}"
    for n, o in optimizers.OPTIMIZERS.items()
    for hp in o.hparams
    if hp.kind != "bool" and hp.name != "seed"
} | {f"sched.{k}.{p.name}" for k, s in optimizers.SCHEDULES.items() for p in s.params
     if p.kind == "float"}  # fmt: skip
# A lazy expander's key ends its widget id: ui.lazy.key("adam"), ui.lazy.key("alt.panels").
LAZY_KEY = re.compile(rf"-({re.escape(lazy.key(''))}[\w.]+)$")
# Short runs keep every view quick; the page is the same at any length.
START = {"steps": "60"}


def ends_or_any(data, low, high, draw_any):
    """A control's lowest value, its highest, or one drawn between them."""
    return data.draw(st.sampled_from([low, high]) | draw_any, label="value")


class StudentClicks(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.at = new_page(**START)
        # What the student set and the page must keep.
        self.kept: dict[str, Any] = {}

    # --- helpers ------------------------------------------------------------------

    @property
    def config(self) -> Config:
        return self.at.session_state[CONFIG]

    def widget(self, kind: str, key: str):
        """The drawn control of ``kind`` with ``key``, or None."""
        found = [w for w in self.at.get(kind) if getattr(w, "key", None) == key]
        return found[0] if found else None

    def drawn(self, kinds: tuple[str, ...], data, keys):
        """One of the drawn controls of ``kinds`` whose key is in ``keys``, or None."""
        found = {
            w.key: w for kind in kinds for w in self.at.get(kind) if getattr(w, "key", None) in keys
        }
        # Draw a key, not the widget: Hypothesis prints what it drew.
        return found[data.draw(st.sampled_from(sorted(found)), label="control")] if found else None

    def shown(self, key: str) -> Any:
        """What setting ``key``'s control would show for the page's Config."""
        value = self.config.get(key)
        return grids.fmt(value) if key in LABELLED else value

    def forget(self):
        """A lesson or reset sets every control anew."""
        self.kept.clear()

    # --- rules --------------------------------------------------------------------

    @rule(name=st.sampled_from(list(optimizers.OPTIMIZERS)))
    def add_or_remove_optimizer(self, name):
        picker = self.at.multiselect(key="opt")
        if name in picker.value:
            picker.unselect(name)
        else:
            picker.select(name)
        self.at.run()

    @rule(data=st.data())
    def remove_and_add_back(self, data):
        """Take away an optimizer whose settings were changed, then bring it back."""
        changed = sorted({k.split(".")[0] for k in self.kept if k in HYPER_KEYS})
        chosen = [n for n in changed if n in self.at.multiselect(key="opt").value]
        if not chosen:
            return
        name = data.draw(st.sampled_from(chosen), label="optimizer")
        self.at.multiselect(key="opt").unselect(name).run()
        self.what_was_set_is_kept()
        self.at.multiselect(key="opt").select(name).run()

    @rule(data=st.data())
    def open_an_optimizers_settings(self, data):
        chosen = self.config.optimizers
        if chosen:
            name = data.draw(st.sampled_from(chosen), label="optimizer")
            self.at.session_state[lazy.key(name)] = True
            self.at.run()

    @rule(data=st.data(), open_=st.booleans())
    def open_or_close_an_expander(self, data, open_):
        """Any expander that builds its content only while open: an optimizer's settings,
        an explanation, a chart's data table, the lessons' list."""
        keys = sorted(
            m.group(1)
            for node in self.at._tree
            if getattr(node, "type", None) == "expander" and (m := LAZY_KEY.search(node.proto.id))
        )
        if keys:
            key = data.draw(st.sampled_from(keys), label="expander")
            self.at.session_state[key] = open_
            self.at.run()

    @rule(data=st.data())
    def move_a_hyperparameter(self, data):
        w = self.drawn(("select_slider", "toggle", "number_input"), data, HYPER_KEYS)
        if w is None:
            return
        if w.type == "toggle":
            picked = not w.value
            w.set_value(picked)
        elif w.type == "number_input":  # the seed
            picked = ends_or_any(data, int(w.min), int(w.max), st.integers(0, 10**6))
            w.set_value(picked)
        else:  # as the slider labels it
            picked = ends_or_any(data, w.options[0], w.options[-1], st.sampled_from(w.options))
            w.set_value(float(picked))
        self.at.run()
        self.kept[w.key] = picked

    @rule(data=st.data())
    def move_a_schedule_parameter(self, data):
        w = self.drawn(("select_slider", "toggle", "number_input", "button_group"), data,
                       SCHEDULE_KEYS)  # fmt: skip
        if w is None:
            return
        if w.type == "toggle":
            picked = not w.value
        elif w.type == "number_input":
            picked = ends_or_any(data, int(w.min), int(w.max), st.integers(int(w.min), 2000))
        elif w.type == "button_group":
            picked = data.draw(st.sampled_from(SETTINGS_BY_KEY[w.key].choices), label="choice")
        else:
            picked = ends_or_any(data, w.options[0], w.options[-1], st.sampled_from(w.options))
        w.set_value(float(picked) if w.type == "select_slider" else picked).run()
        self.kept[w.key] = picked

    @rule()
    def tune_the_race(self):
        [button] = [b for b in self.at.button if b.label == t("tune", self.config.lang)]
        if button.disabled:
            return
        button.click().run()
        assert self.config.tuned
        for key in [k for k in self.kept if k.endswith(".lr")]:
            del self.kept[key]  # tuning sets every chosen optimizer's lr

    @rule(data=st.data())
    def move_a_slider(self, data):
        w = self.drawn(("slider",), data, ("x0", "steps", "noise.k", "step", "panel"))
        if w is None:
            return
        if w.key == "x0":
            value = ends_or_any(data, w.min, w.max, st.floats(w.min, w.max))
        else:
            step = 10 if w.key == "steps" else 1
            value = ends_or_any(data, w.min, w.max, st.integers(w.min // step, w.max // step))
            value = value * step if value not in (w.min, w.max) else value
        w.set_value(value).run()
        if w.key == "steps":
            self.kept.pop("step", None)  # the inspected step never passes the last one
        if w.key != "x0":  # x0 is a float: checked by every_control_shows_the_config
            self.kept[w.key] = value

    @rule(data=st.data())
    def pick_from_a_list(self, data):
        w = self.drawn(("selectbox",), data, ("fn", "sw.opt", "sw.y", "insp.opt", "state", "sched"))
        if w is None:
            return
        # The ids the list offers (AppTest's select_index would pass a label as an id).
        ids = [c for c in SETTINGS_BY_KEY[w.key].choices if w.format_func(c) in w.options]
        picked = data.draw(st.sampled_from(ids), label="option")
        if picked == w.value:  # no change: nothing to remember
            return
        w.set_value(picked).run()
        if w.key == "fn":
            self.kept.pop("x0", None)  # a new function starts from its own x0
        if w.key == "sw.opt":
            self.kept.pop("sw.y", None)  # its axes differ
        self.kept[w.key] = picked

    @rule(data=st.data())
    def press_a_segment(self, data):
        w = self.drawn(
            ("button_group",), data, ("ex", "sw.metric", "noise.opt", "gallery", "gstyle", "lang")
        )
        if w is None:
            return
        choice = data.draw(st.sampled_from(SETTINGS_BY_KEY[w.key].choices), label="choice")
        before = self.config.gallery
        w.set_value(choice).run()
        if w.key == "gallery" and choice != before:
            self.kept.pop("panel", None)  # another gallery starts at its first panel
        self.kept[w.key] = choice

    @rule(view=st.sampled_from(VIEWS))
    def switch_tab(self, view):
        """Click a tab, as the browser reports it: the tab's label in the page's language."""
        ids = [
            node.proto.tab_container.id
            for node in self.at._tree
            if getattr(node, "type", None) == "tab_container"
        ]
        if not ids:
            return
        states = self.at._tree.get_widget_states()
        states.widgets.append(
            WidgetState(id=ids[0], string_value=t(f"view.{view}", self.config.lang))
        )
        self.at._run(states)

    @rule(on=st.booleans())
    def toggle_log_scale(self, on):
        self.at.toggle(key="log").set_value(on).run()
        self.kept["log"] = on

    @rule(on=st.booleans())
    def toggle_presentation_mode(self, on):
        self.at.toggle(key="present").set_value(on).run()
        self.kept["present"] = on
        charts = self.at.get("plotly_chart")
        if self.config.view == "race" and charts:  # the race's landscape comes first
            font = json.loads(charts[0].proto.spec)["layout"]["font"]["size"]
            assert font == (PRESENTATION if on else NORMAL).font

    @precondition(lambda self: self.widget("text_input", "expr") is not None)
    @rule(expr=st.sampled_from(GOOD_EXPRESSIONS + BAD_EXPRESSIONS))
    def type_an_expression(self, expr):
        before = self.config.expr
        self.at.text_input(key="expr").set_value(expr).run()
        error = [e.value for e in self.at.sidebar.error]
        if expr in GOOD_EXPRESSIONS:
            assert not error and self.config.expr == expr
            self.kept["expr"] = expr
            self.kept.pop("x0", None)
        else:
            assert error, f"{expr!r} was taken without a word"
            assert self.config.expr == before  # the last function that worked stays

    @precondition(lambda self: self.widget("number_input", "lo") is not None)
    @rule(key=st.sampled_from(["lo", "hi"]), value=st.sampled_from([-1e6, -5.0, 0.0, 2.0, 1e6]))
    def type_a_bound(self, key, value):
        """Bounds at the input's ends, or crossing the other bound: explained, never used."""
        self.at.number_input(key=key).set_value(value).run()
        self.kept.pop("x0", None)

    @rule(lesson=st.sampled_from(["", *(les.id for les in LESSONS)]))
    def choose_a_lesson(self, lesson):
        self.at.selectbox(key="lesson").set_value(lesson).run()
        if lesson:
            self.forget()

    @rule()
    def reset(self):
        [button] = [b for b in self.at.button if b.label == t("reset", self.config.lang)]
        button.click().run()
        self.forget()
        assert self.config == Config(lang=self.config.lang)

    # --- what must hold after every step ------------------------------------------

    @invariant()
    def no_traceback(self):
        assert not self.at.exception, [e.value for e in self.at.exception]

    @invariant()
    def the_url_is_the_config(self):
        query = {k: self.at.query_params[k] for k in self.at.query_params}
        back, notices = Config.from_query(query)
        assert notices == []
        assert back == self.config

    @invariant()
    def every_control_shows_the_config(self):
        for kind in ("select_slider", "slider", "toggle", "selectbox", "multiselect"):
            for w in self.at.get(kind):
                key = getattr(w, "key", None)
                if key not in SETTINGS_BY_KEY or key in ("x0", "state"):
                    continue
                value = grids.fmt(w.value) if key in LABELLED else w.value
                expected = self.shown(key)
                assert value == (list(expected) if isinstance(expected, tuple) else expected), key

    @invariant()
    def what_was_set_is_kept(self):
        for key, value in self.kept.items():
            assert self.shown(key) == value, key


StudentClicks.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    # Saved examples would replay against a page whose rules have since changed.
    database=None,
    # No shrinking: a failing sequence is printed as found, and a failure costs seconds.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
test_students_cannot_break_the_page = StudentClicks.TestCase
