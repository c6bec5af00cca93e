"""helpers.progress: tqdm.auto's bar, off under TQDM_DISABLE (also in Jupyter)."""

from helpers.progress import progress_disabled, tqdm


def test_disabled_by_the_environment_even_when_asked_for(monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert progress_disabled()
    assert tqdm(range(3), disable=False).disable


def test_shown_otherwise(monkeypatch, capsys):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    assert not progress_disabled()
    bar = tqdm(range(3), desc="steps", disable=False)  # tqdm read TQDM_DISABLE at import
    assert not bar.disable
    assert list(bar) == [0, 1, 2]
    assert "steps" in capsys.readouterr().err
