"""A civil servant on a phone checks two drafts before posting them."""

from __future__ import annotations

import pytest

from netralitas.tests_browser.conftest import ARTIFACTS, phone_context, scrolls_sideways

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_it_flags_a_partisan_draft_and_passes_a_neutral_one(browser, live_server, reference_data):
    from netralitas.selfcheck.models import SharedDraft

    ARTIFACTS.mkdir(exist_ok=True)
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/cek-sebelum-posting/")
    assert page.locator("html").get_attribute("lang") == "id"

    page.fill("[name=text]", "Ayo bapak ibu guru, tgl 27 nanti coblos nomor 2 ya! #Babel2024")
    page.click("button[type=submit]")
    result = page.locator("#self-check-result")
    result.wait_for()
    assert page.locator("[role=alert]").count() == 1
    # The words that triggered it are highlighted, and the rule is named by its code.
    marked = [m.strip().lower() for m in page.locator("#self-check-result mark").all_inner_texts()]
    assert any("coblos" in m for m in marked), marked
    assert any("2" in m for m in marked), marked
    rules = result.locator("li strong").all_inner_texts()
    assert rules and all(code.startswith(("KE-", "DS-")) for code in rules), rules
    assert page.locator("#self-check-advice").inner_text().strip()
    assert scrolls_sideways(page) == []
    page.screenshot(path=str(ARTIFACTS / "self-check-partisan.png"), full_page=True)

    page.fill("[name=text]", "Rapat koordinasi persiapan HUT Provinsi besok jam 08.00 di aula.")
    page.click("button[type=submit]")
    page.locator("#self-check-result").wait_for()
    assert page.locator("[role=alert]").count() == 0
    assert page.locator("#self-check-result mark").count() == 0
    page.screenshot(path=str(ARTIFACTS / "self-check-neutral.png"), full_page=True)
    context.close()

    # Neither draft was kept: the box to share was never ticked.
    assert SharedDraft.objects.count() == 0
