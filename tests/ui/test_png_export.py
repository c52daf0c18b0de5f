"""Charts leave the app as PNG images of their published version, drawn on the server.

- ``png_bytes`` draws a real PNG with the real Chromium (browser tests);
- every chart of every page gets a PNG button and loses Plotly's camera, and
  the builder a page passes for its image is the same chart built from the
  published figures: a count of 7 persons is shown on screen (k = 5) and
  hidden in the image (k = 11), checked in the figure's trace data, which is
  what Kaleido draws;
- what the button says when there is nothing to publish or the export fails,
  in French and in English.
"""

from __future__ import annotations

import io
import json
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import dashboard.ui.export as export
import dashboard.ui.plot as plot_module
from dashboard.charts.png import SCALE, WIDTH, ExportError, png_bytes
from dashboard.theme import PALETTE, TEMPLATE_NAME
from models.db import make_engine
from tests.metrics.fixtures import write_rows
from tests.ui.conftest import APP, TIMEOUT

YEAR_2025 = {"by": "year", "from": "2025-01-01", "to": "2025-12-31"}
CHART_PAGES = ("referrals", "needs", "workshops", "exits")


# --- PNG files -----------------------------------------------------------------------------------------------


def png_size(image: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk (the first chunk, right after the 8-byte signature), CRC checked."""
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", image[8:16])
    assert (length, kind) == (13, b"IHDR")
    body = image[16:16 + length]
    (crc,) = struct.unpack(">I", image[16 + length:20 + length])
    assert crc == zlib.crc32(kind + body)
    assert image.endswith(b"IEND\xaeB`\x82")
    width, height = struct.unpack(">II", body[:8])
    return width, height


def small_figure(height: int, value: float = 3) -> go.Figure:
    return go.Figure(go.Bar(x=["A", "B"], y=[value, 1], marker_color=PALETTE[0]),
                     layout={"template": pio.templates[TEMPLATE_NAME], "title": {"text": "Test"}, "height": height})


@pytest.mark.browser
@pytest.mark.slow
def test_png_bytes_draws_a_real_png() -> None:
    image = png_bytes(small_figure(300))
    assert png_size(image) == (WIDTH * SCALE, 300 * SCALE) == (1400, 600)
    pixels = Image.open(io.BytesIO(image)).convert("RGB")
    blue = tuple(int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    assert pixels.getpixel((0, 0)) == (255, 255, 255)  # the template's white paper
    assert sum(1 for x in range(0, pixels.width, 4) for y in range(0, pixels.height, 4)
               if pixels.getpixel((x, y)) == blue) > 1_000  # the bars were drawn, in the palette's blue


@pytest.mark.browser
@pytest.mark.slow
def test_concurrent_exports_each_get_their_own_image() -> None:
    """Sessions export at the same time: each gets its own figure (Kaleido's sync server may swap them, #444)."""
    sizes: dict[int, tuple[int, int]] = {}

    def export_one(height: int) -> None:
        sizes[height] = png_size(png_bytes(small_figure(height, value=height)))

    threads = [threading.Thread(target=export_one, args=(h,)) for h in (250, 300, 350, 400)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sizes == {h: (1400, 2 * h) for h in (250, 300, 350, 400)}


# --- Pages: a PNG button per chart, no camera, the published builder ---------------------------------------


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every chart a page draws through ``plot``: its key, the screen figure and the published builder."""
    calls: list[dict[str, Any]] = []
    original = plot_module.show_chart

    def record(fig: Any, ctx: Any, **kwargs: Any) -> object:
        calls.append({"key": kwargs["key"], "screen": fig, "published": kwargs["published"]})
        return original(fig, ctx, **kwargs)

    monkeypatch.setattr(plot_module, "show_chart", record)
    monkeypatch.setattr(export, "export_status", lambda: None)  # whether Chromium is installed here is another test
    return calls


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def png_buttons(at: AppTest) -> list[Any]:
    """The PNG buttons (keys ``png_<chart>``; the tables' buttons are ``csv_``/``xlsx_``)."""
    return [b for b in at.get("download_button") if "png_" in b.proto.id]


@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_chart_has_a_png_button_and_no_camera(needs_db: str, recorded: list[dict[str, Any]], page: str) -> None:
    at = open_page(page, **YEAR_2025)
    charts = at.get("plotly_chart")
    assert charts, "the page drew no chart"
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert "toImage" in config["modeBarButtonsToRemove"]
        assert "toImageButtonOptions" not in config
    drawn = [call for call in recorded if call["screen"] is not None]  # None: "no data" instead of a chart
    buttons = png_buttons(at)
    assert [b.proto.id.split("-png_")[1] for b in buttons] == [call["key"] for call in drawn]
    assert len(buttons) == len(charts)
    for button in buttons:
        assert button.label == "PNG" and not button.proto.disabled
        assert "version publiable" in button.proto.help and "inférieurs à 11" in button.proto.help
    # The builder given for each chart draws the same chart (its title) from the published figures, or nothing.
    for call in drawn:
        published = call["published"]()
        assert published is None or published.layout.title.text == call["screen"].layout.title.text, call["key"]
        if published is not None:
            assert "< 11" in published.layout.title.subtitle.text or "< 5" not in call["screen"].layout.title.subtitle.text


def seven_siao_rows() -> dict[str, list[dict[str, Any]]]:
    """30 persons referred once in 2025: 23 by a sector social worker, 7 by the SIAO (7 is >= 5 and < 11)."""
    referrals = [{"person_id": f"P{i:02d}", "referral_date": f"2025-03-{i:02d}", "source": "SIAO" if i > 23 else "AS_SECTEUR",
                  "program": "HEBERGEMENT_INSERTION"} for i in range(1, 31)]
    persons = [{"person_id": f"P{i:02d}", "sex": "F" if i % 2 else "M", "birth_year": 1980} for i in range(1, 31)]
    return {"structures": [{"structure_id": "S1", "name": "Foyer", "type": "CHRS", "territory": "Lyon"}],
            "persons": persons, "referrals": referrals}


@pytest.fixture
def seven_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'seven.db'}"
    engine = make_engine(url)
    write_rows(engine, **seven_siao_rows())
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")  # exact counts: the 7 is 7
    monkeypatch.delenv("PARCOURS_MIN_CELL", raising=False)
    monkeypatch.delenv("PARCOURS_MIN_CELL_PUBLISHED", raising=False)
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    yield url


def bar_value(fig: go.Figure, name: str, x: str) -> Any:
    (trace,) = [tr for tr in fig.data if tr.type == "bar" and tr.name == name]
    return trace.y[list(trace.x).index(x)]


def test_the_published_builder_hides_a_count_the_screen_shows(seven_db: str, recorded: list[dict[str, Any]]) -> None:
    open_page("referrals", **YEAR_2025)
    calls = {call["key"]: call for call in recorded}
    screen = calls["referrals_over_time_0"]["screen"]
    assert bar_value(screen, "SIAO / 115", "2025") == 7  # k = 5 on screen: 7 shown
    assert bar_value(screen, "Assistant·e social·e de secteur", "2025") == 23

    published = calls["referrals_over_time_0"]["published"]()
    assert published.layout.title.text == screen.layout.title.text  # the same chart
    assert bar_value(published, "SIAO / 115", "2025") is None  # k = 11 in the image: 7 hidden
    assert 7 not in [v for tr in published.data for v in (tr.y or ()) if isinstance(v, int | float)]
    markers = [tr for tr in published.data if tr.type == "scatter" and tr.text and "< 11" in tr.text]
    assert markers, "a hidden cell is marked '< 11', never drawn as 0"

    shares = calls["source_shares_0"]
    assert 7 in list(shares["screen"].data[0].x)
    assert 7 not in [v for tr in shares["published"]().data for v in (tr.x or ())]


# --- What the button says ------------------------------------------------------------------------------------


def test_the_button_says_why_there_is_no_png() -> None:
    label, help_text, disabled, caption = export.button_state(None, None, "fr", 11)
    assert (label, disabled, caption) == ("PNG", False, None)
    assert help_text.startswith("Image PNG de la version publiable : les nombres inférieurs à 11 sont masqués")

    label, help_text, disabled, _ = export.button_state(ExportError("no_browser", "no Chromium found"), None, "fr", 11)
    assert (label, disabled) == ("PNG indisponible", True)
    assert help_text.startswith("L'export PNG n'est pas disponible : le serveur ne trouve pas le navigateur Chromium")

    label, help_text, disabled, _ = export.button_state(ExportError("start_failed", "BrowserFailedError"), None, "en", 11)
    assert (label, disabled) == ("PNG unavailable", True)
    assert help_text.startswith("PNG export is not available: the server's Chromium browser did not start.")
    assert "Traceback" not in help_text and "BrowserFailedError" not in help_text

    label, help_text, disabled, _ = export.button_state(None, export.NOTHING, "en", 11)
    assert (label, disabled) == ("PNG: nothing to publish", True)
    assert help_text == "Nothing to publish: at the publication threshold, every number of this chart (below 11) is hidden."

    label, _, disabled, caption = export.button_state(None, "failed", "fr", 11)
    assert (label, disabled) == ("PNG", False)  # a failed click can be tried again
    assert caption == "Le dernier export PNG de ce graphique a échoué : réessayez. Le détail est dans le journal du serveur."


def test_a_click_with_nothing_to_publish_gives_an_image_that_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[go.Figure] = []
    monkeypatch.setattr(export, "png_bytes", lambda fig: drawn.append(fig) or b"\x89PNG")
    outcomes: dict[Any, str] = {}
    image = export.image_maker(lambda: None, name="exits_by_housing", title="Sorties par logement", nothing="Rien à publier",
                               outcomes=outcomes, memo="m")
    assert image() == b"\x89PNG"
    (fig,) = drawn
    assert fig.layout.title.text == "Sorties par logement"
    assert [a.text for a in fig.layout.annotations] == ["Rien à publier"]  # (long sentences are wrapped with <br>)
    assert fig.data == ()  # no figure at all
    assert outcomes == {"m": export.NOTHING}


def test_a_failed_click_is_remembered_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(fig: go.Figure) -> bytes:
        raise ExportError("start_failed", "Chromium did not start: BrowserFailedError")

    monkeypatch.setattr(export, "png_bytes", fail)
    outcomes: dict[Any, str] = {}
    image = export.image_maker(lambda: small_figure(300), name="median_stay", title="", nothing="", outcomes=outcomes, memo="m")
    with pytest.raises(RuntimeError, match=r"^PNG export failed \(start_failed\)$"):
        image()
    assert outcomes == {"m": "start_failed"}
    monkeypatch.setattr(export, "png_bytes", lambda fig: b"\x89PNG")
    assert image() == b"\x89PNG"
    assert outcomes == {}  # a later success forgets the failure


def test_an_unavailable_export_disables_every_button_in_english(ui_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "export_status", lambda: ExportError("no_browser", "no Chromium found"))
    at = open_page("exits", lang="en", **YEAR_2025)
    buttons = png_buttons(at)
    assert len(buttons) == len(at.get("plotly_chart"))
    for button in buttons:
        assert button.label == "PNG unavailable" and button.proto.disabled
        assert button.proto.help.startswith("PNG export is not available: the server cannot find the Chromium browser")
