"""Reads the JSON lexicons shipped beside this package (stdlib only, read once)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed JSON object of `data/NAME.json`, cached for the life of the process."""
    text = resources.files(__package__).joinpath("data").joinpath(f"{name}.json").read_text("utf-8")
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError(f"understanding data file {name}.json must hold a JSON object")
    return value
