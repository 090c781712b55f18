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

from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass

from ..claimant_kind import ORGANISATION, PERSON, claimant_kind
from ..claimant_resolution import titled_names
from ..safe_text import is_web_url, script_json, visible
from ..words import plural
from .common import id_ranges
from .records import ExportData

RATING_SCALE = {"disputed": 1, "unverified": 2, "corroborated": 3}
WORST_RATING, BEST_RATING = 1, 3
ALTERNATE_NAMES = {"disputed": "Disputed", "unverified": "Unverified", "corroborated": "Corroborated"}
MAX_CLAIM_REVIEWED = 75  # Google shows this much of claimReviewed: advice, the review is still valid

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


def claimant_type(claimant: str, source_names: Set[str] = frozenset(), people: Iterable[str] = ()) -> str | None:
    """schema.org type of a claimant: Organization for outlets (the export's sources), institutions,
    governments and the places that speak for them; Person for a named individual or a one-person
    role; None when the words do not say (claimant_kind.claimant_kind): the author is then given
    without a type, a name only, because a wrong type misleads and schema.org's author takes only
    these two ("Thing" would be outside its range)."""
    if claimant.strip() in source_names:
        return "Organization"
    kind = claimant_kind(claimant, people)
    return {PERSON: "Person", ORGANISATION: "Organization"}.get(kind) if kind else None


def known_people(data: ExportData) -> set[str]:
    """Full names the export knows: its claimants and the people its articles give a title, so a lone
    surname ("Zelenskyy") can be recognised as one of them."""
    people = {r["claim"]["claimant"] for r in data.records if r["claim"]["claimant"]}
    for article in data.articles.values():
        people.update(titled_names(article["text"]).values())
    return people


def short_form(text: str, limit: int = MAX_CLAIM_REVIEWED) -> str:
    """The claim cut to what Google shows: whole words up to limit characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # never end inside a word
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def claim_review(record: dict, publisher: Publisher, people: Iterable[str] = ()) -> dict:
    """One ClaimReview object for a record that has a verdict."""
    claim, article, verdict = record["claim"], record["article"], record["verdict"]
    item: dict = {"@type": "Claim"}
    if claim["claimant"]:
        kind = claimant_type(claim["claimant"], {record["source"]["name"]}, people)
        item["author"] = {"@type": kind, "name": claim["claimant"]} if kind else {"name": claim["claimant"]}
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
    """(record, ClaimReview) for each record with a verdict; undecided claims have nothing to publish."""
    people = known_people(data)
    return [(record, claim_review(record, publisher, people)) for record in data.records if record["verdict"]]


def dropped_urls(record: dict, publisher: Publisher) -> list[str]:
    """The urls claim_review left out because they are not http(s), in words."""
    candidates = (("the article url", record["article"]["url"]), ("the publisher url", publisher.url),
                  ("the review url", publisher.url_for(record["claim"]["id"])))
    return [f"{what} {visible(url)[:60]!r} is not an http(s) url; left out"
            for what, url in candidates if url and not is_web_url(url)]


def preflight(review: dict, record: dict | None = None, publisher: Publisher | None = None) -> list[str]:
    """What Google's ClaimReview rules would reject in one review, in words (with the record and
    publisher it was made from: also the urls that had to be left out). A long claimReviewed is not
    among them: Google shows its first 75 characters (length_advice)."""
    problems = dropped_urls(record, publisher or Publisher()) if record is not None else []
    if not review.get("claimReviewed"):
        problems.append("claimReviewed is empty")
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


def length_advice(pairs: list[tuple[dict, dict]]) -> list[str]:
    """One summary of the claims longer than Google shows, then each one's suggested short form."""
    long = [(record["claim"]["id"], review["claimReviewed"]) for record, review in pairs
            if len(review.get("claimReviewed") or "") > MAX_CLAIM_REVIEWED]
    if not long:
        return []
    lines = [f"advice: {len(long)} of {plural(len(pairs), 'claim')} are longer than the {MAX_CLAIM_REVIEWED} "
             "characters Google shows (the reviews stay valid); suggested short forms, cut at a word:"]
    lines += [f"  claim {claim_id} ({len(text)} characters): {visible(short_form(text))!r}" for claim_id, text in long]
    return lines


def grouped_problems(pairs: list[tuple[dict, dict]], publisher: Publisher) -> list[str]:
    """Each problem said once: on its claim's line when it is that claim's alone, else once with the
    claims that share it ("no publishing organisation (...): claims 1-22")."""
    shared: dict[str, list[int]] = {}
    for record, review in pairs:
        for problem in preflight(review, record, publisher):
            shared.setdefault(problem, []).append(record["claim"]["id"])
    own: dict[int, list[str]] = {}
    lines = []
    for problem, claim_ids in shared.items():
        if len(claim_ids) == 1:
            own.setdefault(claim_ids[0], []).append(problem)
        else:
            lines.append(f"{problem}: {len(claim_ids)} of {plural(len(pairs), 'review')} "
                         f"(claims {id_ranges(claim_ids)})")
    return lines + [f"claim {claim_id}: " + "; ".join(problems) for claim_id, problems in own.items()]


def render(data: ExportData, publisher: Publisher, warn: Callable[[str], None] | None = None) -> str:
    """A JSON array of ClaimReview objects, safe inside a <script> block; warn(line) gets what Google
    would reject (grouped_problems), then the length advice."""
    pairs = reviews(data, publisher)
    if warn is not None:
        for line in grouped_problems(pairs, publisher) + length_advice(pairs):
            warn(line)
    return script_json([review for _, review in pairs]) + "\n"
