"""Execute notebooks in place, top to bottom, in a fresh kernel (``make notebooks``).

Prints the time each one took. Outputs are what nbval compares later, so run
this after any change to a notebook or to the code it imports, and commit the
result. Widget state is not stored: static viewers fall back to the text and
HTML that every figure and quiz also provides.

    python tools/execute.py notebooks/02_recurrent_step.ipynb [...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# The same thread count as under nbval (conftest.py), so results match bit for bit.
os.environ.setdefault("OMP_NUM_THREADS", "2")
# One BLAS thread for NumPy: timings plotted by the notebooks stay clean on a busy machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# No progress bars in executed outputs: a committed bar is a stale "0%" widget (tqdm >= 4.66).
os.environ.setdefault("TQDM_DISABLE", "1")

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def execute(path: Path, timeout: int = 300) -> float:
    """Run ``path`` in place; return the wall time in seconds. Raises on an unexpected error."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = KERNEL
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,  # needed by nbclient for Output widgets; removed below
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return seconds


def main(paths: list[str]) -> int:
    for name in paths:
        seconds = execute(Path(name))
        print(f"{seconds:6.1f} s  {name}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
