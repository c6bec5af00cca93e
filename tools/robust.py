"""Run notebooks under other seeds and show every asserted claim (``make robust``).

Each notebook is executed top to bottom (nbclient, outputs not compared, nothing written
back) once per seed, with ``COURSE_SEED`` set to that seed, so that data, initial weights and
data order all change. A run passes when no cell raises (every ``assert`` and every
``helpers.checks.claim`` holds). The claims a run makes are collected through
``COURSE_CLAIMS_JSON`` and printed as a table, claim x seed, with its bound, so the margins
are visible. Exits 1 when any run failed.

    python tools/robust.py [--seeds 1,2,3,4,5] [--jobs 2] [notebooks/09_long_range.ipynb ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.checks import describe_bounds  # noqa: E402

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# No progress bars in executed outputs: a committed bar is a stale "0%" widget (tqdm >= 4.66).
os.environ.setdefault("TQDM_DISABLE", "1")


def run_once(path: Path, seed: int) -> tuple[list[dict], str]:
    """Execute ``path`` under COURSE_SEED=seed; return (claims, error text or "")."""
    with tempfile.TemporaryDirectory() as folder:
        claims_file = Path(folder) / "claims.jsonl"
        env = dict(os.environ, COURSE_SEED=str(seed), COURSE_CLAIMS_JSON=str(claims_file))
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        error = ""
        try:
            client.execute(env=env)
        except CellExecutionError as failure:
            error = str(failure).strip().splitlines()[-1][:300]
        lines = claims_file.read_text().splitlines() if claims_file.exists() else []
    return [json.loads(line) for line in lines], error


def table(path: Path, seeds: list[int], results: dict[int, tuple[list[dict], str]]) -> str:
    """Markdown table: one row per claim, one column per seed."""
    names: list[str] = []
    bounds: dict[str, str] = {}
    for seed in seeds:
        for claim in results[seed][0]:
            if claim["name"] not in bounds:
                names.append(claim["name"])
                bounds[claim["name"]] = describe_bounds(claim["at_least"], claim["at_most"])
    header = f"| {path.stem} | bound | " + " | ".join(f"seed {s}" for s in seeds) + " |"
    rows = [header, "|---|---|" + "---|" * len(seeds)]
    for name in names:
        cells = []
        for seed in seeds:
            values = [c["value"] for c in results[seed][0] if c["name"] == name]
            cells.append(", ".join(f"{v:.4g}" for v in values) or "—")
        rows.append(f"| {name} | {bounds[name]} | " + " | ".join(cells) + " |")
    rows.append("| **run** | | " + " | ".join(
        "ok" if not results[s][1] else "FAILED" for s in seeds) + " |")  # fmt: skip
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    jobs = [(p, s) for p in paths for s in seeds]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        done = dict(zip(jobs, pool.map(lambda job: run_once(*job), jobs), strict=True))
    failed = []
    for path in paths:
        results = {s: done[(path, s)] for s in seeds}
        print(table(path, seeds, results), end="\n\n", flush=True)
        failed += [f"{path.name} seed {s}: {results[s][1]}" for s in seeds if results[s][1]]
    for line in failed:
        print("FAILED", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
