"""Read a Plotly figure's JSON as the browser gets it (typed arrays decoded)."""

import base64
import json

import numpy as np


def decode(value):
    """A plain list or a Plotly typed array ({"dtype", "bdata"}) as a float array."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).astype(float)
    return np.asarray(value, dtype=float)


def load(spec: str) -> dict:
    return json.loads(spec)
