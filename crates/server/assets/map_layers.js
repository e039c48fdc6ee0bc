// The dynamic map (动态地图): grids coloured by a metric over a time window, cases as clusters
// (zoomed out) or points (zoomed in), a heat surface, whistles, service centres and party
// organisations. The server gathers and counts (/api/v1/map/…); this file only draws what it
// answers. The time slider picks one day or week of the range, or the whole range (its last
// position). Names are data, not markup: every label goes in as text.
(function () {
  var el = document.getElementById('map');
  if (!el || !el.dataset.cases) return;
  var en = el.dataset.lang === 'en';
  var tr = function (zh, e) { return en ? e : zh; };
  var $ = function (id) { return document.getElementById(id); };
  var SHADES = ['#fde0dd', '#fcbba1', '#fb6a4a', '#de2d26', '#a50f15'];
  var NO_FIGURE = '#bdbdbd';
  var DAY = 86400000;
  var map, heat, casesLayer, whistleLayer, centreLayer, partyLayer;
  var seq = { metrics: 0, cases: 0, heat: 0, whistles: 0 };
  var buckets = [];

  function day(s) { return Date.parse(s + 'T00:00:00Z'); }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }

  // The slider's positions: one per step from the range's start, then the whole range.
  function rebuildSlider() {
    var from = day($('map-from').value), to = day($('map-to').value);
    var step = parseInt($('map-step').value, 10) || 7;
    buckets = [];
    if (!isNaN(from) && !isNaN(to) && from <= to) {
      for (var t = from; t <= to && buckets.length < 400; t += step * DAY) {
        buckets.push({ from: iso(t), to: iso(Math.min(t + (step - 1) * DAY, to)) });
      }
    }
    var s = $('map-slider');
    s.max = String(buckets.length);
    s.value = String(buckets.length);
    label();
  }
  function current() {
    var v = parseInt($('map-slider').value, 10);
    if (v < buckets.length) return buckets[v];
    return { from: $('map-from').value, to: $('map-to').value, all: true };
  }
  function label() {
    var w = current();
    var text = (w.all ? tr('整个时段 ', 'Whole range ') : '') + w.from + ' – ' + w.to;
    $('map-slider-label').textContent = text;
    $('map-window').textContent = text;
  }
  function params(extra) {
    var w = current();
    var p = new URLSearchParams();
    if (w.from) p.set('from', w.from);
    if (w.to) p.set('to', w.to);
    if ($('map-state').value) p.set('state', $('map-state').value);
    if (el.dataset.area) p.set('area', el.dataset.area);
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p;
  }
  function get(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }
  function boxParams(extra) {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    extra.bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map(function (v) { return v.toFixed(6); }).join(',');
    extra.zoom = String(Math.floor(map.getZoom()));
    return params(extra);
  }

  // Grids coloured by the chosen metric, with the legend and the table of the same figures.
  function loadMetrics() {
    var grids = window.gzGridLayer;
    var metric = $('map-metric').value;
    var legend = $('map-legend');
    if (!grids) return;
    if (!metric) {
      grids.resetStyle();
      legend.textContent = '';
      fillTable([], '');
      return;
    }
    var n = ++seq.metrics;
    get('/api/v1/map/grid-metrics?' + params({ metric: metric })).then(function (a) {
      if (!a || n !== seq.metrics) return;
      var by = {};
      a.grids.forEach(function (g) { by[g.code] = g; });
      grids.setStyle(function (f) {
        var g = by[f.properties.code];
        var fill;
        if (g) fill = g.shade === null ? NO_FIGURE : SHADES[g.shade];
        else fill = metric === 'satisfaction' ? NO_FIGURE : SHADES[0];
        return { color: '#7a1d1f', weight: 1, fillColor: fill, fillOpacity: 0.6 };
      });
      drawLegend(a);
      fillTable(a.grids, metric);
      el.dataset.metricsDrawn = String(n);
    });
  }
  function swatch(colour) {
    var s = document.createElement('span');
    s.setAttribute('aria-hidden', 'true');
    s.className = 'gz-swatch';
    s.style.background = colour;
    return s;
  }
  function drawLegend(a) {
    var legend = $('map-legend');
    legend.textContent = '';
    var b = document.createElement('b');
    b.textContent = a.metric_name + '：';
    legend.appendChild(b);
    a.legend.forEach(function (c) {
      var item = document.createElement('span');
      item.className = 'gz-legend-item';
      item.appendChild(swatch(SHADES[c.shade]));
      item.appendChild(document.createTextNode(c.label));
      legend.appendChild(item);
    });
    var none = document.createElement('span');
    none.className = 'gz-legend-item';
    none.appendChild(swatch(NO_FIGURE));
    none.appendChild(document.createTextNode(tr('无数据', 'no figure')));
    legend.appendChild(none);
  }
  function fillTable(rows, metric) {
    var body = document.querySelector('#map-table tbody');
    if (!body) return;
    body.textContent = '';
    var sorted = rows.filter(function (g) { return g.value !== null; }).sort(function (x, y) {
      return metric === 'satisfaction' ? x.value - y.value : y.value - x.value;
    }).slice(0, 20);
    sorted.forEach(function (g) {
      var tr_ = document.createElement('tr');
      [g.name, g.cases, g.overdue, g.satisfaction_rate === null ? '—' : g.satisfaction_rate.toFixed(2) + '%'].forEach(function (v, i) {
        var td = document.createElement(i ? 'td' : 'th');
        if (!i) td.scope = 'row';
        td.textContent = String(v);
        tr_.appendChild(td);
      });
      body.appendChild(tr_);
    });
  }

  var STATE_COLOUR = { closed: '#1e7b3c', rated: '#1e7b3c', verified: '#2b6cb0', cancelled: '#9aa0a6', deferred: '#9aa0a6' };
  function clusterMarker(c, cls, what) {
    var size = c.count < 10 ? 28 : c.count < 100 ? 34 : c.count < 1000 ? 40 : 46;
    var icon = L.divIcon({ className: 'gz-cluster ' + cls, html: '<span>' + Number(c.count) + '</span>', iconSize: [size, size] });
    var m = L.marker([c.lat, c.lon], { icon: icon, title: c.count + ' ' + what, keyboard: false });
    m.on('click', function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 18)); });
    return m;
  }
  function pointMarker(p, colour) {
    var m = L.circleMarker([p.lat, p.lon], { radius: 7, color: '#fff', weight: 2, fillColor: colour, fillOpacity: 0.95, className: 'gz-case-point' });
    var box = document.createElement('div');
    var a = document.createElement('a');
    a.href = '/cases/' + encodeURIComponent(p.id);
    a.textContent = p.ticket;
    box.appendChild(a);
    [p.category_name, p.state_name, p.address].forEach(function (v) {
      box.appendChild(document.createElement('br'));
      box.appendChild(document.createTextNode(v));
    });
    m.bindPopup(box);
    return m;
  }
  function drawCases(layer, a, cls, what, colourOf) {
    layer.clearLayers();
    if (a.mode === 'clusters') a.cells.forEach(function (c) { clusterMarker(c, cls, what).addTo(layer); });
    else a.points.forEach(function (p) { pointMarker(p, colourOf(p)).addTo(layer); });
  }
  function loadCases() {
    // Every call counts, so that an answer still on its way when the layer is turned off is dropped.
    var n = ++seq.cases;
    if (!$('layer-cases').checked) { casesLayer.clearLayers(); $('map-case-count').textContent = ''; return; }
    get('/api/v1/map/cases?' + boxParams({})).then(function (a) {
      if (!a || n !== seq.cases) return;
      drawCases(casesLayer, a, 'gz-cases', tr('件案件', 'cases'), function (p) { return STATE_COLOUR[p.state] || '#C8161D'; });
      $('map-case-count').textContent = tr('当前范围内案件 ', 'Cases in view: ') + a.total + (a.mode === 'clusters' ? tr('（已聚合，放大查看单件）', ' (clustered; zoom in for single cases)') : '');
      el.dataset.casesMode = a.mode;
      el.dataset.casesTotal = String(a.total);
      el.dataset.casesDrawn = String(n);
    });
  }
  function loadHeat() {
    var on = $('layer-heat').checked;
    var n = ++seq.heat;
    heat.show(on);
    if (!on) return;
    get('/api/v1/map/cases?' + boxParams({ heat: '1' })).then(function (a) {
      if (a && n === seq.heat) heat.set(a.cells);
    });
  }
  function loadWhistles() {
    var n = ++seq.whistles;
    if (!$('layer-whistles').checked) { whistleLayer.clearLayers(); return; }
    get('/api/v1/map/cases?' + boxParams({ layer: 'whistles' })).then(function (a) {
      if (!a || n !== seq.whistles) return;
      drawCases(whistleLayer, a, 'gz-whistles', tr('件吹哨案件', 'whistled cases'), function () { return '#c47f00'; });
    });
  }
  // Places that do not change with the window: drawn once, shown or hidden.
  function once(box, layer, load) {
    var loaded = false;
    $(box).addEventListener('change', function () {
      if (!$(box).checked) { map.removeLayer(layer); return; }
      layer.addTo(map);
      if (!loaded) { loaded = true; load(); }
    });
  }
  function placeMarker(at, colour, name, lines) {
    var m = L.circleMarker(at, { radius: 8, color: '#fff', weight: 2, fillColor: colour, fillOpacity: 1, className: 'gz-place' });
    var box = document.createElement('div');
    var b = document.createElement('b');
    b.textContent = name;
    box.appendChild(b);
    lines.forEach(function (v) {
      if (!v) return;
      box.appendChild(document.createElement('br'));
      box.appendChild(document.createTextNode(v));
    });
    m.bindPopup(box);
    return m;
  }
  function loadCentres() {
    get('/api/v1/services/centres').then(function (rows) {
      (rows || []).forEach(function (c) {
        placeMarker([c.lat, c.lon], '#1d4e89', c.name, [c.community_name, c.address, c.opening_hours]).addTo(centreLayer);
      });
    });
  }
  // A party organisation sits at the centre of its grid, or of its community's or street's grids.
  function loadParty() {
    get('/api/v1/party/orgs').then(function (rows) {
      var grids = window.gzGridLayer;
      if (!rows || !grids) return;
      var centre = function (prefix) {
        var b = null;
        grids.eachLayer(function (l) {
          var code = l.feature && l.feature.properties.code;
          if (code && code.indexOf(prefix) === 0) b = b ? b.extend(l.getBounds()) : L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast());
        });
        return b && b.getCenter();
      };
      rows.forEach(function (o) {
        if (o.dissolved_on) return;
        var prefix = o.grid || (o.area && /000$/.test(o.area) ? o.area.slice(0, 9) : o.area);
        if (!prefix || prefix.length < 9) return;
        var at = centre(prefix);
        if (at) placeMarker(at, '#C8161D', o.name, [o.compound_name]).addTo(partyLayer);
      });
    });
  }

  var timer = null;
  function later(f) { clearTimeout(timer); timer = setTimeout(f, 150); }
  function inView() { loadCases(); loadHeat(); loadWhistles(); }
  function everything() {
    label();
    loadMetrics();
    inView();
    // The same cases as a list, with its Excel export.
    var link = $('map-cases-link');
    if (link) link.href = '/cases?' + params({});
    var xlsx = $('map-xlsx-link');
    if (xlsx) xlsx.href = '/api/v1/map/grid-metrics.xlsx?' + params({});
  }

  function start() {
    map = window.gzGridMap;
    if (!map || casesLayer) return;
    casesLayer = L.layerGroup().addTo(map);
    whistleLayer = L.layerGroup().addTo(map);
    centreLayer = L.layerGroup();
    partyLayer = L.layerGroup();
    heat = window.gzHeat(map);
    rebuildSlider();
    ['map-from', 'map-to', 'map-step'].forEach(function (id) {
      $(id).addEventListener('change', function () { rebuildSlider(); everything(); });
    });
    $('map-slider').addEventListener('input', function () { label(); later(everything); });
    $('map-metric').addEventListener('change', loadMetrics);
    $('map-state').addEventListener('change', everything);
    $('layer-cases').addEventListener('change', loadCases);
    $('layer-heat').addEventListener('change', loadHeat);
    $('layer-whistles').addEventListener('change', loadWhistles);
    once('layer-centres', centreLayer, loadCentres);
    once('layer-party', partyLayer, loadParty);
    map.on('moveend', function () { later(inView); });
    everything();
  }
  window.addEventListener('gz-grids', start);
  if (window.gzGridLayer) start();
})();
