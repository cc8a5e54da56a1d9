"""What calamine does not tell of a legacy .xls: each sheet's protection, visibility and hidden rows.

The workbook stream's BOUNDSHEET records name the sheets, their visibility and where their
substreams start; a sheet's PROTECT record says whether it is protected, its ROW records which
rows are hidden (fDyZero, or a height of 0).  Only those records
are looked at; anything unexpected means "unknown" (None), never an exception.
"""

from __future__ import annotations

import io
import struct

_BOF, _EOF, _BOUNDSHEET, _PROTECT, _ROW = 0x0809, 0x000A, 0x0085, 0x0012, 0x0208
MAX_HIDDEN_ROWS = 100_000  # a form has a few; beyond, a hostile file
_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


def _records(stream: bytes, pos: int):
    end = len(stream)
    while pos + 4 <= end:
        rid, length = struct.unpack_from("<HH", stream, pos)
        yield rid, stream[pos + 4:pos + 4 + length]
        pos += 4 + length


def xls_sheets(data: bytes) -> dict[str, dict] | None:
    """sheet name -> {"protected": bool, "state": "visible" | "hidden" | "veryHidden", "hidden_rows": set of
    0-based rows}, or None."""
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            stream = ole.openstream(name).read()
        sheets = []
        for rid, body in _records(stream, 0):
            if rid == _BOUNDSHEET and len(body) >= 8:
                offset, state, cch, flags = struct.unpack_from("<IBxBB", body, 0)
                raw = body[8:8 + (cch * 2 if flags & 1 else cch)]
                sheets.append((raw.decode("utf-16-le" if flags & 1 else "latin-1"), offset, state & 3))
            elif rid == _EOF:
                break
        out = {}
        for sheet, offset, state in sheets:
            protected, hidden = False, set()
            for n, (rid, body) in enumerate(_records(stream, offset)):
                if rid == _PROTECT and len(body) >= 2:
                    protected = struct.unpack_from("<H", body)[0] == 1
                elif rid == _ROW and len(body) >= 16 and len(hidden) < MAX_HIDDEN_ROWS:
                    row, height, grbit = struct.unpack_from("<H4xH4xH", body)
                    if grbit & 0x20 or height & 0x7FFF == 0:
                        hidden.add(row)
                if rid == _EOF or n > 200_000:
                    break
            out[sheet] = {"protected": protected, "state": _STATES.get(state, "visible"), "hidden_rows": hidden}
        return out
    except Exception:  # a damaged file: calamine reports it, we only cannot tell
        return None
