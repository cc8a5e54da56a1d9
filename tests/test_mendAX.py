"""mendAX: items left alone by the last session's closing note."""

from __future__ import annotations

from xlgoals import validate
from xlgoals._check import _annotate
from xlgoals._check._annotate import annotate_all
from xlgoals._read._safety import FileProblem

from .conftest import ROOT

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def test_a_copy_the_full_screen_refuses_says_the_limit_and_the_links_advice_as_the_catalog_words_them(tmp_path,
                                                                                                      monkeypatch):
    """The copy is made after a second, full screen: what it refuses is said in the catalog's words, the limit
    (``expected``) among them, and file.external_link's detail after its count as the report says it."""
    report = validate([RECEIVED], jobs=1).files[0]
    said = []
    for fp in (FileProblem("file.too_large", found=("各工作表合计 9000000 个单元格", "9000000 cells in all sheets"),
                           expected="5000000"),
               FileProblem("file.external_link", found=("2 个", "2"), detail=("，请删除外部链接后重新报送",
                                                                            "; remove them and submit again"))):
        def refuse(path, fp=fp):
            raise fp
        monkeypatch.setattr(_annotate, "open_verified", refuse)
        ((_, target, why),) = annotate_all([report], tmp_path)
        assert target is None
        said.append((str(why), why.en))
    (big, big_en), (links, links_en) = said
    assert "上限 5000000" in big and "limit 5000000" in big_en, said
    assert "工作簿含有外部链接（2 个），请删除外部链接后重新报送" in links, links
    assert "The workbook has external links (2); remove them and submit again" in links_en, links_en
    assert list(tmp_path.iterdir()) == []
