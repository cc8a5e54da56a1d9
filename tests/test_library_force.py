"""The library is the product: what the command line refuses, the library refuses too."""

import shutil

import openpyxl

from .conftest import EXAMPLES

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"
PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


# the library refuses to replace a file, as the command line does ----------------------------------------------
def test_write_template_and_fill_do_not_replace_an_existing_file_unless_force(tmp_path):
    """The library is the product: ``write_template()`` and ``fill()`` replaced a department's file at `out`
    silently (only the command line refused).  They refuse it now, as ``consolidate()`` does, unless force=True."""
    import pytest

    import xlgoals

    doc = xlgoals.read(PASSING).document
    for name, write in (("模板.xlsx", lambda out, **k: xlgoals.write_template(out, **k)),
                        ("申报.xlsx", lambda out, **k: xlgoals.fill(doc, out, **k))):
        out = tmp_path / name
        shutil.copy(FAILING, out)  # a department's return kept under that name
        before = out.read_bytes()
        with pytest.raises(xlgoals.XlgoalsError) as caught:
            write(out)
        assert caught.value.exit_code == 2 and "已存在" in str(caught.value), caught.value
        assert out.read_bytes() == before
        assert write(out, force=True) == out
        assert out.read_bytes() != before
        assert openpyxl.load_workbook(out).sheetnames[0] == openpyxl.load_workbook(FAILING).sheetnames[0]
        with pytest.raises(xlgoals.XlgoalsError):  # its own output too: a template or return is no summary
            write(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板.xlsx", "申报.xlsx"]  # nothing half-written


# the library's own words: force=True, not the command line's --force ---------------------------------------------
def test_a_refusal_tells_a_library_caller_force_true_and_the_command_line_force(tmp_path):
    """A script calling ``consolidate()`` or ``write_template()`` over a file it did not write was told 加 --force /
    add --force, an option it has no way to give.  The library says force=True (zh and en); the command line
    keeps --force."""
    import pytest

    import xlgoals
    from xlgoals._text import in_lang

    from .conftest import cli

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "a.xlsx")
    mine = tmp_path / "预算.xlsx"
    mine.write_bytes(b"the clerk's own workbook")
    goal = tmp_path / "目标表"
    goal.mkdir()
    shutil.copy(PASSING, goal / "g.xlsx")
    made = tmp_path / "下发"
    assert xlgoals.self_evaluation_templates([goal], made).written
    projects = tmp_path / "projects.csv"
    projects.write_text("申报单位名称,项目名称\n甲单位,乙项目\n", encoding="utf-8")
    prefilled = tmp_path / "预填"
    assert xlgoals.prefill_templates(projects, prefilled, year=2020).written
    said = []
    for call in (lambda: xlgoals.consolidate([inbox], mine, jobs=1), lambda: xlgoals.write_template(mine),
                 lambda: xlgoals.prefill_templates(projects, prefilled, year=2020)):
        with pytest.raises(xlgoals.XlgoalsError) as caught:
            call()
        said.append(caught.value.args[0])
    said.append(xlgoals.self_evaluation_templates([goal], made).errors[0])  # kept, and said, per file
    for message in said:
        zh, en = in_lang(message, "zh"), in_lang(message, "en")
        assert "force=True" in zh and "force=True" in en and "--force" not in zh + en, (zh, en)
    assert mine.read_bytes() == b"the clerk's own workbook"
    # the command line keeps its own words
    for args in (["consolidate", inbox, "-o", mine], ["template", "-o", mine],
                 ["template", "--prefill", projects, "--out-dir", prefilled, "--year", "2020"],
                 ["template", "--form", "self-evaluation", "--targets", goal, "--out-dir", made]):
        for lang in ("zh", "en"):
            out = cli(*args, "--lang", lang).output
            assert "--force" in out and "force=True" not in out, (args, out)
