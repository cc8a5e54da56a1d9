"""Indicator frameworks: the level-1/level-2 categories and lists, kept as JSON under templates/."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .resources import data_dir, load_json

DEFAULT_FRAMEWORK = "shanghai-2020"


class UnknownFramework(ValueError):
    pass


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    title_en: str
    labels: dict
    level1: tuple  # ({"name", "required", "level2": [...]}, ...)
    comparators: tuple
    units: tuple
    project_categories: tuple
    performance_types: tuple
    optional_columns: tuple = ()
    prefilled_rows: tuple = ()
    source: str = ""
    level2_of: dict = field(default_factory=dict, compare=False)

    @property
    def level1_names(self) -> list[str]:
        return [c["name"] for c in self.level1]

    @property
    def required_level1(self) -> list[str]:
        return [c["name"] for c in self.level1 if c.get("required")]

    def lists(self) -> dict[str, list[str]]:
        """The named lists a rule may refer to (e.g. ``project_categories``)."""
        return {
            "level1": self.level1_names,
            "units": list(self.units),
            "project_categories": list(self.project_categories),
            "performance_types": list(self.performance_types),
        }


def framework_ids() -> list[str]:
    return sorted(p.stem for p in data_dir("templates").glob("*.json"))


@lru_cache(maxsize=None)
def load_framework(framework_id: str) -> Framework:
    if framework_id not in framework_ids():
        raise UnknownFramework(
            f"未知的指标体系 {framework_id!r}（可用：{', '.join(framework_ids())}）"
        )
    raw = load_json("templates", f"{framework_id}.json")
    level1 = tuple(raw["level1"])
    return Framework(
        id=raw["id"],
        title=raw["title"],
        title_en=raw.get("title_en", ""),
        labels=raw["labels"],
        level1=level1,
        comparators=tuple(raw["comparators"]),
        units=tuple(raw.get("units", [])),
        project_categories=tuple(raw.get("project_categories", [])),
        performance_types=tuple(raw.get("performance_types", [])),
        optional_columns=tuple(raw.get("optional_columns", [])),
        prefilled_rows=tuple(raw.get("prefilled_rows", [])),
        source=raw.get("source", ""),
        level2_of={c["name"]: tuple(c["level2"]) for c in level1},
    )


def list_frameworks() -> list[Framework]:
    return [load_framework(i) for i in framework_ids()]
