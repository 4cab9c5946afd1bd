// Blueprint table: the row and paper totals follow the counts and points as staff type
// (the server computes them again on "recalculate" and on save).
(function () {
  "use strict";
  var form = document.getElementById("blueprint-form");
  if (!form) { return; }
  function number(input) { var v = parseFloat((input && input.value || "").replace(",", ".")); return isNaN(v) ? 0 : v; }
  function update() {
    var questions = 0, points = 0;
    Array.prototype.forEach.call(form.querySelectorAll("tr[data-row]"), function (row) {
      var n = 0;
      Array.prototype.forEach.call(row.querySelectorAll("input[name^='n-']"), function (input) {
        var v = Math.floor(number(input));
        n += v;
        input.classList.toggle("short", v > parseInt(input.getAttribute("data-available"), 10));
      });
      var each = number(row.querySelector("input[name^='p-']"));
      row.querySelector(".row-questions").textContent = n;
      row.querySelector(".row-points").textContent = String(Math.round(n * each * 100) / 100);
      questions += n; points += n * each;
    });
    var shownPoints = String(Math.round(points * 100) / 100);
    ["total-questions", "bar-questions"].forEach(function (id) { document.getElementById(id).textContent = questions; });
    ["total-points", "bar-points"].forEach(function (id) { document.getElementById(id).textContent = shownPoints; });
  }
  form.addEventListener("input", update);
}());
