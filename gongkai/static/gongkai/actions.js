// Small behaviours that would otherwise be inline handlers, which the
// Content-Security-Policy refuses (docs/security.md):
// - <a data-back> goes back one page;
// - <select data-autosubmit> submits its form when changed;
// - <form data-confirm="question"> asks before it is submitted.
document.addEventListener("click", (event) => {
  const back = event.target.closest("[data-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
