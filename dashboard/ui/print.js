// Printing a page: each Plotly chart is scaled to the printed width (A4 portrait, 12 mm margins).
// Plotly draws at the width the chart had on screen, and the browser does not redraw it for the page, so a wide
// chart would be cut on the right and a narrow one would print small. Just before printing, each chart is zoomed
// to the page width (never more than 1.4 times), and back after. Added once per browser tab (context.py).
(() => {
  if (window.__parcoursPrint) return;
  window.__parcoursPrint = true;
  const PRINT_WIDTH = 700; // CSS pixels: 210 mm - 2 x 12 mm, a little less for borders
  const MAX_ZOOM = 1.4;
  let zoomed = [];
  const fit = () => {
    zoomed = [];
    document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart) => {
      const drawing = chart.querySelector(".svg-container") || chart;
      const width = drawing.getBoundingClientRect().width;
      if (!width) return;
      chart.style.zoom = String(Math.min(MAX_ZOOM, PRINT_WIDTH / width));
      zoomed.push(chart);
    });
  };
  const restore = () => {
    zoomed.forEach((chart) => { chart.style.zoom = ""; });
    zoomed = [];
  };
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", restore);
})();
