"""helpers.colab holds the repository address; the install cell is inert outside Colab."""

import subprocess
import sys

from helpers import colab


def test_not_in_colab_here():
    assert not colab.in_colab()
    colab.enable_widgets()  # does nothing outside Colab


def test_install_cell_uses_the_one_address():
    assert colab.REPOSITORY_URL in colab.INSTALL_CELL
    assert colab.REPOSITORY in colab.badge_markdown("02_recurrent_step.ipynb")


def test_install_cell_does_nothing_outside_colab():
    """Run the cell through IPython's transformer (it holds %pip) in a plain interpreter."""
    code = (
        "from IPython.core.inputtransformer2 import TransformerManager\n"
        "from helpers.colab import INSTALL_CELL\n"
        "source = TransformerManager().transform_cell(INSTALL_CELL)\n"
        "calls = []\n"
        "class FakeIPython:\n"
        "    def run_line_magic(self, *args): calls.append(args)\n"
        "exec(source, {'get_ipython': FakeIPython})\n"
        "assert calls == [], calls\n"
        "import sys; sys.modules['google.colab'] = type(sys)('google.colab')\n"
        "exec(source, {'get_ipython': FakeIPython})\n"
        "assert calls and calls[0][0] == 'pip', calls\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def pip_lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip().startswith(("%pip", "!pip"))]


def test_install_cell_leaves_colabs_numpy_torch_and_ipywidgets_alone():
    """One pip line, for this package only: no pins, no upgrade, no reinstall."""
    (line,) = pip_lines(colab.INSTALL_CELL)
    words = line.split()
    assert words[:2] == ["%pip", "install"], line
    assert not {"-U", "--upgrade", "--force-reinstall", "--upgrade-strategy=eager"} & set(words)
    assert "==" not in line and "--upgrade-strategy" not in line, line
    for name in colab.KEPT:
        assert name not in line, f"the install cell names {name}: {line}"
    assert f'"{colab.PACKAGE} @ git+{colab.REPOSITORY_URL}@{colab.BRANCH}"' in line
    assert "report_install(before)" in colab.INSTALL_CELL


def test_report_install_says_what_was_kept_and_what_changed(capsys):
    now = colab.installed_versions()
    assert now["numpy"] and now["torch"]
    colab.report_install(now)
    out = capsys.readouterr().out
    assert f"installed {colab.PACKAGE}" in out and f"numpy {now['numpy']}" in out
    assert "restart" not in out
    colab.report_install(now | {"numpy": "1.0"})
    out = capsys.readouterr().out
    assert f"changed numpy 1.0 -> {now['numpy']}: restart the runtime" in out
