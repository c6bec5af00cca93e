"""Record the size and SHA-256 of every file in data/ (`make data-manifest`, run by `make weights`).

data/MANIFEST.json maps each file's path inside data/ to {"bytes", "sha256"}; tests/test_data.py
checks that the files still match it (a changed file is noticed), that data/README.md has a row
for each, and that the wheel carries them all.

    python tools/data_manifest.py          # rewrite data/MANIFEST.json
    python tools/data_manifest.py --check  # exit 1 if it differs from the files
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MANIFEST = DATA / "MANIFEST.json"
NOT_LISTED = {"__init__.py", "README.md", "MANIFEST.json"}  # the folder's own files


def data_files() -> list[Path]:
    """Every data file under data/, sorted, without the folder's own files and caches."""
    return sorted(
        p
        for p in DATA.rglob("*")
        if p.is_file() and p.name not in NOT_LISTED and "__pycache__" not in p.parts
    )


def measure() -> dict[str, dict]:
    """{path inside data/: {"bytes": size, "sha256": hex digest}} of the files as they are."""
    return {
        p.relative_to(DATA).as_posix(): {
            "bytes": p.stat().st_size,
            "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
        }
        for p in data_files()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    text = json.dumps(measure(), indent=1, sort_keys=True) + "\n"
    if args.check:
        if not MANIFEST.exists() or MANIFEST.read_text() != text:
            sys.exit("data/MANIFEST.json differs from data/: run `make data-manifest`")
        return
    MANIFEST.write_text(text)
    print(f"wrote {MANIFEST.relative_to(ROOT)} ({len(measure())} files)")


if __name__ == "__main__":
    main()
