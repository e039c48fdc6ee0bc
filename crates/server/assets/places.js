// Our own map, drawn from what the server holds (no tile server unless the deployment
// configures one): the tile layer when given, then roads with their names, community and
// compound names, and landmarks. Names are data, not markup: every label goes in as text.
window.gzMap = (function () {
  function label(text, cls) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }
  // A deployment's tile service (data-tile-url on #map); none: our layers alone.
  function tiles(map, el) {
    var url = el.dataset.tileUrl;
    if (!url) return false;
    L.tileLayer(url, { subdomains: '01234567', maxZoom: 18, attribution: el.dataset.tileAttribution || '' }).addTo(map);
    L.control.attribution({ prefix: false }).addTo(map);
    return true;
  }
  // Which groups show from which zoom: names would cover each other when zoomed out.
  var SHOW_FROM = { roads: 0, roadNames: 14, communities: 13, compounds: 16, landmarks: 14, landmarkNames: 15 };
  function places(map, en) {
    var g = {};
    Object.keys(SHOW_FROM).forEach(function (k) { g[k] = L.layerGroup(); });
    fetch('/api/v1/public/places.geojson').then(function (r) { return r.ok ? r.json() : { features: [] }; }).then(function (fc) {
      fc.features.forEach(function (f) {
        var p = f.properties, geom = f.geometry;
        if (geom.type === 'LineString') {
          var ll = geom.coordinates.map(function (c) { return [c[1], c[0]]; });
          var wide = /大道$/.test(p.name);
          L.polyline(ll, { color: '#b9ab92', weight: wide ? 7 : 5, opacity: 0.9, interactive: false }).addTo(g.roads);
          L.polyline(ll, { color: '#fffdf6', weight: wide ? 4 : 2.5, opacity: 1, interactive: false }).addTo(g.roads);
          // Named every few blocks, between crossings (odd vertices are edge midpoints), so
          // a name is in sight at any zoom and never sits on a crossing's station.
          for (var i = 3; i < ll.length; i += 6) {
            L.tooltip({ permanent: true, direction: 'center', className: 'gz-road-name', interactive: false })
              .setLatLng(ll[i]).setContent(label(p.name, '')).addTo(g.roadNames);
          }
          if (ll.length < 4) {
            L.tooltip({ permanent: true, direction: 'center', className: 'gz-road-name', interactive: false })
              .setLatLng(ll[Math.floor(ll.length / 2)]).setContent(label(p.name, '')).addTo(g.roadNames);
          }
          return;
        }
        var at = [geom.coordinates[1], geom.coordinates[0]];
        if (p.kind === 'community' || p.kind === 'compound') {
          var group = p.kind === 'community' ? g.communities : g.compounds;
          L.tooltip({ permanent: true, direction: 'center', className: 'gz-' + p.kind + '-name', interactive: false })
            .setLatLng(at).setContent(label(p.name, '')).addTo(group);
          return;
        }
        var kind = en ? p.kind_name_en : p.kind_name;
        var m = L.circleMarker(at, { radius: 6, color: '#fff', weight: 2, fillColor: '#1d4e89', fillOpacity: 1, className: 'gz-landmark gz-' + p.kind, interactive: false });
        m.addTo(g.landmarks);
        L.tooltip({ permanent: true, direction: 'right', offset: [6, 0], className: 'gz-landmark-name', interactive: false })
          .setLatLng(at).setContent(label(p.name + ' · ' + kind, '')).addTo(g.landmarkNames);
      });
      show();
    });
    function show() {
      var z = map.getZoom();
      Object.keys(SHOW_FROM).forEach(function (k) {
        if (z >= SHOW_FROM[k]) map.addLayer(g[k]); else map.removeLayer(g[k]);
      });
    }
    map.on('zoomend', show);
    return g;
  }
  // Grid cells are faint over the roads: a resident finds the place by the roads and names.
  var FAINT_GRID = { color: '#7a1d1f', weight: 0.6, opacity: 0.35, fillColor: '#fce8b2', fillOpacity: 0.06 };
  return { tiles: tiles, places: places, faintGrid: FAINT_GRID };
})();
