"""The Plotly template "parcours", matching ``.streamlit/config.toml``.

Colours are the Okabe–Ito palette, readable with the common colour-vision
deficiencies. Suppressed cells are drawn in light grey with a diagonal
hatch so that they read as "hidden", never as "zero". Importing this module
registers the template and makes it Plotly's default.
"""

import plotly.graph_objects as go
import plotly.io as pio

PRIMARY = "#0072B2"
TEXT = "#1F2937"
GRID = "#E5E7EB"
BACKGROUND = "#FFFFFF"
# Multi-word names quoted: Plotly mismeasures unquoted ones and clips legend entries.
FONT = '"Source Sans", "Source Sans Pro", "Source Sans 3", Helvetica, Arial, sans-serif'

PALETTE: list[str] = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
SEQUENTIAL: list[str] = ["#F7FBFF", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B"]
DIVERGING: list[str] = ["#D55E00", "#F4B183", "#F7F7F7", "#9ECAE1", "#0072B2"]

SUPPRESSED_COLOR = "#BDBDBD"
SUPPRESSED_PATTERN = {"shape": "/", "fgcolor": "#757575", "bgcolor": SUPPRESSED_COLOR, "solidity": 0.3}
"""A ``marker.pattern`` for bars standing for hidden cells."""

TEMPLATE_NAME = "parcours"


def _template() -> go.layout.Template:
    axis = {
        "gridcolor": GRID,
        "linecolor": "#9CA3AF",
        "zerolinecolor": "#9CA3AF",
        "ticks": "outside",
        "tickcolor": "#9CA3AF",
        "title": {"standoff": 8},
        "automargin": True,
    }
    layout = go.Layout(
        colorway=PALETTE,
        font={"family": FONT, "color": TEXT, "size": 13},
        title={"x": 0.0, "xanchor": "left", "font": {"size": 16}},
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        xaxis=axis,
        yaxis=axis,
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.3, "x": 0, "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT}},
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        colorscale={"sequential": SEQUENTIAL, "diverging": DIVERGING},
        separators=", ",
    )
    return go.layout.Template(layout=layout)


pio.templates[TEMPLATE_NAME] = _template()
pio.templates.default = TEMPLATE_NAME
