"""The editor round trip: export CSV, an editor fills two columns, import-review records the decisions."""

from __future__ import annotations

import csv
import io

import pytest

from test_export_corpus import build_corpus, judge_corpus
from workbench.editor_review import decisions_for, import_review, latest_decisions
from workbench.errors import InputError
from workbench.export import render_export
from workbench.verdicts import current_verdicts, record_verdict


@pytest.fixture
def judged(db):
    ids = build_corpus(db)
    judge_corpus(db, ids)
    return db, ids


def exported_rows(db) -> tuple[list[str], list[dict]]:
    text, _ = render_export(db, "csv", include_pending=True)  # the pending rows test decisions on them
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    return list(reader.fieldnames), list(reader)


def write_csv(path, header, rows) -> None:
    """Save as a spreadsheet would: UTF-8 with a BOM, \r\n row ends, multi-line cells quoted."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def line_of(path, claim_id: str) -> int:
    """The physical line a row starts on (multi-line cells make this differ from the row number)."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for row in reader:
        if row and row[0] == claim_id:
            return start
        start = reader.line_num + 1
    raise AssertionError(claim_id)


def test_round_trip_records_decisions_once(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    by_id = {int(r["claim_id"]): r for r in rows}
    by_id[ids["claim:1"]].update(editor_decision="approve")
    by_id[ids["claim:4"]].update(editor_decision="Return", editor_note="Which ministry letter? Cite it.")
    by_id[ids["claim:2"]].update(editor_decision="approved", editor_note="'=fine")
    path = tmp_path / "edited.csv"
    write_csv(path, header, rows)

    report = import_review(db, path, editor="erin")
    assert sorted((c, d) for _, c, d in report.recorded) == sorted(
        [(ids["claim:1"], "approve"), (ids["claim:4"], "return"), (ids["claim:2"], "approve")])
    assert report.problems == [] and report.already == []
    assert report.undecided == len(rows) - 3

    decisions = latest_decisions(db)
    current = current_verdicts(db)
    assert set(decisions) == {ids["claim:1"], ids["claim:2"], ids["claim:4"]}
    returned = decisions[ids["claim:4"]]
    assert (returned.decision, returned.note, returned.editor) == ("return", "Which ministry letter? Cite it.", "erin")
    assert returned.verdict_id == current[ids["claim:4"]].id
    assert returned.origin == "edited.csv"
    assert decisions[ids["claim:2"]].note == "=fine"  # the export's apostrophe is not the editor's
    assert decisions[ids["claim:1"]].approved

    # the same file again changes nothing
    before = db.execute("SELECT COUNT(*) FROM editor_decisions").fetchone()[0]
    again = import_review(db, path, editor="erin")
    assert again.recorded == [] and not again.changed
    assert len(again.already) == 3
    assert db.execute("SELECT COUNT(*) FROM editor_decisions").fetchone()[0] == before

    # the decision shows in the next export's records
    text, _ = render_export(db, "jsonl")
    assert '"decision": "return", "note": "Which ministry letter? Cite it."' in text


def test_unknown_and_bad_rows_are_reported_with_their_line(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    by_id = {int(r["claim_id"]): r for r in rows}
    by_id[ids["claim:1"]].update(editor_decision="approve")
    rows.append({**by_id[ids["claim:1"]], "claim_id": "9999", "verdict_id": "1"})  # no such claim
    rows.append({**by_id[ids["claim:6"]], "claim": "Germany pledged 999 million euros.",
                 "editor_decision": "approve"})  # the text no longer matches its claim
    by_id[ids["claim:5"]].update(editor_decision="approve")  # pending: nothing to sign off
    by_id[ids["claim:3"]].update(editor_decision="maybe")
    by_id[ids["claim:2"]].update(editor_note="a note but no decision")
    path = tmp_path / "edited.csv"
    write_csv(path, header, rows)

    report = import_review(db, path, editor="erin")
    assert [(c, d) for _, c, d in report.recorded] == [(ids["claim:1"], "approve")]
    problems = dict(report.problems)
    assert len(problems) == 4
    text = path.read_text(encoding="utf-8-sig").splitlines()
    unknown_line = [n for n, m in problems.items() if "no claim 9999" in m]
    assert unknown_line and text[unknown_line[0] - 1].startswith("9999,")
    mismatched = [n for n, m in problems.items() if "other text" in m]
    assert mismatched and text[mismatched[0] - 1].startswith(f"{ids['claim:6']},")
    # A decision on a pending claim is counted, not refused (issue 9, seen 11: filled down a column).
    assert report.pending == [line_of(path, str(ids["claim:5"]))]
    assert "neither approve nor return" in problems[line_of(path, str(ids["claim:3"]))]
    assert "without an editor_decision" in problems[line_of(path, str(ids["claim:2"]))]
    assert set(latest_decisions(db)) == {ids["claim:1"]}


def test_decision_on_a_verdict_changed_since_export_is_kept_with_a_warning(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    row = next(r for r in rows if int(r["claim_id"]) == ids["claim:4"])
    row.update(editor_decision="approve")
    path = tmp_path / "edited.csv"
    write_csv(path, header, [row])
    newer = record_verdict(db, ids["claim:4"], "unverified", "alice", note="Rechecked.")
    report = import_review(db, path)
    assert len(report.recorded) == 1
    assert report.warnings and "re-marked" in report.warnings[0][1]
    decision = latest_decisions(db)[ids["claim:4"]]
    assert decision.verdict_id == int(row["verdict_id"]) != newer.id
    text, _ = render_export(db, "jsonl")
    assert '"current": false' in text


def test_return_then_approve_after_rework(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    row = next(r for r in rows if int(r["claim_id"]) == ids["claim:2"])
    write_csv(tmp_path / "first.csv", header, [{**row, "editor_decision": "return", "editor_note": "Source?"}])
    import_review(db, tmp_path / "first.csv")
    record_verdict(db, ids["claim:2"], "disputed", "alice", note="Now with the corrected minutes.")
    header, rows = exported_rows(db)
    row = next(r for r in rows if int(r["claim_id"]) == ids["claim:2"])
    write_csv(tmp_path / "second.csv", header, [{**row, "editor_decision": "approve"}])
    import_review(db, tmp_path / "second.csv")
    assert [d.decision for d in decisions_for(db, ids["claim:2"])] == ["return", "approve"]
    assert latest_decisions(db)[ids["claim:2"]].approved


def test_approve_return_approve_keeps_the_final_approval(judged, tmp_path):
    """The editor approves, changes their mind, then approves again with the same note: three files,
    three decisions, the last one approving; importing any of the files again changes nothing."""
    db, ids = judged
    header, rows = exported_rows(db)
    row = next(r for r in rows if int(r["claim_id"]) == ids["claim:2"])
    paths = []
    for number, decision in enumerate(("approve", "return", "approve"), 1):
        path = tmp_path / f"round-{number}.csv"
        write_csv(path, header, [{**row, "editor_decision": decision, "editor_note": "Checked."}])
        report = import_review(db, path, editor="erin")
        assert [(c, d) for _, c, d in report.recorded] == [(ids["claim:2"], decision)]
        assert report.already == []
        paths.append(path)
    assert [d.decision for d in decisions_for(db, ids["claim:2"])] == ["approve", "return", "approve"]
    assert latest_decisions(db)[ids["claim:2"]].approved

    count = db.execute("SELECT COUNT(*) FROM editor_decisions").fetchone()[0]
    for _ in range(2):  # the last file again, twice: nothing changes
        again = import_review(db, paths[2], editor="erin")
        assert again.recorded == [] and len(again.already) == 1 and again.warnings == []
    assert db.execute("SELECT COUNT(*) FROM editor_decisions").fetchone()[0] == count
    assert latest_decisions(db)[ids["claim:2"]].approved


def test_the_same_decision_in_another_file_is_not_recorded_twice(judged, tmp_path):
    """A re-export with the latest decision typed in again says nothing new."""
    db, ids = judged
    header, rows = exported_rows(db)
    row = next(r for r in rows if int(r["claim_id"]) == ids["claim:2"])
    write_csv(tmp_path / "a.csv", header, [{**row, "editor_decision": "approve"}])
    write_csv(tmp_path / "b.csv", header, [{**row, "claimant": "x", "editor_decision": "Approved"}])
    assert len(import_review(db, tmp_path / "a.csv").recorded) == 1
    second = import_review(db, tmp_path / "b.csv")
    assert second.recorded == [] and len(second.already) == 1
    assert len(decisions_for(db, ids["claim:2"])) == 1


def test_a_file_that_is_not_an_export(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\nx,1\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_review(db, path)
    assert str(error.value).startswith(f"{path}:1: no claim_id, editor_decision column")
    with pytest.raises(InputError):
        import_review(db, tmp_path / "missing.csv")


# --- Real spreadsheets (issue 9, seen 11) ---------------------------------------------------------

def import_cli(path):
    from click.testing import CliRunner

    from workbench.cli import main

    return CliRunner().invoke(main, ["import-review", str(path)], catch_exceptions=False)


def decide(rows, ids, **decisions):
    by_id = {int(r["claim_id"]): r for r in rows}
    for name, decision in decisions.items():
        by_id[ids[name.replace("_", ":")]].update(editor_decision=decision)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(judged, tmp_path, delimiter):
    """LibreOffice and Excel in much of Europe save CSV with ';'; some editors paste as tabs."""
    db, ids = judged
    header, rows = exported_rows(db)
    decide(rows, ids, claim_1="approve", claim_4="return")
    path = tmp_path / "edited.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    report = import_review(db, path, editor="erin")
    assert sorted((c, d) for _, c, d in report.recorded) == sorted(
        [(ids["claim:1"], "approve"), (ids["claim:4"], "return")])
    assert report.problems == []


def test_header_case_and_spaces_are_forgiven(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    decide(rows, ids, claim_1="approve")
    renamed = {"claim_id": " Claim_ID ", "editor_decision": "Editor Decision", "verdict_id": "VERDICT_ID"}
    path = tmp_path / "edited.csv"
    write_csv(path, [renamed.get(h, h) for h in header],
              [{renamed.get(k, k): v for k, v in row.items()} for row in rows])
    report = import_review(db, path, editor="erin")
    assert [(c, d) for _, c, d in report.recorded] == [(ids["claim:1"], "approve")]


def test_claim_starting_with_apostrophe_equals_round_trips(db, tmp_path):
    """Our export escapes '=... as ''=...; the import must give back exactly the stored text."""
    from workbench.ingest import ingest_claims
    from workbench.reading import ClaimInput

    texts = ["'=SUM(A1:A9) appeared in the minutes.", "''quoted twice'' said the mayor.", "=1+2 is three."]
    result = ingest_claims(db, [ClaimInput(text=t, origin=f"t:{n}") for n, t in enumerate(texts, 1)], source="Desk")
    for claim_id in result.claim_ids:
        record_verdict(db, claim_id, "unverified", "alice")
    header, rows = exported_rows(db)
    assert [r["claim"] for r in rows] == ["''=SUM(A1:A9) appeared in the minutes.", "'''quoted twice'' said the mayor.",
                                          "'=1+2 is three."]
    for row in rows:
        row["editor_decision"] = "approve"
    path = tmp_path / "edited.csv"
    write_csv(path, header, rows)
    report = import_review(db, path, editor="erin")
    assert report.problems == [] and len(report.recorded) == 3


def test_conflicting_decisions_for_one_claim_are_refused_with_both_lines(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    decide(rows, ids, claim_1="approve", claim_4="approve")
    second = {**next(r for r in rows if int(r["claim_id"]) == ids["claim:4"]), "editor_decision": "return"}
    path = tmp_path / "edited.csv"
    write_csv(path, header, [*rows, second])
    report = import_review(db, path, editor="erin")
    assert [(c, d) for _, c, d in report.recorded] == [(ids["claim:1"], "approve")]  # the rest is imported
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    starts, start = [], 1
    for row in reader:
        if row[0] == str(ids["claim:4"]):
            starts.append(start)
        start = reader.line_num + 1
    problems = dict(report.problems)
    assert sorted(problems) == starts and len(starts) == 2
    assert f"on line {starts[1]} (approve here)" in problems[starts[0]]
    assert f"on line {starts[0]} (return here)" in problems[starts[1]]
    assert ids["claim:4"] not in latest_decisions(db)


def test_approve_filled_down_the_column_is_one_summary_line_and_exit_0(judged, tmp_path):
    db, ids = judged
    header, rows = exported_rows(db)
    for row in rows:
        row["editor_decision"] = "approve"
    pending = [r for r in rows if not r["verdict_id"]]
    assert pending, "the corpus has pending claims"
    path = tmp_path / "edited.csv"
    write_csv(path, header, rows)
    result = import_cli(path)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    summary = [line for line in lines if "no verdict yet" in line]
    assert len(summary) == 1 and summary[0].startswith(f"{path}: {len(pending)} decisions")
    assert len(lines) == 2  # the summary and the "recorded ..." line
    assert len(latest_decisions(db)) == len(rows) - len(pending)
