"""Defaults that the command line shows in --help, kept apart so that --help imports nothing heavier."""

DEFAULT_FRAMEWORK = "shanghai-2020"
