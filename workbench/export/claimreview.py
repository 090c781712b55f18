"""ClaimReview JSON-LD (schema.org) for reviewed claims, and a pre-flight check against Google's rules.

The rating scale (docs/exports.md): 1 = disputed, 2 = unverified, 3 = corroborated; worstRating 1,
bestRating 3, and alternateName carries the verdict in words. The publishing organisation comes from
--publisher / WORKBENCH_PUBLISHER (and --publisher-url / WORKBENCH_PUBLISHER_URL); each review's url
from --review-url / WORKBENCH_REVIEW_URL, a template with {claim_id}, else the publisher's url with
a #claim-ID anchor.

The JSON is written to sit inside a `<script type="application/ld+json">` block: <, > and & are
escaped, so claim text holding `</script>` cannot end the block. Only http(s) urls are put in it;
any other (a `javascript:` url stored by an older version) is left out and the pre-flight says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from dataclasses import dataclass

from ..safe_text import is_web_url, script_json, visible
from .records import ExportData

RATING_SCALE = {"disputed": 1, "unverified": 2, "corroborated": 3}
WORST_RATING, BEST_RATING = 1, 3
ALTERNATE_NAMES = {"disputed": "Disputed", "unverified": "Unverified", "corroborated": "Corroborated"}
MAX_CLAIM_REVIEWED = 75  # Google: claimReviewed longer than this is cut or rejected

# Words that make a claimant an organisation rather than a person ("Ukrainian Ministry of Energy").
_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|office|government|department|agency|police|council|committee|commission|army|"
    r"military|forces|house|kremlin|company|corporation|inc|ltd|union|party|press|news|wire|bank|"
    r"university|authority|authorities|service|institute|association|organi[sz]ation|officials|"
    r"spokes\w*|court|parliament|senate|congress|embassy|group|foundation|times|post|gazette|"
    r"courier|ledger|desk)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


@dataclass(frozen=True)
class Publisher:
    name: str | None = None
    url: str | None = None
    review_url: str | None = None  # template with {claim_id}

    def url_for(self, claim_id: int) -> str | None:
        if self.review_url:
            return self.review_url.replace("{claim_id}", str(claim_id))
        if self.url:
            return f"{self.url.split('#')[0]}#claim-{claim_id}"
        return None


def claimant_type(claimant: str, source_names: Set[str] = frozenset()) -> str:
    """schema.org type for a claimant: Organization for outlets, institutions and acronyms, else Person."""
    name = claimant.strip()
    if name in source_names or _ACRONYM.match(name) or _ORGANISATION_WORDS.search(name):
        return "Organization"
    return "Person"


def claim_review(record: dict, publisher: Publisher) -> dict:
    """One ClaimReview object for a record that has a verdict."""
    claim, article, verdict = record["claim"], record["article"], record["verdict"]
    item: dict = {"@type": "Claim"}
    if claim["claimant"]:
        item["author"] = {"@type": claimant_type(claim["claimant"], {record["source"]["name"]}),
                          "name": claim["claimant"]}
    if article["published"]:
        item["datePublished"] = article["published"][:10]
    if is_web_url(article["url"]):
        item["appearance"] = {"@type": "CreativeWork", "url": article["url"]}
        if article["title"]:
            item["appearance"]["headline"] = article["title"]
    author: dict = {"@type": "Organization"}
    if publisher.name:
        author["name"] = publisher.name
    if is_web_url(publisher.url):
        author["url"] = publisher.url
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim["text"],
        "itemReviewed": item,
        "author": author,
        "datePublished": verdict["decided_at"][:10],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_SCALE.get(verdict["label"]),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": ALTERNATE_NAMES.get(verdict["label"], verdict["label"]),
        },
    }
    url = publisher.url_for(claim["id"])
    if is_web_url(url):
        review["url"] = url
    return review


def reviews(data: ExportData, publisher: Publisher) -> list[tuple[dict, dict]]:
    """(record, ClaimReview) for each record with a verdict; pending claims have nothing to publish."""
    return [(record, claim_review(record, publisher)) for record in data.records if record["verdict"]]


def dropped_urls(record: dict, publisher: Publisher) -> list[str]:
    """The urls claim_review left out because they are not http(s), in words."""
    candidates = (("the article url", record["article"]["url"]), ("the publisher url", publisher.url),
                  ("the review url", publisher.url_for(record["claim"]["id"])))
    return [f"{what} {visible(url)[:60]!r} is not an http(s) url; left out"
            for what, url in candidates if url and not is_web_url(url)]


def preflight(review: dict, record: dict | None = None, publisher: Publisher | None = None) -> list[str]:
    """What Google's ClaimReview rules would reject or cut in one review, in words (with the record
    and publisher it was made from: also the urls that had to be left out)."""
    problems = dropped_urls(record, publisher or Publisher()) if record is not None else []
    text = review.get("claimReviewed") or ""
    if not text:
        problems.append("claimReviewed is empty")
    elif len(text) > MAX_CLAIM_REVIEWED:
        problems.append(f"claimReviewed is {len(text)} characters (Google allows {MAX_CLAIM_REVIEWED})")
    if not review.get("url"):
        problems.append("no url for the review (set --review-url or --publisher-url)")
    rating = review.get("reviewRating") or {}
    value, best, worst = rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
    if not isinstance(value, int) or not isinstance(best, int) or not isinstance(worst, int) \
            or not worst <= value <= best:
        problems.append(f"ratingValue {value!r} is outside the scale {worst}..{best}")
    if not rating.get("alternateName"):
        problems.append("reviewRating has no alternateName")
    if not (review.get("itemReviewed") or {}).get("author", {}).get("name"):
        problems.append("no claimant (itemReviewed.author)")
    if not (review.get("author") or {}).get("name"):
        problems.append("no publishing organisation (set --publisher or WORKBENCH_PUBLISHER)")
    if not review.get("datePublished"):
        problems.append("no datePublished")
    return problems


def render(data: ExportData, publisher: Publisher, warn: Callable[[str], None] | None = None) -> str:
    """A JSON array of ClaimReview objects, safe inside a <script> block; warn(line) gets one line per
    record the check rejects."""
    pairs = reviews(data, publisher)
    if warn is not None:
        for record, review in pairs:
            problems = preflight(review, record, publisher)
            if problems:
                warn(f"claim {record['claim']['id']}: " + "; ".join(problems))
    return script_json([review for _, review in pairs]) + "\n"
