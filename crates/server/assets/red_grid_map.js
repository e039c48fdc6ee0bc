// The red grid's coverage on the grid map: each grid coloured by how many of its households a
// red grid member serves (all, some, none), with the counts in its popup. Toggled by the
// checkbox above the map; the same numbers are the table on /red-grid.
(function () {
  var box = document.getElementById('red-grid-layer');
  var el = document.getElementById('map');
  if (!box || !el) return;
  var en = el.dataset.lang === 'en';
  var legend = document.getElementById('red-grid-legend');
  var layer = null;
  function colour(p) {
    if (p.households === 0) return '#9aa0a6';
    if (p.unlinked === 0) return '#1e7b3c';
    if (p.linked === 0) return '#C8161D';
    return '#c47f00';
  }
  function popup(p) {
    var box = document.createElement('div');
    var line = function (label, value, bold) {
      if (box.childNodes.length) box.appendChild(document.createElement('br'));
      if (label) box.appendChild(document.createTextNode(label));
      var v = document.createElement(bold ? 'b' : 'span');
      v.textContent = String(value);
      box.appendChild(v);
    };
    line('', p.name, true);
    line(en ? 'Community: ' : '所属社区：', p.community);
    line(en ? 'Households: ' : '住户：', p.households);
    line(en ? 'Served: ' : '已联户：', p.linked);
    line(en ? 'No member: ' : '无人联系：', p.unlinked);
    line(en ? 'Red grid members: ' : '红色网格员：', p.red_members);
    line(en ? 'Out of range: ' : '联户数不在范围：', p.out_of_range);
    line(en ? 'Coverage: ' : '覆盖率：', p.coverage === null ? '—' : p.coverage.toFixed(2) + '%');
    return box;
  }
  function show() {
    var map = window.gzGridMap;
    if (!map) return;
    if (legend) legend.hidden = !box.checked;
    if (!box.checked) {
      if (layer) map.removeLayer(layer);
      return;
    }
    if (layer) { layer.addTo(map); return; }
    var url = '/api/v1/red-grid/coverage.geojson' + (el.dataset.area ? '?area=' + encodeURIComponent(el.dataset.area) : '');
    fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : { features: [] }; }).then(function (fc) {
      layer = L.geoJSON(fc, {
        style: function (f) { return { color: '#444', weight: 1, fillColor: colour(f.properties), fillOpacity: 0.45 }; },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }
      });
      if (box.checked) layer.addTo(map);
    });
  }
  box.addEventListener('change', show);
  // map.js makes the map as the page loads; draw once it is there.
  window.addEventListener('load', show);
})();
