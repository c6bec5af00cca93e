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
