"""Small mends: 偏差清单 holds every row validate asks a reason of; consolidate's and validate's “nothing found”
lines count the JSON files that are not return documents from the collector's own count; a JSON file replaced by a
folder is said to be a folder."""

import json

import openpyxl

from xlgoals import consolidate, fill, validate

from .conftest import EXAMPLES, cli, load

SE_JSON = sorted((EXAMPLES / "self-evaluation").glob("*.json"))


# 1. 偏差清单: a target missed by so little that the score rounds to the points -------------------------------------
def test_the_deviation_list_holds_a_row_whose_score_rounds_to_the_points(tmp_path):
    """validate asks a reason of a row whose exact score is below its points while the score in cents equals them
    (89.999 against ≥90: 9.9999 → 10.00); 偏差清单 left it out (it listed 失分 and 超额完成 only)."""
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"])
             if ind["comparator"] == ">=" and isinstance(ind.get("value"), (int, float)) and ind["value"] > 1
             and ind.get("points"))
    row = doc["indicators"][i]
    row.update(actual=row["value"] - 0.001, score=row["points"], deviation="")
    path = fill(doc, tmp_path / "in" / "r.xlsx")
    asked = [p for p in validate([path]).problems() if p.code == "self.deviation_missing"]
    assert len(asked) == 1 and "89.999" in asked[0].message, [(p.cell, p.message) for p in asked]
    row["deviation"] = "统计口径调整"  # the reason given: the return counts (an error keeps it out of the summary)
    fill(doc, tmp_path / "in" / "r.xlsx", force=True)
    assert not [p for p in validate([path]).problems() if p.severity == "error"]
    consolidate([tmp_path / "in"], tmp_path / "s.xlsx", jobs=1, force=True)
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)["偏差清单"]
    rows = [r for r in ws.iter_rows(values_only=True) if row["id"] in r]
    assert len(rows) == 1, rows
    listed = rows[0]
    assert "略未达标" in listed, listed
    assert listed[listed.index("略未达标") - 1] == row["points"], listed  # 重算得分: the full points, in cents
    assert listed[listed.index("略未达标") + 1] == "统计口径调整", listed  # 偏差原因, after the kind


# 2, 3. the “nothing found” lines of consolidate and validate ---------------------------------------------------------
def _inbox(tmp_path):
    """A folder with no return: two JSON files of another program's, a note, and a JSON file xlgoals wrote."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "训练.json").write_text(json.dumps({"loss": 0.5, "epoch": 3}), encoding="utf-8")
    (inbox / "配置.json").write_text(json.dumps([1, 2]), encoding="utf-8")
    (inbox / "说明.txt").write_text("说明", encoding="utf-8")
    return inbox


def test_consolidates_nothing_found_line_counts_the_json_files_the_collector_found_no_document(tmp_path):
    """The line says how many files were not checked and, of them, how many JSON files proved no return's document,
    by the collector's own count (ConsolidationResult.not_documents); its English said plainly."""
    inbox = _inbox(tmp_path)
    res = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1)
    assert res.not_documents == 2, res.not_documents
    zh, en = res.nothing_found(), res.nothing_found("en")
    assert zh == ("注意：所给的路径中没有找到任何工作簿（.xlsx/.xlsm/.xls/.ods/.et）或 JSON 申报文档（.json）"
                  "（另有 3 个其他文件未检查，原因见下；其中 2 个 JSON 文件不是 xlgoals 申报的 JSON 文档，未作为申报检查），"
                  "汇总为空；请检查路径是否正确、申报是否已放入该文件夹。"), zh
    assert en == ("Note: no return was found in the paths given: no workbook (.xlsx/.xlsm/.xls/.ods/.et) and no JSON "
                  "document of a return (.json), so the summary is empty. 3 other files were not checked, listed below "
                  "with why (2 of them are JSON files that are not returns). Check the paths, and that the returns "
                  "have been put there."), en
    r = cli("--lang", "en", "consolidate", inbox, "-o", tmp_path / "e.xlsx")
    assert r.exit_code == 1 and en in r.stderr and "训练.json" in r.stderr.split(en)[1], r.stderr
    (inbox / "训练.json").unlink()
    (inbox / "配置.json").unlink()
    one = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1, force=True)
    assert one.not_documents == 0 and "JSON 文件不是" not in one.nothing_found(), one.nothing_found()
    assert "1 other file was not checked, listed below with why." in one.nothing_found("en"), one.nothing_found("en")


def test_validates_nothing_found_line_counts_the_json_files_that_are_no_return_document(tmp_path):
    """validate's line said only 没有找到要校验的工作簿或 JSON 文档, where consolidate's counts the files not checked and
    the JSON files among them that are no return's document: both now say it, from the same count."""
    from xlgoals import validate as validate_paths

    inbox = _inbox(tmp_path)
    report = validate_paths([inbox], jobs=1)
    assert report.not_documents == 2, report.not_documents
    r = cli("validate", inbox)
    assert ("没有找到要校验的工作簿（.xlsx/.xlsm/.xls/.ods/.et）或 JSON 申报文档（.json）（另有 3 个其他文件未检查，原因见下；"
            "其中 2 个 JSON 文件不是 xlgoals 申报的 JSON 文档，未作为申报检查）。") in r.stdout, r.stdout
    r = cli("--lang", "en", "validate", inbox)
    assert ("Neither a workbook (.xlsx/.xlsm/.xls/.ods/.et) nor a JSON document of a return (.json) was found to "
            "check. 3 other files were not checked, listed below with why "
            "(2 of them are JSON files that are not returns).") \
        in r.stdout, r.stdout
    empty = tmp_path / "空"
    empty.mkdir()
    r = cli("validate", empty)
    assert "没有找到要校验的工作簿（.xlsx/.xlsm/.xls/.ods/.et）或 JSON 申报文档（.json）。" in r.stdout, r.stdout


# 4. a JSON file replaced by a folder between the scan and the read -------------------------------------------------
def test_a_json_file_replaced_by_a_folder_is_said_to_be_a_folder(tmp_path, monkeypatch):
    """A JSON document a folder listed, replaced by a folder before its worker read it, was said to be 不是普通文件
    （管道或设备）: it is said to be a folder.  A pipe is still said to be one."""
    import os

    from xlgoals import validate as validate_paths
    from xlgoals._check import _jsondoc

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    doc = inbox / "申报.json"
    doc.write_text(json.dumps(load(sorted((EXAMPLES / "json").glob("*.json"))[0]), ensure_ascii=False),
                   encoding="utf-8")
    read = _jsondoc.load

    def replaced(path, config):  # the file swapped for a folder after the scan had listed it
        if os.path.isfile(path):
            os.unlink(path)
            os.mkdir(path)
        return read(path, config)
    monkeypatch.setattr(_jsondoc, "load", replaced)
    said = [(p.code, p.message, p.message_en) for p in validate_paths([inbox], jobs=1).problems()]
    assert [s[0] for s in said] == ["file.bad_json"], said
    assert "文件夹" in said[0][1] and "管道" not in said[0][1], said
    assert "folder" in said[0][2] and "pipe" not in said[0][2], said
    monkeypatch.undo()
    pipe = tmp_path / "管道.json"
    os.mkfifo(pipe)
    _, _, p = _jsondoc.load(str(pipe), _config())
    assert "管道或设备" in p.message and "pipe" in p.message_en, (p.message, p.message_en)


def _config():
    from xlgoals import Config

    return Config.load()
