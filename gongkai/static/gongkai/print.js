// Buttons marked data-print print the page (the receipt of an application).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
