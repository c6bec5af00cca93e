"""Handwritten digits for notebook 17, and the image transforms it uses.

The images are scikit-learn's ``load_digits`` (1797 scans of 8 x 8 pixels with 17 grey
levels, 0 to 16; 10 classes), which ship inside the package: nothing is downloaded. Images
here are float arrays of shape (N, C, H, W) with C = 1 channel, batch first as in
``torch.nn.Conv2d``, and values in [0, 1] (0 = background, 1 = full ink).

    images, labels = load_digit_images(canvas=12)     # (1797, 1, 12, 12), (1797,)
    train, test = stratified_split(labels, test_fraction=1 / 3, seed=0)
    moved = shift_images(images[test], dy=1, dx=-2)   # one row down, two columns left
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from helpers.seeding import course_rng
from helpers.validate import as_float_array, check_int

DIGIT_SIZE = 8  # load_digits: 8 x 8 pixels
MAX_LEVEL = 16  # pixel values 0..16: 17 grey levels


def _check_rng(rng) -> np.random.Generator:
    """A NumPy Generator (``np.random.default_rng(seed)``), else ValueError."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _check_labels(labels) -> np.ndarray:
    """labels as a 1-D integer array (N,), else ValueError."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got {labels.dtype} {labels.shape}")
    return labels


def _check_images(images) -> np.ndarray:
    """A finite float32/float64 array of shape (N, C, H, W), else ValueError."""
    as_float_array("images", images)
    if images.ndim != 4:
        raise ValueError(f"images must have shape (N, C, H, W), got shape {images.shape}")
    return images


def load_digit_images(canvas: int = DIGIT_SIZE, dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """All 1797 digits as images (N, 1, canvas, canvas) in [0, 1] and labels (N,) int64.

    Each 8 x 8 scan (17 grey levels 0..MAX_LEVEL = 16, divided by MAX_LEVEL) is placed in the
    centre of a blank canvas x canvas image; canvas - 8 must be even and >= 0 (8 keeps the
    scans as they are).
    """
    canvas = check_int("canvas", canvas, low=DIGIT_SIZE)
    if (canvas - DIGIT_SIZE) % 2:
        raise ValueError(
            f"canvas - {DIGIT_SIZE} must be even to centre the digit, got canvas={canvas}"
        )
    if np.dtype(dtype).type not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {np.dtype(dtype)}")
    from sklearn.datasets import load_digits  # imported here: only notebook 17 needs it

    digits = load_digits()
    border = (canvas - DIGIT_SIZE) // 2
    images = np.zeros((len(digits.target), 1, canvas, canvas), dtype=dtype)
    images[:, 0, border : border + DIGIT_SIZE, border : border + DIGIT_SIZE] = (
        digits.images / MAX_LEVEL
    )
    return images, digits.target.astype(np.int64)


def stratified_split(labels, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test) with every class split in the same proportion.

    labels: (N,) integers; test_fraction in (0, 1); seed (+ COURSE_SEED) fixes the shuffle.
    Within each class, round(test_fraction * count) examples go to the test set. Both index
    arrays are sorted.
    Raises ValueError when that would leave a class with no training example.
    """
    labels = _check_labels(labels)
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, Real):
        raise ValueError(f"test_fraction must be a number, got {test_fraction!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    rng = course_rng(check_int("seed", seed, low=0))
    test = []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        n_test = round(test_fraction * len(members))
        if n_test >= len(members):
            raise ValueError(
                f"test_fraction={test_fraction} puts all {len(members)} examples of class {c} "
                "in the test set; every class needs at least one training example"
            )
        test.append(members[:n_test])
    test = np.sort(np.concatenate(test))
    train = np.setdiff1d(np.arange(len(labels)), test)
    return train, test


def shift_images(images, dy: int, dx: int) -> np.ndarray:
    """Move every image dy pixels down and dx pixels right (negative: up, left).

    images: (N, C, H, W). Pixels moved past the edge are lost; the uncovered ones are 0.
    Returns a new array of the same shape and dtype. |dy| < H and |dx| < W.
    """
    images = _check_images(images)
    H, W = images.shape[-2:]
    dy = check_int("dy", dy, low=-(H - 1), high=H - 1)
    dx = check_int("dx", dx, low=-(W - 1), high=W - 1)
    out = np.zeros_like(images)
    # out[..., i + dy, j + dx] = images[..., i, j] wherever both positions lie inside
    out[..., max(dy, 0) : H + min(dy, 0), max(dx, 0) : W + min(dx, 0)] = images[
        ..., max(-dy, 0) : H + min(-dy, 0), max(-dx, 0) : W + min(-dx, 0)
    ]
    return out


def random_shifts(images, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Shift each image by its own (dy, dx), drawn uniformly from -max_shift..max_shift.

    images: (N, C, H, W); rng: a ``np.random.Generator``. Returns a new array of the same
    shape (see ``shift_images``).
    """
    images = _check_images(images)
    max_shift = check_int("max_shift", max_shift, low=0, high=min(images.shape[-2:]) - 1)
    rng = _check_rng(rng)
    offsets = rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))
    N, C, H, W = images.shape
    m = max_shift
    padded = np.pad(images, ((0, 0), (0, 0), (m, m), (m, m)))  # zeros for uncovered pixels
    # out[n, c, i, j] = images[n, c, i - dy_n, j - dx_n], that is padded[n, c, i - dy_n + m, ...]
    rows = np.arange(H) - offsets[:, :1] + m  # (N, H)
    cols = np.arange(W) - offsets[:, 1:] + m  # (N, W)
    return padded[
        np.arange(N)[:, None, None, None],
        np.arange(C)[None, :, None, None],
        rows[:, None, :, None],
        cols[:, None, None, :],
    ]


def rotate_quarter_turns(images, turns) -> np.ndarray:
    """Rotate image n by 90 * turns[n] degrees counter-clockwise (``np.rot90``).

    images: (N, C, H, W) with H == W; turns: (N,) integers in 0..3. Returns a new array.
    """
    images = _check_images(images)
    turns = np.asarray(turns)
    if turns.shape != (len(images),) or not np.issubdtype(turns.dtype, np.integer):
        raise ValueError(
            f"turns must be {len(images)} integers (one per image), got {turns.dtype} {turns.shape}"
        )
    if turns.size and (turns.min() < 0 or turns.max() > 3):
        raise ValueError(f"turns must lie in 0..3, got {turns.min()}..{turns.max()}")
    if images.shape[-2] != images.shape[-1]:
        raise ValueError(f"images must be square to rotate by 90 degrees, got shape {images.shape}")
    out = np.empty_like(images)
    for k in range(4):
        out[turns == k] = np.rot90(images[turns == k], k=k, axes=(-2, -1))
    return out


def few_per_class(labels, k: int, rng: np.random.Generator, classes=None) -> np.ndarray:
    """Indices of k examples of each class, drawn without replacement, sorted.

    labels: (N,) integers; rng: a ``np.random.Generator``; classes: the classes to draw from
    (default: all that occur). Raises ValueError when a class has fewer than k examples.
    """
    labels = _check_labels(labels)
    k = check_int("k", k, low=1)
    rng = _check_rng(rng)
    classes = np.unique(labels) if classes is None else np.asarray(classes)
    chosen = []
    for c in classes:
        members = np.flatnonzero(labels == c)
        if len(members) < k:
            raise ValueError(f"class {c} has {len(members)} examples, fewer than k={k}")
        chosen.append(rng.choice(members, size=k, replace=False))
    return np.sort(np.concatenate(chosen))
