"""Drive LibreOffice through UNO as a department would: open a workbook, type into cells, save.

Run with the Python that has the ``uno`` module (Debian's /usr/bin/python3 with python3-uno):

    python3 lo_edit.py JOB.json

JOB: {"src": path, "dst": path, "format": "xlsx" | "xls",
      "password": optional open password for the saved file,
      "edits": [{"sheet": "项目信息", "cell": "B3", "string": "…"} | {"…", "value": 1.5}
                | {"…", "input": "≥85%"}]}
"string" stores text, "value" a number, "input" is processed like typing into the cell.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(job_path):
    job = json.load(open(job_path, encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"xlgoals{os.getpid()}"
    proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                             f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(job["src"])), "_blank", 0,
                                           (prop("Hidden", True),))
        for e in job.get("edits", []):
            cell = doc.Sheets.getByName(e["sheet"]).getCellRangeByName(e["cell"])
            if "string" in e:
                cell.setString(e["string"])
            elif "value" in e:
                cell.setValue(e["value"])
            elif "input" in e:
                cell.setFormula(e["input"])
            elif e.get("clear"):
                cell.setString("")
        filters = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97"}
        args = [prop("FilterName", filters[job.get("format", "xlsx")])]
        if job.get("password"):
            args.append(prop("Password", job["password"]))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(job["dst"])), tuple(args))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main(sys.argv[1])
