// Below 600 px a data table becomes one card per row (app.css); each cell then needs its column's
// name beside it, which only the header row knows. Copying it here keeps every template as it is.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('table.data').forEach(function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
    });
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) bodies.push(table.tFoot);
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (td) {
          if ((td.colSpan || 1) === 1 && names[col]) td.setAttribute('data-label', names[col]);
          col += td.colSpan || 1;
        });
      });
    });
    table.classList.add('cards-ready');
  });
});
