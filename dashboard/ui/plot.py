"""Pages ask for a metric once and draw its charts with their published twin.

``shown(name, ctx)`` computes the screen figures of a metric (like
``figures(..., published=False)``) and remembers how it was asked (filters,
options), so that ``plot(build, source, *args)`` can draw
``build(source.screen, *args)`` and give ``show_chart`` the same chart built
from ``source.published()``: same metric, same filters, same options, same
arguments, only the threshold differs. The published figures are computed
only when the chart's PNG button is clicked.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go

from dashboard.disclosure import Protected, figures
from dashboard.filters import Filters
from dashboard.ui.context import PageContext
from dashboard.ui.show import show_chart

Builder = Callable[..., go.Figure | None]


@dataclass(frozen=True, eq=False)
class Source:
    """A metric as a page asked for it, with its figures on screen."""

    name: str
    ctx: PageContext
    filters: Filters
    options: tuple[tuple[str, Any], ...]
    screen: Protected

    def published(self) -> Protected:
        """The same figures at the published threshold (what may leave the app)."""
        return figures(self.name, self.ctx.data, self.filters, published=True, **dict(self.options))


def shown(name: str, ctx: PageContext, filters: Filters | None = None, **options: Any) -> Source:
    """Metric ``name`` on screen for ``filters`` (the page's by default) and ``options``."""
    chosen = ctx.filters if filters is None else filters
    screen = figures(name, ctx.data, chosen, published=False, **options)
    return Source(name=name, ctx=ctx, filters=chosen, options=tuple(sorted(options.items())), screen=screen)


def published_builder(build: Builder, source: Source, *args: Any) -> Callable[[], go.Figure | None]:
    """``build`` applied, when called, to the published figures of ``source`` with the same arguments."""
    return lambda: build(source.published(), *args)


# Charts already drawn: a rerun (any click) draws the same charts from the same figures (``figures`` answers
# with the same object), and building a Plotly figure costs more than the rest of a page run. Keyed by the
# builder, the figures object and the arguments (by value when plain, else by identity); an entry holds its
# builder, figures and arguments, so an identity in a key is never reused by another object while it lives.
_DRAWN: "OrderedDict[Hashable, tuple[Builder, object, tuple[Any, ...], go.Figure | None]]" = OrderedDict()
_DRAWN_SIZE = 256
_DRAWN_GUARD = threading.Lock()


def _argument_key(value: Any) -> Hashable:
    if value is None or isinstance(value, str | int | float | bool | date):
        return (type(value).__name__, value)
    if isinstance(value, tuple) and all(v is None or isinstance(v, str | int | float | bool | date) for v in value):
        return ("tuple", value)
    return ("id", id(value))


def drawn(build: Builder, screen: Protected, *args: Any) -> go.Figure | None:
    """``build(screen, *args)``, built once while the same figures and arguments are asked again.

    The figure is shared by every session that asks: callers must not change it (``for_export`` copies)."""
    # The builder by identity too: two closures (or lambdas) share a name but not what they draw.
    key = (id(build), id(screen), tuple(_argument_key(a) for a in args))
    with _DRAWN_GUARD:
        found = _DRAWN.get(key)
        if found is not None:
            _DRAWN.move_to_end(key)
            return found[3]
    fig = build(screen, *args)
    with _DRAWN_GUARD:
        _DRAWN[key] = (build, screen, args, fig)
        while len(_DRAWN) > _DRAWN_SIZE:
            _DRAWN.popitem(last=False)
    return fig


def plot(build: Builder, source: Source, *args: Any, key: str, n: int | None = None, on_select: Any = None,
         name: str | None = None) -> object:
    """``build(source.screen, *args)`` on screen, with its published version behind the PNG button."""
    return show_chart(drawn(build, source.screen, *args), source.ctx, key=key, n=n, on_select=on_select,
                      published=published_builder(build, source, *args), name=name)


__all__ = ["Builder", "Source", "drawn", "plot", "published_builder", "shown"]
