"""Defaults that the command line shows in --help, kept apart so that --help imports nothing heavier."""

DEFAULT_FRAMEWORK = "shanghai-2020"
#: The goal table's indicator rows: a blank template's, and the most a template may have (the form declares both
#: from these: ``_form.goal_table``).
DEFAULT_ROWS = 50
MAX_ROWS = 5000
#: The budget years a template may be written for, first and last (the command line's --year and the library's
#: ``year=`` alike: ``_args.year``).
MIN_YEAR, MAX_YEAR = 2000, 2100
#: The most worker processes a caller may ask for (``jobs``; 0 or None: one per CPU core).
MAX_JOBS = 256
