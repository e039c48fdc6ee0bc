// The report page: pick the place on our own grid map (no tile server) or by geolocation,
// and show the chosen category's guidance.
(function () {
  var sel = document.getElementById('category'), g = document.getElementById('guidance');
  function guide() { var o = sel.options[sel.selectedIndex]; g.textContent = o ? o.dataset.guidance || '' : ''; }
  sel.addEventListener('change', guide); guide();
  var map = L.map('map', { attributionControl: false }), marker = null;
  function put(lat, lon) {
    document.getElementById('lat').value = lat.toFixed(6);
    document.getElementById('lon').value = lon.toFixed(6);
    if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon]).addTo(map);
  }
  fetch('/api/v1/public/grids.geojson').then(function (r) { return r.json(); }).then(function (fc) {
    var layer = L.geoJSON(fc, { style: { color: '#7a1d1f', weight: 1, fillColor: '#fce8b2', fillOpacity: 0.35 } }).addTo(map);
    if (fc.features.length) map.fitBounds(layer.getBounds()); else map.setView([31.31, 120.62], 13);
    layer.on('click', function (e) { put(e.latlng.lat, e.latlng.lng); });
  });
  map.on('click', function (e) { put(e.latlng.lat, e.latlng.lng); });
  document.getElementById('locate').addEventListener('click', function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) { put(p.coords.latitude, p.coords.longitude); map.setView([p.coords.latitude, p.coords.longitude], 16); });
  });
})();
// Before filing: open reports of the same kind within 50 m and 7 days, each with a "me too".
(function () {
  var box = document.getElementById('similar');
  if (!box) return;
  function esc(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML.replace(/"/g, '&quot;').replace(/'/g, '&#39;'); }
  function look() {
    var lon = document.getElementById('lon').value, lat = document.getElementById('lat').value;
    var cat = document.getElementById('category').value;
    if (!lon || !lat) { box.innerHTML = ''; return; }
    fetch('/api/v1/public/similar?category=' + encodeURIComponent(cat) + '&lon=' + lon + '&lat=' + lat)
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        if (!list.length) { box.innerHTML = ''; return; }
        box.innerHTML = '<p class="small"><b>' + esc(box.dataset.title) + '</b></p>' + list.map(function (c) {
          return '<form method="post" action="/report/follow" class="card small" style="margin:4px 0">' +
            esc(c.ticket) + ' · ' + esc(c.category_name) + ' · ' + esc(c.state_label) + ' · ' + c.distance_m + 'm · ' + esc(c.address) +
            '<input type="hidden" name="ticket" value="' + esc(c.ticket) + '">' +
            ' <input name="phone" required inputmode="tel" placeholder="' + esc(box.dataset.phone) + '" size="11">' +
            ' <button type="submit">' + esc(box.dataset.follow) + '</button></form>';
        }).join('');
      });
  }
  document.getElementById('category').addEventListener('change', look);
  ['lat', 'lon'].forEach(function (id) { document.getElementById(id).addEventListener('change', look); });
  setInterval(function () { var v = document.getElementById('lat').value; if (v !== box.dataset.last) { box.dataset.last = v; look(); } }, 700);
})();
