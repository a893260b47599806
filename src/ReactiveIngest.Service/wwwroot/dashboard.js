// Live dashboard: subscribes to /api/stream (Server-Sent Events of window results) and charts the chosen
// statistic per device over window end time. Everything it keeps is bounded.
(() => {
  'use strict';
  const MAX_SERIES = 8, MAX_POINTS = 120, MAX_ROWS = 20;
  const colours = ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8', '#fff176', '#4db6ac', '#f06292'];
  const series = new Map();          // key "device|metric" -> [{t, r}] sorted by t
  const metrics = new Set();
  const latest = [];
  let results = 0;
  const $ = id => document.getElementById(id);
  const canvas = $('chart'), ctx = canvas.getContext('2d');

  function addResult(r) {
    results++;
    $('s-results').textContent = results;
    if (!metrics.has(r.metric)) {
      metrics.add(r.metric);
      const opt = document.createElement('option'); opt.value = opt.textContent = r.metric; $('metric').appendChild(opt);
    }
    const key = r.deviceId + '|' + r.metric;
    let points = series.get(key);
    if (!points) {
      if (series.size >= MAX_SERIES * 16) { series.delete(series.keys().next().value); }
      points = []; series.set(key, points);
    }
    const t = Date.parse(r.windowEnd);
    const i = points.findIndex(p => p.t === t);      // a re-emitted (late-updated) window replaces its point
    if (i >= 0) { points[i] = { t, r }; } else { points.push({ t, r }); points.sort((a, b) => a.t - b.t); }
    if (points.length > MAX_POINTS) { points.shift(); }
    latest.unshift(r); if (latest.length > MAX_ROWS) { latest.pop(); }
  }

  function draw() {
    const metric = $('metric').value, stat = $('stat').value;
    const chosen = [...series.entries()].filter(([k]) => k.endsWith('|' + metric))
      .sort((a, b) => b[1][b[1].length - 1].t - a[1][a[1].length - 1].t).slice(0, MAX_SERIES);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    let tMin = Infinity, tMax = -Infinity, vMin = Infinity, vMax = -Infinity, drawn = 0;
    for (const [, pts] of chosen) for (const p of pts) {
      const v = p.r[stat]; if (typeof v !== 'number') continue;
      tMin = Math.min(tMin, p.t); tMax = Math.max(tMax, p.t); vMin = Math.min(vMin, v); vMax = Math.max(vMax, v);
    }
    const legend = $('legend'); legend.textContent = '';
    if (!isFinite(tMin)) { canvas.dataset.points = '0'; return; }
    if (tMax === tMin) tMax = tMin + 1; if (vMax === vMin) { vMax += 1; vMin -= 1; }
    const L = 60, R = 10, T = 10, B = 30, W = canvas.width - L - R, H = canvas.height - T - B;
    const x = t => L + (t - tMin) / (tMax - tMin) * W, y = v => T + H - (v - vMin) / (vMax - vMin) * H;
    ctx.strokeStyle = '#334'; ctx.fillStyle = '#8899aa'; ctx.font = '11px sans-serif';
    for (let k = 0; k <= 4; k++) {
      const v = vMin + (vMax - vMin) * k / 4; ctx.beginPath(); ctx.moveTo(L, y(v)); ctx.lineTo(L + W, y(v)); ctx.stroke();
      ctx.fillText(v.toPrecision(4), 4, y(v) + 4);
    }
    ctx.fillText(new Date(tMin).toLocaleTimeString(), L, canvas.height - 8);
    ctx.fillText(new Date(tMax).toLocaleTimeString(), L + W - 60, canvas.height - 8);
    chosen.forEach(([key, pts], i) => {
      ctx.strokeStyle = colours[i % colours.length]; ctx.lineWidth = 2; ctx.beginPath();
      let first = true;
      for (const p of pts) {
        const v = p.r[stat]; if (typeof v !== 'number') continue;
        if (first) { ctx.moveTo(x(p.t), y(v)); first = false; } else { ctx.lineTo(x(p.t), y(v)); }
        drawn++;
      }
      ctx.stroke();
      ctx.fillStyle = colours[i % colours.length];   // a dot per point, so a series with one point is visible too
      for (const p of pts) {
        const v = p.r[stat]; if (typeof v !== 'number') continue;
        ctx.beginPath(); ctx.arc(x(p.t), y(v), 2.5, 0, 2 * Math.PI); ctx.fill();
      }
      const item = document.createElement('span'); item.style.color = colours[i % colours.length];
      item.textContent = key.split('|')[0]; legend.appendChild(item);
    });
    canvas.dataset.points = String(drawn);
  }

  function renderTable() {
    const body = $('latest').tBodies[0]; body.textContent = '';
    const fmt = v => typeof v === 'number' ? v.toPrecision(5) : '–';
    for (const r of latest) {
      const tr = body.insertRow();
      for (const v of [r.deviceId, r.metric, new Date(r.windowEnd).toLocaleTimeString(), r.count, fmt(r.mean), fmt(r.min), fmt(r.max), fmt(r.p95)]) {
        tr.insertCell().textContent = v;
      }
    }
  }

  async function pollStatus() {
    try {
      const s = await (await fetch('api/status')).json();
      $('s-rate').textContent = Math.round(s.receivedPerSecond ?? 0);
      $('s-inflight').textContent = s.inFlight ?? '–';
      $('s-windows').textContent = s.windowResults ?? '–';
      $('s-late').textContent = s.lateReadings ?? '–';
      $('s-dead').textContent = s.deadLetters ?? '–';
    } catch { /* the next poll retries */ }
  }

  const source = new EventSource('api/stream');
  source.addEventListener('open', () => { $('connection').textContent = 'live'; $('connection').className = 'badge live'; });
  source.addEventListener('error', () => { $('connection').textContent = 'reconnecting…'; $('connection').className = 'badge'; });
  source.addEventListener('window', e => addResult(JSON.parse(e.data)));
  $('metric').addEventListener('change', draw); $('stat').addEventListener('change', draw);
  setInterval(() => { draw(); renderTable(); }, 500);
  setInterval(pollStatus, 1000); pollStatus();
})();
