"""Charts as PNG files, drawn on the server by Kaleido in a headless Chromium.

Anything that leaves the app is the published version, so a chart's image is
drawn here from the figure built on the published figures, never taken from
the browser's copy of the screen one (Plotly's camera icon).

One Chromium is started on the first export and kept for the next ones: the
first export pays the start (3 to 11 s depending on the machine's load), the
next ones take 0.2 to 0.4 s. Kaleido's own persistent server
(``kaleido.start_sync_server`` behind ``plotly.io.to_image``) is not used: its
callers share one result queue, so two sessions exporting at the same time may
receive each other's image or wait forever (plotly/Kaleido#444, #441). Here
one event loop in a daemon thread owns the browser and every caller waits on
its own future, with a timeout. A browser that fails is closed and started
again on the next export; one that cannot start is not retried for
``RETRY_AFTER`` seconds (``status`` says why, so that the page can say it).

MathJax is disabled (no title uses LaTeX) so that the browser loads nothing
from the network; plotly.js is the copy bundled with plotly.py.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import importlib.util
import logging
import os
import textwrap
import threading
import time
from typing import Any, Literal

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.theme import TEMPLATE_NAME

WIDTH = 700
"""Layout pixels: printed 16 cm wide (the text width of an A4 page), the 13 px font reads about 8.5 pt."""
SCALE = 2
"""1 400 pixels wide, about 220 dpi at 16 cm."""
DEFAULT_HEIGHT = 450
"""For a figure that sets no height (Plotly's default)."""
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0
"""Seconds one image may take once the browser's tab is free (then Kaleido gives up)."""
QUEUE_TIMEOUT = 300.0
"""Seconds a caller waits in all, queue included (several sessions may export at once, one tab draws)."""
RETRY_AFTER = 60.0
"""Seconds during which a browser that could not start is not started again."""

Reason = Literal["no_kaleido", "no_browser", "start_failed", "failed"]
_log = logging.getLogger(__name__)


class ExportError(RuntimeError):
    """No PNG: ``reason`` says why in a word (the interface says it in the reader's language), the message in detail."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason: Reason = reason


def browser_path() -> str | None:
    """The Chromium Kaleido would start (``BROWSER_PATH``, else the usual names and places), or None."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    try:
        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001  (best effort: a lookup that fails means no browser)
        return None
    return str(path) if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


LOOKUP_KEPT = 30.0
"""Seconds the answer to "is there a kaleido and a Chromium here" is kept."""


class _Exporter:
    """One Kaleido (one Chromium, one tab) on an event loop of its own, shared by every session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None
        self._failed: tuple[float, ExportError] | None = None
        self._looked: tuple[tuple[str, str], float, ExportError | None] | None = None

    def status(self) -> ExportError | None:
        """Why an export would fail now, from what is known without starting anything (None: it should work)."""
        if self._failed is not None and time.monotonic() - self._failed[0] < RETRY_AFTER:
            return self._failed[1]
        if self._kaleido is not None:
            return None
        # Every chart of every run asks: the search along PATH is remembered for a while (and forgotten when the
        # environment that steers it changes), so that a Chromium installed meanwhile is found without a restart.
        where = (os.environ.get("BROWSER_PATH", ""), os.environ.get("PATH", ""))
        looked = self._looked
        if looked is not None and looked[0] == where and time.monotonic() - looked[1] < LOOKUP_KEPT:
            return looked[2]
        found: ExportError | None = None
        if importlib.util.find_spec("kaleido") is None:
            found = ExportError("no_kaleido", "kaleido is not installed")
        elif browser_path() is None:
            found = ExportError("no_browser", "no Chromium found (set BROWSER_PATH)")
        self._looked = (where, time.monotonic(), found)
        return found

    def png(self, fig: go.Figure | dict, width: int, height: int, scale: float, fmt: str = "png") -> bytes:
        kaleido, loop = self._started()
        from kaleido.errors import JavascriptError, KaleidoError  # importable: the browser started

        spec = fig.to_dict() if isinstance(fig, go.Figure) else fig
        future = asyncio.run_coroutine_threadsafe(
            kaleido.calc_fig(spec, opts={"format": fmt, "width": width, "height": height, "scale": scale}), loop
        )
        try:  # Kaleido times each render out itself; this only guards against a loop that no longer answers
            return bytes(future.result(QUEUE_TIMEOUT))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExportError("failed", f"no image after {QUEUE_TIMEOUT:.0f} s") from None
        except (KaleidoError, JavascriptError) as error:  # plotly.js refused this figure: the browser is fine
            raise ExportError("failed", f"{type(error).__name__}: {error}") from error
        except Exception as error:  # a crashed or stuck browser: start afresh on the next export
            self._close(kaleido)
            raise ExportError("failed", f"{type(error).__name__}: {error}") from error

    def _started(self) -> tuple[Any, asyncio.AbstractEventLoop]:
        with self._lock:
            if self._kaleido is not None and self._loop is not None:
                return self._kaleido, self._loop
            problem = self.status()
            if problem is not None:
                raise problem
            loop = self._event_loop()
            future = asyncio.run_coroutine_threadsafe(self._open(), loop)
            try:
                self._kaleido = future.result(START_TIMEOUT)
            except Exception as error:
                future.cancel()
                failure = ExportError("start_failed", f"Chromium did not start: {type(error).__name__}: {error}")
                self._failed = (time.monotonic(), failure)
                raise failure from error
            self._failed = None
            return self._kaleido, loop

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="parcours-png", daemon=True).start()
            self._loop = loop
            atexit.register(self.close)
        return self._loop

    async def _open(self) -> Any:
        from kaleido import Kaleido

        browser = Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False)
        try:
            await browser.open()
        except BaseException:
            await _quietly(browser.close())
            raise
        return browser

    def _close(self, kaleido: Any) -> None:
        """Close this browser if it is still the current one (another caller may have replaced it already)."""
        with self._lock:
            if self._kaleido is not kaleido or self._loop is None:
                return
            self._kaleido = None
            loop = self._loop
        try:
            asyncio.run_coroutine_threadsafe(_quietly(kaleido.close()), loop).result(10)
        except Exception:  # noqa: BLE001  (closing is best effort; the process goes with the app)
            _log.warning("could not close the PNG export browser", exc_info=True)

    def close(self) -> None:
        """Close the browser (at exit; the next export starts a new one)."""
        if self._kaleido is not None:
            self._close(self._kaleido)


async def _quietly(closing: Any) -> None:
    try:
        await closing
    except Exception:  # noqa: BLE001
        _log.debug("error while closing the PNG export browser", exc_info=True)


_EXPORTER = _Exporter()


def export_status() -> ExportError | None:
    """Why a PNG cannot be made now (no kaleido, no Chromium, a start that just failed), or None."""
    return _EXPORTER.status()


def message_figure(title: str, message: str) -> go.Figure:
    """A chart with nothing drawn but its title and a sentence (e.g. nothing to publish), in the project's template."""
    return go.Figure(layout={
        "template": pio.templates[TEMPLATE_NAME],
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 260,
        "annotations": [{"text": "<br>".join(textwrap.wrap(message, 64)), "showarrow": False, "xref": "paper",
                         "yref": "paper", "x": 0.5, "y": 0.5, "font": {"size": 14}}],
    })


def png_bytes(fig: go.Figure, *, width: int = WIDTH, scale: float = SCALE) -> bytes:
    """``fig`` as a PNG image ``width`` × its own height (layout pixels), times ``scale``.

    The builders have already applied the project's template. Raises
    ``ExportError`` when Kaleido or Chromium fails (the first call starts the
    browser).
    """
    height = fig.layout.height or DEFAULT_HEIGHT
    started = time.perf_counter()
    image = _EXPORTER.png(fig, width, int(height), scale)
    _log.info("PNG export: %d bytes in %.2f s", len(image), time.perf_counter() - started)
    return image


def svg_bytes(fig: go.Figure, *, width: int = WIDTH) -> bytes:
    """``fig`` as an SVG image (vector: the board report embeds it), by the same persistent browser as ``png_bytes``."""
    height = fig.layout.height or DEFAULT_HEIGHT
    return _EXPORTER.png(fig, width, int(height), 1, fmt="svg")


__all__ = ["DEFAULT_HEIGHT", "SCALE", "WIDTH", "ExportError", "browser_path", "export_status", "message_figure", "png_bytes",
           "svg_bytes"]
