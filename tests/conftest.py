"""Fixtures shared by the unit tests."""

import pytest
import torch


@pytest.fixture(autouse=True)
def restore_torch_default_dtype():
    """A test that changes torch's default dtype must not change it for the tests after it."""
    saved = torch.get_default_dtype()
    yield
    torch.set_default_dtype(saved)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The course's wheel, built once per run from the repository's files (as `git` lists them)."""
    from course_venv import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))
