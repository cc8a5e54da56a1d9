"""The mid-year monitoring report (绩效运行监控表) round trip: templates from approved targets, checks,
locked targets, and the summary.  Its form is declared in ``_form/monitoring.py``; the target import,
indicator ids and digests are the self-evaluation's (``_selfeval/_targets.py``)."""
