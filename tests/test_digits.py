"""Tests of helpers.digits: scikit-learn's digits as (N, 1, H, W) images, and their transforms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.digits import (
    MAX_LEVEL,
    few_per_class,
    load_digit_images,
    random_shifts,
    rotate_quarter_turns,
    shift_images,
    stratified_split,
)


@pytest.fixture(scope="module")
def digits():
    return load_digit_images(canvas=12)


def test_load_shapes_range_and_centring(digits):
    images, labels = digits
    assert images.shape == (1797, 1, 12, 12) and images.dtype == np.float32
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert set(np.unique(labels)) == set(range(10))
    assert images.min() == 0 and images.max() == 1
    # the 2-pixel border of the canvas is blank; the 8 x 8 scans fill the middle
    border = images.copy()
    border[:, :, 2:10, 2:10] = 0
    assert not border.any()
    plain, _ = load_digit_images(dtype=np.float64)
    assert plain.shape == (1797, 1, 8, 8) and plain.dtype == np.float64
    np.testing.assert_array_equal(plain, images[:, :, 2:10, 2:10])
    # values are the 17 grey levels 0/16 .. 16/16
    assert MAX_LEVEL == 16
    np.testing.assert_array_equal(np.unique(plain * MAX_LEVEL), np.arange(MAX_LEVEL + 1))


@pytest.mark.parametrize("canvas", [7, 9, 12.0, True])
def test_load_refuses_bad_canvas(canvas):
    with pytest.raises(ValueError, match="canvas"):
        load_digit_images(canvas=canvas)


def test_load_refuses_integer_dtype():
    with pytest.raises(ValueError, match="dtype"):
        load_digit_images(dtype=np.int64)


def test_stratified_split(digits):
    _, labels = digits
    train, test = stratified_split(labels, test_fraction=1 / 3, seed=0)
    assert len(train) + len(test) == len(labels)
    assert np.intersect1d(train, test).size == 0
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
    counts = np.bincount(labels)
    np.testing.assert_array_equal(np.bincount(labels[test]), np.round(counts / 3).astype(int))
    again, _ = stratified_split(labels, test_fraction=1 / 3, seed=0)
    np.testing.assert_array_equal(train, again)
    other, _ = stratified_split(labels, test_fraction=1 / 3, seed=1)
    assert not np.array_equal(train, other)


@pytest.mark.parametrize(
    "labels, fraction, seed, match",
    [
        (np.zeros((2, 3), dtype=int), 0.5, 0, "labels"),
        (np.zeros(4), 0.5, 0, "labels"),
        (np.zeros(4, dtype=int), 0.0, 0, "test_fraction"),
        (np.zeros(4, dtype=int), 1.0, 0, "test_fraction"),
        (np.zeros(4, dtype=int), 0.5, -1, "seed must be an integer >= 0"),
        (np.zeros(4, dtype=int), "0.5", 0, "test_fraction must be a number"),
        (np.zeros(4, dtype=int), None, 0, "test_fraction must be a number"),
        (np.zeros(4, dtype=int), True, 0, "test_fraction must be a number"),
        (np.zeros(4, dtype=int), float("nan"), 0, "test_fraction"),
    ],
)
def test_stratified_split_checks(labels, fraction, seed, match):
    with pytest.raises(ValueError, match=match):
        stratified_split(labels, fraction, seed)


def test_stratified_split_keeps_a_training_example_of_every_class():
    labels = np.array([0, 0, 0, 0, 1, 1])  # class 1: round(0.8 * 2) = 2 test examples, 0 left
    with pytest.raises(ValueError, match=r"test_fraction=0.8 .* 2 examples of class 1"):
        stratified_split(labels, 0.8, seed=0)
    with pytest.raises(ValueError, match="class 0"):
        stratified_split(np.array([0, 1, 1, 1]), 0.6, seed=0)  # class 0 has one example
    train, test = stratified_split(labels, 0.6, seed=0)  # 2 of 4 and 1 of 2 in the test set
    np.testing.assert_array_equal(np.bincount(labels[train]), [2, 1])
    np.testing.assert_array_equal(np.bincount(labels[test]), [2, 1])


def test_check_int_messages_name_the_bound():
    with pytest.raises(ValueError, match=r"canvas must be an integer >= 8, got 6"):
        load_digit_images(canvas=6)
    with pytest.raises(ValueError, match=r"k must be an integer >= 1, got 0"):
        few_per_class(np.zeros(3, dtype=int), 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"dy must be an integer in -3..3, got 4"):
        shift_images(np.zeros((1, 1, 4, 4)), 4, 0)


@pytest.mark.parametrize("rng", [0, None, np.random.RandomState(0)])
def test_random_draws_need_a_generator(rng):
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator, got"):
        random_shifts(np.zeros((2, 1, 4, 4)), 1, rng)
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator, got"):
        few_per_class(np.zeros(3, dtype=int), 1, rng)


def test_shift_known_answer():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    down_right = shift_images(x, 1, 2)
    expected = np.zeros((4, 4))
    expected[1:, 2:] = x[0, 0, :3, :2]
    np.testing.assert_array_equal(down_right[0, 0], expected)
    up_left = shift_images(x, -1, -1)
    expected = np.zeros((4, 4))
    expected[:3, :3] = x[0, 0, 1:, 1:]
    np.testing.assert_array_equal(up_left[0, 0], expected)
    np.testing.assert_array_equal(shift_images(x, 0, 0), x)
    assert shift_images(x, 0, 0) is not x


@settings(max_examples=50, deadline=None)
@given(dy=st.integers(-3, 3), dx=st.integers(-3, 3))
def test_shift_inside_a_blank_border_moves_every_pixel(dy, dx):
    """With a blank border wider than the shift, nothing is lost and shifting back restores."""
    x = np.zeros((2, 3, 10, 10), dtype=np.float32)
    x[:, :, 3:7, 3:7] = np.random.default_rng(0).random((2, 3, 4, 4))
    moved = shift_images(x, dy, dx)
    assert moved.dtype == np.float32 and moved.shape == x.shape
    np.testing.assert_allclose(moved.sum(axis=(2, 3)), x.sum(axis=(2, 3)), rtol=1e-6)
    np.testing.assert_array_equal(shift_images(moved, -dy, -dx), x)
    np.testing.assert_array_equal(moved, np.roll(x, (dy, dx), axis=(2, 3)))


@pytest.mark.parametrize(
    "images, dy, dx, match",
    [
        (np.zeros((4, 4)), 0, 0, "images"),
        (np.zeros((1, 1, 4, 4), dtype=int), 0, 0, "images"),
        (np.full((1, 1, 4, 4), np.nan), 0, 0, "images"),
        (np.zeros((1, 1, 4, 4)), 4, 0, "dy"),
        (np.zeros((1, 1, 4, 4)), 0, -4, "dx"),
        (np.zeros((1, 1, 4, 4)), 1.0, 0, "dy"),
    ],
)
def test_shift_checks(images, dy, dx, match):
    with pytest.raises(ValueError, match=match):
        shift_images(images, dy, dx)


def test_random_shifts_moves_each_image_by_its_own_offset():
    x = np.zeros((200, 1, 9, 9))
    x[:, 0, 4, 4] = 1.0  # one bright pixel in the middle of each image
    moved = random_shifts(x, max_shift=2, rng=np.random.default_rng(0))
    rows, cols = np.divmod(moved[:, 0].reshape(200, -1).argmax(axis=1), 9)  # where each pixel went
    offsets = np.stack([rows - 4, cols - 4], axis=1)
    assert np.abs(offsets).max() == 2
    assert len(np.unique(offsets, axis=0)) == 25  # every offset in -2..2 x -2..2 occurs
    again = random_shifts(x, max_shift=2, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(moved, again)
    np.testing.assert_array_equal(random_shifts(x, 0, np.random.default_rng(1)), x)
    # each image equals shift_images by the offset drawn for it (same draw: rng.integers)
    images = np.random.default_rng(2).normal(size=(30, 2, 7, 6)).astype(np.float32)
    offsets = np.random.default_rng(3).integers(-2, 3, size=(30, 2))
    moved = random_shifts(images, max_shift=2, rng=np.random.default_rng(3))
    assert moved.dtype == np.float32 and moved.shape == images.shape
    for n, (dy, dx) in enumerate(offsets):
        np.testing.assert_array_equal(moved[n], shift_images(images[n : n + 1], dy, dx)[0])
    with pytest.raises(ValueError, match="max_shift"):
        random_shifts(x, max_shift=9, rng=np.random.default_rng(0))


def test_rotate_quarter_turns():
    x = np.arange(2 * 9, dtype=np.float64).reshape(2, 1, 3, 3)
    turned = rotate_quarter_turns(x, np.array([1, 2]))
    np.testing.assert_array_equal(turned[0, 0], np.rot90(x[0, 0], 1))
    np.testing.assert_array_equal(turned[1, 0], x[1, 0, ::-1, ::-1])
    # four quarter turns bring every image back
    back = x
    for _ in range(4):
        back = rotate_quarter_turns(back, np.array([1, 1]))
    np.testing.assert_array_equal(back, x)
    with pytest.raises(ValueError, match="turns"):
        rotate_quarter_turns(x, np.array([1, 4]))
    with pytest.raises(ValueError, match="turns"):
        rotate_quarter_turns(x, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="turns"):
        rotate_quarter_turns(x, np.array([1]))
    with pytest.raises(ValueError, match="square"):
        rotate_quarter_turns(np.zeros((1, 1, 3, 4)), np.array([1]))


def test_few_per_class():
    labels = np.repeat(np.arange(4), 5)
    chosen = few_per_class(labels, 3, np.random.default_rng(0))
    assert chosen.shape == (12,) and np.all(np.diff(chosen) > 0)
    np.testing.assert_array_equal(np.bincount(labels[chosen]), [3, 3, 3, 3])
    some = few_per_class(labels, 2, np.random.default_rng(0), classes=[1, 3])
    assert set(labels[some]) == {1, 3} and len(some) == 4
    with pytest.raises(ValueError, match="fewer than k"):
        few_per_class(labels, 6, np.random.default_rng(0))
    with pytest.raises(ValueError, match="k"):
        few_per_class(labels, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="labels"):
        few_per_class(labels.astype(float), 1, np.random.default_rng(0))
