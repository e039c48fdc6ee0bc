// A heat surface on a Leaflet map, drawn on one canvas: each cell the server gathered (count
// and centroid) stamps a blurred disc whose strength is its share of the busiest cell, then the
// summed strength is coloured from pale yellow to party red. Our own ~80 lines instead of a
// plugin: nothing to vendor, and the cells are already few (one per grouped row, not per case).
window.gzHeat = function (map) {
  var RADIUS = 22, BLUR = 14;
  var canvas = document.createElement('canvas');
  canvas.className = 'gz-heat leaflet-zoom-hide';
  canvas.setAttribute('aria-hidden', 'true');
  canvas.style.position = 'absolute';
  canvas.style.pointerEvents = 'none';
  var cells = [];
  var on = false;
  // The brush: one blurred disc, drawn once.
  var brush = document.createElement('canvas');
  var r2 = RADIUS + BLUR;
  brush.width = brush.height = r2 * 2;
  (function () {
    var b = brush.getContext('2d');
    b.shadowOffsetX = b.shadowOffsetY = r2 * 2;
    b.shadowBlur = BLUR;
    b.shadowColor = 'black';
    b.beginPath();
    b.arc(-r2, -r2, RADIUS, 0, Math.PI * 2, true);
    b.closePath();
    b.fill();
  })();
  // 256 colours from transparent-ish yellow to deep red.
  var palette = (function () {
    var c = document.createElement('canvas');
    c.width = 1; c.height = 256;
    var g = c.getContext('2d');
    var grad = g.createLinearGradient(0, 0, 0, 256);
    grad.addColorStop(0.2, '#fff3b0');
    grad.addColorStop(0.45, '#fdae61');
    grad.addColorStop(0.7, '#f46d43');
    grad.addColorStop(1.0, '#a50f15');
    g.fillStyle = grad;
    g.fillRect(0, 0, 1, 256);
    return g.getImageData(0, 0, 1, 256).data;
  })();
  function draw() {
    if (!on) return;
    var size = map.getSize();
    canvas.width = size.x; canvas.height = size.y;
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    var ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, size.x, size.y);
    var max = 1;
    cells.forEach(function (c) { if (c.count > max) max = c.count; });
    cells.forEach(function (c) {
      var p = map.latLngToContainerPoint([c.lat, c.lon]);
      ctx.globalAlpha = Math.min(1, Math.max(c.count / max, 0.08));
      ctx.drawImage(brush, p.x - r2, p.y - r2);
    });
    if (!size.x || !size.y) return;
    var img = ctx.getImageData(0, 0, size.x, size.y);
    var px = img.data;
    for (var i = 3; i < px.length; i += 4) {
      var a = px[i];
      if (!a) continue;
      var j = a * 4;
      px[i - 3] = palette[j];
      px[i - 2] = palette[j + 1];
      px[i - 1] = palette[j + 2];
      px[i] = Math.min(255, 60 + a);
    }
    ctx.putImageData(img, 0, 0);
  }
  map.on('moveend zoomend resize', draw);
  return {
    show: function (yes) {
      on = yes;
      if (yes) { map.getPanes().overlayPane.appendChild(canvas); draw(); }
      else if (canvas.parentNode) canvas.parentNode.removeChild(canvas);
    },
    set: function (c) { cells = c || []; draw(); },
    canvas: canvas
  };
};
