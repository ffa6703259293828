// ApexCharts instances of this browser page, by component id. Each is removed when its component is disposed.
const charts = new Map();

export async function create(id, element, optionsJson) {
  destroy(id);
  const chart = new window.ApexCharts(element, prepare(JSON.parse(optionsJson)));
  charts.set(id, chart);
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
  charts.get(id)?.updateOptions(prepare(JSON.parse(optionsJson)), true, false);
}

export function destroy(id) {
  const chart = charts.get(id);
  if (chart) {
    charts.delete(id);
    chart.destroy();
  }
}

// Formatters are functions, which JSON cannot carry: the server describes them under `monitor`.
function prepare(options) {
  const monitor = options.monitor ?? {};
  delete options.monitor;
  const locale = document.documentElement.lang || undefined;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: monitor.decimals ?? 1 });
  const unit = monitor.unit ? (monitor.unit === '%' ? '%' : ` ${monitor.unit}`) : '';

  if (monitor.kind === 'line') {
    options.tooltip ??= {};
    options.tooltip.y = { formatter: value => (value == null ? '' : number.format(value) + unit) };
    for (const axis of [].concat(options.yaxis ?? [])) {
      axis.labels ??= {};
      axis.labels.formatter = value => (value == null ? '' : number.format(value));
    }
  }

  if (monitor.kind === 'timeline') {
    const dateTime = new Intl.DateTimeFormat(locale, {
      day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC'
    });
    const utc = text => (monitor.utc ?? '{0}').replace('{0}', text);
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

function escape(text) {
  return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
