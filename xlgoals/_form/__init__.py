"""Forms as data: each form of the budget year is one declaration (see ``_model``)."""

from ._kinds import (KINDS, COMPARATOR_DISPLAY, Kind, Unreadable, comparator_display, format_target,
                     target_in_words)
from ._model import (MADE_WITH, Area, Column, Computed, Field, FieldGrid, FieldSheet, Form, GuideSheet, Param,
                     PrintSetup, TableSheet, TotalRow, Validation, a1, col_letter, column_ref, made_with_of, parse_a1,
                     parse_stamp)
from . import goal_table as _goal_table, monitoring as _monitoring, self_evaluation as _self_evaluation
from .goal_table import GOAL_TABLE
from .self_evaluation import SELF_EVALUATION
from .monitoring import MONITORING

#: Every form xlgoals knows, by id (the id is in each workbook's stamp).
FORMS: dict[str, Form] = {f.id: f for f in (GOAL_TABLE, SELF_EVALUATION, MONITORING)}

#: Every layout the reader knows, by (form id, layout version): the ones issued now and older ones kept for
#: reading the returns made from them.
LAYOUTS: dict[tuple[str, int], Form] = {(f.id, f.layout_version): f for f in (
    *FORMS.values(), *_goal_table.OLDER_LAYOUTS, *_self_evaluation.OLDER_LAYOUTS, *_monitoring.OLDER_LAYOUTS)}


def document_stamp(doc) -> dict | None:
    """What a JSON document (read's output) keeps of its workbook's stamp, as a stamp's ``params``: a
    self-evaluation's points_source (``weights``, ``points``) and any form's ``made_with`` (``rules``, ``fw``);
    None when it keeps none.  validate then says 分值 made from another points file once (self.points_source, with
    --targets), and a template made under another rule table or framework version (template.other_rules,
    template.other_framework), as for the workbook."""
    if not isinstance(doc, dict):
        return None
    form_id = doc.get("form", GOAL_TABLE.id)  # (a goal table's document may omit it)
    form = FORMS.get(form_id) if isinstance(form_id, str) else None  # (a list or an object: the schema's to say)
    params = (form.recorded_of(doc.get(form.recorded[0])) if form is not None and form.recorded else None) or {}
    params.update(made_with_of(doc.get(MADE_WITH[0])) or {})
    return {"params": params} if params else None


def layouts_of(form: Form) -> list[Form]:
    """The layouts of a form the reader knows, newest first."""
    return sorted((f for (fid, _), f in LAYOUTS.items() if fid == form.id), key=lambda f: -f.layout_version)


def get_form(form_id: str) -> Form:
    """The declaration of a form by its id (``goal-table``, ``self-evaluation``, ``monitoring``, as ``--form`` takes
    them): its sheets (``sheets``), its fields (``field(path).cell``: ``"B2"`` for ``/year``) and their titles
    (``title_of(path)``: 预算年度), from which the writer, reader and messages are made; an unknown id is an
    ``XlgoalsError`` naming the ids known."""
    from .._errors import XlgoalsError

    try:
        return FORMS[form_id]
    except KeyError:
        from .._text import Bilingual

        raise XlgoalsError(Bilingual(f"未知的表单 {form_id!r}（可用：{', '.join(FORMS)}）",
                                     f"unknown form {form_id!r} (known: {', '.join(FORMS)})")) from None


__all__ = ["COMPARATOR_DISPLAY", "FORMS", "GOAL_TABLE", "KINDS", "LAYOUTS", "MONITORING", "SELF_EVALUATION", "Area",
           "Column", "Computed", "Field", "FieldGrid", "FieldSheet", "Form", "GuideSheet", "Kind", "Param",
           "PrintSetup", "TableSheet", "TotalRow", "Unreadable", "Validation", "a1", "col_letter", "column_ref",
           "comparator_display", "format_target", "get_form", "layouts_of", "parse_a1", "parse_stamp",
           "target_in_words"]
