"""Printed pages the red team rejected (session 30, red team 30a): the 审核 sheet of a --review summary, the
monitoring form's long text columns, cell.row_beyond_page of a row only LibreOffice grows."""

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from xlgoals import consolidate

from .helpers import ooxml_errors

EXAMPLES = Path(__file__).parent.parent / "examples"
FOLDERS = {"goal-table": "returns", "self-evaluation": "self-evaluation", "monitoring": "monitoring"}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """Each form's summary of the examples with its 审核 sheets (consolidate --review)."""
    out = tmp_path_factory.mktemp("reviewed")
    return {form: consolidate(sorted((EXAMPLES / folder).glob("*.xlsx")), out / f"{form}.xlsx", jobs=1,
                              review=True).output for form, folder in FOLDERS.items()}


def _pages_across(ws, keys: int) -> list[list[str]]:
    """The printed columns (the print area's) as the pages across hold them at the sheet's scale, the first `keys`
    columns repeated on each, by LibreOffice's measure (a column of width w prints 2.24 w mm at 100 %, the widest
    of the clients: _render._MM_PER_WIDTH), on A4 landscape between the sheet's margins."""
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last = column_index_from_string(area.split("!")[-1].split(":")[-1].replace("$", "").rstrip("0123456789"))
    room = (297 - 25.4 * (ws.page_margins.left + ws.page_margins.right)) * 100 / int(ws.page_setup.scale)

    def mm(c):
        return 2.24 * ws.column_dimensions[get_column_letter(c)].width

    head = [ws.cell(row=r, column=1).value for r in range(1, 6)].index("排名（得分从低到高）") + 1
    title = lambda c: ws.cell(row=head, column=c).value  # noqa: E731
    pages, page, used = [], [], sum(mm(c) for c in range(1, keys + 1))
    for c in range(keys + 1, last + 1):
        if page and used + mm(c) > room:
            pages.append(page)
            page, used = [], sum(mm(k) for k in range(1, keys + 1))
        page.append(title(c))
        used += mm(c)
    pages.append(page)
    pages[0] = [title(k) for k in range(1, keys + 1)] + pages[0]
    return pages


@pytest.mark.parametrize("form", list(FOLDERS))
def test_the_review_sheet_repeats_rank_unit_and_project_on_its_two_pages_across(reviewed, form):
    """审核 printed two pages wide at 80 %, no column repeated: its second pages (主要提示二/三, 校验状态, 计入汇总,
    来源文件) said of no row which project it is.  排名 through 项目名称 repeat on each page across, and its columns are
    declared so that, with them repeated, it prints on two pages across at 80 % (8 pt text), not three or four."""
    path = reviewed[form]
    wb = openpyxl.load_workbook(path)
    ws = wb["审核"]
    assert ws.print_title_cols == "$A:$C"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.scale) == 80
    pages = _pages_across(ws, 3)
    assert len(pages) == 2, pages
    assert pages[0][:3] == ["排名（得分从低到高）", "申报单位", "项目名称"], pages
    assert pages[1][-1] == "来源文件", pages
    assert not ooxml_errors(path)
