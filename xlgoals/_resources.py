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


def read_config_csv(path: str | Path, what: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """A bureau's table (`what` names it: 规则表, 计分规则表): (line number, the row by column, stripped) for each
    row that is not blank, after checking the header and each row's width.  A fault is a ConfigError naming
    the file and the line."""
    import csv

    from ._errors import ConfigError

    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise ConfigError(f"找不到{what}：{path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"无法读取{what} {path}：{exc}") from None
    if not rows or tuple(c.strip() for c in rows[0]) != columns:
        raise ConfigError(f"{path} 第 1 行：表头应为 {','.join(columns)}")
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(columns):
            raise ConfigError(f"{path} 第 {line} 行：应有 {len(columns)} 列，实际 {len(row)} 列（含逗号的文本请加英文双引号）")
        out.append((line, dict(zip(columns, (c.strip() for c in row)))))
    return out
