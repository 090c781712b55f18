"""Start-up: the first screen is painted before torch is imported; core modules never import textual."""

import subprocess
import sys
import textwrap
from pathlib import Path

import desk_corpus

ROOT = Path(__file__).resolve().parent.parent

PAINT = textwrap.dedent("""
    import asyncio, sys
    from workbench.tui import make_app

    async def main():
        app = make_app(sys.argv[1], reviewer="alice")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.screen.id == sys.argv[2], app.screen.id
            painted = app.screen._compositor.render_strips()
            # The header (at 80 columns the reviewer and the counts; the app's name needs 100).
            assert painted and any("pending" in "".join(s.text for s in strip) for strip in painted) \
                or sys.argv[2] == "welcome"
            heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
            print("HEAVY", heavy)

    asyncio.run(main())
""")


def paint(db_path: Path, screen: str) -> str:
    done = subprocess.run([sys.executable, "-c", PAINT, str(db_path), screen], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_first_paint_does_not_import_torch(tmp_path):
    assert "HEAVY []" in paint(desk_corpus.build(tmp_path / "desk.db"), "review")


def test_welcome_screen_on_an_empty_database_without_torch(tmp_path):
    assert "HEAVY []" in paint(tmp_path / "empty.db", "welcome")


def test_desk_and_signals_never_import_textual():
    code = "import sys, workbench.review_queue, workbench.signals; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
