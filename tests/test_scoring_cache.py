"""The scoring table's compiled chains (``ScoringTable.__init__``: which rule applies, per scope) are kept in the
disk cache as its row scorer's code is: a single ``xlgoals validate self.xlsx`` compiled them at every start."""

from __future__ import annotations

from decimal import Decimal

from xlgoals import _diskcache
from xlgoals._selfeval import _scoring


def test_a_scoring_table_made_again_compiles_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    table = _scoring._load.__wrapped__(None)  # made afresh: its code written to the cache
    assert list((tmp_path / "cache" / "xlgoals").glob("code-*.marshal"))
    compiled = []

    def counted(*args, **kw):
        compiled.append(args[1] if len(args) > 1 else kw.get("filename"))
        return compile(*args, **kw)

    for module in (_scoring, _diskcache):  # (their own compile, ahead of the builtin)
        monkeypatch.setattr(module, "compile", counted, raising=False)
    again = _scoring.ScoringTable(table.rules, table.source)  # as the next run makes it: from the cache
    assert compiled == []
    for key, (rules, chain) in table._chains.items():  # the same chains: each decides as the first did
        args = [Decimal(n) for n in ("10", "90", "100", "100", "8")][:len(_scoring._ARGUMENTS[_scoring._scope(key)])]
        if key == "qualitative":
            args[0] = "良"
        elif key == "total":
            args = [Decimal("85")]
        assert again._chains[key][0] == rules and again._chains[key][1](*args) == chain(*args), key
