"""Incremental matching reads what a new article needs, not the whole collection."""

from __future__ import annotations

import pytest

from fakes import HashingEmbedder
from test_matching import OFFICIAL, OUTLET, WIRE, add_source
from workbench import matching
from workbench.db import memory_database, open_database
from workbench.matching import match_claims, pending_claim_ids


@pytest.fixture
def embedded_for(monkeypatch):
    """The claim ids each match run asked ensure_embeddings for (None: every claim, hashed)."""
    asked: list = []
    ensure = matching.ensure_embeddings

    def recording(db, embedder, claim_ids=None, **options):
        asked.append(None if claim_ids is None else list(claim_ids))
        return ensure(db, embedder, claim_ids, **options)

    monkeypatch.setattr(matching, "ensure_embeddings", recording)
    return asked


def test_a_new_article_embeds_its_own_claims_without_hashing_the_collection(embedded_for):
    db, embedder = memory_database(), HashingEmbedder()
    add_source(db, "Outlet", "outlet", OUTLET)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    new = add_source(db, "Wire", "wire", WIRE)
    report = match_claims(db, embedder, new)
    assert embedded_for[-1] == new and report.embedded == len(new)


def test_claims_stored_without_a_vector_are_embedded_by_the_next_article(tmp_path, embedded_for):
    """A run killed before embedding left claims without a vector: the next article embeds them too."""
    db, embedder = open_database(tmp_path / "claims.db"), HashingEmbedder()
    add_source(db, "Outlet", "outlet", OUTLET)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    left = add_source(db, "Official", "official", OFFICIAL)
    new = add_source(db, "Wire", "wire", WIRE)
    report = match_claims(db, embedder, new)
    assert embedded_for[-1] is None and report.embedded == len(left) + len(new)
