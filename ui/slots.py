"""A block of its own for elements that come and go.

Streamlit matches a rerun's elements to the page's by their position. A note that
appears (two runs now ending together, a warning about the start) moves every element
after it one place on, and the browser draws each of those anew: with ten optimizers,
the ten formulas typeset again, the summary table and the download buttons rebuilt. In a
block of its own, what comes and goes moves nothing else.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def slot() -> DeltaGenerator:
    """A block that holds any number of elements, none (drawn as nothing) included."""
    return st.container()
