"""A fresh virtual environment with the course installed from its wheel, as Colab has it.

Shared by tests/test_installed.py (the development stack) and tests/test_colab_stack.py
(Colab's versions of ipywidgets, numpy and matplotlib, from tests/colab-stack.txt).

The wheel is built from the repository's files (tracked and untracked, as `git` lists them)
and installed with ``--no-deps`` into a new venv outside the repository. Third-party
packages come from the development environment through a ``.pth`` file that lists a
*shadow* of its site-packages: symbolic links to everything in it except this course's own
editable install (so ``import helpers`` can only find the wheel) and except the
distributions the caller names in ``hide`` (which it installs into the new venv itself).
A ``sitecustomize.py`` blocks the network (sockets may connect to loopback only, which is
how a kernel talks to its client) and refuses to open any file of the repository.
``execute`` then runs a notebook, copied to a temporary folder, in a kernel of that venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]
DEV_SITE = Path(sysconfig.get_paths()["purelib"])
# Notebooks executed at once by the whole-course runs: one thread each on the 2-core CI machine.
JOBS = int(os.environ.get("COURSE_JOBS", "2"))
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


def build_wheel(work: Path) -> Path:
    """The package's wheel, built under ``work`` from a copy of the repository's files."""
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


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def distribution_entries(names) -> set[str]:
    """The site-packages entries of the named distributions: dist-info and top-level files."""
    wanted = {_normalise(n) for n in names}
    entries = set()
    for info in DEV_SITE.glob("*.dist-info"):
        if _normalise(info.name[: -len(".dist-info")].rsplit("-", 1)[0]) not in wanted:
            continue
        entries.add(info.name)
        record = info / "RECORD"
        if record.exists():
            for line in record.read_text().splitlines():
                top = line.split(",", 1)[0].split("/", 1)[0]
                if top and not top.startswith(".."):
                    entries.add(top)
    return entries


def make_venv(path: Path, install: dict[str, str] | None = None) -> Path:
    """A venv at ``path`` that sees the dev environment's packages but not this course.

    install: {distribution: version} to install into the new venv from the package index
    (``--no-deps``, before the network is cut), the dev environment's copies of those
    distributions left out of the shadow. Returns the venv's python.
    """
    install = install or {}
    run([sys.executable, "-m", "venv", "--without-pip", str(path)])
    python = path / "bin" / "python"
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([str(python), "-c", code], env=clean_env()).stdout.strip())
    shadow = path / "dev-site-packages"
    shadow.mkdir()
    hidden = distribution_entries(install)
    for entry in DEV_SITE.iterdir():
        if not HIDDEN.match(entry.name) and entry.name not in hidden:
            (shadow / entry.name).symlink_to(entry)
    (site / "dev_site_packages.pth").write_text(f"{shadow}\n")
    if install:
        pins = [f"{name}=={version}" for name, version in install.items()]
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
        env = clean_env()
        del env["PIP_NO_INDEX"]  # these come from the package index
        run([*command, "--target", str(site), *pins], env=env)
    exempt = str(DEV_SITE.parents[2]) if (DEV_SITE.parents[2] / "pyvenv.cfg").exists() else ""
    (site / "sitecustomize.py").write_text(
        SITECUSTOMIZE.format(repo=str(ROOT), exempt=exempt or str(DEV_SITE))
    )
    return python


def helpers_location(python: Path, cwd: Path) -> str:
    """Where ``import helpers`` finds the package in that venv ("" when it cannot)."""
    code = "import helpers, helpers.layers, helpers.plots; print(helpers.__file__)"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=cwd,
                            env=clean_env())  # fmt: skip
    return result.stdout.strip() if result.returncode == 0 else ""


def install_wheel(python: Path, venv: Path, wheel: Path, work: Path) -> None:
    """Install the course's wheel alone (``--no-deps``) and check where it is imported from."""
    assert helpers_location(python, work) == "", "helpers importable before installing the wheel"
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], env=clean_env())
    location = helpers_location(python, work)
    assert location.startswith(str(venv) + os.sep), location


def execute(path: Path, python: Path, venv: Path, work: Path, folder: Path, **env):
    """Run notebook ``path``, copied into ``folder``, in a kernel of the venv; ``env`` is added
    to the kernel's environment. Returns (committed, executed notebook); raises
    nbclient's ``CellExecutionError`` on the first error. A last cell checks that the kernel
    used the venv, only it, and had no network; it is removed again before returning.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / path.name
    shutil.copy2(path, copy)
    committed = nbformat.read(copy, as_version=4)  # one snapshot, even while notebooks change
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            CHECK_CELL.format(venv=os.path.realpath(venv), repo=os.path.realpath(ROOT))
        )
    )
    # A kernel spec of its own: notebooks run at once must not read each other's half-written
    # kernel.json (CI once failed on that with a JSONDecodeError).
    name = venv.name
    spec_dir = folder / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"course in {name}",
        "language": "python",
        "env": clean_env(IPYTHONDIR=str(work / "ipython"), PYTHONPATH="", **env),
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")])
    kernel = KernelManager(kernel_name=name, kernel_spec_manager=specs)
    client = NotebookClient(
        notebook,
        km=kernel,
        timeout=600,
        kernel_name=name,
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
    )
    # The client does not own a kernel manager it is given, so by default it leaves the kernel
    # running: 36 idle kernels of about 400 MB each by the end of the two whole-course runs,
    # enough to make a smaller CI machine swap (one practice notebook took 600 s instead of 14).
    client.execute(cleanup_kc=True)
    assert not kernel.is_alive(), f"the kernel of {path.name} outlived its run"
    check_output = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    assert "checked" in check_output, check_output
    notebook.cells.pop()
    return committed, notebook


@contextmanager
def run_selected(request, test_name: str, run_one):
    """Run ``run_one(path)`` for every notebook the session selected for ``test_name``, JOBS at
    a time; yield {path: future of (result or the CellExecutionError raised, seconds)}.

    The kernels get one thread each (pass ``OMP_NUM_THREADS="1"`` to ``execute``), so JOBS of
    them share the machine's cores without slowing each other down.
    """
    from nbclient.exceptions import CellExecutionError

    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "originalname", "") == test_name
    ]

    def timed(path):
        start = time.perf_counter()
        try:
            result = run_one(path)
        except CellExecutionError as error:
            result = error
        return result, time.perf_counter() - start

    with ThreadPoolExecutor(JOBS) as pool:
        yield {path: pool.submit(timed, path) for path in selected}
