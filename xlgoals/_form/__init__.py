"""Forms as data: each form of the budget year is one declaration (see ``_model``)."""

from ._kinds import KINDS, COMPARATOR_DISPLAY, Kind, Unreadable, comparator_display, format_target
from ._model import Column, Computed, Field, FieldGrid, FieldSheet, Form, GuideSheet, PrintSetup, TableSheet, Validation, Param, a1, col_letter, parse_a1, parse_stamp
from .goal_table import GOAL_TABLE
from .self_evaluation import SELF_EVALUATION
from .monitoring import MONITORING

#: Every form xlgoals knows, by id (the id is in each workbook's stamp).
FORMS: dict[str, Form] = {f.id: f for f in (GOAL_TABLE, SELF_EVALUATION, MONITORING)}


def get_form(form_id: str) -> Form:
    from .._errors import XlgoalsError

    try:
        return FORMS[form_id]
    except KeyError:
        raise XlgoalsError(f"未知的表单 {form_id!r}（可用：{', '.join(FORMS)}）") from None
