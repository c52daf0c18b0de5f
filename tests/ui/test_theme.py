"""One theme: the Streamlit config and the Plotly template agree."""

import tomllib
from pathlib import Path

import plotly.io as pio

from dashboard import theme

CONFIG = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_template_is_registered():
    layout = pio.templates["parcours"].layout
    assert list(layout.colorway) == theme.PALETTE
    assert layout.font.color == CONFIG["theme"]["textColor"]
    assert layout.paper_bgcolor == CONFIG["theme"]["backgroundColor"]


def test_primary_colour_is_the_first_of_the_palette():
    assert CONFIG["theme"]["primaryColor"] == theme.PRIMARY == theme.PALETTE[0]


def test_palette_is_okabe_ito():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(theme.PALETTE) == okabe_ito
    assert theme.SUPPRESSED_COLOR not in okabe_ito


def test_streamlit_export_is_off():
    """Only our downloads (published threshold) let tables leave the app."""
    assert CONFIG["client"]["disableDataExport"] is True
