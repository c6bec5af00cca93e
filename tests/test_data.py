"""The data/ folder: every file listed in its README and manifest, unchanged, small, shipped.

data/ holds every data file the notebooks read (trained weights, quiz questions); code that
generates data stays in helpers/. The wheel carries data/ as the package
``helpers.course_data`` (pyproject's package-dir), and ``helpers.data.data_file`` finds a file
in a clone and in an installed package alike.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from helpers.data import data_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT / "tools"))
from data_manifest import MANIFEST, data_files, measure  # noqa: E402

MiB = 2**20


def manifest() -> dict[str, dict]:
    return json.loads(MANIFEST.read_text())


def readme_rows() -> set[str]:
    """The file paths named in the first column of data/README.md's table rows."""
    text = (DATA / "README.md").read_text()
    return set(re.findall(r"^\|\s*`([^`]+)`", text, re.MULTILINE))


def test_every_file_is_in_the_manifest_unchanged():
    recorded, found = manifest(), measure()
    assert set(found) == set(recorded), "run `make data-manifest` after adding or removing a file"
    changed = [name for name in found if found[name] != recorded[name]]
    assert not changed, f"changed since the manifest was written: {changed}"


def test_readme_has_a_row_for_every_file_and_no_other():
    assert readme_rows() == set(manifest()), "data/README.md's table and the files differ"


def test_files_are_small():
    sizes = {p.relative_to(DATA).as_posix(): p.stat().st_size for p in data_files()}
    assert all(size <= 2 * MiB for size in sizes.values()), sizes
    assert sum(sizes.values()) <= 10 * MiB


def test_data_file_finds_every_file():
    for name in manifest():
        assert data_file(name).read_bytes()[:1], name


@pytest.mark.parametrize("name", ["weights/missing.pt", "../pyproject.toml", ""])
def test_data_file_refuses_unknown_names(name):
    with pytest.raises(ValueError, match="name"):
        data_file(name)


def test_no_notebook_opens_a_file_by_path():
    pattern = re.compile(r"\bopen\(|read_text\(|np\.load\(|torch\.load\(|data/")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                code = "\n".join(line.split("#", 1)[0] for line in cell.source.splitlines())
                assert not pattern.search(code), f"{path.name}: {cell.source[:200]}"


@pytest.mark.slow
def test_wheel_carries_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in manifest() if f"helpers/course_data/{n}" not in names]
    assert not missing, f"not in the wheel: {missing}"


def test_pyproject_lists_every_package():
    """pyproject names its packages (data/ is mapped in by package-dir): none may be missing."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "helpers").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert listed == found | {"helpers.course_data"}, (listed, found)
