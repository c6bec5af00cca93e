"""Repository-wide pytest set-up: per-notebook timing for nbval runs.

Every notebook must run top to bottom in under NOTEBOOK_BUDGET_S seconds on
2 CPU cores of the reference machine (``budget_s`` scales it to this one). The cells'
times are summed per notebook, printed as a table at the end of the run, and a notebook over
budget fails the session.
Tests that run whole notebooks another way (tests/test_browser.py in JupyterLab,
tests/test_installed.py from the wheel) report their time with
``record_property("notebook_seconds", s)``; it is printed beside nbval's, not budgeted.
With NOTEBOOK_TIMES_JSON=path set, nbval's times are also written to that file as JSON
(``make bench`` reads them).
"""

from __future__ import annotations

import functools
import json
import os
from collections import defaultdict
from pathlib import Path

NOTEBOOK_BUDGET_S = float(os.environ.get("NOTEBOOK_BUDGET_S", "45"))
# The budget holds on the machine it was set on, where calibration_seconds() takes this long;
# on a slower machine it stretches by the measured ratio (never shrinks). Machines of one kind
# differ: nbval's total was 138 s on one 2-core machine and 337 s on another (2026-12).
CALIBRATION_REFERENCE_S = 0.18
_times: dict[str, float] = defaultdict(float)
_other_times: dict[str, dict[str, float]] = defaultdict(dict)  # test file -> notebook -> s

# Notebooks run on the CPU with a fixed number of threads, as on the 2-core CI machine.
os.environ.setdefault("OMP_NUM_THREADS", "2")
# One BLAS thread for NumPy: timings plotted by the notebooks stay clean on a busy machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# No progress bars under test, as in the committed outputs (tools/execute.py): tqdm >= 4.66.
os.environ.setdefault("TQDM_DISABLE", "1")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: runs every notebook again or retrains shipped weights (-m 'not slow')"
    )
    config.addinivalue_line("markers", "browser: drives JupyterLab in Chromium")
    config.addinivalue_line(
        "markers", "retrain: retrains the shipped weights (make test-retrain; not in make test)"
    )


def calibration_seconds() -> float:
    """Best of three runs of a fixed workload like the notebooks' (small NumPy steps, a little
    torch training on one thread), after one to warm up."""
    import time

    import numpy as np
    import torch

    def once() -> float:
        start = time.perf_counter()
        a = np.random.default_rng(0).standard_normal((64, 64))
        for _ in range(2000):
            a = np.tanh(a @ a.T / 64)
        model = torch.nn.GRU(8, 32, batch_first=True)
        optimizer = torch.optim.Adam(model.parameters())
        x = torch.randn(16, 40, 8, generator=torch.Generator().manual_seed(0))
        for _ in range(30):
            optimizer.zero_grad()
            model(x)[0].pow(2).mean().backward()
            optimizer.step()
        return time.perf_counter() - start

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        once()
        return min(once() for _ in range(3))
    finally:
        torch.set_num_threads(threads)


@functools.cache
def budget_s() -> float:
    """NOTEBOOK_BUDGET_S on this machine: stretched by how much slower than the reference it is."""
    return NOTEBOOK_BUDGET_S * max(1.0, calibration_seconds() / CALIBRATION_REFERENCE_S)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _times[path] += report.duration
    for key, value in report.user_properties:
        if key == "notebook_seconds" and "[" in report.nodeid:
            notebook = report.nodeid.rsplit("[", 1)[1].rstrip("]")
            _other_times[Path(path).stem][notebook] = value


def _in_xdist_worker(config) -> bool:
    """Under pytest-xdist (make test: -n 2) the controller sees every report and does the
    summing; its workers must not print, time or fail the session a second time."""
    return hasattr(config, "workerinput")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _in_xdist_worker(config):
        return
    for test, times in sorted(_other_times.items()):
        terminalreporter.section(f"notebook times in {test}")
        for notebook, seconds in sorted(times.items()):
            terminalreporter.write_line(f"{seconds:6.1f} s  {notebook}")
        terminalreporter.write_line(f"{sum(times.values()):6.1f} s  total")
    if not _times:
        return
    budget = budget_s()
    terminalreporter.section(f"notebook times (budget {budget:.0f} s on this machine)")
    for path, seconds in sorted(_times.items()):
        flag = "" if seconds <= budget else f"  OVER {budget:.0f} s"
        terminalreporter.write_line(f"{seconds:6.1f} s  {Path(path).name}{flag}")
    terminalreporter.write_line(f"{sum(_times.values()):6.1f} s  total")


def pytest_sessionfinish(session, exitstatus):
    if _in_xdist_worker(session.config):
        return
    if _times and os.environ.get("NOTEBOOK_TIMES_JSON"):
        times = {Path(p).name: round(s, 2) for p, s in sorted(_times.items())}
        Path(os.environ["NOTEBOOK_TIMES_JSON"]).write_text(json.dumps(times, indent=1) + "\n")
    if not _times:
        return
    budget = budget_s()
    over = [p for p, s in _times.items() if s > budget]
    if over and session.exitstatus == 0:
        session.exitstatus = 1
        print(f"\nnotebooks over the {budget:.0f} s budget on this machine: {', '.join(over)}")
