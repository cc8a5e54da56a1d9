"""Defaults that the command line shows in --help, kept apart so that --help imports nothing heavier."""

DEFAULT_FRAMEWORK = "shanghai-2020"
#: The goal table's indicator rows: a blank template's, and the most a template may have (the form declares both
#: from these: ``_form.goal_table``).
DEFAULT_ROWS = 50
MAX_ROWS = 5000
