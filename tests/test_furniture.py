"""Page furniture stays out of the claims (issue 10 #1): each pattern of a real news page, in text
written for these tests, then stored with its article and shown dimmed on the desk."""

from __future__ import annotations

import json

import pytest

from workbench.furniture import find_furniture, line_kind, sentence_kind
from workbench.ingest import ingest_paths, ingest_text
from workbench.splitting import split_article


def texts(text: str, title: str | None = None) -> list[str]:
    claims, furniture = split_article(text, title)
    spans = [(c.start, c.end) for c in claims] + [(f.start, f.end) for f in furniture]
    for start, end in spans:
        assert text[start:end].strip() == text[start:end]  # trimmed, exact
    for claim in claims:
        assert text[claim.start:claim.end] == claim.text
    return [c.text for c in claims]


def furniture_of(text: str, title: str | None = None) -> dict[str, str]:
    return {text[f.start:f.end]: f.kind for f in split_article(text, title)[1]}


BODY = "The harbour authority said 1,200 dockworkers joined the strike on Friday."


@pytest.mark.parametrize(("line", "kind"), [
    # Captions and photo credits.
    ("FILE PHOTO: A container ship waits outside the harbour of Eastmere, March 3, 2024.", "caption"),
    ("Dockworkers gather at the gate on Friday. Jan Novak/AFP", "caption"),
    ("Cranes stand idle at the port. (Photo by Jan Novak/Getty Images)", "caption"),
    ("The union leader speaks to reporters (Alamy)", "caption"),
    ("Photo: Jan Novak/Eastmere Post", "caption"),
    ("The empty quay after the walkout.", "caption"),
    # Related links, teasers and prompts.
    ("Related: Eastmere port strike enters second day", "prompt"),
    ("Read more: How the dock strike began", "prompt"),
    ("You may also like", "prompt"),
    ("Sign up for our morning newsletter and get the news first.", "prompt"),
    ("Support our reporting on Patreon.", "prompt"),
    ("The full ruling can be found here.", "prompt"),
    ("(Read the union's statement here.)", "prompt"),
    ("ADVERTISEMENT", "prompt"),
    ("[more - union statement] [more - port statement]", "prompt"),
    # Bylines and author bios.
    ("By Jana Horakova", "byline"),
    ("Jana Horakova is a senior correspondent covering ports and shipping.", "byline"),
    ("Jana Horakova has been reporting on the shipping industry for a decade.", "byline"),
    # Datelines, read times and agency tags.
    ("14 March 2025", "dateline"),
    ("Updated: March 14, 2025, 10:05 AM", "dateline"),
    ("4 min read", "dateline"),
    ("(With AP inputs)", "tag"),
    ("(Eastmere Post/Wire)", "tag"),
    # Labels and subheads.
    ("What happened next", "headline"),
    ("Port Workers Walk Out Over Pay", "headline"),
])
def test_each_kind_of_furniture_line_is_recognised(line, kind):
    assert line_kind(line) == kind
    text = f"{BODY}\n\n{line}\n\n{BODY.replace('Friday', 'Saturday')}"
    assert line not in texts(text)
    assert furniture_of(text)[line] == kind


@pytest.mark.parametrize("sentence", [
    BODY,
    "By Sunday, the union said, only two ships had been unloaded.",
    "Police said the road to the port was closed. Drivers were sent north.",
    "“You cannot run a port like this,” the union leader said.",
    "Ukraine denies the claim.",
    "Rescuers found two more survivors here.",
    "(The ministry later said 12 people had died.)",
])
def test_statements_are_not_furniture(sentence):
    assert line_kind(sentence) is None
    assert sentence_kind(sentence) is None
    assert " ".join(texts(f"{BODY.replace('1,200', '900')}\n\n{sentence}")[1:]) == sentence


def test_headline_repeated_and_deck_above_the_first_paragraph_are_furniture():
    title = "Eastmere dockworkers strike over shift pay"
    text = (f"{title}\n\nUnion says 1,200 members have walked off the job at the port\n\n{BODY}\n\n"
            f"{title}\n\nThe port operator has offered a 4 percent rise, its spokesperson said.")
    assert texts(text, title) == [BODY, "The port operator has offered a 4 percent rise, its spokesperson said."]
    kinds = furniture_of(text, title)
    assert kinds[title] == "headline"
    assert kinds["Union says 1,200 members have walked off the job at the port"] == "headline"


def test_a_line_printed_twice_is_a_claim_once():
    caption = "Ferries kept running to the islands throughout the strike, the operator said."
    text = f"{BODY}\n\n{caption}\n{caption}\n\nTalks will resume on Monday, the union said."
    assert texts(text).count(caption) == 1
    assert list(furniture_of(text).values()) == ["repeat"]


def test_agency_tag_after_the_last_sentence_is_not_part_of_the_claim():
    text = f"{BODY} Talks will resume on Monday, the union said. (With AP inputs)"
    assert texts(text) == [BODY, "Talks will resume on Monday, the union said."]
    assert furniture_of(text) == {"(With AP inputs)": "tag"}


def test_donation_box_under_its_heading_is_furniture():
    text = (f"{BODY}\n\nIndependent port news needs you\n\n"
            "Good reporting costs money. It takes time. You can help us keep going.\n\n"
            "The strike is due to end on Sunday at 6 am, the union said.")
    assert texts(text) == [BODY, "The strike is due to end on Sunday at 6 am, the union said."]


def test_lead_paragraph_without_a_final_full_stop_is_claims():
    title = "Dock strike halts Eastmere port"
    text = (f"{title}\n\nDockworkers at the port of Eastmere walked off the job on Friday. "
            "The union said 1,200 of its members took part in the strike\n\n"
            "Nineteen ships were waiting at anchor by the afternoon, the harbour master said.")
    assert texts(text, title) == [
        "Dockworkers at the port of Eastmere walked off the job on Friday.",
        "The union said 1,200 of its members took part in the strike",
        "Nineteen ships were waiting at anchor by the afternoon, the harbour master said.",
    ]


def test_last_sentence_of_a_paragraph_without_a_full_stop_is_a_claim():
    text = (f"{BODY}\n\nThe operator offered 4 percent. The union wants a 9 percent increase in shift "
            "allowances for night work\n\nTalks will resume on Monday, the union said.")
    claims = texts(text)
    assert "The operator offered 4 percent." in claims
    assert "The union wants a 9 percent increase in shift allowances for night work" in claims
    assert len(claims) == 4


def test_a_sentence_on_its_own_line_without_a_full_stop_in_the_body_is_a_claim():
    text = f"{BODY}\n\nThe port operator said it had offered the union a 4 percent rise\n\nTalks resume Monday."
    assert "The port operator said it had offered the union a 4 percent rise" in texts(text)


def test_a_page_cut_off_in_mid_word_drops_a_short_fragment_and_keeps_a_long_one():
    assert texts(f"{BODY} The union also said the ne") == [BODY]
    long_cut = ("The harbour master said nineteen container ships were waiting at anchor outside the "
                "harbour by Friday afternoon and two more were expected by the ev")
    assert texts(f"{BODY} {long_cut}") == [BODY, long_cut]


@pytest.mark.parametrize("bullet", ["• ", "- ", "* ", "1. "])
def test_list_items_are_claims_without_their_bullet(bullet):
    text = (f"Key facts:\n\n{bullet}About 1,200 dockworkers joined the strike on Friday.\n"
            f"{bullet}Nineteen ships waited at anchor outside the harbour\n")
    assert texts(text) == ["About 1,200 dockworkers joined the strike on Friday.",
                           "Nineteen ships waited at anchor outside the harbour"]


def test_hard_wrapped_text_is_not_cut_into_headlines():
    text = ("The harbour authority said that about 1,200 dockworkers at the port\n"
            "of Eastmere joined the strike on Friday morning. Nineteen ships\n"
            "Were waiting at anchor, the harbour master said.")  # a capital after a wrap, as OCR leaves it
    assert texts(text)[0].startswith("The harbour authority said")
    assert not find_furniture(text)


def test_markdown_file_list_items_lose_their_bullets(tmp_path, db):
    path = tmp_path / "strike.md"
    path.write_text("# Dock strike\n\n- About 1,200 dockworkers joined the strike on Friday.\n"
                    "- The operator offered a 4 percent rise.\n", encoding="utf-8")
    [result] = ingest_paths(db, [str(path)], source="Eastmere Post")
    rows = list(db.query("SELECT text FROM claims ORDER BY position"))
    assert [r["text"] for r in rows] == ["About 1,200 dockworkers joined the strike on Friday.",
                                         "The operator offered a 4 percent rise."]
    assert result.title == "Dock strike"


def test_html_headline_is_the_title_and_not_a_claim(tmp_path, db):
    path = tmp_path / "bridge.html"
    path.write_text(
        "<html><head><title>Harbour bridge reopens after repairs | Eastmere Post</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Harbour bridge reopens after repairs</h1>"
        "<p>The harbour bridge in Eastmere reopened to traffic on Monday after six weeks of repairs, "
        "the city council said.</p><p>The work cost 4.2 million euros, about 300,000 euros more than "
        "planned, according to the council.</p></article></body></html>", encoding="utf-8")
    [result] = ingest_paths(db, [str(path)], source="Eastmere Post")
    article = db.execute("SELECT title, text, furniture FROM articles").fetchone()
    assert result.title == article[0] == "Harbour bridge reopens after repairs"
    claims = [r["text"] for r in db.query("SELECT text FROM claims ORDER BY position")]
    assert claims[0].startswith("The harbour bridge in Eastmere reopened")
    assert not any("Harbour bridge reopens" in c for c in claims)
    stored = json.loads(article[2])
    assert [(article[1][p["start"]:p["end"]], p["kind"]) for p in stored] == [
        ("Harbour bridge reopens after repairs", "headline")]


def test_furniture_is_stored_with_the_article_and_spans_are_exact(db):
    text = (f"Port Strike Enters Second Day\n\nBy Jana Horakova\n\n{BODY}\n\n"
            "Cranes stand idle at the port. Jan Novak/AFP\n\nRead more: How the dock strike began\n\n"
            "Talks will resume on Monday, the union said. (With AP inputs)")
    result = ingest_text(db, text, source="Eastmere Post")
    row = db.execute("SELECT text, furniture FROM articles WHERE id = ?", [result.article_id]).fetchone()
    stored = {row[0][p["start"]:p["end"]]: p["kind"] for p in json.loads(row[1])}
    assert stored == {"Port Strike Enters Second Day": "headline", "By Jana Horakova": "byline",
                      "Cranes stand idle at the port. Jan Novak/AFP": "caption",
                      "Read more: How the dock strike began": "prompt", "(With AP inputs)": "tag"}
    claims = [r["text"] for r in db.query("SELECT text FROM claims ORDER BY position")]
    assert claims == [BODY, "Talks will resume on Monday, the union said."]


async def test_desk_shows_furniture_dimmed_and_never_queues_it(isolated_database):
    from workbench.db import open_database
    from workbench.tui.app import make_app
    from workbench.tui.widgets.article_view import FURNITURE_STYLE, ArticleView

    db = open_database(isolated_database)
    caption = "Cranes stand idle at the port. Jan Novak/AFP"
    ingest_text(db, f"{BODY}\n\n{caption}\n\nTalks will resume on Monday, the union said.",
                source="Eastmere Post", title="Dock strike")
    db.close()
    app = make_app(isolated_database, reviewer="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert view.article is not None and view.article.furniture
        assert [c.text for c in view.claims] == [BODY, "Talks will resume on Monday, the union said."]
        blocks = [block.render() for block in view.query(".paragraph")]
        caption_block = next(b for b in blocks if caption in b.plain)
        assert FURNITURE_STYLE.dim and any(getattr(span.style, "dim", False) for span in caption_block.spans)
        await pilot.press("d", "d")  # two verdicts: both claims decided, the caption never offered
        await pilot.pause()
        assert app.screen.claim is None or app.screen.claim.text != caption
