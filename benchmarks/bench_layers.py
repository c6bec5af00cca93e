"""`make bench`: the course's NumPy RNN, LSTM and GRU against torch.nn on the CPU.

Forward plus backward (the upstream gradient of every state), float32 and float64,
batch N=32, T=50 steps, D=H=128, and a sweep of the sequence length, NumPy and PyTorch
measured in the same process, so their ratio is fair.

Threads: one for NumPy's BLAS and one for PyTorch by default (``--threads=K`` for K), set
before NumPy loads: on a small shared machine, several BLAS threads fighting for the cores
make times swing tenfold. Each time is the best of several runs, NumPy and PyTorch runs
interleaved, so a busy neighbour slows both alike.

FLOPs count the matrix products only (a multiply-add is 2 FLOPs), the element-wise gate
arithmetic is left out: per step the forward pass costs 2 N G H (D + H) and the backward
pass twice that (input gradients and weight gradients), G = 1 (RNN), 4 (LSTM), 3 (GRU).
The fraction of peak divides the achieved rate by a peak *estimated in the same run*: the
best rate of a large square NumPy matrix product in that precision.

Writes benchmarks/BENCHMARKS.md and prints the same tables. Reports; asserts nothing.

Last, it times every notebook under nbval (as `make test` runs them) and adds that table.

    python benchmarks/bench_layers.py [--quick] [--threads=1] [--no-notebooks]
                                      [--out benchmarks/BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

THREADS = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--threads=")), "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = THREADS  # before NumPy and PyTorch start their thread pools

import numpy as np  # noqa: E402
import torch  # noqa: E402

import helpers.layers as layers  # noqa: E402

torch.set_num_threads(int(THREADS))

HERE = Path(__file__).resolve().parent
N, T, D, H = 32, 50, 128, 128
SWEEP_T = (10, 25, 50, 100, 200)
DTYPES = {"float32": (np.float32, torch.float32), "float64": (np.float64, torch.float64)}
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}
NEEDS = {
    "RNN": ("rnn_forward", "rnn_backward"),
    "LSTM": ("lstm_forward", "lstm_backward"),
    "GRU": ("gru_forward", "gru_backward"),
}
TARGETS = {  # the NumPy LSTM against PyTorch: reported, never asserted
    "float32": 1.5,
    "float64": 1.0,
}


def best_times(fns, min_runs: int, min_seconds: float) -> list[float]:
    """Best wall time of each function, after two warm-up calls; runs interleaved."""
    for fn in fns:
        fn()
        fn()
    best = [float("inf")] * len(fns)
    start, runs = time.perf_counter(), 0
    while runs < min_runs or (time.perf_counter() - start < min_seconds and runs < 100):
        for k, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - t0)
        runs += 1
    return best


def peak_flops(dtype, n: int, runs: int) -> float:
    """FLOP/s of the best n x n matrix product NumPy manages here: our estimate of the peak."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((n, n)).astype(dtype), rng.standard_normal((n, n)).astype(dtype)
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(runs))
    return 2 * n**3 / best


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def flops(kind: str, n: int, t: int, d: int, h: int) -> tuple[float, float]:
    """(forward, forward + backward) matrix-product FLOPs of one sequence batch."""
    forward = 2 * n * GATES[kind] * h * (d + h) * t
    return forward, 3 * forward


def numpy_step(kind: str, n: int, t: int, d: int, h: int, dtype):
    """Closures running our forward, and forward + backward, on random data."""
    rng = np.random.default_rng(0)
    g = GATES[kind]

    def arr(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(dtype)

    x, h0, c0, dh = arr(n, t, d), arr(n, h), arr(n, h), arr(n, t, h)
    Wx, Wh = arr(g * h, d, scale=d**-0.5), arr(g * h, h, scale=h**-0.5)
    b, bh = arr(g * h, scale=0.1), arr(g * h, scale=0.1)
    fwd_name, bwd_name = NEEDS[kind]
    forward, backward = getattr(layers, fwd_name), getattr(layers, bwd_name)
    if kind == "RNN":
        run = lambda: forward(x, h0, Wx, Wh, b)  # noqa: E731
    elif kind == "LSTM":
        run = lambda: forward(x, h0, c0, Wx, Wh, b)  # noqa: E731
    else:
        run = lambda: forward(x, h0, Wx, Wh, b, bh)  # noqa: E731

    def both():
        out = run()
        backward(dh, out[-1])

    return run, both


def torch_step(kind: str, n: int, t: int, d: int, h: int, dtype):
    """The same with torch.nn (autograd for the backward pass)."""
    torch.manual_seed(0)
    module = getattr(torch.nn, kind)(d, h, batch_first=True, dtype=dtype)
    x = torch.randn(n, t, d, dtype=dtype, requires_grad=True)
    h0 = torch.randn(1, n, h, dtype=dtype, requires_grad=True)
    c0 = torch.randn(1, n, h, dtype=dtype, requires_grad=True)
    dh = torch.randn(n, t, h, dtype=dtype)
    state = (h0, c0) if kind == "LSTM" else h0

    def run():
        with torch.no_grad():
            return module(x, state)

    def both():
        for p in (x, h0, c0, *module.parameters()):
            p.grad = None
        out, _ = module(x, state)
        out.backward(dh)

    return run, both


PROPOSAL = [
    "How lstm_forward / lstm_backward of helpers.layers (notebook 06's export) are organised",
    "for speed: they compute the step equations batched instead of calling the step functions:",
    "",
    "1. Input projection for all steps in one matrix product before the loop:",
    "   `x_rows @ Wx.T + b` over all N*T rows; per step only `h_prev @ Wh.T` is added.",
    "2. Weight gradients summed in one product after the loop: delta a_t of every step is kept",
    "   in one (T, N, 4H) buffer, then `dWx = da.T @ x_rows`, `dWh = da.T @ h_prev_all`,",
    "   `db = da.sum(0)` and `dx = da @ Wx` over all N*T rows at once; inside the loop only",
    "   `dh_prev = da_t @ Wh` remains.",
    "3. Buffers allocated once, time first (T, N, .); each step writes its slice with `out=`,",
    "   so the loops create no arrays of shape (N, 4H).",
    "4. Validation once per call, and the three sigmoids and the tanh of the gates as one",
    "   tanh pass (sigma(a) = (1 + tanh(a/2)) / 2), with the i, f, o rows of the weights",
    "   halved once so that the matrix products deliver a/2 directly.",
    "5. W_h transposed once into a contiguous (H, 4H) copy for the forward loop's product",
    "   (OpenBLAS multiplies 32 x 128 by 128 x 512 in about 30 % less time in float32).",
    "6. The backward's weight products written (x^T da)^T instead of da^T x (the same",
    "   numbers; OpenBLAS is faster with this layout in float64), and dh_t/dc_t =",
    "   o_t (1 - tanh^2 c_t) computed for all steps at once before the loop.",
    "7. No Python loop over the batch.",
    "",
    "rnn_forward / rnn_backward and gru_forward / gru_backward call their step functions T",
    "times (notebooks 02 and 07 teach that structure); they have no targets.",
]


def blas_description() -> str:
    try:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        numpy_blas = f"{config.get('name')} {config.get('version')}"
    except Exception:  # older NumPy
        numpy_blas = "unknown"
    torch_blas = "unknown"
    for part in torch.__config__.show().replace(",", "\n").splitlines():
        if "BLAS_INFO=" in part:
            torch_blas = part.split("=", 1)[1].strip()
    return f"NumPy: {numpy_blas}; PyTorch: {torch_blas} (and oneDNN)"


def machine() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    threads = {k: os.environ[k] for k in names if k in os.environ} or "none set"
    return [
        f"- CPU: {model}; {os.cpu_count()} logical cores, {usable} usable by this process",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, "
        f"PyTorch {torch.__version__}",
        f"- BLAS: {blas_description()}",
        f"- PyTorch intra-op threads: {torch.get_num_threads()}; thread variables: {threads}",
        f"- measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
    ]


def notebook_times() -> tuple[list[str], int]:
    """Run nbval on every notebook, as `make test` does; the per-notebook time table."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env["OPENBLAS_NUM_THREADS"] = "1"  # conftest.py's setting for notebooks
    with tempfile.TemporaryDirectory() as tmp:
        env["NOTEBOOK_TIMES_JSON"] = str(Path(tmp) / "times.json")
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "notebooks"],
            cwd=HERE.parent,
            env=env,
            capture_output=True,
            text=True,
        )
        path = Path(env["NOTEBOOK_TIMES_JSON"])
        times = json.loads(path.read_text()) if path.exists() else {}
    lines = [
        "",
        "## Notebooks under nbval",
        "",
        "`pytest notebooks` (nbval, as in `make test`; OMP_NUM_THREADS=2, each notebook sets",
        f"PyTorch to one thread), pytest exit status {run.returncode}. Budget: 45 s each.",
        "",
        "| notebook | seconds |",
        "|---|---|",
        *(f"| {name} | {seconds:.1f} |" for name, seconds in times.items()),
        f"| **total** | **{sum(times.values()):.1f}** |",
    ]
    return lines, run.returncode


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter sweep")
    parser.add_argument("--out", type=Path, default=HERE / "BENCHMARKS.md")
    parser.add_argument("--threads", default="1", help="BLAS and PyTorch threads (default 1)")
    parser.add_argument(
        "--no-notebooks", action="store_true", help="skip timing the notebooks under nbval"
    )
    args = parser.parse_args()
    min_runs, min_seconds = (3, 0.2) if args.quick else (10, 2.0)
    sweep = (10, 50, 200) if args.quick else SWEEP_T

    available = [k for k, names in NEEDS.items() if all(hasattr(layers, n) for n in names)]
    missing = [k for k in NEEDS if k not in available]
    lines = [
        "# Benchmarks: NumPy layers against torch.nn on the CPU",
        "",
        "Generated by `make bench` (benchmarks/bench_layers.py); numbers from one run on the",
        "machine below. Reports only: nothing here is asserted by `make test`.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Peak estimate",
        "",
        "Best of 5 NumPy matrix products of two 2048 x 2048 matrices, measured in this run",
        f"with {THREADS} BLAS thread(s), as every time below; the fractions of peak divide by it.",
        "",
        "| dtype | GFLOP/s |",
        "|---|---|",
    ]
    peaks = {}
    for name, (np_dtype, _) in DTYPES.items():
        peaks[name] = peak_flops(np_dtype, 2048, 5)
        lines.append(f"| {name} | {peaks[name] / 1e9:.1f} |")
    print("\n".join(lines), flush=True)

    def measure(kind, name, t):
        np_dtype, torch_dtype = DTYPES[name]
        ours = numpy_step(kind, N, t, D, H, np_dtype)
        theirs = torch_step(kind, N, t, D, H, torch_dtype)
        # numpy fwd, numpy fwd+bwd, torch fwd, torch fwd+bwd
        return best_times([*ours, *theirs], min_runs, min_seconds)

    def row(label, kind, name, t, times):
        f_fwd, f_all = flops(kind, N, t, D, H)
        np_fwd, np_all, th_fwd, th_all = times
        peak = peaks[name]
        return (
            f"| {label} | {name} | {fmt_ms(np_fwd)} | {fmt_ms(np_all)} | {fmt_ms(th_fwd)} | "
            f"{fmt_ms(th_all)} | **{np_all / th_all:.2f}** | {f_all / 1e9:.3f} | "
            f"{f_all / np_all / peak:.1%} | {f_all / th_all / peak:.1%} |"
        )

    header = [
        "| model | dtype | NumPy fwd ms | NumPy fwd+bwd ms | torch fwd ms | torch fwd+bwd ms "
        "| ratio NumPy/torch (fwd+bwd) | GFLOP fwd+bwd | NumPy % peak | torch % peak |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    section = [
        "",
        f"## N={N}, T={T}, D={D}, H={H}",
        "",
        "Best-of-runs times; the ratio is NumPy time over PyTorch time in this run (above 1:",
        "NumPy slower). GFLOP counts the matrix products of forward and backward.",
        "",
        *header,
    ]
    print("\n".join(section), flush=True)
    results = {}
    for kind in available:
        for name in DTYPES:
            results[kind, name] = measure(kind, name, T)
            section.append(row(kind, kind, name, T, results[kind, name]))
            print(section[-1], flush=True)
    lines += section

    sweep_lines = [
        "",
        f"## Sequence-length sweep (N={N}, D={D}, H={H})",
        "",
        *header,
    ]
    print("\n".join(sweep_lines), flush=True)
    for kind in available:
        for name in DTYPES:
            for t in sweep:
                times = results[kind, name] if t == T else measure(kind, name, t)
                sweep_lines.append(row(f"{kind} T={t}", kind, name, t, times))
                print(sweep_lines[-1], flush=True)
    lines += sweep_lines

    lines += ["", "## Targets (reported, not asserted)", ""]
    if ("LSTM", "float32") in results:
        for name, limit in TARGETS.items():
            np_all, th_all = results["LSTM", name][1], results["LSTM", name][3]
            ratio = np_all / th_all
            verdict = "met" if ratio <= limit else "NOT met"
            lines.append(
                f"- LSTM (helpers.layers) {name}: NumPy/PyTorch fwd+bwd = {ratio:.2f}, "
                f"target <= {limit}: {verdict}"
            )
        lines += ["", *PROPOSAL]
    else:
        lines.append("- LSTM: not measured (see below)")
    if missing:
        absent = ", ".join(f"{k} ({' / '.join(NEEDS[k])})" for k in missing)
        lines += ["", f"Not measured, not in helpers.layers yet: {absent}."]
    if not args.no_notebooks:
        print("timing the notebooks under nbval ...", flush=True)
        notebook_lines, status = notebook_times()
        lines += notebook_lines
        if status:
            print(f"pytest notebooks exited with {status}: see the table", flush=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[lines.index("## Targets (reported, not asserted)") - 1 :]))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
