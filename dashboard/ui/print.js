// Printing a page: each Plotly chart is scaled to the printed width (A4 portrait, 12 mm margins).
// Plotly draws at the width the chart had on screen and the browser does not redraw it for the page, so a wide
// chart would be cut on the right. Just before printing, each chart is zoomed so that its drawing takes the page
// width (never more than 1.4 times its size), its box kept to the drawing's height; a table wider than the page
// is narrowed the same way; after printing, all are put back. Zoom (not a transform) keeps a chart whole if Plotly
// redraws it during printing: its width is then read in the zoomed box. Added once per browser tab (context.py).
(() => {
  if (window.__parcoursPrint) return;
  window.__parcoursPrint = true;
  const PRINT_WIDTH = 700; // CSS pixels: 210 mm - 2 x 12 mm, a little less for borders
  const MAX_ZOOM = 1.4;
  let zoomed = [];
  const fit = () => {
    zoomed = [];
    document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart) => {
      const drawing = chart.querySelector(".svg-container");
      if (!drawing) return;
      const box = drawing.getBoundingClientRect();
      if (!box.width) return;
      chart.style.height = `${Math.ceil(box.height)}px`; // in the zoomed box: the drawing's height, scaled
      chart.style.overflow = "hidden";
      chart.style.zoom = String(Math.min(MAX_ZOOM, PRINT_WIDTH / box.width));
      zoomed.push(chart);
    });
    // Tables (a canvas grid drawn at the screen's width): narrowed to the page when wider, never enlarged.
    document.querySelectorAll('[data-testid="stDataFrame"]').forEach((table) => {
      const width = table.getBoundingClientRect().width;
      if (width <= PRINT_WIDTH) return;
      table.style.zoom = String(PRINT_WIDTH / width);
      zoomed.push(table);
    });
  };
  const restore = () => {
    zoomed.forEach((element) => {
      element.style.zoom = "";
      element.style.height = "";
      element.style.overflow = "";
    });
    zoomed = [];
  };
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", restore);
})();
