// The grid map: grids drawn from our own GeoJSON over our roads, names and landmarks; a tile
// server only when the deployment configures one (government networks are closed).
(function () {
  var el = document.getElementById('map');
  if (!el) return;
  var en = el.dataset.lang === 'en';
  var map = L.map('map', { zoomSnap: 0.25, attributionControl: false });
  // Other layers (the red grid's coverage) are drawn on the same map.
  window.gzGridMap = map;
  gzMap.tiles(map, el);
  gzMap.places(map, en);
  var url = '/api/v1/grids.geojson' + (el.dataset.area ? '?area=' + encodeURIComponent(el.dataset.area) : '');
  fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (fc) {
    var palette = ['#f4c7c3', '#fce8b2', '#b7e1cd', '#c9daf8', '#d9d2e9', '#fff2cc'];
    var layer = L.geoJSON(fc, {
      style: function (f) {
        var c = f.properties.code || '';
        var i = parseInt(c.slice(9, 12), 10) % palette.length;
        return { color: '#7a1d1f', weight: 1, fillColor: palette[i], fillOpacity: 0.3 };
      },
      onEachFeature: function (f, l) {
        l.on('click', function () {
          fetch('/api/v1/grids/' + f.properties.code, { credentials: 'same-origin' })
            .then(function (r) { return r.json(); })
            .then(function (g) {
              var staff = (g.staff || []).map(function (s) { return s.display_name; }).join('、') || (en ? 'none' : '暂无');
              var hh = g.household_count === null || g.household_count === undefined ? (en ? 'not visible' : '无权查看') : g.household_count;
              // Names are data, not markup: every value goes in as text (security finding 16).
              var box = document.createElement('div');
              var line = function (label, value, bold) {
                if (box.childNodes.length) box.appendChild(document.createElement('br'));
                if (label) box.appendChild(document.createTextNode(label));
                var v = document.createElement(bold ? 'b' : 'span');
                v.textContent = String(value);
                box.appendChild(v);
              };
              line('', g.name, true);
              line(en ? 'Grid ' : '网格编码 ', g.code);
              line(en ? 'Community: ' : '所属社区：', g.community_name);
              line(en ? 'Households: ' : '户数：', hh);
              line(en ? 'Staff: ' : '网格人员：', staff);
              box.appendChild(document.createElement('br'));
              var a = document.createElement('a');
              a.href = '/grids/' + encodeURIComponent(g.code);
              a.textContent = en ? 'Details' : '详情';
              box.appendChild(a);
              l.bindPopup(box).openPopup();
            });
        });
      }
    }).addTo(map);
    // The dynamic map's layers (map_layers.js) colour these grids by a metric.
    window.gzGridLayer = layer;
    if (fc.features.length) map.fitBounds(layer.getBounds()); else map.setView([31.31, 120.62], 13);
    window.dispatchEvent(new Event('gz-grids'));
    var n = document.getElementById('grid-count');
    if (n) n.textContent = fc.features.length;
  });
})();
