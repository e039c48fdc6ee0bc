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
