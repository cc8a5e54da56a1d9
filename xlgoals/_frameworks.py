"""Indicator frameworks: the level-1/level-2 categories and lists, kept as JSON files.

The packaged files (``templates/*.json``) are the default.  A bureau adds or replaces
frameworks with a folder of its own (``--frameworks DIR``, ``frameworks=`` in the library):
a file there with the same id as a packaged one takes its place.  Every file is checked
when it loads; a bad one is a ConfigError naming the file and what is wrong.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import field
from functools import lru_cache
from pathlib import Path

from ._errors import ConfigError, UnknownFramework
from ._record import frozen
from ._resources import data_dir, load_as_given, read_config_json, refuse_unknown_keys
from ._text import Bilingual, at, canonical, escape_controls, invisible_shown, quoted

_LABEL_KEYS = ("level1", "level2", "level3", "target")
_OPTIONAL_COLUMNS = ("basis", "weight")
_COMPARATORS = ("=", ">=", ">", "<=", "<", "qualitative")


class _Unmade:
    """The value of ``Framework.self_evaluation`` not made yet (_LazyWeights).  Copied and pickled as itself, the one
    _UNMADE (a plain object() copied by copy.deepcopy or pickle is another object: the copy would give it as the
    分值)."""

    __slots__ = ()

    def __reduce__(self):
        return "_UNMADE"  # this module's _UNMADE, by its name

    def __repr__(self) -> str:
        return "<self-evaluation points, made when first asked for>"


_UNMADE = _Unmade()


@frozen
class Framework:
    """One indicator framework (指标体系): its labels, categories, comparators, units and lists."""

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
    path: str = ""
    level2_of: dict = field(default_factory=dict, compare=False)
    #: Where the review finds its groups: quantified_level1 (产出/效益), satisfaction and cost places.
    review: dict = field(default_factory=dict, compare=False)
    #: Sub-groups of a level-2 category (e.g. 经济成本指标 -> 总成本指标, 单位成本指标, 分项成本指标).
    level3_groups: dict = field(default_factory=dict, compare=False)
    #: Entry -> {"status": "assumption" | "confirmed", "text": ...}: which entries a published text confirms.
    notes: dict = field(default_factory=dict, compare=False)
    #: Weights: the self-evaluation's 分值, or None where the framework gives none.  A framework whose file came
    #: checked from the disk cache makes them from ``weights_section`` when first asked for (a goal table's check
    #: does without them, and without the module that makes them): see _LazyWeights.
    self_evaluation: object = field(default=None, compare=False)
    #: The file's "self_evaluation" section as it gives it (None for none).
    weights_section: object = field(default=None, compare=False, repr=False)
    #: The self-evaluation's scoring table of this framework (its "scoring": a CSV beside the framework file, as
    #: schema/scoring.csv): its path; "" for the packaged table.
    scoring: str = field(default="", compare=False)

    @property
    def assumptions(self) -> list[str]:
        """The entries the framework file marks as assumptions (not confirmed from a published text)."""
        return [k for k, v in self.notes.items() if v.get("status") == "assumption"]

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


class _LazyWeights:
    """``Framework.self_evaluation``: the value the Framework was made with; where that is _UNMADE (a framework built
    from a file the disk cache kept as checked), the Weights made from its ``weights_section`` on first access,
    and kept.  A data descriptor, so it is asked before the instance's own value."""

    def __get__(self, fw, owner=None):
        if fw is None:
            return None  # the field's default, as dataclasses read it from the class
        found = fw.__dict__.get("self_evaluation")
        if found is _UNMADE:
            found = None
            if fw.weights_section is not None:
                from ._selfeval._weights import parse_weights

                found = parse_weights(fw.weights_section, at(fw.path, "self_evaluation", "self_evaluation"),
                                      fw.level1_names)
            fw.__dict__["self_evaluation"] = found
        return found

    def __set__(self, fw, value):  # (never reached: a frozen Framework refuses assignment first)
        raise AttributeError("self_evaluation")


Framework.self_evaluation = _LazyWeights()


def _str_list(raw, key, where, required=False) -> tuple:
    value = raw.get(key, None if required else [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ConfigError(at(where, f"“{key}”应为非空文本的列表", f"'{key}' should be a list of non-empty texts"))
    seen = set()
    for x in value:
        if x != x.strip():  # a cell is read stripped: a name with a space at an end could never be matched
            raise ConfigError(at(where, f"“{key}”中的“{x}”首尾有空格，请删除空格",
                                 f"'{x}' in '{key}' has a space at its start or end; delete it"))
        if x in seen:  # the dropdown would offer it twice
            raise ConfigError(at(where, f"“{key}”中的“{x}”重复", f"'{x}' is given twice in '{key}'"))
        seen.add(x)
    return tuple(value)


#: A framework's id, as the documents' schemas take it (``framework``: ``^[a-z0-9][a-z0-9-]*$``).
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def _refuse_controls(node, where: str, place: str = "") -> None:
    """ConfigError at the first text of a framework (a name, a key) holding a control character (NUL, an escape, a
    direction override: ``"数\\u0000量"``): the template's dropdown would offer 数_x0000_量, and no cell typed by a
    person could match it.  Located by its place in the file (level1[2].level2[0]), the character shown escaped."""
    if isinstance(node, str):
        shown = escape_controls(node)  # (the text itself where it holds none: control_free, asked once)
        if shown != node:
            raise ConfigError(at(where, f"{place or '文件'} 中的“{shown}”含有控制字符（此处显示为 \\u 加编号），请删除",
                                 f"'{shown}' at {place or 'the top'} holds a control character (shown as \\u and its "
                                 "number); delete it"))
    elif isinstance(node, dict):
        for key, value in node.items():
            inner = f"{place}.{key}" if place else str(key)
            _refuse_controls(key, where, place)
            _refuse_controls(value, where, inner)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _refuse_controls(value, where, f"{place}[{i}]")


def parse_framework(raw, where: str) -> Framework:
    """Check a framework's JSON and build it; ConfigError names the file and the fault."""
    if not isinstance(raw, dict):
        raise ConfigError(at(where, "指标体系文件应为 JSON 对象", "a framework file should be a JSON object"))
    _refuse_controls(raw, where)
    for key in ("id", "title", "labels", "level1", "comparators"):
        if key not in raw:
            raise ConfigError(at(where, f"缺少“{key}”", f"'{key}' is missing"))
    fid = raw["id"]
    if not isinstance(fid, str) or not _ID.fullmatch(fid):
        raise ConfigError(at(where, f"id“{fid}”应由小写字母、数字和连字符组成",
                             f"the id '{fid}' should be made of lower-case letters, digits and hyphens"))
    if not isinstance(raw["title"], str) or not raw["title"].strip():
        raise ConfigError(at(where, "“title”不能为空", "'title' cannot be blank"))
    for key in ("title_en", "source"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(at(where, f"“{key}”应为文本", f"'{key}' should be a text"))
    labels = raw["labels"]
    if not isinstance(labels, dict) or any(not isinstance(labels.get(k), str) or not labels[k] for k in _LABEL_KEYS):
        raise ConfigError(at(where, f"“labels”须给出 {', '.join(_LABEL_KEYS)}",
                             f"'labels' must give {', '.join(_LABEL_KEYS)}"))
    # two columns headed alike (also but for full- and half-width forms or an invisible character): which one is meant?
    if len({canonical(labels[k]) for k in _LABEL_KEYS}) < len(_LABEL_KEYS):
        raise ConfigError(at(where, f"labels 中有相同的列名（{'、'.join(labels[k] for k in _LABEL_KEYS)}），各列的名称应互不相同",
                             f"labels give two columns the same head ({quoted([labels[k] for k in _LABEL_KEYS])})"))
    # {"unit": "单位"}: a column the framework cannot rename, left as it was, unseen
    refuse_unknown_keys(labels, _LABEL_KEYS, where, ("labels 中", "in labels"))
    for key in _LABEL_KEYS:
        if labels[key] != labels[key].strip() or not labels[key].strip():  # a blank or padded column head
            raise ConfigError(at(where, f"labels 中“{key}”的“{labels[key]}”为空或首尾有空格",
                                 f"'{labels[key]}' of '{key}' in labels is blank or has a space at its start or end"))
    _check_fixed_heads(labels, where)
    level1 = raw["level1"]
    if not isinstance(level1, list) or not level1:
        raise ConfigError(at(where, "“level1”应为非空列表", "'level1' should be a non-empty list"))
    names = []
    for i, cat in enumerate(level1, start=1):
        if not isinstance(cat, dict) or not isinstance(cat.get("name"), str) or not cat["name"].strip():
            raise ConfigError(at(where, f"level1 第 {i} 项缺少“name”", f"item {i} of level1 has no 'name'"))
        # "requried": true, typed: the category would not be required, unseen
        refuse_unknown_keys(cat, ("name", "required", "level2"), where,
                            (f"level1“{cat['name']}”中", f"in level1 '{cat['name']}'"))
        if not isinstance(cat.get("required", False), bool):  # "否" or "false" in quotes would be required
            shown = json.dumps(cat["required"], ensure_ascii=False)
            raise ConfigError(at(where, f"level1“{cat['name']}”的“required”应为 true 或 false（不加引号），实际为 {shown}",
                                 f"'required' of level1 '{cat['name']}' should be true or false (unquoted), not {shown}"))
        if cat["name"] != cat["name"].strip():
            raise ConfigError(at(where, f"level1 第 {i} 项的名称“{cat['name']}”首尾有空格，请删除空格",
                                 f"the name '{cat['name']}' of item {i} of level1 has a space at its start or end; "
                                 "delete it"))
        _str_list(cat, "level2", at(where, f"level1“{cat['name']}”", f"level1 '{cat['name']}'"), required=True)
        if not cat["level2"]:
            raise ConfigError(at(where, f"level1“{cat['name']}”没有二级指标",
                                 f"level1 '{cat['name']}' has no level-2 category"))
        names.append(cat["name"])
    looks = {}
    for name in names:  # 产出指标 and 产出指标 with a zero-width space: two categories a person cannot tell apart
        if canonical(name) in looks:
            raise ConfigError(at(where, f"level1 中的名称“{invisible_shown(name)}”与“{invisible_shown(looks[canonical(name)])}”"
                                        "重复或看起来相同", f"the name '{invisible_shown(name)}' in level1 is, or looks the "
                                        f"same as, '{invisible_shown(looks[canonical(name)])}'"))
        looks[canonical(name)] = name
    first_under: dict[str, str] = {}
    for cat in level1:  # the library's dropdown, level3_groups and the review's places find a 二级 by its name
        for name in cat["level2"]:
            if name in first_under:
                raise ConfigError(at(where, f"二级指标“{name}”同时列在“{first_under[name]}”和“{cat['name']}”之下，"
                                            "二级指标的名称在体系中须唯一",
                                     f"the level-2 category '{name}' is listed under both '{first_under[name]}' and "
                                     f"'{cat['name']}'; a level-2 name must be unique in the framework"))
            first_under[name] = cat["name"]
    comparators = _str_list(raw, "comparators", where, required=True)
    if not comparators:  # the dropdown would offer nothing
        raise ConfigError(at(where, "“comparators”不能为空", "'comparators' cannot be empty"))
    unknown = [c for c in comparators if c not in _COMPARATORS]
    if unknown:
        raise ConfigError(at(where, f"未知的比较符 {', '.join(unknown)}（可用：{' '.join(_COMPARATORS)}）",
                             f"unknown comparator {quoted(unknown)} (known: {' '.join(_COMPARATORS)})"))
    level2_of = {c["name"]: tuple(c["level2"]) for c in level1}
    refuse_unknown_keys(raw, _KEYS, where)
    optional = _str_list(raw, "optional_columns", where)
    if any(c not in _OPTIONAL_COLUMNS for c in optional):
        raise ConfigError(at(where, f"optional_columns 只能包含 {', '.join(_OPTIONAL_COLUMNS)}",
                             f"optional_columns may only hold {', '.join(_OPTIONAL_COLUMNS)}"))
    rows = raw.get("prefilled_rows", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) and r.get("level1") in names for r in rows):
        raise ConfigError(at(where, "prefilled_rows 的每一行须是对象，且一级指标属于 level1",
                             "each row of prefilled_rows must be an object whose level1 is one of level1's names"))
    _check_prefilled(rows, where, level2_of)
    _review_section(raw.get("review", {}), where, level2_of)
    _level3_groups(raw.get("level3_groups", {}), where, level2_of)
    _notes(raw.get("notes", {}), where, raw, level2_of)
    for key in ("units", "project_categories", "performance_types"):
        _str_list(raw, key, where)
    weights = None
    if "self_evaluation" in raw:  # checked now, with the rest of the file
        from ._selfeval._weights import parse_weights

        weights = parse_weights(raw["self_evaluation"], at(where, "self_evaluation", "self_evaluation"), names)
        _optional_points(weights, raw["level1"], where)
    fw = _built(raw, where, weights)  # (its scoring path checked: _scoring_path)
    if fw.scoring:  # the bureau's scoring table, checked now as the packaged one is when first used
        from ._form.self_evaluation import scoring_words
        from ._selfeval._scoring import ScoringTable

        path = fw.scoring
        try:  # the self-evaluation's 填表说明 states its rows (a ≤ target's 0, the qualitative bands, the grades)
            scoring_words(ScoringTable.load(path))
        except ValueError as exc:
            raise ConfigError(at(path, f"计分规则表无法写入自评表的填表说明（{exc}）：须保留与 schema/scoring.csv 同样形式的"
                                       "“≤”远超目标得 0 分行、定性指标各等级的区间行和总分等级行",
                                 f"the scoring table cannot be stated in the self-evaluation's guide ({exc}): keep "
                                 "rows of schema/scoring.csv's shapes for a ≤ target far over scoring 0, the "
                                 "qualitative grades' bands and the total's grades")) from None
    return fw


def _scoring_path(raw: dict, where: str) -> str:
    """The path of a framework's own scoring table (its "scoring": a CSV file's name, beside the framework file or
    relative to its folder); "" where it gives none.  ConfigError at the framework file where the name is no text
    naming a .csv file, or no such file is there."""
    if "scoring" not in raw:
        return ""
    name = raw["scoring"]
    if not isinstance(name, str) or not name.strip() or not name.lower().endswith(".csv"):
        shown = json.dumps(name, ensure_ascii=False)
        raise ConfigError(at(where, f"“scoring”应为计分规则表（.csv 文件）的文件名，实际为 {shown}",
                             f"'scoring' should be the name of a scoring table (a .csv file), not {shown}"))
    path = Path(where).parent / name
    if not path.is_file():
        raise ConfigError(at(where, f"“scoring”给出的计分规则表“{name}”不存在（应与指标体系文件在同一文件夹：{path}）",
                             f"the scoring table '{name}' that 'scoring' gives is not there (it should be beside "
                             f"the framework file: {path})"))
    return str(path)


def _optional_points(weights, level1: list, where: str) -> None:
    """A self_evaluation group of points above 0 whose 一级 are all optional (``"required": false``): a goal table
    may leave them out and pass, yet no self-evaluation could then be made from it at year end (the group's points
    would be given to no indicator).  Refused when the framework loads, naming the group and the two ways out."""
    optional = {c["name"] for c in level1 if not c.get("required")}
    for names, points in weights.groups:
        if points and all(n in optional for n in names):
            shown, pts = "、".join(names), f"{points.normalize():f}"
            raise ConfigError(at(
                at(where, "self_evaluation", "self_evaluation"),
                f"单独给选填的一级指标 {shown}（level1 中 \"required\": false）{pts} 分：没有该一级指标的"
                f"绩效目标表可以通过校验，到年底却无法生成自评表（其 {pts} 分无法分配）；请将其设为必填（\"required\": true），"
                "或在 self_evaluation 中与必填的一级指标合为一组（names 列在一起），或给它 0 分",
                f"gives the optional level-1 category {quoted(names)} (\"required\": false in level1) "
                f"{pts} points of its own: a goal table without it passes validation, yet no self-evaluation could "
                f"be made from it at year end (its {pts} points could not be given); make it required "
                "(\"required\": true), or group it with a required level-1 category in self_evaluation (listed "
                "together in names), or give it 0 points"))


def _built(raw: dict, where: str, weights=_UNMADE) -> Framework:
    """The Framework of a framework's JSON that parse_framework has checked (now, or when the disk cache kept it),
    with its self-evaluation's 分值 as `weights` made them, or made from their section when first asked for."""
    review_raw = raw.get("review", {})
    review = {"quantified_level1": list(review_raw["quantified_level1"])} if "quantified_level1" in review_raw else {}
    review.update((key, review_raw[key]) for key in ("satisfaction", "cost") if key in review_raw)
    return Framework(
        self_evaluation=weights,
        weights_section=raw.get("self_evaluation"),
        scoring=_scoring_path(raw, where),
        id=raw["id"],
        title=raw["title"],
        title_en=raw.get("title_en", ""),
        labels=dict(raw["labels"]),
        level1=tuple(raw["level1"]),
        comparators=tuple(raw["comparators"]),
        units=tuple(raw.get("units", ())),
        project_categories=tuple(raw.get("project_categories", ())),
        performance_types=tuple(raw.get("performance_types", ())),
        optional_columns=tuple(raw.get("optional_columns", ())),
        prefilled_rows=tuple(raw.get("prefilled_rows", ())),
        source=raw.get("source", ""),
        path=where,
        level2_of={c["name"]: tuple(c["level2"]) for c in raw["level1"]},
        review=review,
        level3_groups={k: tuple(v) for k, v in raw.get("level3_groups", {}).items()},
        notes={k: dict(v) for k, v in raw.get("notes", {}).items()},
    )


@lru_cache(maxsize=1)
def _fixed_heads() -> tuple:
    """(matcher, labels the form's table uses, form, column) of each column head no framework names, on every form:
    its canonical text, a parameter standing for any number (1-{month}月执行情况).  Made once a process."""
    from ._form import FORMS

    heads = []
    for form in FORMS.values():
        columns = form.table.columns
        used = frozenset(c.framework_label for c in columns if c.framework_label)
        for col in columns:
            if col.framework_label:
                continue
            head = canonical(col.label)
            params = [p for p in form.params if "{" + p.name + "}" in head]
            if params:  # 1-{month}月执行情况: whatever month the report is for
                pattern = re.escape(head)
                for p in params:
                    for text, said in p.at_minimum:  # 1月执行情况 too (month 1)
                        pattern = pattern.replace(re.escape(canonical(text)), f"(?:{re.escape(canonical(text))}|{re.escape(canonical(said))})")
                    pattern = pattern.replace(re.escape("{" + p.name + "}"), r"\d+")
                heads.append((re.compile(pattern).fullmatch, used, form, col))
            else:  # most heads: the text itself (no pattern compiled)
                heads.append((head.__eq__, used, form, col))
    return tuple(heads)


def _check_fixed_heads(labels: dict, where) -> None:
    """A label that is also the head of a column the framework does not name (计量单位, 分值, 年度指标值, 1-6月执行情况)
    on a form whose table it heads: two columns headed alike, which a reader, a message or a person could take
    one for the other."""
    shown: dict = {}
    for matches, used, form, col in _fixed_heads():
        for key in _LABEL_KEYS:
            if key not in used:
                continue
            if key not in shown:
                shown[key] = canonical(labels[key])
            if matches(shown[key]):
                raise ConfigError(at(
                    where, f"labels 中“{key}”的“{labels[key]}”与{form.title}的固定列“{col.label}”同名，"
                           "表头中两列将无法区分，请改用其他名称",
                    f"'{labels[key]}' of '{key}' in labels is the head of the fixed column '{col.label}' "
                    f"({col.label_en}) of the {form.title_en}: two columns of its header would be headed alike; "
                    "use another name"))


#: What a prefilled row may give, as an indicator of the goal table does: texts, and numbers.
_ROW_TEXTS = ("level1", "level2", "name", "comparator", "text", "unit", "basis")
_ROW_NUMBERS = ("value", "weight")


def _check_prefilled(rows: list, where, level2_of: dict) -> None:
    """Each prefilled row as the template writes it: known keys, texts and numbers, its 二级 under its 一级 and a
    known comparator (a row the writer could not write would stop the template half made)."""
    for i, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - set(_ROW_TEXTS) - set(_ROW_NUMBERS))
        texts = [k for k in _ROW_TEXTS if k in row and not (isinstance(row[k], str) or (row[k] is None and
                                                                                      k in ("unit", "basis")))]
        numbers = [k for k in _ROW_NUMBERS if k in row and (isinstance(row[k], bool) or not (
            isinstance(row[k], (int, float)) and math.isfinite(row[k]) or (row[k] is None and k == "weight")))]
        if unknown or texts or numbers:
            keys = ", ".join(unknown + texts + numbers)
            raise ConfigError(at(where, f"prefilled_rows 第 {i} 行的 {keys} 有误（{', '.join(_ROW_TEXTS)} 应为文本，"
                                        f"{', '.join(_ROW_NUMBERS)} 应为数字，没有其他项）",
                                 f"row {i} of prefilled_rows: wrong {keys} ({', '.join(_ROW_TEXTS)} should be texts, "
                                 f"{', '.join(_ROW_NUMBERS)} numbers; there is no other key)"))
        if "level2" in row and row["level2"] not in level2_of[row["level1"]]:
            raise ConfigError(at(where, f"prefilled_rows 第 {i} 行的二级指标“{row['level2']}”不属于“{row['level1']}”",
                                 f"the level-2 category '{row['level2']}' of row {i} of prefilled_rows is not under "
                                 f"'{row['level1']}'"))
        if "comparator" in row and row["comparator"] not in _COMPARATORS:
            raise ConfigError(at(where, f"prefilled_rows 第 {i} 行的比较符“{row['comparator']}”未知（可用："
                                        f"{' '.join(_COMPARATORS)}）",
                                 f"the comparator '{row['comparator']}' of row {i} of prefilled_rows is unknown "
                                 f"(known: {' '.join(_COMPARATORS)})"))


_KEYS = ("id", "title", "title_en", "source", "labels", "level1", "comparators", "units", "project_categories",
         "performance_types", "optional_columns", "prefilled_rows", "review", "level3_groups", "notes",
         "self_evaluation", "scoring")
_REVIEW_KEYS = ("quantified_level1", "satisfaction", "cost")
_NOTE_STATUS = ("assumption", "confirmed")


def _places(value, where: str, key: str, level2_of: dict) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise ConfigError(at(where, f"review.{key} 应为非空列表", f"review.{key} should be a non-empty list"))
    for place in value:
        if not isinstance(place, dict) or set(place) - {"level1", "level2"} or not isinstance(place.get("level1"), str) \
                or place["level1"] not in level2_of or not isinstance(place.get("level2", ""), str):
            raise ConfigError(at(where, f"review.{key} 的每一项应为 {{\"level1\": …, \"level2\": …}}，"
                                        f"且一级指标属于 level1",
                                 f"each item of review.{key} should be {{\"level1\": …, \"level2\": …}}, its level1 "
                                 "one of level1's names"))
        if "level2" in place and place["level2"] not in level2_of[place["level1"]]:
            raise ConfigError(at(where, f"review.{key} 中二级指标“{place['level2']}”不属于“{place['level1']}”",
                                 f"in review.{key}, the level-2 category '{place['level2']}' is not under "
                                 f"'{place['level1']}'"))
    return value


def _review_section(raw, where: str, level2_of: dict) -> None:
    """Checks the framework's groups for the review checks (every name must be the framework's own); _built keeps
    them."""
    if not isinstance(raw, dict):
        raise ConfigError(at(where, "“review”应为 JSON 对象", "'review' should be a JSON object"))
    refuse_unknown_keys(raw, _REVIEW_KEYS, where, ("review 中", "in review"))
    if "quantified_level1" in raw:
        names = _str_list(raw, "quantified_level1", at(where, "review", "review"), required=True)
        bad = [n for n in names if n not in level2_of]
        if bad or not names:
            raise ConfigError(at(where, f"review.quantified_level1 应为 level1 中的名称（不认识：{'、'.join(bad)}）",
                                 f"review.quantified_level1 should name categories of level1 (unknown: {quoted(bad)})"))
    for key in ("satisfaction", "cost"):
        if key in raw:
            _places(raw[key], where, key, level2_of)


def _level3_groups(raw, where: str, level2_of: dict) -> None:
    """Checks level3_groups: each key a 二级 of the framework, each value a non-empty list of names."""
    if not isinstance(raw, dict):
        raise ConfigError(at(where, "“level3_groups”应为 JSON 对象", "'level3_groups' should be a JSON object"))
    all_level2 = {n for names in level2_of.values() for n in names}
    for key in raw:
        if key not in all_level2:
            raise ConfigError(at(where, f"level3_groups 的“{key}”不是任何一级指标下的二级指标",
                                 f"'{key}' of level3_groups is no level-2 category of any level1"))
        _str_list(raw, key, at(where, "level3_groups", "level3_groups"), required=True)
        if not raw[key]:
            raise ConfigError(at(where, f"level3_groups 的“{key}”不能为空", f"'{key}' of level3_groups cannot be empty"))


def _notes(raw, where: str, spec: dict, level2_of: dict) -> None:
    """Checks the notes: they name an entry — a top-level key, ``level1:NAME``, ``level1:NAME/LEVEL2`` or
    ``level3_groups:LEVEL2`` — and say whether a published text confirms it."""
    if not isinstance(raw, dict):
        raise ConfigError(at(where, "“notes”应为 JSON 对象", "'notes' should be a JSON object"))
    for entry, note in raw.items():
        if not isinstance(note, dict) or note.get("status") not in _NOTE_STATUS or set(note) - {"status", "text"} \
                or not isinstance(note.get("text", ""), str):
            raise ConfigError(at(where, f"notes 中“{entry}”应为 {{\"status\": \"assumption\" 或 \"confirmed\", "
                                        f"\"text\": …}}",
                                 f"'{entry}' in notes should be {{\"status\": \"assumption\" or \"confirmed\", "
                                 f"\"text\": …}}"))
        kind, _, rest = entry.partition(":")
        if not rest:
            ok = kind in spec and kind not in ("notes", "id")
        elif kind == "level1":
            l1, _, l2 = rest.partition("/")
            ok = l1 in level2_of and (not l2 or l2 in level2_of[l1])
        elif kind == "level3_groups":
            ok = rest in (spec.get("level3_groups") or {})
        else:
            ok = False
        if not ok:
            raise ConfigError(at(where, f"notes 中的“{entry}”不对应指标体系中的任何条目",
                                 f"'{entry}' in notes names no entry of the framework"))


def _load_file(path: Path) -> Framework:
    return _checked_file(read_config_json(path, Bilingual("指标体系文件", "framework file")), path)


def _checked_file(raw, path: Path) -> Framework:
    fw = parse_framework(raw, str(path))
    if fw.id != path.stem:
        raise ConfigError(at(path, f"文件名应与 id 一致（{fw.id}.json）",
                             f"the file name should be the id: '{fw.id}.json'"))
    return fw


#: What a framework's content digest covers: its lists and labels, what a template's dropdowns and a return's checks
#: are made from (not its file's place, not its points: a self-evaluation's stamp records those as points=)
_CONTENT = ("id", "labels", "level1", "comparators", "units", "project_categories", "performance_types",
            "optional_columns", "prefilled_rows")
_DIGESTS: dict = {}


def content_digest(fw: Framework) -> str:
    """A short digest of a framework's content (_CONTENT): what a template's stamp records (``fw=``) when it was
    made from a version of its id other than the packaged one, so that validate with another version says so
    (``template.other_framework``)."""
    known = _DIGESTS.get(id(fw))
    if known is not None and known[0] is fw:
        return known[1]
    import hashlib

    text = json.dumps([getattr(fw, k) for k in _CONTENT], sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    if len(_DIGESTS) > 64:
        _DIGESTS.clear()
    _DIGESTS[id(fw)] = (fw, digest)
    return digest


def made_params(fw: Framework, rules=None, recorded=None) -> tuple:
    """What a template's stamp records of the bureau's own data it was made from, as (name, value) pairs: the
    rule table's digest (``rules=``) when it decides otherwise than the packaged one, the framework's content
    digest (``fw=``) when it is not the packaged version of its id; () for the packaged ones, whose templates'
    stamps stay as they were (a stamp without them reads as made from the packaged ones, or before they were
    recorded: nothing is said of it).  The packaged ones' digests too where `recorded` (the made_with of the
    document ``build_workbook`` lays out, ``made_with_of``) records a bureau's: a department's refill without the
    bureau's tables, whose stamp so makes validate under the bureau's say template.other_rules (other_framework)."""
    out = []
    if rules is not None and rules.decides_otherwise():
        out.append(("rules", rules.stamped()))
    elif recorded and "rules" in recorded:
        from ._check._ruletable import RuleTable

        out.append(("rules", (rules if rules is not None else RuleTable.default()).stamped()))
    digest = content_digest(fw)
    packaged = _packaged().get(fw.id)
    if packaged is None or content_digest(packaged) != digest or (recorded and "fw" in recorded):
        out.append(("fw", digest))
    return tuple(out)


@frozen
class FrameworkSet:
    """The frameworks in force: the packaged ones, plus and overridden by a bureau's folder."""

    frameworks: dict
    extra_dir: str | None = None

    @classmethod
    def default(cls) -> FrameworkSet:
        return cls.load(None)

    @classmethod
    def load(cls, extra_dir: str | os.PathLike | None) -> FrameworkSet:
        return load_as_given(_load_set, extra_dir)

    def ids(self) -> list[str]:
        return sorted(self.frameworks)

    def get(self, framework_id) -> Framework:
        fw = self.frameworks.get(framework_id) if isinstance(framework_id, str) else None
        if fw is None:
            raise UnknownFramework(Bilingual(f"未知的指标体系 {framework_id!r}（可用：{', '.join(self.ids())}）",
                                             f"unknown framework {framework_id!r} (known: {', '.join(self.ids())})"))
        return fw

    def find(self, framework_id) -> Framework | None:
        return self.frameworks.get(framework_id) if isinstance(framework_id, str) else None

    def __iter__(self):
        return (self.frameworks[i] for i in self.ids())


def _packaged() -> dict[str, Framework]:
    """The packaged frameworks (``templates/*.json``), id -> Framework: built from the files' JSON as checked, kept
    in the disk cache (``_diskcache``) while the files and this code are what checked them; else read and checked,
    and kept there."""
    from . import _diskcache

    folder = data_dir("templates")
    paths = sorted(folder / name for name in os.listdir(folder) if name.endswith(".json") and name[:1] != ".")
    files = tuple(map(str, paths))

    def checked():
        found, raws = {}, []
        for p in paths:
            raw = read_config_json(p, Bilingual("指标体系文件", "framework file"))
            found[p.stem] = _checked_file(raw, p)
            raws.append((p.stem, str(p), raw))
        return found, raws

    return _diskcache.kept_or_made("frameworks", files, checked,
                                   lambda kept: {stem: _built(raw, where) for stem, where, raw in kept})


@lru_cache(maxsize=16)
def _load_set(extra_dir: str | None, version: tuple | None = None) -> FrameworkSet:  # (version: the cache's key)
    found = _packaged()
    if extra_dir is not None:
        folder = Path(extra_dir)
        if folder.is_file():
            from ._errors import given_as

            named = given_as("--frameworks")
            raise ConfigError(Bilingual(f"{extra_dir} 是文件，不是文件夹：{named} 应给出存放指标体系文件（*.json）的文件夹",
                                        f"{extra_dir} is a file, not a folder: {named} takes the folder holding "
                                        "the framework files (*.json)"))
        if not folder.is_dir():
            raise ConfigError(Bilingual(f"找不到指标体系文件夹：{extra_dir}", f"framework folder not found: {extra_dir}"))
        # demo.JSON too (as a Windows tool may name it): a file passed over would be a framework silently missing
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json")
        except OSError as exc:
            from ._errors import os_reason

            raise ConfigError(Bilingual(f"无法读取指标体系文件夹 {extra_dir}：{os_reason(exc)}",
                                        f"cannot read the framework folder {extra_dir}: {os_reason(exc, 'en')}")) from None
        if not files:
            raise ConfigError(Bilingual(f"指标体系文件夹 {extra_dir} 中没有 .json 文件",
                                        f"the framework folder {extra_dir} holds no .json file"))
        first: dict[str, Path] = {}
        for p in files:  # demo.json and demo.JSON: one framework twice, the one kept a matter of sort order
            if p.stem in first:
                raise ConfigError(at(p, f"与 {first[p.stem].name} 是同一指标体系（{p.stem}）的两个文件，请只保留一个",
                                     f"this and {first[p.stem].name} are two files of one framework ({p.stem}); keep one"))
            first[p.stem] = p
        found.update({p.stem: _load_file(p) for p in files})
    return FrameworkSet(found, extra_dir)


# The packaged set, for callers that take no configuration --------------------------------------
def framework_ids() -> list[str]:
    """The ids of the packaged indicator frameworks, sorted (``["national-2021", "shanghai-2020", …]``), as
    ``xlgoals frameworks`` lists them; a bureau's own folder is ``FrameworkSet.load(DIR).ids()``."""
    return FrameworkSet.default().ids()


def load_framework(framework_id: str) -> Framework:
    """The packaged framework of that id (its 一级/二级 categories in ``level1``, its title, labels and points); an
    unknown id is ``UnknownFramework`` (an ``XlgoalsError``, exit code 2) naming the ids known.  A bureau's own:
    ``FrameworkSet.load(DIR).get(framework_id)``."""
    return FrameworkSet.default().get(framework_id)


def list_frameworks() -> list[Framework]:
    """The packaged frameworks (``Framework`` objects: ``id``, ``title``, ``level1`` …), as ``xlgoals frameworks``
    lists them."""
    return list(FrameworkSet.default())
