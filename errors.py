"""Errors of the numerical core: a language-neutral code, its parameters, an English message.

Every error a user, a link or a notebook can trigger is a ``LabError``: still a
``ValueError`` (the API promised ValueError), with ``code``, a short id such as
``"unknown_name"``, and ``params``, the values its message names (column, name, limit,
...). ``str(error)`` is the English message, ``MESSAGES[code]`` formatted with
``params``; a page in another language formats its own template for the same code with
the same params (``viz.text.ERRORS_ZH``) instead of parsing the English.

This module imports nothing of the app, so ``functions``, ``optimizers`` and ``viz``
can all raise these without importing each other.
"""

from __future__ import annotations

from typing import Any

ALLOWED = (
    "only x, numbers, + - * / ^, parentheses and "
    "sin cos tan exp log sqrt abs tanh sinh cosh atan pi e are allowed"
)

# code -> English template; its format fields are the error's params.
MESSAGES: dict[str, str] = {
    # A typed expression (functions.from_expression): grammar, whitelist, limits.
    "not_a_string": "expression must be a string, not {type}",
    "empty_expression": "empty expression",
    "too_long": "expression too long: {length} characters (at most {limit})",
    "non_ascii": (
        "non-ASCII character {char!r} (U+{codepoint:04X} {char_name}) at column {column} "
        "is not allowed; type plain ASCII such as x, 2, +"
    ),
    "bad_character": "character {char!r} at column {column} is not allowed; " + ALLOWED,
    "keyword": "{name!r} is not allowed (column {column}); " + ALLOWED,
    "unknown_name": "unknown name {name!r} at column {column}; " + ALLOWED,
    "unknown_name_product": (
        "unknown name {name!r} at column {column} (write products with *, e.g. {product}); "
        + ALLOWED
    ),
    "number_too_large": "number {number} at column {column} is too large (at most {limit:,.0f})",
    "needs_parenthesis": "{name} at column {column} must be followed by '('",
    "unmatched_parenthesis": "unexpected ')' at column {column}: no matching '('",
    "missing_operator": "unexpected {token!r} at column {column}: missing operator?",
    "unexpected_token": "unexpected {token!r} at column {column}",
    "empty_parentheses": "empty parentheses at column {column}",
    "ends_unexpectedly": "expression ends unexpectedly after {token!r} at column {column}",
    "unclosed_parenthesis": "'(' at column {column} is never closed",
    "too_deep_at": "too deeply nested at column {column} (at most {limit} levels)",
    "too_deep": "too deeply nested (at most {limit} levels)",
    "syntax_error": "syntax error at column {column}",
    "exponent_too_large": "exponent {exponent} too large at column {column} (at most {limit})",
    # Defence in depth: the tokenizer already stops these; an AST from elsewhere may not.
    "constant_too_large": "number at column {column} is too large",
    "node_not_allowed": "{node} {source!r} at column {column} is not allowed; " + ALLOWED,
    "undefined": "{expression} at column {column} is undefined or too large ({value})",
    "too_slow": "{expression!r} is too slow to evaluate; try a shorter expression",
    "nowhere_finite": (
        "{expression!r} is not finite anywhere on [{lo:g}, {hi:g}]; choose other bounds"
    ),
    # A typed expression's domain.
    "bounds_not_numbers": "bounds must be two numbers (lo, hi), not {bounds!r}",
    "bad_bounds": "invalid bounds {bounds!r}: need finite lo < hi",
    "bounds_too_wide": "bounds too wide: width {width:g} (at most {limit:g})",
    "x0_not_a_number": "x0 must be a number, not {value!r}",
    "x0_outside": "x0 = {value:g} is outside the bounds [{lo:g}, {hi:g}]",
    # functions.Objective built by hand.
    "objective_bounds": "Invalid bounds: {bounds}; need finite lo < hi",
    "objective_x0": "Invalid x0: {value}; must lie in [{lo}, {hi}]",
    "objective_not_finite": "The function is not finite anywhere on its bounds",
    # Names looked up.
    "unknown_function": "Unknown function {name!r}; choose one of {choices}",
    "unknown_optimizer": "Unknown optimizer {name!r}; choose one of {choices}",
    "unknown_gallery": "Unknown gallery {name!r}; choose one of {choices}",
    "unknown_lesson": "Unknown lesson {name!r}; choose one of {choices}",
    "unknown_language": "Unknown language {name!r}; choose one of {choices}",
    "unknown_hparam": "Unknown hyperparameter {name!r} for {optimizer}",
    "unexpected_hparam": "Unknown hyperparameter {name!r} for {optimizer}; it takes {choices}",
    # A value given for a named setting (a hyperparameter, steps, x0, t, ...).
    "not_bool": "Invalid {name}: {value!r}; must be True or False",
    "not_a_number": "Invalid {name}: {value!r}; must be a number",
    "not_integer": "Invalid {name}: {value!r}; must be an integer",
    "not_finite": "Invalid {name}: {value!r}; must be a finite number",
    "out_of_range": "Invalid {name}: {value!r}; allowed range {range}",
    "integer_too_small": "Invalid {name}: {value!r}; need an integer >= {minimum}",
    "bad_choice": "Invalid {name}: {value!r}; choose one of {choices}",
    "nesterov": "Invalid nesterov: True; Nesterov needs momentum > 0 and dampening 0",
    "batch_too_large": (
        "Invalid batch: {runs} runs x {steps} steps is too much to record; "
        "at most {limit} values, or pass summary=True"
    ),
    "too_many_seeds": (
        "Invalid seed: {seeds} distinct seeds x {steps} steps is too many; "
        "at most {limit} noise values"
    ),
    # Learning-rate schedules (optimizers.schedules).
    "no_lr_to_schedule": "Invalid schedule: {name!r} has no learning rate to schedule",
    "onecycle_too_short": (
        "Invalid total_steps: {total_steps}; OneCycleLR cannot run {steps} steps, "
        "so total_steps must be at least the steps"
    ),
    "onecycle_phases": (
        "Invalid pct_start: {pct_start!r} of total_steps {total_steps} leaves a phase of "
        "OneCycleLR shorter than one step"
    ),
    # Figures and exports asked for what a run cannot give.
    "no_lr_to_sweep": "Invalid optimizer: {name!r} has no learning rate to sweep",
    "bad_sweep_axis": "Invalid y_axis: {value!r}; {optimizer} sweeps one of {choices}",
    "not_noisy": "Invalid optimizer: {name!r}; ensembles need one of {choices}",
    "need_full_run": "Invalid trajectory: need one full (not summary, not batched) run",
    "wrong_optimizer": "Invalid trajectory: it ran {ran!r}, not {name!r}",
    "export_needs_full_run": (
        "Invalid run {name!r}: exports need a full, unbatched trajectory "
        "(one x0 and scalar hyperparameters, summary=False)"
    ),
}


class LabError(ValueError):
    """A ValueError with a ``code`` (a key of MESSAGES) and the ``params`` its message
    names. ``LabError("unknown_name", name="os", column=1)``; an unknown code or a
    missing param fails at once, where it is raised."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))

    def __reduce__(self):  # pickle through the code and params, not the message
        return _rebuild, (self.code, self.params)


def _rebuild(code: str, params: dict[str, Any]) -> LabError:
    return LabError(code, **params)
