"""The course as Colab meets it: the package installed from its wheel, not the repository.

A wheel is built from the repository's files (tracked and untracked, as `git` lists them)
and installed with ``--no-deps`` into a fresh virtual environment outside the repository.
Its third-party dependencies come from the development environment through a ``.pth`` file
that lists a *shadow* of that environment's site-packages: symbolic links to everything in
it except this course's own editable install, so ``import helpers`` can only find the wheel.
A ``sitecustomize.py`` in the new environment blocks the network (sockets may connect to
loopback only, which is how a kernel talks to its client) and refuses to open any file of
the repository. Every notebook is then copied to a temporary folder and executed there with
nbclient in a kernel of that environment; its outputs must match the committed ones, as
nbval would sanitize them (a second run, from another place, giving identical text).

A second test runs the notebooks' first cell, ``helpers.colab.INSTALL_CELL``, in IPython
with a fake ``google.colab`` module, the repository's address replaced by the wheel's path.

Slow (it executes every notebook): marked ``slow``; ``pytest -m "not slow"`` leaves it out.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest

from helpers.colab import BRANCH, INSTALL_CELL, PACKAGE, REPOSITORY_URL

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]
DEV_SITE = Path(sysconfig.get_paths()["purelib"])
# Names in the development site-packages that belong to this course or to start-up hooks.
HIDDEN = re.compile(
    r"^(__editable__.*|rnn_attention_course.*|helpers|.*\.pth|.*\.egg-link|"
    r"sitecustomize\.py|usercustomize\.py|__pycache__)$"
)

SITECUSTOMIZE = '''\
"""Written by tests/test_installed.py: no network, and no file of the repository."""

import errno
import ipaddress
import os
import socket
import sys

_REPO = {repo!r}
_EXEMPT = {exempt!r}  # the development environment, reached through the shadow links
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {{"localhost", "", socket.gethostname()}}


def _is_local(host):
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        message = f"network blocked by tests/test_installed.py: {{address!r}}"
        raise OSError(errno.ENETUNREACH, message)


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_local(host):
        try:
            ipaddress.ip_address(host.decode() if isinstance(host, bytes) else host)
        except ValueError:
            raise socket.gaierror(
                socket.EAI_NONAME, f"name lookup blocked by tests/test_installed.py: {{host!r}}"
            ) from None
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
socket.getaddrinfo = getaddrinfo


def _audit(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(_REPO + os.sep) and not path.startswith(_EXEMPT + os.sep):
            raise PermissionError(
                f"{{path}} is a file of the repository; an installed course cannot read it"
            )


sys.addaudithook(_audit)
'''

# Appended to each copied notebook: where everything came from, and that the network is off.
CHECK_CELL = """\
import os, socket, sys
import helpers
venv, repo = {venv!r}, {repo!r}
assert os.path.realpath(sys.prefix) == venv, sys.prefix
modules = [(n, m) for n, m in sys.modules.items() if n.split(".")[0] == "helpers"]
loaded = {{n: getattr(m, "__file__", None) or "" for n, m in modules}}
home = venv + os.sep
outside = {{n: f for n, f in loaded.items() if f and not os.path.realpath(f).startswith(home)}}
assert not outside, f"helpers modules loaded from outside the new environment: {{outside}}"
in_repo = [p for p in sys.path if p and os.path.realpath(p).startswith(repo + os.sep)]
assert not in_repo, f"repository folders on sys.path: {{in_repo}}"
try:
    socket.create_connection(("192.0.2.1", 80), timeout=1)
except OSError as error:
    assert "blocked" in str(error), error
else:
    raise AssertionError("the network is not blocked")
print(f"checked {{len(loaded)}} helpers modules")
"""


def run(command, **kwargs):
    """subprocess.run that shows the command's output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def clean_env(**extra):
    """The environment of a process in the new venv: nothing points back at the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PYTHONNOUSERSITE="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("MPLBACKEND", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The package's wheel, built from a copy of the repository's files (as `git` lists them)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    try:
        listed = run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT).stdout
        files = [f for f in listed.split("\0") if f and (ROOT / f).is_file()]
    except (OSError, AssertionError):  # not a git checkout: the package and its metadata
        files = [str(p.relative_to(ROOT)) for p in (ROOT / "helpers").rglob("*") if p.is_file()]
        files += [f for f in ("pyproject.toml", "README.md", "LICENSE") if (ROOT / f).exists()]
    for name in files:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    outdir = work / "dist"
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir)]
    run(command, cwd=source)
    (built,) = outdir.glob("*.whl")
    return built


def make_venv(path: Path) -> Path:
    """A venv at ``path`` that sees the dev environment's packages but not this course."""
    run([sys.executable, "-m", "venv", "--without-pip", str(path)])
    python = path / "bin" / "python"
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([str(python), "-c", code], env=clean_env()).stdout.strip())
    shadow = path / "dev-site-packages"
    shadow.mkdir()
    for entry in DEV_SITE.iterdir():
        if not HIDDEN.match(entry.name):
            (shadow / entry.name).symlink_to(entry)
    (site / "dev_site_packages.pth").write_text(f"{shadow}\n")
    exempt = str(DEV_SITE.parents[2]) if (DEV_SITE.parents[2] / "pyvenv.cfg").exists() else ""
    (site / "sitecustomize.py").write_text(
        SITECUSTOMIZE.format(repo=str(ROOT), exempt=exempt or str(DEV_SITE))
    )
    return python


def helpers_location(python: Path, cwd: Path) -> str:
    code = "import helpers, helpers.layers, helpers.plots; print(helpers.__file__)"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=cwd,
                            env=clean_env())  # fmt: skip
    return result.stdout.strip() if result.returncode == 0 else ""


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(python, venv, kernel manager factory): the wheel installed with --no-deps in a new venv."""
    work = tmp_path_factory.mktemp("installed")
    venv = work / "venv"
    python = make_venv(venv)
    assert helpers_location(python, work) == "", "helpers importable before installing the wheel"
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], env=clean_env())
    location = helpers_location(python, work)
    assert location.startswith(str(venv) + os.sep), location
    return python, venv, work


def test_colab_install_cell_installs_the_package(wheel, tmp_path):
    """INSTALL_CELL, run as in Colab, installs the package; outside Colab it does nothing."""
    address = f"git+{REPOSITORY_URL}@{BRANCH}"
    assert address in INSTALL_CELL, "the install cell no longer installs from the repository"
    local_cell = INSTALL_CELL.replace(address, wheel.as_uri())
    assert f"{PACKAGE} @ {wheel.as_uri()}" in local_cell
    venv = tmp_path / "colab-venv"
    python = make_venv(venv)
    script = """\
import sys, types
from IPython.core.interactiveshell import InteractiveShell

cell = sys.argv[1]
shell = InteractiveShell.instance()
assert shell.run_cell(cell).success
try:
    import helpers
except ImportError:
    pass
else:
    raise SystemExit(f"outside Colab the cell did something: helpers is at {helpers.__file__}")
google, colab = types.ModuleType("google"), types.ModuleType("google.colab")
google.colab = colab
sys.modules.update({"google": google, "google.colab": colab})
result = shell.run_cell(cell)
assert result.success, result.error_in_exec
import helpers, helpers.layers, helpers.plots
print("HELPERS", helpers.__file__)
"""
    env = clean_env(IPYTHONDIR=str(tmp_path / "ipython"))
    result = run([str(python), "-c", script, local_cell], cwd=tmp_path, env=env)
    location = result.stdout.split("HELPERS", 1)[-1].strip()
    assert location.startswith(str(venv) + os.sep), result.stdout + result.stderr


def sanitizer():
    """nbval's substitutions from tests/nbval_sanitize.cfg, as (pattern, replacement) pairs."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


IGNORED = {"nbval-ignore-output", "nbval-skip"}  # tags nbval honours: not compared here either


def ignored(cell) -> bool:
    return bool(IGNORED & set(cell.get("metadata", {}).get("tags", [])))


def comparable(notebook, substitutions):
    """Per code cell: the text nbval compares (streams, text/plain and HTML), sanitized."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if ignored(cell):
            cells.append("(not compared)")
            continue
        texts = []
        for output in cell.outputs:
            if output.output_type == "stream":  # consecutive writes may arrive split or merged
                if texts and texts[-1].startswith(f"{output.name}: "):
                    texts[-1] += output.text
                else:
                    texts.append(f"{output.name}: {output.text}")
            elif output.output_type == "error":
                texts.append(f"error: {output.ename}: {output.evalue}")
            else:
                for mime in ("text/plain", "text/html", "text/latex", "text/markdown"):
                    if mime in output.get("data", {}):
                        value = output.data[mime]
                        texts.append(f"{mime}: {''.join(value)}")
        text = "\n".join(texts)
        for pattern, replacement in substitutions:
            text = pattern.sub(replacement, text)
        cells.append(text)
    return cells


def figures(notebook):
    """Per code cell: the number of images among its outputs."""
    return [
        sum(1 for o in cell.outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {})))
        for cell in notebook.cells
        if cell.cell_type == "code" and not ignored(cell)
    ]


def local_images(notebook):
    """Markdown images that point at local files: they do not travel with the package."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", cell.source)
            links += re.findall(r"<img[^>]*\bsrc=[\"']([^\"']+)", cell.source)
            found += [u for u in links if not re.match(r"(https?|data|attachment):", u)]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs_from_the_installed_package(path, installed, tmp_path, record_property):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    python, venv, work = installed
    folder = tmp_path / "course"
    folder.mkdir()
    copy = folder / path.name
    shutil.copy2(path, copy)
    committed = nbformat.read(copy, as_version=4)  # one snapshot, even while notebooks change
    unexecuted = [c for c in committed.cells if c.cell_type == "code" and not c.execution_count]
    if unexecuted:
        pytest.fail(f"{path.name} is committed unexecuted: run `make notebooks`", pytrace=False)
    assert not local_images(committed), "images that Colab cannot load (embed or use a URL)"
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            CHECK_CELL.format(venv=os.path.realpath(venv), repo=os.path.realpath(ROOT))
        )
    )

    spec_dir = work / "kernels" / "installed"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "installed course",
        "language": "python",
        "env": clean_env(IPYTHONDIR=str(work / "ipython"), PYTHONPATH=""),
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(work / "kernels")])
    client = NotebookClient(
        notebook,
        km=KernelManager(kernel_name="installed", kernel_spec_manager=specs),
        timeout=600,
        kernel_name="installed",
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name}, installed from the wheel:\n{error}", pytrace=False)
    finally:
        seconds = time.perf_counter() - start
        record_property("notebook_seconds", seconds)
    check_output = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    assert "checked" in check_output, check_output
    notebook.cells.pop()

    assert figures(notebook) == figures(committed), "figures differ from the committed notebook"
    substitutions = sanitizer()
    ran, kept = comparable(notebook, substitutions), comparable(committed, substitutions)
    differ = [
        f"code cell {i + 1}:\n--- committed\n{a}\n--- installed run\n{b}"
        for i, (a, b) in enumerate(zip(kept, ran, strict=True))
        if a != b
    ]
    assert not differ, "a second run gives other text:\n" + "\n".join(differ)[:4000]
