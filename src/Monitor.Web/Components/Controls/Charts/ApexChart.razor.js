// ApexCharts instances of this browser page, by component id. Each is removed when its component is disposed.
const charts = new Map();
// The .NET component to tell of a clicked point, by chart id, for charts whose points can be picked.
const pickers = new Map();
// Where the pointer last was over each chart, for the tooltip (ApexCharts does not pass it on).
const pointers = new Map();

export async function create(id, element, optionsJson, picker) {
  destroy(id);
  if (picker) pickers.set(id, picker);
  const chart = new window.ApexCharts(element, prepare(JSON.parse(optionsJson), id));
  charts.set(id, chart);
  // Capture phase: recorded before ApexCharts' own handlers below draw the tooltip for the same move.
  const follow = event => pointers.set(id, { clientX: event.clientX, clientY: event.clientY });
  element.addEventListener('pointermove', follow, { capture: true });
  element.addEventListener('pointerdown', follow, { capture: true });
  await chart.render();
  // Browser tests wait for this rather than for a fixed time.
  if (charts.get(id) === chart) {
    element.parentElement?.setAttribute('data-chart-ready', 'true');
  }
}

export function updateSeries(id, seriesJson) {
  charts.get(id)?.updateSeries(JSON.parse(seriesJson), false);
}

export function updateOptions(id, optionsJson) {
  charts.get(id)?.updateOptions(prepare(JSON.parse(optionsJson), id), true, false);
}

export function destroy(id) {
  pickers.delete(id);
  pointers.delete(id);
  const chart = charts.get(id);
  if (chart) {
    charts.delete(id);
    chart.destroy();
  }
}

// Formatters are functions, which JSON cannot carry: the server describes them under `monitor`.
function prepare(options, id) {
  const monitor = options.monitor ?? {};
  delete options.monitor;
  const locale = document.documentElement.lang || undefined;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: monitor.decimals ?? 1 });
  const unit = monitor.unit ? (monitor.unit === '%' ? '%' : ` ${monitor.unit}`) : '';

  if (pickers.has(id)) {
    options.chart ??= {};
    options.chart.events = {
      click: event => {
        const chart = charts.get(id);
        const point = chart && nearestPoint(chart, event);
        if (point) pickers.get(id)?.invokeMethodAsync('PointPicked', point.series, point.at);
      },
    };
  }

  const dateTime = new Intl.DateTimeFormat(locale, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC'
  });
  const utc = text => (monitor.utc ?? '{0}').replace('{0}', text);

  if (monitor.kind === 'line') {
    options.tooltip ??= {};
    // Worked out from the pointer: ApexCharts' shared tooltip expects every series to have the same times, and on
    // these charts (sites reporting at their own times, an axis running on to now) it can show the first point of the
    // range instead of the one under the pointer.
    options.tooltip.custom = ({ w }) => {
      const chart = charts.get(id);
      const pointer = pointers.get(id);
      const point = chart && pointer && nearestPoint(chart, pointer, { alongTime: true });
      if (!point) return '';
      const rows = w.globals.seriesX.map((xs, series) => ({ series, index: xs.indexOf(point.at) }))
        .filter(({ series, index }) => index >= 0 && w.globals.series[series]?.[index] != null && !w.globals.collapsedSeriesIndices?.includes(series))
        .map(({ series, index }) =>
          `<div class="monitor-chart-tooltip-row"><span class="monitor-chart-tooltip-marker" style="background:${escape(w.globals.colors[series])}"></span>` +
          `${escape(w.globals.seriesNames[series])}: <strong>${escape(number.format(w.globals.series[series][index]) + unit)}</strong></div>`);
      return `<div class="monitor-chart-tooltip"><strong>${escape(utc(dateTime.format(point.at)))}</strong>${rows.join('')}</div>`;
    };
    for (const axis of [].concat(options.yaxis ?? [])) {
      axis.labels ??= {};
      axis.labels.formatter = value => (value == null ? '' : number.format(value));
    }
  }

  if (monitor.kind === 'timeline') {
    options.tooltip ??= {};
    options.tooltip.custom = ({ seriesIndex, dataPointIndex, w }) => {
      const point = w.config.series[seriesIndex].data[dataPointIndex];
      const state = w.config.series[seriesIndex].name;
      const [from, to] = point.y;
      return `<div class="monitor-chart-tooltip"><strong>${escape(point.x)}</strong><br>${escape(state)}<br>` +
        `${escape(dateTime.format(from))} – ${escape(utc(dateTime.format(to)))}</div>`;
    };
  }
  return options;
}

// The point drawn nearest the pointer, in pixels, within the plot (a click on the legend or an axis picks nothing).
// Worked out from the pointer rather than from ApexCharts' hover index, which falls back to the first point of the range
// when the pointer is off the line (e.g. right of the newest reading). Used for picking and for the tooltip, which takes
// the point nearest in time (as a time series' tooltip does) and only then the nearest in value.
function nearestPoint(chart, event, { alongTime = false } = {}) {
  const plot = chart.el.querySelector('.apexcharts-grid')?.getBoundingClientRect();
  if (!plot || plot.width === 0 || plot.height === 0) return null;
  if (event.clientX < plot.left || event.clientX > plot.right || event.clientY < plot.top || event.clientY > plot.bottom) return null;
  const g = chart.w.globals;
  const spanX = (g.maxX - g.minX) || 1;
  const spanY = (g.maxY - g.minY) || 1;
  const pixelX = x => plot.left + (x - g.minX) / spanX * plot.width;
  const pixelY = y => plot.bottom - (y - g.minY) / spanY * plot.height;
  let best = null;
  g.seriesX.forEach((xs, series) => {
    if (g.collapsedSeriesIndices?.includes(series)) return;
    xs.forEach((x, index) => {
      const y = g.series[series]?.[index];
      if (x == null || y == null) return;
      const dx = Math.abs(pixelX(x) - event.clientX), dy = Math.abs(pixelY(y) - event.clientY);
      const distance = alongTime ? dx * plot.height * 4 + dy : Math.hypot(dx, dy);
      if (!best || distance < best.distance) best = { series, at: x, distance };
    });
  });
  return best;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
