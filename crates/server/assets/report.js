// The report page: the category in two steps (major, then minor), the place by address
// search, a tap on our own map or geolocation, and the chosen category's guidance.
(function () {
  var sel = document.getElementById('category'), g = document.getElementById('guidance');
  var majorBox = document.getElementById('category-major-box');
  function guide() { var o = sel.options[sel.selectedIndex]; g.textContent = o ? o.dataset.guidance || '' : ''; }
  // Two steps: the one grouped select (it works without JS) gets a major select before it,
  // and shows only the chosen major's minors. #category keeps the minor code.
  if (majorBox) {
    var major = document.getElementById('category-major');
    var groups = Array.prototype.slice.call(sel.querySelectorAll('optgroup'));
    groups.forEach(function (grp, i) {
      var o = document.createElement('option');
      o.value = String(i);
      o.textContent = grp.label;
      major.appendChild(o);
    });
    majorBox.hidden = false;
    var narrow = function () {
      var i = major.value;
      groups.forEach(function (grp, j) { grp.hidden = i !== '' && String(j) !== i; });
    };
    major.addEventListener('change', function () {
      var o = sel.options[sel.selectedIndex];
      if (o && o.parentNode !== groups[Number(major.value)]) sel.value = '';
      narrow(); guide();
    });
    // A minor chosen directly (autofill, a test, the back button) chooses its major too.
    sel.addEventListener('change', function () {
      var o = sel.options[sel.selectedIndex];
      var i = o ? groups.indexOf(o.parentNode) : -1;
      if (i >= 0 && major.value !== String(i)) { major.value = String(i); narrow(); }
    });
    var first = sel.options[sel.selectedIndex];
    var at = first ? groups.indexOf(first.parentNode) : -1;
    if (at >= 0) major.value = String(at);
    narrow();
  }
  sel.addEventListener('change', guide); guide();

  var el = document.getElementById('map');
  var en = document.documentElement.lang === 'en';
  var map = L.map('map', { attributionControl: false }), marker = null;
  gzMap.tiles(map, el);
  gzMap.places(map, en);
  function put(lat, lon) {
    document.getElementById('lat').value = lat.toFixed(6);
    document.getElementById('lon').value = lon.toFixed(6);
    if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon]).addTo(map);
  }
  fetch('/api/v1/public/grids.geojson').then(function (r) { return r.json(); }).then(function (fc) {
    var layer = L.geoJSON(fc, { style: gzMap.faintGrid }).addTo(map);
    if (fc.features.length) map.fitBounds(layer.getBounds()); else map.setView([31.31, 120.62], 13);
    layer.on('click', function (e) { put(e.latlng.lat, e.latlng.lng); });
  });
  map.on('click', function (e) { put(e.latlng.lat, e.latlng.lng); });
  document.getElementById('locate').addEventListener('click', function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) { put(p.coords.latitude, p.coords.longitude); map.setView([p.coords.latitude, p.coords.longitude], 16); });
  });

  // Address search (地名地址检索): hits as buttons; picking one moves the map there and sets
  // the point, the address and the street.
  var box = document.getElementById('place-search'), list = document.getElementById('place-hits');
  var address = document.getElementById('address'), street = document.getElementById('street');
  if (!box || !list) return;
  var timer = null, asked = '';
  function where(h) {
    return [h.kind_name_en && en ? h.kind_name_en : h.kind_name, h.community, h.street].filter(Boolean).join(' · ');
  }
  function pick(h) {
    map.setView([h.lat, h.lon], h.kind === 'road' ? 16 : 17);
    put(h.lat, h.lon);
    address.value = h.address || h.name;
    if (street && h.street_code) street.value = h.street_code;
    list.innerHTML = '';
    box.value = h.address || h.name;
  }
  function show(hits) {
    list.innerHTML = '';
    if (!hits.length) {
      var none = document.createElement('li');
      none.className = 'small muted';
      none.textContent = list.dataset.none;
      list.appendChild(none);
      return;
    }
    hits.forEach(function (h) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'place-hit';
      var name = document.createElement('b');
      name.textContent = h.address || h.name;
      var sub = document.createElement('span');
      sub.className = 'small muted';
      sub.textContent = ' ' + where(h);
      b.appendChild(name); b.appendChild(sub);
      b.addEventListener('click', function () { pick(h); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  function ask() {
    var q = box.value.trim();
    if (q === asked) return;
    asked = q;
    if (!q) { list.innerHTML = ''; return; }
    fetch('/api/v1/places/search?q=' + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) { if (box.value.trim() === q) show(hits); });
  }
  box.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 250); });
  box.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); asked = ''; ask(); }
  });
})();
// Before filing: open reports of the same kind within 50 m and 7 days, each with a "me too".
(function () {
  var box = document.getElementById('similar');
  if (!box) return;
  var outside = document.createElement('div');
  outside.hidden = true;
  box.closest('form').after(outside);
  function esc(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML.replace(/"/g, '&quot;').replace(/'/g, '&#39;'); }
  function look() {
    var lon = document.getElementById('lon').value, lat = document.getElementById('lat').value;
    var cat = document.getElementById('category').value;
    if (!lon || !lat || !cat) { box.innerHTML = ''; return; }
    fetch('/api/v1/public/similar?category=' + encodeURIComponent(cat) + '&lon=' + lon + '&lat=' + lat)
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        if (!list.length) { box.innerHTML = ''; outside.innerHTML = ''; return; }
        // The "me too" forms cannot sit inside the report form (a nested form is dropped by the
        // parser, and its required phone would block filing): they live after it, and the
        // fields shown here belong to them through the form attribute.
        outside.innerHTML = list.map(function (c, i) {
          return '<form id="similar-follow-' + i + '" method="post" action="/report/follow"></form>';
        }).join('');
        box.innerHTML = '<p class="small"><b>' + esc(box.dataset.title) + '</b></p>' + list.map(function (c, i) {
          var f = ' form="similar-follow-' + i + '"';
          return '<div class="card small" style="margin:4px 0">' +
            esc(c.ticket) + ' · ' + esc(c.category_name) + ' · ' + esc(c.state_label) + ' · ' + c.distance_m + 'm · ' + esc(c.address) +
            '<input type="hidden" name="ticket"' + f + ' value="' + esc(c.ticket) + '">' +
            ' <input name="phone"' + f + ' required inputmode="tel" aria-label="' + esc(box.dataset.phone) + '" placeholder="' + esc(box.dataset.phone) + '" size="11">' +
            ' <button type="submit"' + f + '>' + esc(box.dataset.follow) + '</button></div>';
        }).join('');
      });
  }
  document.getElementById('category').addEventListener('change', look);
  ['lat', 'lon'].forEach(function (id) { document.getElementById(id).addEventListener('change', look); });
  setInterval(function () { var v = document.getElementById('lat').value; if (v !== box.dataset.last) { box.dataset.last = v; look(); } }, 700);
})();
