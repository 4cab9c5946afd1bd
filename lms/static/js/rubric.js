// Grading an essay per rubric criterion: show the running total as the grader types (the server sums again).
(function () {
  "use strict";
  var form = document.getElementById("grade-form");
  var total = document.getElementById("rubric-total");
  if (!form || !total) { return; }
  var inputs = form.querySelectorAll("input[name^='criterion-']");
  function update() {
    var sum = 0, filled = false;
    Array.prototype.forEach.call(inputs, function (input) {
      var value = parseFloat(input.value.replace(",", "."));
      if (!isNaN(value)) { sum += value; filled = true; }
    });
    total.textContent = filled ? String(Math.round(sum * 100) / 100) : "—";
  }
  Array.prototype.forEach.call(inputs, function (input) { input.addEventListener("input", update); });
}());
