"""What each optimizer does, and how it typically fails on a landscape like the article's.

The idea and the failure are written in each optimizer's spec, in English and
Simplified Chinese; what each hyperparameter does is not repeated: it comes from the
hyperparameters' specs (``help`` and ``help_zh``), so there is one source for each
sentence.
"""

from __future__ import annotations

from typing import Any

import optimizers
from errors import LabError
from viz.config import LANGUAGES
from viz.text import hparam_help


def explanation(name: str, lang: str) -> dict[str, Any]:
    """How optimizer ``name`` works, in ``lang``.

    ``{"idea": str, "failure": str, "hparams": [(symbol, help), ...]}``: the symbols are
    LaTeX, in the order of the optimizer's spec; the help comes from the hyperparameters'
    specs.
    """
    opt = optimizers.get(name)
    if lang not in LANGUAGES:
        raise LabError("unknown_language", name=lang, choices=", ".join(LANGUAGES))
    return {
        "idea": opt.idea.get(lang),
        "failure": opt.failure.get(lang),
        "hparams": [(hp.symbol, hparam_help(hp, lang)) for hp in opt.hparams],
    }
