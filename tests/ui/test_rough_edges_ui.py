"""Rough edges of issue 10 seen through AppTest: filter widgets, Plotly's French, chart selections, cards, PNG words."""

from datetime import date

from streamlit.testing.v1 import AppTest

from dashboard.data import read_data
from dashboard.filters import Filters
from dashboard.ui.context import PageContext
from dashboard.ui.export import filters_said, for_export
from dashboard.ui.kpi import card_rows
from dashboard.ui.show import plotly_locale
from models.db import get_engine
from tests.ui.conftest import opened_page as open_page


def test_filters_say_what_they_hold_and_match_what_is_typed(ui_db: str) -> None:
    at = open_page("referrals")
    placeholders = {key: at.sidebar.multiselect(key=f"w_{key}").proto.placeholder
                    for key in ("structures", "programs", "sources", "sexes", "age_bands")}
    assert placeholders == {"structures": "Toutes les structures", "programs": "Tous les dispositifs",
                            "sources": "Toutes les origines", "sexes": "Tous les sexes", "age_bands": "Tous les âges"}
    sources = at.sidebar.multiselect(key="w_sources").proto
    assert sources.select_all == 0  # no "Select all" (English, and one value per filter)
    mode = sources.DESCRIPTOR.fields_by_name["filter_mode"].enum_type.values_by_number[sources.filter_mode].name
    assert mode == "FILTER_MODE_CONTAINS"  # "SPIP" no longer matches "Santé" as "fuzzy" did


def test_plotly_speaks_french_in_the_french_interface(ui_db: str) -> None:
    french = plotly_locale("fr")
    assert french["locale"] == "fr"
    assert french["locales"]["fr"]["dictionary"]["Reset axes"] == "Réinitialiser les axes"
    assert french["locales"]["fr"]["format"]["months"][7] == "Août"
    assert plotly_locale("en") == {"locale": "en"}
    at = open_page("exits")
    config = at.get("plotly_chart")[0].proto.config
    assert '"locale": "fr"' in config and "Autoscale" in config


def chart_ids(at: AppTest) -> list[str]:
    return [chart.proto.id for chart in at.get("plotly_chart")]


def test_a_reset_gives_the_clickable_charts_fresh_keys(ui_db: str) -> None:
    """A chart keeps its selection under its key: after "Reset filters" a faded chart would stay faded."""
    at = open_page("referrals")
    before = chart_ids(at)
    at.sidebar.button(key="w_reset").click().run()
    after = chart_ids(at)
    assert before[0] != after[0] and before[1] != after[1]  # the two clickable charts
    assert before[2:] == after[2:]  # the others keep theirs


def test_cards_with_a_sparkline_share_rows() -> None:
    series = {0: [], 1: [], 2: [1, 2, 3], 3: [4, 5], 4: [], 5: [1.0, 2.0], 6: [7], 7: [1, 1]}
    assert card_rows(series) == [[2, 3, 5, 7], [0, 1, 4, 6]]  # a single point draws no line
    series = {0: [1, 2], 1: [], 2: [], 3: [3, 4], 4: [], 5: [], 6: [], 7: []}
    assert card_rows(series) == [[0, 3], [1, 2, 4, 5], [6, 7]]  # never a card with a chart beside one without


def test_the_image_says_its_period_filters_and_threshold(ui_db_url: str) -> None:
    data = read_data(get_engine(ui_db_url))
    filters = Filters(start=date(2025, 1, 1), end=date(2025, 6, 30), by="quarter", structures=("S1",), sources=("SIAO",))
    ctx = PageContext(lang="fr", data=data, filters=filters, published_k=11, screen_k=5)
    lines = filters_said(ctx)
    assert lines == ["Période : 01/01/2025 – 30/06/2025, par trimestre", "Filtres : Foyer Les Tilleuls, SIAO / 115",
                     "Chiffres publiés (seuil 11), Parcours"]
    english = filters_said(PageContext(lang="en", data=data, filters=Filters(start=date(2025, 1, 1), end=date(2025, 12, 31),
                                                                              by="year"), published_k=11, screen_k=5))
    assert english[1] == "Filters: none (every structure)"
    import plotly.graph_objects as go

    fig = go.Figure(layout={"height": 400, "margin": {"t": 100}, "title": {"text": "T", "subtitle": {"text": "n = 5"}},
                            "legend": {"orientation": "h"}},
                    data=[go.Bar(name=f"s{i}", x=[1], y=[1]) for i in range(5)])
    out = for_export(fig, lines)
    assert out.layout.title.subtitle.text.split("<br>") == [*lines, "n = 5"]
    assert out.layout.height == 400 + 3 * 18 + 3 * 24  # three lines, five legend entries two a row
    assert out.layout.margin.t == 100 + 3 * 18
    assert fig.layout.height == 400  # the screen's figure is left as it is
