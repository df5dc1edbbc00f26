# -*- coding: utf-8 -*-
# Copyright (c) netifs.core contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fuzz harness as tests: every seed and committed regression replayed (fast, no atheris),
then a bounded coverage-guided run (atheris; NETIFS_FUZZ_SECONDS, default 60)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import shutil
import struct
import subprocess
import sys

import pytest

import fuzz_parsers
import make_seeds

HERE = os.path.dirname(os.path.abspath(__file__))
REGRESSIONS = os.path.join(HERE, "regressions")

# Committed inputs that still break the rule: {file name: why}. Fix the engine, then drop the entry
# (the xfail is strict, so a fixed bug fails here until it is dropped). The first three, found by
# this harness, were fixed in the session that added it (procfs reads numbers with a bound).
KNOWN_BUGS = {}


def verdict(out):
    """``error`` for a ParseError, ``partial`` for a list holding some, else ``ok``."""
    def failed(item):
        return isinstance(item, tuple) and item[:1] == ("ParseError",)
    if failed(out):
        return "error"
    if isinstance(out, list) and any(failed(item) for item in out):
        return "partial"
    return "ok"


@pytest.mark.parametrize("name, data, expect", make_seeds.seeds(), ids=[s[0] for s in make_seeds.seeds()])
def test_seed(name, data, expect):
    target, out = fuzz_parsers.run_one(data)
    assert name.startswith(target + "-")
    if expect != "any":
        assert verdict(out) == expect, out


def _regressions():
    names = sorted(os.listdir(REGRESSIONS)) if os.path.isdir(REGRESSIONS) else []
    return [pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], raises=fuzz_parsers.FuzzFailure, strict=True))
            if name in KNOWN_BUGS else name for name in names]


@pytest.mark.parametrize("name", _regressions())
def test_regression(name):
    with open(os.path.join(REGRESSIONS, name), "rb") as handle:
        fuzz_parsers.run_one(handle.read())


def _rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_memory_does_not_grow_with_distinct_flags():
    """Across calls too: parsing must not keep memory that grows with what it has seen.
    300,000 links with distinct ifi_flags; a cache bounded like the others stays under ~20 MB."""
    buf = bytearray(make_seeds.nl.link(1, "eth0"))
    for _warm in range(1000):
        fuzz_parsers.links.parse_link(buf, 0, len(buf))
    before = _rss()
    for value in range(300000):
        struct.pack_into("=I", buf, 8, value * 2654435761 & 0xFFFFFFFF)
        fuzz_parsers.links.parse_link(buf, 0, len(buf))
    grown = _rss() - before
    assert grown < 40 * 2 ** 20, "%.1f MB kept after 300,000 distinct flag words" % (grown / 2 ** 20)


def _stats(log):
    runs = re.search(r"Done (\d+) runs in (\d+) second", log)
    cov = re.findall(r"\bcov: (\d+) ft: (\d+)", log)
    return (int(runs.group(1)) if runs else None, int(runs.group(2)) if runs else None,
            cov[-1] if cov else (None, None))


def test_fuzz_run(tmp_path, capsys, record_property):
    if fuzz_parsers.atheris is None:
        pytest.skip("atheris is not importable (pip install atheris, see tests/requirements.txt): no coverage-guided run")
    seconds = int(os.environ.get("NETIFS_FUZZ_SECONDS", "60"))
    seeds, corpus = str(tmp_path / "seeds"), str(tmp_path / "corpus")
    make_seeds.write(seeds)
    for name in os.listdir(REGRESSIONS):
        shutil.copy(os.path.join(REGRESSIONS, name), seeds)
    os.mkdir(corpus)
    cmd = [sys.executable, os.path.join(HERE, "fuzz_parsers.py"), "-max_total_time=%d" % seconds, "-timeout=10",
           "-rss_limit_mb=2048", "-max_len=4096", "-print_final_stats=1", "-artifact_prefix=%s/" % tmp_path, corpus, seeds]
    env = dict(os.environ, NETIFS_FUZZ_KNOWN="skip")  # the known bugs fail test_regression, not this run
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=seconds + 300, check=False)
    log = proc.stdout.decode("utf-8", "replace")
    runs, took, (cov, ft) = _stats(log)
    with capsys.disabled():
        print("\nfuzz_parsers: %s runs in %s s (%s/s), cov: %s ft: %s, corpus %d new inputs"
              % (runs, took, runs // max(1, took) if runs else "?", cov, ft, len(os.listdir(corpus))))
    record_property("fuzz_runs", runs)
    record_property("fuzz_cov", cov)
    crashes = [n for n in os.listdir(str(tmp_path)) if n.startswith(("crash-", "timeout-", "oom-", "leak-"))]
    assert proc.returncode == 0 and not crashes, "exit status %d, artifacts %s in %s (see tests/fuzz/README.md):\n%s" % (
        proc.returncode, crashes, tmp_path, log[-6000:])
    assert runs is not None and runs >= 20 * seconds, "too few inputs ran (%s in %d s):\n%s" % (runs, seconds, log[-3000:])


def test_make_seeds_runs_as_the_readme_says(tmp_path):
    """``python make_seeds.py DIR`` from a plain interpreter, no pytest paths: what a longer
    campaign starts from."""
    out = tmp_path / "seeds"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, os.path.join(HERE, "make_seeds.py"), str(out)], cwd=str(tmp_path),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert len(os.listdir(str(out))) == len(make_seeds.seeds())
