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


def read_config_json(path: str | Path, what: str):
    """A bureau's JSON file (`what` names it: 分值文件, 审核配置文件 …), or a ConfigError naming the file and,
    for broken JSON, the line and column."""
    from ._errors import ConfigError

    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"找不到{what}：{path}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取{what} {path}：{exc}") from None
