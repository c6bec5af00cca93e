"""`make lab` serves the course: JupyterLab starts headless and lists the notebooks over HTTP."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_jupyterlab_serves_the_notebook_list(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT / 'notebooks'}",
    ]  # fmt: skip
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/api/contents/?token={token}"
        deadline, listing = time.monotonic() + 60, None
        while time.monotonic() < deadline and listing is None:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    listing = json.load(response)
            except OSError:
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not answer within 60 s"
        served = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
        expected = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
        assert served == expected
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}") as response:
            assert response.status == 200 and b"JupyterLab" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
