// "Add a row" for Django formsets marked data-formset="<prefix>" (a static file, so that the
// Content-Security-Policy needs no inline script). The empty row is a <template data-empty>.
document.querySelectorAll("[data-formset]").forEach(function (set) {
  var prefix = set.dataset.formset;
  var total = set.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  function addRow() {
    var html = set.querySelector("template[data-empty]").innerHTML.replace(/__prefix__/g, total.value);
    set.querySelector("[data-rows]").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  }
  set.querySelector("[data-add-row]").addEventListener("click", addRow);
  if (parseInt(total.value, 10) === 0) { addRow(); }
});
