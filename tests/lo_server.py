"""One pytest worker's LibreOffice jobs (lo_edit.py, lo_print.py, lo_convert.py) on offices that last the session.

Run with the Python that has the ``uno`` module, by the test session (conftest.py's ``_LoServer``):

    python3 lo_server.py

Each line on stdin is a request, {"kind": "edit" | "print" | "convert", "job": JOB.json}, the job file the script
of that kind takes; each answer is one line on stdout, {"ok": true | false, "error": traceback, "retries": [...]}
(the lines lo_office logged for jobs run once more).  The jobs run on a lo_office.Pool: one office per locale, kept
from job to job (starting an office was most of a job's time), replaced when it ends or a job fails, each job in a
fresh folder of its own; a job LibreOffice ends under is run once more on a fresh office, as the scripts run alone
do.  At the end of stdin every office is ended and its folder removed.
"""

import json
import os
import sys
import traceback

import lo_convert
import lo_edit
import lo_office
import lo_print

KINDS = {"edit": lo_edit, "print": lo_print, "convert": lo_convert}


def main():
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else prints goes to stderr: stdout is the answers'
    pool = lo_office.Pool()
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            del lo_office.LOGGED[:]
            try:
                pool.run(*KINDS[request["kind"]].prepared(request["job"]))
                answer = {"ok": True}
            except (Exception, SystemExit):
                answer = {"ok": False, "error": traceback.format_exc()}
            answer["retries"] = list(lo_office.LOGGED)
            answers.write(json.dumps(answer, ensure_ascii=False) + "\n")
            answers.flush()
    finally:
        pool.close()


if __name__ == "__main__":
    main()
