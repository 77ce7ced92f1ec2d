"""Shared set-up of the browser tests: Debian's Chromium (/usr/bin/chromium) driven by
Playwright; never a downloaded browser. Screenshots go to test-artifacts/ for review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 850}


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it when it can)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that the
    # live server makes happen in its own thread, and the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
        except Exception as exc:  # noqa: BLE001 - any launch failure means: cannot run here
            pytest.skip(f"chromium could not start: {exc}")
        yield chromium
        chromium.close()
        # While Playwright runs, asyncio reports a running loop in this thread, so Django
        # keeps the test's own database connection apart from the plain thread-local one
        # (asgiref's Local). Close it while it is still visible: otherwise it outlives the
        # test database, whose teardown then fails ("accessed by other users").
        from django.db import connections

        connections.close_all()


def phone_context(browser):
    return browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="id-ID"
    )


def scrolls_sideways(page) -> list[str]:
    """Empty when the page fits the viewport's width. Otherwise the elements that stick out,
    to name the culprit. (A wide chart inside its own scrolling box does not make the page
    scroll, and is allowed.)"""
    return page.evaluate(
        """() => {
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) return [];
        return [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
          .map(e => e.tagName + '.' + e.getAttribute('class') + '#' + e.id);
        }"""
    )


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test's teardown flushes every table, the reference data loaded
    once per session included: each browser test loads it again (it is idempotent)."""
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
