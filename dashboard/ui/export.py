"""The PNG button under each chart: the published version, drawn on the server when clicked.

The image is made only when the button is clicked (Streamlit calls ``image``
then, outside the page's run): the published figures are computed, the same
chart is built from them and Kaleido draws it (``dashboard.charts.png``). A
page pays nothing for images nobody asks for.

What can go wrong is said in the reader's language, never as a traceback:

- no kaleido, no Chromium, or a browser that just failed to start: the
  button reads "PNG unavailable" and is disabled, its help says why;
- nothing left to draw at the published threshold: the image says so (the
  chart's title and a sentence), and from the next run on the button is
  disabled and says so;
- an export that fails on the click: Streamlit shows its short error under
  the button, the server log has the detail, and from the next run on a
  caption says it failed (the button stays, to try again).
"""

import logging
from collections.abc import Callable, Hashable

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.png import ExportError, export_status, message_figure, png_bytes
from dashboard.i18n import t
from dashboard.ui.context import PageContext
from dashboard.ui.downloads import file_stem

PublishedFigure = Callable[[], go.Figure | None]
"""Builds the chart from the published figures (None: nothing to draw)."""

OUTCOMES = "_png_outcomes"
"""Session state: (chart, filters, data, k) -> "nothing" or the reason of the last failure."""
NOTHING = "nothing"

_log = logging.getLogger(__name__)


def reason_text(reason: str, lang: str) -> str:
    """Why there is no PNG, in the reader's language."""
    if reason == "no_kaleido":
        return t("chart.png_no_kaleido", lang)
    if reason == "no_browser":
        return t("chart.png_no_browser", lang)
    if reason == "start_failed":
        return t("chart.png_start_failed", lang)
    return t("chart.png_failed", lang)


def chart_title(fig: go.Figure | None) -> str:
    title = fig.layout.title.text if fig is not None else None
    return title or ""


def image_maker(published: PublishedFigure, *, name: str, title: str, nothing: str, outcomes: dict[Hashable, str],
                memo: Hashable) -> Callable[[], bytes]:
    """What the button calls on a click, outside the page's run (so no Streamlit call in it).

    Nothing to draw at the published threshold gives an image that says so;
    the outcome (nothing, or the reason of a failure) is remembered in
    ``outcomes[memo]`` for the next runs of the page.
    """

    def image() -> bytes:
        try:
            fig = published()
            if fig is None:
                outcomes[memo] = NOTHING
                return png_bytes(message_figure(title, nothing))
            outcomes.pop(memo, None)
            return png_bytes(fig)
        except ExportError as error:
            outcomes[memo] = error.reason
            _log.warning("PNG export of %s failed (%s): %s", name, error.reason, error)
            raise RuntimeError(f"PNG export failed ({error.reason})") from None
        except Exception:
            outcomes[memo] = "failed"
            _log.exception("PNG export of %s failed", name)
            raise

    return image


def button_state(problem: ExportError | None, outcome: str | None, lang: str, k: int) -> tuple[str, str, bool, str | None]:
    """(label, help, disabled, caption) of the PNG button, from what is known before any click."""
    if problem is not None:
        return t("chart.png_unavailable", lang), reason_text(problem.reason, lang), True, None
    if outcome == NOTHING:
        return t("chart.png_nothing_label", lang), t("chart.png_nothing", lang, k=k), True, None
    caption = reason_text(outcome, lang) if outcome is not None else None  # the last click failed: say so, allow a retry
    return t("chart.png", lang), t("chart.png_help", lang, k=k), False, caption


def png_button(ctx: PageContext, *, key: str, name: str, published: PublishedFigure, title: str) -> None:
    """A small "PNG" download button (right-aligned) whose image is the published version of the chart.

    ``key`` is the chart's widget key, ``name`` its stable name (file name,
    memory of outcomes), ``title`` its title (for the "nothing to publish"
    image, which shows no figure).
    """
    lang, k = ctx.lang, ctx.published_k
    outcomes: dict[Hashable, str] = st.session_state.setdefault(OUTCOMES, {})
    if len(outcomes) > 256:  # one entry per chart and selection clicked: keep the session small
        outcomes.clear()
    memo = (name, ctx.filters, id(ctx.data), k)
    image = image_maker(published, name=name, title=title, nothing=t("chart.png_nothing", lang, k=k), outcomes=outcomes,
                        memo=memo)
    label, help_text, disabled, caption = button_state(export_status(), outcomes.get(memo), lang, k)
    with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small"):
        if caption:
            st.caption(caption)
        st.download_button(label, image, file_name=f"{file_stem(name, ctx.filters.start, ctx.filters.end)}.png",
                           mime="image/png", key=f"png_{key}", help=help_text, on_click="ignore", type="tertiary",
                           icon=":material/download:", disabled=disabled)


__all__ = ["OUTCOMES", "PublishedFigure", "button_state", "chart_title", "image_maker", "png_button", "reason_text"]
