"""Fixtures shared by every test tier: a temporary claims.db and the real embedding model."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_database(tmp_path, monkeypatch):
    """No test ever touches ./claims.db: WORKBENCH_DB points into the test's own folder."""
    path = tmp_path / "claims.db"
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    monkeypatch.delenv("WORKBENCH_MODEL", raising=False)
    monkeypatch.setenv("WORKBENCH_REVIEWER", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the remembered reviewer's name
    return path


@pytest.fixture
def db(isolated_database):
    from workbench.db import open_database

    database = open_database(isolated_database)
    yield database
    database.close()


@pytest.fixture(scope="session")
def real_embedder():
    """The packaged all-MiniLM-L6-v2, loaded once for the whole run (checksum verified)."""
    from workbench.embedding import load_embedder

    return load_embedder()
