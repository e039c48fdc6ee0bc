// The live board of an emergency: minute timers ticking every second against the server's
// clock, the live part refreshed every 5 seconds (short polling), check-ins on a map with no
// tile server, and 到场报到 with the phone's position.
(function () {
  'use strict';
  var el = document.getElementById('emergency-map');
  if (!el) return;
  var offset = 0;
  function readClock() {
    var live = document.getElementById('board-live');
    if (live && live.dataset.now) offset = Number(live.dataset.now) - Date.now();
  }
  function mmss(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60), r = s % 60;
    return m + ':' + (r < 10 ? '0' : '') + r;
  }
  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll('.timer[data-since]').forEach(function (t) {
      if (t.dataset.frozen) return;
      t.textContent = mmss(now - Number(t.dataset.since));
    });
    document.querySelectorAll('.timer[data-until]').forEach(function (t) {
      t.textContent = mmss(Number(t.dataset.until) - now);
    });
  }

  var map = null, layer = null;
  var lon = parseFloat(el.dataset.lon), lat = parseFloat(el.dataset.lat);
  if (window.L) {
    map = L.map(el, { attributionControl: false });
    layer = L.layerGroup().addTo(map);
    if (!isNaN(lon) && !isNaN(lat)) {
      L.circle([lat, lon], { radius: 80, color: '#C8161D' }).addTo(map);
      map.setView([lat, lon], 16);
    } else {
      map.setView([31.3, 120.6], 12);
    }
    var tiles = el.dataset.tiles;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  }
  function drawCheckIns() {
    if (!map) return;
    layer.clearLayers();
    var pts = [];
    document.querySelectorAll('#check-ins tr.check-in').forEach(function (r) {
      var p = [Number(r.dataset.lat), Number(r.dataset.lon)];
      pts.push(p);
      L.circleMarker(p, { radius: 7, color: '#1f6feb', fillOpacity: 0.8 })
        .bindTooltip(r.dataset.name).addTo(layer);
    });
    if (isNaN(lon) && pts.length) map.fitBounds(pts, { maxZoom: 17, padding: [20, 20] });
  }

  function refresh() {
    fetch(el.dataset.live, { credentials: 'same-origin' }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var fresh = doc.getElementById('board-live'), old = document.getElementById('board-live');
      if (fresh && old) {
        old.replaceWith(fresh);
        readClock();
        drawCheckIns();
        tick();
      }
    }).catch(function () {});
  }

  var form = document.getElementById('check-in-form');
  if (form) form.addEventListener('submit', function (ev) {
    var lonIn = document.getElementById('check-in-lon'), latIn = document.getElementById('check-in-lat');
    if (lonIn.value && latIn.value) return;
    ev.preventDefault();
    if (!navigator.geolocation) { form.submit(); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      lonIn.value = p.coords.longitude.toFixed(6);
      latIn.value = p.coords.latitude.toFixed(6);
      form.submit();
    }, function () { form.submit(); }, { enableHighAccuracy: true, timeout: 10000 });
  });

  readClock();
  drawCheckIns();
  tick();
  setInterval(tick, 1000);
  setInterval(refresh, 5000);
})();
