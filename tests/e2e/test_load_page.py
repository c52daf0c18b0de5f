"""The Importer page in a real browser: files dropped on the uploader, the errors of the check, then a valid
export checked, confirmed and loaded into a SQLite file that did not exist before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.db import make_engine
from models.tables import Load, Person
from tests.e2e.conftest import SCREENSHOTS, running_app
from tests.e2e.test_pages import no_error, wait_idle
from tests.load_page.datasets import VALID, WITH_ERRORS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DROP = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("e2e-load")
    database = folder / "parcours.db"
    with running_app(f"sqlite:///{database}", folder / "streamlit.log") as base:
        yield base, database


def screenshot(page, name: str, width: int = 1400) -> None:  # type: ignore[no-untyped-def]
    """The whole page: the viewport grows to the height of Streamlit's scrolling main area first."""
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 844), 6000)})
    # Tables and buttons load their code lazily (a grey placeholder until then); the grid redraws after the resize.
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def drop(page, files: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page.locator(DROP).set_input_files([{"name": n, "mimeType": "text/csv", "buffer": t.encode()} for n, t in files.items()])


def remove_files(page) -> None:  # type: ignore[no-untyped-def]
    buttons = page.locator('[data-testid="stFileChipDeleteBtn"]')
    while buttons.count():
        buttons.first.click()
        wait_idle(page)


def test_errors_then_a_load_from_the_browser(page, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, database = fresh
    page.goto(f"{base}/load")
    page.get_by_role("heading", name="Importer", exact=True).first.wait_for(timeout=45_000)
    drop(page, WITH_ERRORS)
    page.get_by_text("2 erreur(s) : rien n'a été chargé").wait_for(timeout=60_000)
    wait_idle(page)
    no_error(page)
    assert page.get_by_role("button", name="Charger dans la base").count() == 0
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Télécharger la liste (CSV)").click()
    listed = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert listed[0] == "Type,Fichier,Ligne,Colonne,Valeur,Motif"
    assert listed[1].startswith("Erreur,orientations.csv,3,date_orientation,31/02/2024,")
    assert listed[2].startswith("Erreur,orientations.csv,3,source,\"'=HYPERLINK(\"\"x\"\")\",")
    assert not database.exists()
    screenshot(page, "load-errors-desktop")

    remove_files(page)
    page.get_by_text("2 erreur(s)").wait_for(state="detached", timeout=60_000)
    drop(page, VALID)
    page.get_by_text("Vérification réussie").wait_for(timeout=60_000)
    wait_idle(page)
    assert not database.exists()  # checked, nothing written
    screenshot(page, "load-check-desktop")
    page.get_by_role("button", name="Charger dans la base").click()
    page.get_by_text("Chargement n° 1 terminé").wait_for(timeout=60_000)
    wait_idle(page)
    no_error(page)
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 2
        assert conn.execute(select(Load.source)).scalars().all() == [
            "navigateur : personnes.csv, orientations.csv, accompagnements.csv"]
    engine.dispose()
    screenshot(page, "load-done-desktop")
    page.get_by_role("link", name="Voir la vue d'ensemble").click()
    page.get_by_role("heading", name="Vue d'ensemble", exact=True).first.wait_for(timeout=45_000)
    wait_idle(page)
    assert page.get_by_text("La base de données est vide").count() == 0


def test_the_page_on_a_phone(browser, fresh) -> None:  # type: ignore[no-untyped-def]
    base, _ = fresh
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{base}/load?lang=en")
        phone.get_by_role("heading", name="Import", exact=True).first.wait_for(timeout=45_000)
        drop(phone, WITH_ERRORS)
        phone.get_by_text("2 error(s): nothing was loaded").wait_for(timeout=60_000)
        phone.get_by_role("button", name="Download the list (CSV)").wait_for(timeout=30_000)
        wait_idle(phone)
        no_error(phone)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width} px)"
        screenshot(phone, "load-errors-phone", 390)
    finally:
        context.close()
