"""The self-evaluation (绩效自评表) round trip: points, scoring, templates from approved targets,
checks and the summary.  Its form is declared in ``_form/self_evaluation.py``."""
