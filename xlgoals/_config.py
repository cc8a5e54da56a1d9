"""The configuration in force for one call: the rule table and the frameworks.

Both default to the packaged files; ``rules=`` (a CSV laid over the packaged table) and
``frameworks=`` (a folder of framework JSON files) replace or extend them without touching
the installed package.  A Config pickles as its two paths, so worker processes load (and
cache) the same files.
"""

from __future__ import annotations

import os

from ._check._ruletable import RuleTable
from ._frameworks import FrameworkSet
from ._record import frozen
from ._resources import load_json


@frozen
class Config:
    """The rule table and the frameworks in force."""

    rules: RuleTable
    frameworks: FrameworkSet

    @classmethod
    def load(cls, rules: str | os.PathLike | None = None, frameworks: str | os.PathLike | None = None) -> Config:
        """Load and check both files (ConfigError naming the file and line when one is bad); cached.  The
        self-evaluation's scoring table (``schema/scoring.csv``) is loaded when a self-evaluation is first scored
        (a goal table's single check does without it): a fault in it is a ConfigError too, which stops the run
        once, from whichever worker meets it first (``check_files``), not each self-evaluation's problem.  A
        bureau's framework that names its own scoring table (its "scoring") has it checked when it loads."""
        return cls(RuleTable.load(rules), FrameworkSet.load(frameworks))

    @property
    def limits(self) -> dict:
        """Bounds on what one return may make xlgoals do (``schema/limits.json``)."""
        return load_json("schema", "limits.json")

    @property
    def sources(self) -> list:
        """The bureau's own files this configuration was loaded from (a rule table, a framework folder)."""
        return [p for p in (self.rules.source, self.frameworks.extra_dir) if p]

    def __reduce__(self):
        return (Config.load, (self.rules.source, self.frameworks.extra_dir))


def config_of(config: Config | None = None, *, rules=None, frameworks=None) -> Config:
    """The Config for a library call: the one given, or one loaded from the keyword arguments."""
    if config is not None:
        return config
    return Config.load(rules, frameworks)
