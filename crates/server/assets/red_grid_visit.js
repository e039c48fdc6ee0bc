// The visit form on a phone: the mediation fields only for a conflict mediation, the case's
// category and description only once "raise a case" is ticked. Without this script every
// field shows and the server still takes only what applies.
(function () {
  var purpose = document.getElementById('visit-purpose');
  var mediation = document.getElementById('mediation-fields');
  var raise = document.getElementById('visit-raise');
  if (!purpose || !mediation || !raise) return;
  var caseFields = [document.getElementById('visit-category'), document.querySelector('#raise-fields textarea')]
    .map(function (el) { return el && el.closest('label'); })
    .filter(Boolean);
  function show() {
    mediation.hidden = purpose.value !== 'conflict_mediation';
    caseFields.forEach(function (l) { l.style.display = raise.checked ? '' : 'none'; });
  }
  purpose.addEventListener('change', show);
  raise.addEventListener('change', show);
  show();
})();
