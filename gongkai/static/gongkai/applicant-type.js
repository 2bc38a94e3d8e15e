// The application form: show only the fields of the chosen kind of applicant (a natural
// person or an organisation) and, after a refused submission, move to the error summary,
// whose links put the cursor in their field.
// Without JavaScript every group stays visible and the server needs only the chosen kind's.
(function () {
  "use strict";
  function setUp(container) {
    var personType = container.getAttribute("data-person-type");
    var radios = container.querySelectorAll('input[type="radio"][name$="applicant_type"]');
    var groups = container.querySelectorAll("[data-applicant]");
    function update() {
      var kind = "";
      radios.forEach(function (radio) {
        if (radio.checked) {
          kind = radio.value === personType ? "person" : "organisation";
        }
      });
      groups.forEach(function (group) {
        group.hidden = group.getAttribute("data-applicant") !== kind;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }
  function ready() {
    document.querySelectorAll("[data-applicant-groups]").forEach(setUp);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      // A link to a field puts the cursor in it (following the link only scrolls).
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var input = link && document.getElementById(link.getAttribute("href").slice(1));
        if (input) {
          event.preventDefault();
          input.focus();
          var field = input.closest(".mb-3") || input;
          field.scrollIntoView({block: "start"});
        }
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
