// Destructive actions ask before they post. A form carries its question in data-confirm;
// an inline onclick would be blocked by the page's CSP (script-src 'self').
document.addEventListener('submit', function (e) {
  var form = e.target;
  var question = form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) e.preventDefault();
});
