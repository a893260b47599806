// Live dashboard. Pick a window definition, a metric and a device (lists from /api/windows and /api/series); the
// chart loads that series' history from /api/aggregates and then follows it over /api/stream (Server-Sent Events of
// window results, filtered server-side by device, metric and window), drawing the mean as a line inside a min/max
// band (uPlot). Beside it: the top devices for the metric, the dead letters and the pipeline's health from
// /api/status (journal figures only when the status has them). Everything the page keeps is bounded.
(() => {
  'use strict';
  const MAX_POINTS = 2000;          // results kept for the charted series (6 h of 10 s windows is 2,160)
  const TOP_N = 10, DEAD_ROWS = 12, SERIES_LIST_LIMIT = 20000;
  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]; // x-axis tick steps, s
  const MEAN_COLOUR = '#4fc3f7', EDGE_COLOUR = 'rgba(79,195,247,0.45)', BAND_FILL = 'rgba(79,195,247,0.16)';
  const $ = id => document.getElementById(id);
  const fmt = v => typeof v === 'number' && isFinite(v) ? (Math.abs(v) >= 1e5 ? v.toExponential(3) : Number(v.toPrecision(5)).toString()) : '–';
  const time = iso => new Date(iso).toLocaleTimeString();
  const clock = seconds => new Date(seconds * 1000).toLocaleTimeString();

  const selection = { window: null, metric: null, device: null };
  const points = new Map();         // windowStart (ms) -> result, for the charted series only
  let seriesList = [];              // [{deviceId, metric, window, results, newestWindowEnd}]
  let stream = null, chart = null, drawPending = false, generation = 0;
  const drawn = {};                 // what uPlot drew last, per series label: {points, path}

  // ---- selection -------------------------------------------------------------------------------------------

  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    for (const k of ['window', 'metric', 'device']) if (p.get(k)) selection[k] = p.get(k);
  }

  function writeHash() {
    const p = new URLSearchParams();
    for (const k of ['window', 'metric', 'device']) if (selection[k]) p.set(k, selection[k]);
    history.replaceState(null, '', '#' + p.toString());
  }

  function fill(select, values, chosen, label = v => v) {
    const current = [...select.options].map(o => o.value);
    if (current.length !== values.length || current.some((v, i) => v !== values[i])) {
      select.textContent = '';
      for (const v of values) {
        const o = document.createElement('option'); o.value = v; o.textContent = label(v); select.appendChild(o);
      }
    }
    const value = values.includes(chosen) ? chosen : (values[0] ?? null);
    if (value !== null) select.value = value;
    return value;
  }

  async function loadWindows() {
    const windows = await getJson('api/windows');
    const names = windows.map(w => w.name);
    const describe = name => {
      const w = windows.find(x => x.name === name);
      if (w.kind === 'Hopping') return `${name} (hopping ${w.sizeSeconds} s by ${w.slideSeconds} s)`;
      if (w.kind === 'Session') return `${name} (session, gap ${w.gapSeconds} s)`;
      return `${name} (${w.kind.toLowerCase()} ${w.sizeSeconds} s)`;
    };
    selection.window = fill($('window'), names, selection.window, describe);
  }

  // Refreshes the metric and device pickers; follows the new series (and answers true) when the choice changed.
  async function loadSeries() {
    if (!selection.window) return false;
    seriesList = await getJson(`api/series?window=${encodeURIComponent(selection.window)}&limit=${SERIES_LIST_LIMIT}`);
    const metrics = [...new Set(seriesList.map(s => s.metric))].sort();
    const metric = fill($('metric'), metrics, selection.metric);
    const devices = [...new Set(seriesList.filter(s => s.metric === metric).map(s => s.deviceId))].sort();
    const device = fill($('device'), devices, selection.device);
    $('selection-info').textContent = `${seriesList.length} series in this window, ${devices.length} devices report ${metric ?? '…'}`;
    if (metric !== selection.metric || device !== selection.device) {
      selection.metric = metric; selection.device = device;
      await follow();
      return true;
    }
    return false;
  }

  // ---- the charted series: history, then live ----------------------------------------------------------------

  function put(r) {
    if (r.deviceId !== selection.device || r.metric !== selection.metric || r.window !== selection.window) return;
    points.set(Date.parse(r.windowStart), r);   // a re-emitted window (late update, final after early) replaces its point
    if (points.size > MAX_POINTS) {
      const oldest = Math.min(...points.keys()); points.delete(oldest);
    }
    scheduleDraw();
  }

  async function follow() {
    const mine = ++generation;
    if (stream) { stream.close(); stream = null; }
    points.clear();
    scheduleDraw();
    writeHash();
    if (!selection.device || !selection.metric || !selection.window) return;
    const q = `device=${encodeURIComponent(selection.device)}&metric=${encodeURIComponent(selection.metric)}&window=${encodeURIComponent(selection.window)}`;
    // Subscribe first, then load history: a result that arrives meanwhile is in one or both, and both put() it.
    stream = new EventSource('api/stream?' + q);
    stream.addEventListener('open', () => setConnection('live', 'badge live'));
    stream.addEventListener('error', () => setConnection('reconnecting…', 'badge'));
    stream.addEventListener('window', e => { if (mine === generation) put(JSON.parse(e.data)); });
    const from = new Date(Date.now() - Number($('range').value) * 1000).toISOString();
    try {
      const history = await getJson(`api/aggregates?${q}&from=${encodeURIComponent(from)}`);
      if (mine === generation) history.forEach(put);
    } catch (e) { console.warn('history', e); }
  }

  function setConnection(text, cls) { $('connection').textContent = text; $('connection').className = cls; }

  // ---- chart -------------------------------------------------------------------------------------------------

  function chartData() {
    const rows = [...points.values()].sort((a, b) => Date.parse(a.windowEnd) - Date.parse(b.windowEnd));
    return [rows.map(r => Date.parse(r.windowEnd) / 1000), rows.map(r => r.mean), rows.map(r => r.min), rows.map(r => r.max)];
  }

  function recordDrawn(u, i) {
    const s = u.series[i], data = u.data[i];
    let count = 0;
    if (s.idxs) for (let k = s.idxs[0]; k <= s.idxs[1]; k++) if (data[k] != null) count++;
    drawn[s.label] = { points: count, path: !!(s._paths && s._paths.stroke) };
  }

  function createChart() {
    const box = $('chart');
    const axis = { stroke: '#8899aa', grid: { stroke: '#223040', width: 1 }, ticks: { stroke: '#223040' } };
    chart = new uPlot({
      width: Math.max(320, box.clientWidth), height: 360,
      padding: [12, 40, 0, 8],
      scales: { x: { time: true } },
      series: [
        { label: 'window end', value: (u, v) => v == null ? '–' : clock(v) },
        { label: 'mean', stroke: MEAN_COLOUR, width: 2, points: { show: true, size: 5 }, value: (u, v) => fmt(v) },
        { label: 'min', stroke: EDGE_COLOUR, width: 1, dash: [4, 4], points: { show: false }, value: (u, v) => fmt(v) },
        { label: 'max', stroke: EDGE_COLOUR, width: 1, dash: [4, 4], points: { show: false }, value: (u, v) => fmt(v) },
      ],
      bands: [{ series: [3, 2], fill: BAND_FILL }],
      axes: [{ ...axis, space: 90, incrs: TIME_STEPS, values: (u, splits) => splits.map(clock) }, { ...axis, size: 60 }],
      hooks: { drawSeries: [recordDrawn] },
    }, chartData(), box);
    window.addEventListener('resize', () => chart.setSize({ width: Math.max(320, box.clientWidth), height: 360 }));
  }

  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      const data = chartData();
      chart.setData(data);
      // Away from the cursor the legend shows the newest window's figures.
      if (data[0].length > 0 && !(chart.cursor.left >= 0)) chart.setLegend({ idx: data[0].length - 1 });
      $('chart-empty').textContent = data[0].length === 0
        ? (selection.device ? `waiting for window results of ${selection.device} / ${selection.metric}…` : 'waiting for the first window results…')
        : `${selection.device} · ${selection.metric} · ${selection.window}: ${data[0].length} windows, mean line inside the min/max band`;
    });
  }

  // ---- panels ------------------------------------------------------------------------------------------------

  function rows(tbody, items, cells, onClick) {
    tbody.textContent = '';
    for (const item of items) {
      const tr = tbody.insertRow();
      for (const v of cells(item)) tr.insertCell().textContent = v;
      if (onClick) { tr.className = 'clickable'; tr.addEventListener('click', () => onClick(item)); }
    }
  }

  async function pollTop() {
    if (!selection.metric || !selection.window) return;
    const top = await getJson(`api/top?metric=${encodeURIComponent(selection.metric)}&window=${encodeURIComponent(selection.window)}&stat=mean&n=${TOP_N}`);
    $('top-title').textContent = `${TOP_N} by mean ${selection.metric}, latest ${selection.window} window`;
    rows($('top').tBodies[0], top.map((e, i) => ({ ...e, rank: i + 1 })), e => [e.rank, e.deviceId, fmt(e.value), time(e.windowEnd)],
      e => { selection.device = e.deviceId; $('device').value = e.deviceId; follow(); });
  }

  async function pollDeadLetters() {
    const d = await getJson(`api/deadletters?limit=${DEAD_ROWS}`);
    $('dead-total').textContent = `${d.total} since start`;
    const reasons = $('dead-reasons'); reasons.textContent = '';
    for (const [reason, count] of Object.entries(d.byReason).sort((a, b) => b[1] - a[1])) {
      const li = document.createElement('li'); li.textContent = `${reason} ${count}`; reasons.appendChild(li);
    }
    rows($('dead-recent').tBodies[0], d.recent, x => [time(x.receivedAt), x.reason, x.source, x.detail]);
  }

  async function pollStatus() {
    const s = await getJson('api/status');
    $('s-rate').textContent = Math.round(s.receivedPerSecond ?? 0);
    $('s-received').textContent = s.received ?? '–';
    $('s-inflight').textContent = s.inFlight ?? '–';
    $('s-lag').textContent = typeof s.resultLagSeconds === 'number' ? s.resultLagSeconds.toFixed(1) + ' s' : '–';
    $('s-windows').textContent = s.windowResults ?? '–';
    $('s-late').textContent = s.lateReadings ?? '–';
    $('s-duplicates').textContent = s.duplicates ?? '–';
    $('s-dead').textContent = s.deadLetters ?? '–';
    $('s-series').textContent = s.series ?? '–';
    $('s-evicted').textContent = s.seriesEvicted ?? '–';
    rows($('sources').tBodies[0], s.sources ?? [], x => [x.name, x.messages, x.readings, x.rejected, x.inFlight ?? '–', x.kafkaLag ?? '–']);
    showJournal(s);
  }

  // The durable journal (ReactiveIngest:Journal) is optional: /api/status lists one entry per source journal under
  // "journals" (empty or absent with the journal off), and the panel is hidden without any.
  function showJournal(s) {
    const journals = Array.isArray(s.journals) ? s.journals : [];
    const box = $('journal');
    box.hidden = journals.length === 0;
    box.textContent = '';
    const mib = b => (b / 1048576).toFixed(1) + ' MiB';
    for (const j of journals) {
      const figures = [
        ['journal ' + j.source, `${mib(j.bytesUsed)} of ${mib(j.diskBudget)}${j.budgetFull ? ' (full: input paused)' : ''}`],
        ['entries waiting for sinks', fmt(j.entriesPending) + (j.entriesUnread ? `, ${fmt(j.entriesUnread)} unread` : '')],
        ['appended / released', `${fmt(j.appended)} / ${fmt(j.released)}`],
        ['last commit', `${(j.lastCommitLatencyMs ?? 0).toFixed(1)} ms`],
      ];
      if (j.damaged) figures.push(['damage found at start', fmt(j.damaged)]);
      for (const [k, v] of figures) {
        const div = document.createElement('div'), dt = document.createElement('dt'), dd = document.createElement('dd');
        dt.textContent = k; dd.textContent = v;
        div.append(dt, dd); box.appendChild(div);
      }
    }
  }

  async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  const every = (ms, f) => { const run = () => f().catch(e => console.warn(e)); run(); return setInterval(run, ms); };

  // ---- start -------------------------------------------------------------------------------------------------

  async function start() {
    readHash();
    createChart();
    await loadWindows();
    $('window').addEventListener('change', async () => { selection.window = $('window').value; if (!(await loadSeries())) await follow(); });
    $('metric').addEventListener('change', async () => { selection.metric = $('metric').value; if (!(await loadSeries())) await follow(); });
    $('device').addEventListener('change', () => { selection.device = $('device').value; follow(); });
    $('range').addEventListener('change', follow);
    every(5000, loadSeries);
    every(2000, pollTop);
    every(3000, pollDeadLetters);
    every(1000, pollStatus);
  }

  window.reactiveIngestDashboard = { get chart() { return chart; }, selection, drawn, follow };
  start().catch(e => { console.error(e); setConnection('error: ' + e.message, 'badge error'); });
})();
