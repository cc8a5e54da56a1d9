"""The lists behind a form's dropdowns, as the lists sheet holds them under defined names ``xl_<list>``.

The writer lays them out; the reader compares a return's lists sheet with them to see whether
it was edited.
"""

from __future__ import annotations

from ._kinds import NO, YES, comparator_display


def framework_lists(fw, library=None) -> dict[str, list[str]]:
    """The framework's lists; with an indicator library, ``xl_lib_level2`` (its 二级 names) and
    ``xl_lib_<n>`` (the 三级 names of the n-th)."""
    lists = {
        "xl_level1": fw.level1_names,
        "xl_comparators": [comparator_display(c) for c in fw.comparators],
        "xl_units": list(fw.units),
        "xl_project_categories": list(fw.project_categories),
        "xl_performance_types": list(fw.performance_types),
        "xl_yesno": [YES, NO],
    }
    for i, cat in enumerate(fw.level1, start=1):
        lists[f"xl_l2_{i}"] = list(cat["level2"])
    if library is not None:
        level2 = library.level2_names()
        lists["xl_lib_level2"] = level2
        for i, name in enumerate(level2, start=1):
            lists[f"xl_lib_{i}"] = library.names_of(name)
    return lists


def dropdown_lists(form, fw, library=None) -> dict[str, list[str]]:
    """Every list of a form laid out for a framework: the framework's, then the form's own."""
    return {**framework_lists(fw, library), **{f"xl_{name}": list(items) for name, items in form.lists}}
