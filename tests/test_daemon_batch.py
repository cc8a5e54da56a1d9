"""pmap inside a daemon process (a host's multiprocessing pool worker: no multiprocessing children allowed): the
items were each read in a child of their own, a fork per goal table or return (a thousand targets, a thousand
forks).  They are read in one forked child after another, each child going on to the next item until one dies or
overruns (inbox3 item 5)."""

from __future__ import annotations

import multiprocessing as mp
import os
import time

from xlgoals._parallel import pmap


def _work(item):
    if item == "die":
        os._exit(3)
    if item == "spin":
        time.sleep(60)
    return (item, os.getpid())


def _in_daemon(items, out):
    forks = []
    os.register_at_fork(before=lambda: forks.append(1))
    got = list(pmap(_work, items, 2, on_crash=lambda item, why: (item, why), timeout=3))
    out.put((got, len(forks)))


def _run(items):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_in_daemon, args=(items, q), daemon=True)
    p.start()
    got = q.get(timeout=120)
    p.join(10)
    return got


def test_many_items_in_a_daemon_are_read_in_one_child():
    got, forks = _run([f"t{i}" for i in range(20)])
    assert [g[0] for g in got] == [f"t{i}" for i in range(20)]
    assert len({g[1] for g in got}) == 1 and forks == 1, (forks, got)


def test_a_child_that_dies_or_overruns_costs_its_item_only():
    items = ["a", "die", "b", "spin", "c", "d"]
    got, forks = _run(items)
    assert [g[0] for g in got] == items
    assert got[1] == ("die", "crashed") and got[3] == ("spin", "timeout"), got
    pid = {item: g[1] for item, g in zip(items, got)}
    assert pid["a"] != pid["b"] != pid["c"] and pid["c"] == pid["d"], got  # a new child after each loss, then on
    assert forks == 3, (forks, got)
