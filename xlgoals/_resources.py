"""Locate the data files (templates/, schema/) in a source checkout or an installed copy."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder holding the data files called `name` ("templates" or "schema").

    A wheel carries them inside the package (``xlgoals/_data/<name>``); a source checkout
    or an editable install keeps them at the top of the repository.
    """
    for candidate in (_HERE / "_data" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"xlgoals data folder {name!r} not found; is the package installed correctly?")


@lru_cache(maxsize=None)
def load_json(folder: str, filename: str):
    with open(data_dir(folder) / filename, encoding="utf-8") as fh:
        return json.load(fh)
