// Question editor: shows the fields the chosen type uses, and a live preview of the
// question exactly as a trainee sees it (rendered by the server with the exam template).
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  var preview = document.getElementById("preview");
  var problemsList = document.getElementById("preview-problems");
  if (!form || !preview) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var typeField = form.elements.namedItem("type");
  var names = ["type", "difficulty", "points", "stem", "options", "answer", "explanation", "source", "tags",
               "rubric", "weights"];
  var timer = null;
  var sequence = 0;

  function showFieldsForType() {
    var type = typeField.value;
    form.querySelectorAll("[data-for-types]").forEach(function (block) {
      block.hidden = block.getAttribute("data-for-types").split(" ").indexOf(type) < 0;
    });
  }

  function fields() {
    var data = {};
    names.forEach(function (name) {
      var element = form.elements.namedItem(name);
      data[name] = element ? element.value : "";
    });
    return data;
  }

  function render(result) {
    preview.innerHTML = result.html;  // server-rendered, escaped by the template
    problemsList.textContent = "";
    // "%(field)s：%(problem)s" in the page's language (the form carries the translated pattern)
    var pattern = form.getAttribute("data-problem-format") || "%(field)s: %(problem)s";
    Object.keys(result.problems || {}).forEach(function (field) {
      var item = document.createElement("li");
      var label = form.querySelector('label[for="' + field + '"]');
      var problem = result.problems[field];
      item.textContent = label ? pattern.replace("%(field)s", function () { return label.textContent.trim(); })
        .replace("%(problem)s", function () { return problem; }) : problem;
      problemsList.appendChild(item);
    });
    preview.setAttribute("data-updated", String(sequence));
  }

  function refresh() {
    var mine = ++sequence;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : ""},
      body: JSON.stringify(fields())
    }).then(function (response) { return response.json(); }).then(function (result) {
      if (mine === sequence && result && typeof result.html === "string") { render(result); }
    }).catch(function () { /* offline: keep the last preview */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  typeField.addEventListener("change", showFieldsForType);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  showFieldsForType();
  refresh();
})();
