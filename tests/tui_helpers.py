"""Helpers for the desk's Pilot tests."""

from __future__ import annotations

from workbench.db import open_database


def verdict_rows(path):
    db = open_database(path)
    try:
        return list(db.query("SELECT * FROM verdicts ORDER BY id"))
    finally:
        db.close()


async def settle(pilot, app) -> None:
    """Wait for the app to process what was pressed, workers included (never a sleep)."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_queue(pilot, app):
    """w on the review screen, every message handled: the queue screen it shows."""
    await pilot.press("w")
    await settle(pilot, app)
    return app.screen
