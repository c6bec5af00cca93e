"""Print shell exports that make this CPU compute differently, standing in for another CPU.

``make test`` runs every notebook once more under them, from the installed wheel
(tests/test_installed.py, which compares outputs as nbval does); ``make test-perturbed`` runs
nbval itself under them. A committed output or an assert that holds only for one machine's
summation order fails there too.

- ``ATEN_CPU_CAPABILITY=default``: torch's CPU kernels without AVX2/AVX-512 paths;
- ``MKL_CBWR=COMPATIBLE``: MKL's conditional numerical reproducibility mode;
- ``NPY_DISABLE_CPU_FEATURES``: every SIMD feature NumPy dispatches to above its baseline
  that this CPU has (NumPy refuses to disable one the CPU lacks, so the list is computed).

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are never touched: some machines need them set.

    eval "$(.venv/bin/python tools/perturbed_env.py)"
"""

from __future__ import annotations


def dispatched_features() -> list[str]:
    """NumPy's dispatch targets above the baseline that this CPU supports."""
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # NumPy 1.x
        from numpy.core import _multiarray_umath as umath
    return [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]


def variables() -> dict[str, str]:
    """The environment variables, name to value, for this CPU."""
    found = {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE"}
    features = dispatched_features()
    if features:
        found["NPY_DISABLE_CPU_FEATURES"] = ",".join(features)
    return found


def exports() -> list[str]:
    return [f"export {name}={value}" for name, value in variables().items()]


if __name__ == "__main__":
    print("\n".join(exports()))
