"""The workbench's words, defined once: verdict labels and statuses, source kinds, matching methods,
export formats, editor decisions and verdict actions.

No imports, on purpose: the command line builds its choices from here, and `workbench --help` must
not pay for the database layer. The CHECK constraints of claims.db are built from SOURCE_KINDS,
VERDICT_LABELS, VERDICT_ACTIONS and EDITOR_DECISIONS by migrations that have already run on users'
databases: adding or reordering a value here needs a new migration, never an edit of an old one.
"""

# What a reviewer can say about a claim.
VERDICT_LABELS = ("corroborated", "disputed", "unverified")
# A claim for review that nobody has judged (or every reviewer cleared): review work.
PENDING = "pending"
# An unjudged claim that is not review work and not imported: under REVIEW_FLOOR
# (verdicts.UNJUDGED_STATUS_SQL is the rule).
NOT_FOR_REVIEW = "not for review"
# An unjudged claim imported from a fact-check file: evidence for other claims, not a claim to check.
EVIDENCE = "evidence"
# A claim's current status, in the order exports and `workbench stats` list them.
STATUSES = (*VERDICT_LABELS, PENDING, EVIDENCE, NOT_FOR_REVIEW)
# How a verdict row came about: a label set, a label cleared, an earlier row undone.
VERDICT_ACTIONS = ("mark", "clear", "undo")
# What an editor can do with a reviewer's verdict.
EDITOR_DECISIONS = ("approve", "return")

SOURCE_KINDS = ("outlet", "official", "wire", "fact-check", "other")
# The first is the default: cosine fused with bm25.
MATCH_METHODS = ("hybrid", "dense", "lexical")
EXPORT_FORMATS = ("csv", "jsonl", "markdown", "html", "claimreview")
# The least fused score of a match the desk, the CLI and the conflict counts show by default
# (docs/matching.md says how it was chosen).
DEFAULT_MIN_SCORE = 0.33
# The least check-worthiness of a claim the queue counts as work: below it a claim is "not for review"
# (stored, listed under "all pending"). On the demo corpus the five claims under 0.05 are a fact-check's
# own verdict line ("That part is accurate."), a forecast and three statements about the future; from
# 0.07 up there are checkable events (fire crews at work, a minister's visit, a meeting's date), so the
# floor stays low: a higher one (0.2) would hide twenty claims, several of them checkable.
REVIEW_FLOOR = 0.05
