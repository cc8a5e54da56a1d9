"""Open workbooks in LibreOffice and save them again in a format, as a department's round trip does (UNO).

Run with the Python that has the ``uno`` module (Debian's /usr/bin/python3 with python3-uno):

    python3 lo_convert.py JOB.json

JOB: {"files": [path, ...], "outdir": path, "format": "xlsx" | "xls" | "ods" | "pdf" | "csv" | "EXT:FILTER[:OPTIONS]",
      "infilter": "FILTER:OPTIONS" (optional: how the files are opened, ``soffice --infilter``'s spelling,
      "Text - txt - csv (StarCalc):44,34,76,1" for a CSV as LibreOffice's import dialog opens it, UTF-8)}
(``soffice --convert-to``'s spelling: "csv:Text - txt - csv (StarCalc):44,34,76,1", "xlsx:Calc Office Open XML").
For each workbook it writes ``<outdir>/<stem>.<EXT>``.  Each is opened from a private copy in the job's folder (an
ASCII path): LibreOffice's lock file (.~lock.NAME#) and whatever else it makes stay there, never beside the
original, which is not touched.  The office is lo_office's: its own profile and pipe, run once more if LibreOffice
ends under the job, nothing left behind.
"""

import json
import os
import shutil
import sys

import lo_office  # this folder: the script's own, on its path

#: The filter ``--convert-to EXT`` picks for a spreadsheet.
FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97", "ods": "calc8", "pdf": "calc_pdf_Export",
           "csv": "Text - txt - csv (StarCalc)"}


def prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def prepared(job_path):
    """The job of JOB.json as lo_office.run takes it: (job, what, env)."""
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    os.makedirs(job["outdir"], exist_ok=True)
    return (lambda office, work: _convert(job, office, work)), f"lo_convert {job_path}", None


def main(job_path):
    lo_office.run(*prepared(job_path))


def _convert(job, office, work):
    import uno

    ext, _, rest = job.get("format", "xlsx").partition(":")
    name, _, options = rest.partition(":")
    args = [prop("FilterName", name or FILTERS[ext])]
    if options:
        args.append(prop("FilterOptions", options))
    outs = []
    for i, src in enumerate(job["files"]):
        mine = os.path.join(work, f"in{i}" + os.path.splitext(src)[1])
        shutil.copy(src, mine)
        opening = [prop("Hidden", True)]
        if job.get("infilter"):
            in_name, _, in_options = job["infilter"].partition(":")
            opening += [prop("FilterName", in_name), prop("FilterOptions", in_options)]
        doc = office.desktop.loadComponentFromURL(uno.systemPathToFileUrl(mine), "_blank", 0, tuple(opening))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {src}")
        out = os.path.join(work, f"out{i}.{ext}")
        doc.storeToURL(uno.systemPathToFileUrl(out), tuple(args))
        try:
            doc.close(True)
        except Exception:
            pass  # a crash at close is harmless once the file is saved
        outs.append((out, os.path.join(job["outdir"], os.path.splitext(os.path.basename(src))[0] + f".{ext}")))
    for out, dst in outs:  # written once LibreOffice has saved every one
        shutil.copy(out, dst)


if __name__ == "__main__":
    main(sys.argv[1])
