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

from dashboard.charts.png import DEFAULT_HEIGHT, ExportError, export_status, message_figure, png_bytes
from dashboard.formatting import fmt_date
from dashboard.i18n import label_map, structure_names, t
from dashboard.safe_text import markup_escaped, short_label
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


LINE = 18
"""Layout pixels a subtitle line takes (``dashboard.charts.base.finish`` counts the same)."""
LEGEND_ROW = 24
LEGEND_PER_ROW = 2
"""Entries of a horizontal legend a row holds at the export width (700 layout pixels, long French labels)."""


def filters_said(ctx: PageContext) -> list[str]:
    """What the image must say about its selection, in the reader's language: the period and its granularity, each
    filter in force (or none), and that its figures are the published ones."""
    lang, filters, data = ctx.lang, ctx.filters, ctx.data
    lines = [t("chart.png_period", lang, start=fmt_date(filters.start, lang) if filters.start else "…",
               end=fmt_date(filters.end, lang) if filters.end else "…", by=t(f"filters.by.{filters.by}", lang).lower())]
    names = structure_names(data.structures)
    chosen = [names.get(s, s) for s in filters.structures]
    for field, code_list in (("programs", "DISPOSITIF"), ("sources", "SOURCE"), ("sexes", "SEXE"), ("age_bands", "AGE_BAND")):
        labels = label_map(code_list, lang, data.labels)
        chosen += [labels.get(code, code) for code in getattr(filters, field)]
    said = ", ".join(short_label(str(c)) for c in chosen)  # names from the data: shortened here, escaped when written
    lines.append(t("chart.png_filters", lang, filters=said) if chosen else t("chart.png_no_filter", lang))
    lines.append(t("chart.png_published", lang, k=ctx.published_k))
    return lines


def for_export(fig: go.Figure, lines: list[str]) -> go.Figure:
    """The chart as the image shows it: ``lines`` (period, filters) written first under the title, and the height
    grown by what they and a horizontal legend take, so that neither pushes the plot away or is clipped."""
    out = go.Figure(fig)
    subtitle = out.layout.title.subtitle.text or ""
    out.layout.title.subtitle.text = "<br>".join([*(markup_escaped(line) for line in lines), subtitle] if subtitle else lines)
    entries = sum(1 for trace in out.data if trace.showlegend is not False and trace.name)
    rows = -(-entries // LEGEND_PER_ROW) if out.layout.legend.orientation == "h" and out.layout.showlegend is not False else 0
    grown = LINE * len(lines) + LEGEND_ROW * rows
    out.update_layout(height=(out.layout.height or DEFAULT_HEIGHT) + grown,
                      margin_t=(out.layout.margin.t or 80) + LINE * len(lines))
    return out


def image_maker(published: PublishedFigure, *, name: str, title: str, nothing: str, outcomes: dict[Hashable, str],
                memo: Hashable, lines: tuple[str, ...] = ()) -> Callable[[], bytes]:
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
            return png_bytes(for_export(fig, list(lines)))
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
                        memo=memo, lines=tuple(filters_said(ctx)))
    label, help_text, disabled, caption = button_state(export_status(), outcomes.get(memo), lang, k)
    with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small"):
        if caption:
            st.caption(caption)
        st.download_button(label, image, file_name=f"{file_stem(name, ctx.filters.start, ctx.filters.end)}.png",
                           mime="image/png", key=f"png_{key}", help=help_text, on_click="ignore", type="tertiary",
                           icon=":material/download:", disabled=disabled)


__all__ = ["OUTCOMES", "PublishedFigure", "button_state", "chart_title", "filters_said", "for_export", "image_maker",
           "png_button", "reason_text"]
