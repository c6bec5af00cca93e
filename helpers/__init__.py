"""Shared code of the course *Recurrent networks and attention, from scratch*.

- ``helpers.layers``: the NumPy layers, exported from the notebooks that teach them
- ``helpers.checks``: ``compare`` with PyTorch, ``grad_check`` by central differences
- ``helpers.plots``: figures with one consistent look
- ``helpers.quiz``: multiple-choice questions with feedback
- ``helpers.torch_utils``: copy ``torch.nn`` weights into our arguments
- ``helpers.colab``: the Colab install cell and badges
- ``helpers.data``: data sets generated on the spot (dates to ISO 8601)
- ``helpers.digits``: scikit-learn's handwritten digits as images, shifts and quarter turns
- ``helpers.seq2seq``: the PyTorch encoder-decoder models of notebooks 13 and 14
"""

__version__ = "0.1.0"
