"""The course as a learner meets it: real JupyterLab in a real browser.

One headless JupyterLab server (token, free local port) serves a copy of notebooks/;
Playwright drives Debian's Chromium (never a browser of its own). For each notebook the
test opens it, clears the outputs, runs Run > Run All Cells from the menu, and asserts:

- every code cell ran, and no cell shows an error unless it is tagged ``raises-exception``;
- every figure the committed notebook holds is drawn again, and every image on the page has
  loaded (no "<Figure size ...>" text in place of a picture);
- every widget renders (no "Error displaying widget", no "Loading widget...", no text
  stand-in), and for each cell with a slider (or a drop-down), moving it changes the
  picture beside it; a notebook whose code makes a slider must show one.

Two notebooks run at once (COURSE_JOBS), each in a Chromium of its own and a kernel on one
thread. A screenshot of each notebook's first screen and of each widget before and after go
to test-artifacts/browser/ (gitignored, left there after the run); a notebook that fails is
also shot whole, screen by screen (5 s a notebook, so not on every run). Without Chromium or
Playwright the test skips with one line saying how to enable it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from browsing import chromium, fresh_folder, sync_api_or_skip

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
RUN_TIMEOUT_S = float(os.environ.get("BROWSER_RUN_TIMEOUT_S", "600"))
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# Notebooks run at once, each kernel on one thread, so that two share two cores.
JOBS = int(os.environ.get("COURSE_JOBS", "2"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api_or_skip("browser test")

SETTINGS = {
    # render every cell, not only those in view, so every output can be counted
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    # never write the executed copy back (it is a copy anyway)
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab server: its URL, token and the folder it serves."""

    def __init__(self, url: str, token: str, root: Path):
        self.url, self.token, self.root = url, token, root

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_session(self, name: str):
        """End the kernel session of notebook ``name``, leaving the others running."""
        for session in self.api("sessions"):
            if Path(session["path"]).name == name:
                self.api(f"sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab server for all notebooks, serving a copy of notebooks/."""
    work = tmp_path_factory.mktemp("lab")
    root = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if (ROOT / "data").is_dir():  # a relative ../data path must resolve as in the repository
        (work / "data").symlink_to(ROOT / "data")
    settings = work / "settings"
    for name, values in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={work / 'workspaces'}", "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    env |= {
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "IPYTHONDIR": str(work / "ipython"),
        "OMP_NUM_THREADS": "1",
    }
    log = (work / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    running = Lab(f"http://127.0.0.1:{port}", token, root)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, (work / "server.log").read_text()[-3000:]
            try:
                running.api("status")
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        yield running
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def artifacts():
    return fresh_folder(ARTIFACTS)


# ---- reading the page ---------------------------------------------------------------------

CELLS_JS = f"""() => [...document.querySelectorAll('{PANEL} .jp-Notebook .jp-CodeCell')].map(c => {{
    const area = c.querySelector('.jp-OutputArea');
    return {{
        prompt: c.querySelector('.jp-InputPrompt').textContent.trim(),
        text: area ? area.innerText : '',
        images: [...c.querySelectorAll('.jp-OutputArea img')].map(i => ({{
            loaded: i.complete && i.naturalWidth > 0,
        }})),
        controls: c.querySelectorAll('.widget-slider, .widget-dropdown').length,
    }};
}})"""

# What a widget shows beside its controls: output areas, images and HTML, but not the controls.
PICTURE_JS = """cell => {
    const parts = [...cell.querySelectorAll('.widget-output, .widget-image, .widget-html-content')];
    return parts.map(p => p.innerHTML).join('\\n');
}"""


def menu(page, top: str, command: str):
    page.locator(".lm-MenuBar-item", has_text=top).click()
    page.locator(f"li[data-command='{command}']").click()


def wait_until_idle(page, timeout: float):
    """Wait until the notebook has no cell queued or running, twice in a row."""
    deadline, quiet = time.monotonic() + timeout, 0
    while quiet < 2:
        assert time.monotonic() < deadline, f"Run All did not finish within {timeout:.0f} s"
        time.sleep(1)
        state = page.evaluate(f"""() => ({{
            status: document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator')
                ?.dataset.status,
            running: [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')]
                .some(p => p.textContent.includes('*')),
        }})""")
        quiet = quiet + 1 if state["status"] == "idle" and not state["running"] else 0


def settle(page, timeout: float = 30):
    """Wait for widgets and images to finish rendering."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = page.evaluate(f"""() => {{
            const area = document.querySelector('{PANEL} .jp-Notebook');
            const images = [...area.querySelectorAll('.jp-OutputArea img')];
            return area.innerText.includes('Loading widget')
                || images.some(i => !(i.complete && i.naturalWidth > 0));
        }}""")
        if not pending:
            return
        time.sleep(0.5)


def screenshot_notebook(page, path_stem: Path):
    """The whole notebook, in pages of at most 3000 px."""
    outer = f"{PANEL} .jp-WindowedPanel-outer"
    height = page.evaluate(f"() => document.querySelector('{outer}').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(3000, height + 120)})
    for i, top in enumerate(range(0, height, 3000 - 100)):
        page.evaluate(f"() => document.querySelector('{outer}').scrollTop = {top}")
        time.sleep(0.3)
        page.screenshot(path=f"{path_stem}-{i + 1}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def move_control(page, cell):
    """Move the cell's first slider (or drop-down) away from its value.

    Returns a function that describes the move once the widget has settled.
    """
    slider = cell.locator(".widget-slider").first
    if cell.locator(".widget-slider").count():
        handle, readout = slider.locator(".noUi-handle").first, slider.locator(".widget-readout")
        handle.scroll_into_view_if_needed()
        before = readout.inner_text()
        handle.focus()
        for key in ("ArrowRight", "ArrowLeft"):
            for _ in range(3):
                page.keyboard.press(key)
            time.sleep(0.3)
            if readout.inner_text() != before:
                break
        assert readout.inner_text() != before, "the slider does not move with the arrow keys"
        return lambda: f"slider {before} -> {readout.inner_text()}"
    select = cell.locator(".widget-dropdown select").first
    options = select.locator("option").all_text_contents()
    current = select.evaluate("s => s.options[s.selectedIndex].text")
    other = next(o for o in options if o != current)
    select.select_option(label=other)
    return lambda: f"drop-down {current!r} -> {other!r}"


# ---- the test -------------------------------------------------------------------------------


def committed_cells(path: Path):
    notebook = nbformat.read(path, as_version=4)
    return [c for c in notebook.cells if c.cell_type == "code"]


def images_in(cell) -> int:
    return sum(1 for o in cell.outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {})))


def run_in_lab(name: str, lab, artifacts: Path) -> float:
    """Open ``name`` in JupyterLab, clear it, Run All, and check it (see the module docstring);
    return the seconds Run All took. Raises AssertionError on the first failed check."""
    stem = artifacts / Path(name).stem
    messages: list[str] = []
    committed = committed_cells(lab.root / name)  # the copy JupyterLab serves
    if not all(c.execution_count for c in committed):
        raise AssertionError(f"{name} is committed unexecuted: run `make notebooks`")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
        page.on(
            "console",
            lambda m: messages.append(f"console: {m.text}") if m.type == "error" else None,
        )
        try:
            # a workspace of its own, so JupyterLab does not reopen the previous notebook
            page.goto(f"{lab.url}/lab/workspaces/{stem.name}/tree/{name}?reset&token={lab.token}")
            page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator", timeout=120_000)
            time.sleep(1)
            dialog = page.locator(".jp-Dialog")
            assert not dialog.count(), f"a dialog opened: {dialog.first.inner_text()[:300]!r}"
            page.wait_for_selector(
                f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000
            )
            menu(page, "Edit", "editmenu:clear-all")
            start = time.perf_counter()
            menu(page, "Run", "runmenu:run-all")
            wait_until_idle(page, RUN_TIMEOUT_S)
            seconds = time.perf_counter() - start
            settle(page)
            page.screenshot(path=f"{stem}.png")  # its first screen; all of it only on failure
            check_cells(page, committed)
            moved = check_widgets(page, stem)
            sources = "".join("".join(c.source) for c in committed)
            if "Slider(" in sources or "Dropdown(" in sources:
                assert moved, "the code makes a slider or drop-down, but none is on the page"
            return seconds
        except Exception:
            page.screenshot(path=f"{stem}-failed.png")
            screenshot_notebook(page, stem)  # seconds per notebook: only to see what went wrong
            raise
        finally:
            (stem.parent / f"{stem.name}.log").write_text("\n".join(messages) + "\n")
            page.close()
            lab.shutdown_session(name)


@pytest.fixture(scope="module")
def lab_runs(request, lab, artifacts):
    """Every selected notebook run in JupyterLab, JOBS at a time, each in its own browser;
    {name: future of its seconds}."""
    selected = [
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_notebook_in_jupyterlab"
    ]
    with ThreadPoolExecutor(JOBS) as pool:
        yield {name: pool.submit(run_in_lab, name, lab, artifacts) for name in selected}


@pytest.mark.parametrize("name", NAMES)
def test_notebook_in_jupyterlab(name, lab_runs, record_property):
    record_property("notebook_seconds", lab_runs[name].result())


def check_cells(page, committed):
    model = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.toJSON()")
    ran = [c for c in model["cells"] if c["cell_type"] == "code"]
    shown = page.evaluate(CELLS_JS)
    assert len(ran) == len(shown) == len(committed), "code cells differ from the committed file"
    problems = []
    for i, (cell, dom, kept) in enumerate(zip(ran, shown, committed, strict=True), start=1):
        where = f"code cell {i} ({''.join(kept.source)[:60]!r})"
        tagged = "raises-exception" in kept.get("metadata", {}).get("tags", [])
        if cell.get("execution_count") is None:
            problems.append(f"{where}: did not run (Run All stopped before it)")
            continue
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        if errors and not tagged:
            problems.append(f"{where}: {errors[0]['ename']}: {errors[0]['evalue']}"[:500])
        if "Error displaying widget" in dom["text"] or "Loading widget" in dom["text"]:
            problems.append(f"{where}: a widget did not render: {dom['text'][:200]!r}")
        if "<Figure size" in dom["text"]:
            problems.append(f"{where}: a figure shows as text, not as a picture")
        # a figure drawn by a widget callback may be stored beside the widget in the file
        if len(dom["images"]) < images_in(kept):
            drawn = len(dom["images"])
            problems.append(f"{where}: {drawn} figures drawn, committed {images_in(kept)}")
        if not all(im["loaded"] for im in dom["images"]):
            problems.append(f"{where}: an image did not load")
        if "(children=(" in dom["text"]:  # the text/plain stand-in of an unrendered widget
            problems.append(f"{where}: a widget shows as text: {dom['text'][:200]!r}")
    assert not problems, "\n".join(problems)


def check_widgets(page, stem):
    cells = page.locator(f"{PANEL} .jp-Notebook .jp-CodeCell")
    moved = 0
    for index, dom in enumerate(page.evaluate(CELLS_JS)):
        if not dom["controls"]:
            continue
        cell = cells.nth(index)
        area = cell.locator(".jp-OutputArea").first
        area.scroll_into_view_if_needed()
        before = cell.evaluate(PICTURE_JS)
        area.screenshot(path=f"{stem}-widget{index + 1}-before.png")
        describe = move_control(page, cell)
        deadline, after, last = time.monotonic() + 60, before, None
        while (after == before or after != last) and time.monotonic() < deadline:
            time.sleep(1)  # until the picture has changed and then stayed the same for 1 s
            settle(page)
            last, after = after, cell.evaluate(PICTURE_JS)
        area.screenshot(path=f"{stem}-widget{index + 1}-after.png")
        digest, what = hashlib.sha1(after.encode()).hexdigest()[:8], describe()
        assert after != before, f"code cell {index + 1}: {what} left the picture as it was"
        assert "Traceback" not in cell.inner_text(), f"code cell {index + 1}: {what} raised"
        print(f"code cell {index + 1}: {what} changed the picture (now {digest})")
        moved += 1
    return moved
