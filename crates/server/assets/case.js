// The case page and its dispatch slip. Inline handlers would be blocked by the page's CSP
// (script-src 'self'), so buttons say what they do in data- attributes.
document.addEventListener('click', function (e) {
  var b = e.target.closest && e.target.closest('button');
  if (!b) return;
  if (b.hasAttribute('data-print')) {
    e.preventDefault();
    window.print();
    return;
  }
  if (b.hasAttribute('data-locate')) {
    // "使用我的位置": fill the form's lon/lat from the phone; they stay typeable on a desktop.
    e.preventDefault();
    var form = b.form;
    var note = form.querySelector('[data-locate-status]');
    var say = function (t) { if (note) note.textContent = t; };
    if (!navigator.geolocation) { say(b.getAttribute('data-unavailable')); return; }
    say(b.getAttribute('data-locating'));
    navigator.geolocation.getCurrentPosition(function (p) {
      form.querySelector('[name=lon]').value = p.coords.longitude.toFixed(6);
      form.querySelector('[name=lat]').value = p.coords.latitude.toFixed(6);
      say(b.getAttribute('data-located'));
    }, function () { say(b.getAttribute('data-unavailable')); }, { enableHighAccuracy: true, timeout: 15000 });
  }
});

// A long list of departments to tick: typing in its filter box hides the ones that do not match.
document.addEventListener('input', function (e) {
  var box = e.target.closest && e.target.closest('[data-filter-for]');
  if (!box) return;
  var list = document.getElementById(box.getAttribute('data-filter-for'));
  var q = box.value.trim();
  Array.prototype.forEach.call(list.querySelectorAll('label'), function (l) {
    l.hidden = q !== '' && l.textContent.indexOf(q) < 0 && !l.querySelector('input:checked');
  });
});
