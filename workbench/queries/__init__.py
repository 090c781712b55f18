"""Read queries over claims.db that the CLI and the desk share, returning domain types (domain.py).

The CLI and the TUI call these functions and never write SQL themselves (tests/test_architecture.py).
Each function takes the database handle first and returns plain domain objects, so another storage
engine could later stand behind the same functions. Matching's reads live in matching/store.py,
verdicts' in verdicts.py.
"""

from .articles import (ArticleOrder, article_exists, article_order, article_summaries, articles_stamp, get_article,
                       has_articles, list_articles)
from .claimants import ClaimantGroup, claimant_groups, claims_by_claimant
from .claims import claim_text, list_claims

__all__ = ["ArticleOrder", "ClaimantGroup", "article_exists", "article_order", "article_summaries", "articles_stamp",
           "claim_text", "claimant_groups", "claims_by_claimant", "get_article", "has_articles", "list_articles",
           "list_claims"]
