"""The configuration in force for one call: the rule table and the frameworks.

Both default to the packaged files; ``rules=`` (a CSV laid over the packaged table) and
``frameworks=`` (a folder of framework JSON files) replace or extend them without touching
the installed package.  A Config pickles as its two paths, so worker processes load (and
cache) the same files.
"""

from __future__ import annotations

import functools
import json
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
    #: a bureau's limits file (``--limits``): the per-process bounds it raises or lowers (LIMITS_SET), None for none
    limits_file: str | None = None

    @classmethod
    def load(cls, rules: str | os.PathLike | None = None, frameworks: str | os.PathLike | None = None,
             limits: str | os.PathLike | None = None) -> Config:
        """Load and check the files (ConfigError naming the file and line when one is bad); cached.  `limits`: a
        bureau's JSON file of the bounds it sets itself (``load_limits``: worker_memory_mb, file_seconds).  The
        self-evaluation's scoring table (``schema/scoring.csv``) is loaded when a self-evaluation is first scored
        (a goal table's single check does without it): a fault in it is a ConfigError too, which stops the run
        once, from whichever worker meets it first (``check_files``), not each self-evaluation's problem.  A
        bureau's framework that names its own scoring table (its "scoring") has it checked when it loads."""
        if limits is not None:
            limits = str(limits)
            load_limits(limits)  # checked here, before any return is read
        return cls(RuleTable.load(rules), FrameworkSet.load(frameworks), limits)

    @property
    def limits(self) -> dict:
        """Bounds on what one return may make xlgoals do (``schema/limits.json``), with the bureau's limits file's
        over them (``limits_file``)."""
        packaged = load_json("schema", "limits.json")
        return {**packaged, **load_limits(self.limits_file)} if self.limits_file else packaged

    @property
    def sources(self) -> list:
        """The bureau's own files this configuration was loaded from (a rule table, a framework folder, a limits
        file)."""
        return [p for p in (self.rules.source, self.frameworks.extra_dir, self.limits_file) if p]

    def __reduce__(self):
        return (Config.load, (self.rules.source, self.frameworks.extra_dir, self.limits_file))


#: The bounds of ``schema/limits.json`` a bureau may set in its limits file (``--limits FILE``), each a whole number
#: above 0: the memory (MB) and the time (seconds) one worker process may take over one file, which a machine with
#: more memory, or returns larger than most, may need raised
LIMITS_SET = ("worker_memory_mb", "file_seconds")


def load_limits(path) -> dict:
    """A bureau's limits file: a JSON object of LIMITS_SET's keys (any of them; "description" free), each a whole
    number above 0; a ConfigError at the file (and the key's line) otherwise, naming it as given.  Cached as the
    other bureau files are (``_resources.load_as_given``: by absolute path and the file's version); a fresh dict
    each call."""
    from ._resources import load_as_given

    return dict(load_as_given(_load_limits, path))


@functools.lru_cache(maxsize=8)
def _load_limits(path: str, version) -> tuple:
    from ._errors import ConfigError
    from ._resources import read_config_json, read_config_text, refuse_unknown_keys
    from ._text import Bilingual, at, line_of

    what = Bilingual("限额文件", "limits file")
    raw = read_config_json(path, what)
    if not isinstance(raw, dict):
        raise ConfigError(at(path, "限额文件应为 JSON 对象，如 {\"worker_memory_mb\": 2048}",
                             'a limits file is a JSON object, such as {"worker_memory_mb": 2048}'))
    refuse_unknown_keys(raw, (*LIMITS_SET, "description"), path)
    out = []
    for key in LIMITS_SET:
        if key not in raw:
            continue
        v = raw[key]
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            text = read_config_text(path, what)
            found = text.find(f'"{key}"')
            where = line_of(path, text.count("\n", 0, found) + 1) if found >= 0 else path
            unit = ("兆字节", "MB") if key == "worker_memory_mb" else ("秒", "seconds")
            raise ConfigError(at(where, f"{key} 应为大于 0 的整数（{unit[0]}），而不是 {json.dumps(v, ensure_ascii=False)}",
                                 f"{key} must be a whole number above 0 ({unit[1]}), not {json.dumps(v)}"))
        out.append((key, v))
    return tuple(out)


def config_of(config: Config | None = None, *, rules=None, frameworks=None) -> Config:
    """The Config for a library call: the one given, or one loaded from the keyword arguments."""
    from ._args import config as checked

    config = checked(config)  # a path there (meant for rules=): said, not "'str' object has no attribute 'rules'"
    if config is not None:
        return config
    return Config.load(rules, frameworks)
