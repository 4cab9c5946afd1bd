/* A button with data-needs="ID" stays disabled until the checkbox #ID is ticked (the 考前须知's
 * start button). Without script the checkbox is still `required` and the server checks it. */
(function () {
  "use strict";
  document.querySelectorAll("[data-needs]").forEach(function (button) {
    var box = document.getElementById(button.dataset.needs);
    if (!box) { return; }
    function update() { button.disabled = !box.checked; }
    box.addEventListener("change", update);
    update();
  });
})();
