"""The fast path's item verdict (plain Python written from the item schema) says what the compiled schema says of
every item, for every form: the rows of a return are judged by it."""

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals import FORMS
from xlgoals._check._schema import _flat, _item_verdict, _verdict

from .conftest import EXAMPLES, examples

_JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.floats(), st.text(max_size=4),
                  st.sampled_from(["", "I001", "I001\n", "x" * 51, "x" * 2001, "A" * 65, "qualitative", ">=",
                                   "achieved", "partly", -0.0, 100.0, 1e308]),
                  st.builds(list), st.builds(dict))


def _item_schema(form):
    item = _flat(form)["properties"][form.table.item_path.strip("/")]["items"]
    for key in ("if", "then", "else"):
        item.pop(key, None)
    return item


def _seeds(form) -> list[dict]:
    out = []
    for path in sorted(EXAMPLES.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        items = doc.get(form.table.item_path.strip("/")) if isinstance(doc, dict) else None
        if doc.get("form", "goal-table") == form.id and isinstance(items, list):
            out += [i for i in items if isinstance(i, dict)]
    return out


_FORMS = sorted(FORMS)
_CHECKS = {fid: (_item_verdict(_item_schema(FORMS[fid])), _verdict(_item_schema(FORMS[fid])), _seeds(FORMS[fid]),
                 sorted(_item_schema(FORMS[fid])["properties"]) + ["extra"]) for fid in _FORMS}


def test_every_form_has_its_items_judged_by_the_plain_verdict():
    for fid, (mine, _, seeds, _) in _CHECKS.items():
        assert mine is not None, fid
        assert seeds and all(mine(s) for s in seeds), fid


@settings(max_examples=examples(400, 1500), deadline=None)
@given(fid=st.sampled_from(_FORMS), data=st.data())
def test_the_item_verdict_is_the_compiled_schemas(fid, data):
    mine, compiled, seeds, keys = _CHECKS[fid]
    item = copy.deepcopy(data.draw(st.sampled_from(seeds)))
    for _ in range(data.draw(st.integers(0, 3))):
        key = data.draw(st.sampled_from(keys))
        if data.draw(st.booleans()) and key in item:
            del item[key]
        else:
            item[key] = data.draw(_JUNK)
    if data.draw(st.integers(0, 30)) == 0:
        item = data.draw(_JUNK)
    assert mine(item) == compiled(item)


def test_a_schema_keyword_it_does_not_write_leaves_the_items_to_the_compiled_schema():
    item = _item_schema(FORMS["self-evaluation"])
    assert _item_verdict({**item, "minProperties": 1}) is None
    assert _item_verdict({**item, "properties": {**item["properties"], "id": {"type": "integer"}}}) is None
    assert _item_verdict({**item, "properties": {**item["properties"], "id": {"format": "date"}}}) is None
