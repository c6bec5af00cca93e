"""helpers.checks: compare and grad_check report and assert."""

import numpy as np
import pytest
import torch

from helpers.checks import compare, grad_check, max_abs_error, numerical_gradient, relative_error


def test_compare_prints_and_returns_error(capsys):
    error = compare(
        np.array([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-14], dtype=torch.float64), "v"
    )
    assert 0 < error <= 1e-12
    assert "v" in capsys.readouterr().out


def test_compare_raises_past_tolerance():
    with pytest.raises(AssertionError, match="exceeds"):
        compare(np.zeros(3), np.full(3, 1e-9), "x", tol=1e-12)


def test_compare_rejects_shape_mismatch():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        compare(np.zeros(2), np.zeros(3), "x")


def test_max_abs_error_known_answer():
    assert max_abs_error(np.array([1.0, -3.0]), np.array([1.5, -1.0])) == 2.0


def test_numerical_gradient_of_quadratic():
    x = np.array([1.0, -2.0, 3.0])
    grad = numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_allclose(grad, 2 * x, atol=1e-8)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored


def test_numerical_gradient_with_upstream():
    x = np.array([[0.3, -0.7]])
    dout = np.array([[2.0, -1.0]])
    grad = numerical_gradient(np.tanh, x, dout=dout)
    np.testing.assert_allclose(grad, dout * (1 - np.tanh(x) ** 2), atol=1e-9)


def test_grad_check_passes_for_right_gradient_and_fails_for_wrong():
    x = np.array([0.5, -1.5])
    assert grad_check(lambda v: np.sum(np.sin(v)), x, np.cos(x)) <= 1e-7
    with pytest.raises(AssertionError):
        grad_check(lambda v: np.sum(np.sin(v)), x, np.sin(x))


def test_grad_check_rejects_wrong_shape():
    with pytest.raises(ValueError, match="df must have the shape"):
        grad_check(np.sum, np.zeros(3), np.zeros(2))


def test_relative_error_floor_avoids_division_by_zero():
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0


def test_relative_error_is_norm_wise():
    a, n = np.array([3.0, 0.0]), np.array([3.0, 4e-9])
    assert relative_error(a, n) == pytest.approx(4e-9 / 6, rel=1e-6)
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(2), np.zeros(3))


def test_claim_prints_bound_and_masks_nothing_else(capsys, tmp_path, monkeypatch):
    import configparser
    import re
    from pathlib import Path

    from helpers.checks import claim

    path = tmp_path / "claims.jsonl"
    monkeypatch.setenv("COURSE_CLAIMS_JSON", str(path))
    assert claim("test accuracy", 0.934, at_least=0.9) == 0.934
    claim("loss", 1.5e-3, at_most=0.01)
    claim("ratio t: 2 over t: 40", 12.5, at_least=1)
    out = capsys.readouterr().out
    assert "claim  test accuracy: 0.934 (asserted >= 0.9) ok" in out
    config = configparser.ConfigParser(interpolation=None)
    config.read(Path(__file__).with_name("nbval_sanitize.cfg"))
    masked = re.sub(config["claims"]["regex"], config["claims"]["replace"], out)
    assert "claim  test accuracy: VALUE (asserted >= 0.9) ok" in masked
    assert "claim  loss: VALUE (asserted <= 0.01) ok" in masked
    assert "claim  ratio t: 2 over t: 40: VALUE (asserted >= 1) ok" in masked
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and '"name": "test accuracy"' in lines[0]
    with pytest.raises(AssertionError, match="breaks the claim >= 0.95"):
        claim("test accuracy", 0.934, at_least=0.95)
    with pytest.raises(ValueError, match="needs at_least or at_most"):
        claim("x", 1.0)
