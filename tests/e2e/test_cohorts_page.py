"""The cohorts page in a real browser: define a cohort, compare it, download the comparison, reopen the link."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_pages import no_error, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LINK = ("c1_name=Femmes&c1_anchor=referral&c1_from=2018-01-01&c1_to=2024-12-31&c1_sex=F"
        "&c2_name=Hommes&c2_anchor=referral&c2_from=2018-01-01&c2_to=2024-12-31&c2_sex=M")


def sizes(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.locator('[data-testid="stMetricValue"]').nth(1).wait_for(timeout=60_000)
    return [v.inner_text().strip() for v in page.locator('[data-testid="stMetricValue"]').all()]


def test_define_compare_download_and_reopen(page, app: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app}/cohorts?{LINK}")
    page.get_by_role("heading", name="Cohortes", exact=True).first.wait_for(timeout=60_000)
    page.get_by_text("Indicateurs, côte à côte").wait_for(timeout=60_000)
    wait_idle(page)
    no_error(page)
    women, men = sizes(page)
    assert re.fullmatch(r"[\d\u202f ]+", women) and re.fullmatch(r"[\d\u202f ]+", men)

    # Define: cohort 2 becomes everyone referred over the range (sex "any").
    page.get_by_role("textbox", name="Nom").nth(1).fill("Tous")
    page.get_by_role("textbox", name="Nom").nth(1).press("Enter")
    # The rerun writes the name into the address first: wait for it, then for the rerun's end, so that the select
    # below is not redrawn (and its choice lost) by a rerun still under way on a busy machine.
    page.wait_for_function("() => location.search.includes('c2_name=Tous')", timeout=60_000)
    wait_idle(page)
    page.get_by_text("Sexe, âge à l'ancrage…").nth(1).click()
    page.get_by_label("Sexe", exact=True).nth(1).click()  # the select of cohort 2
    page.get_by_role("option", name="Tous", exact=True).click()
    page.wait_for_function("() => !location.search.includes('c2_sex')", timeout=60_000)
    # The address changes at the start of the rerun, before the sizes are drawn again: wait for
    # cohort 2's size to leave the men's value (everyone = women + men + others, so it must).
    page.wait_for_function(
        "men => { const v = document.querySelectorAll('[data-testid=\"stMetricValue\"]');"
        " return v.length > 1 && v[1].innerText.trim() !== men; }",
        arg=men, timeout=60_000,
    )
    wait_idle(page)
    everyone = sizes(page)[1]
    assert int(re.sub(r"\D", "", everyone)) > int(re.sub(r"\D", "", women))
    assert "c2_name=Tous" in page.url

    # Download the comparison (CSV, French Excel form: semicolons).
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name=re.compile("CSV")).first.click()
    saved = tmp_path / "comparaison.csv"
    caught.value.save_as(saved)
    text = saved.read_bytes().decode("utf-8-sig")
    table = [line for line in text.splitlines() if not line.startswith("#")]  # the provenance comes first
    assert table[0].count(";") >= 4 and "Tous" in text and any("c2_name" in line for line in text.splitlines())

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "cohorts.png"), full_page=True)

    # Reopen the shared link in a new tab: the same cohorts, the same figures.
    link = page.url
    other = page.context.new_page()
    other.goto(link)
    other.get_by_text("Indicateurs, côte à côte").wait_for(timeout=60_000)
    wait_idle(other)
    assert sizes(other) == [women, everyone]
    assert other.get_by_role("textbox", name="Nom").nth(1).input_value() == "Tous"
