"""The locked-rows record (``_form._locked``): the reader's check of the rows read and the writer's record of them
are one text, byte for byte (issued templates hold the writer's), whichever way each builds its rows."""

from collections import OrderedDict

from xlgoals._form import FORMS
from xlgoals._form._locked import _all_crc, recorded_rows, rows_properties, rows_unchanged, locked_keys

KEYS = locked_keys(FORMS["self-evaluation"])
ROWS = [
    {"id": "I001", "level1": "产出指标", "level2": "数量指标", "name": "培训人次“含\\引号”", "comparator": ">=",
     "value": 1200, "unit": "人次", "points": 10},
    {"id": "I002", "level1": "效益指标", "name": "满意度\t\u2028", "comparator": "qualitative", "text": "较好",
     "points": 7.5},
    {"id": "I003", "name": "\ud800 lone surrogate", "comparator": "<=", "value": 0.25, "unit": "%", "points": 0},
]


def test_the_rows_read_match_the_record_written():
    props = dict(rows_properties(ROWS, KEYS))
    recorded = recorded_rows(props)
    assert recorded is not None and recorded[0] == 3
    assert rows_unchanged(recorded, [dict(r) for r in ROWS], KEYS)
    # a row object of another mapping type, and an item that is no object, give the same text as the plain path's
    odd = [OrderedDict(ROWS[0]), dict(ROWS[1]), dict(ROWS[2]), "not a row"]
    assert _all_crc(odd, KEYS, False) == _all_crc(odd, KEYS, True)
    # a value changed is seen
    changed = [dict(r) for r in ROWS]
    changed[1]["points"] = 8
    assert not rows_unchanged(recorded, changed, KEYS)
    # the record of these rows as issued templates hold it (the writer's text, kept byte for byte)
    assert props["xlgoals_rows"] == f"3:{_all_crc(ROWS, KEYS, True)}"
    # ... and as templates issued before hold it: the text is a format on disk, not an implementation detail
    assert props["xlgoals_rows"] == "3:fef52751"
