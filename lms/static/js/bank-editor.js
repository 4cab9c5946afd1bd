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

  var LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  var useText = document.getElementById("use-text");

  function value(name) {
    var element = form.elements.namedItem(name);
    return element && typeof element.value === "string" ? element.value : "";
  }

  // The option, answer and rubric fields in the notation the server reads (lms.banks.editing).
  function structured(data) {
    var type = data.type;
    if (type === "single" || type === "multiple") {
      var lines = [], answers = [];
      form.querySelectorAll("input[name^='option-']").forEach(function (input) {
        var text = input.value.trim();
        if (!text || lines.length >= LETTERS.length) { return; }
        var letter = LETTERS.charAt(lines.length);
        lines.push(letter + ". " + text);
        var mark = document.getElementById("correct-" + input.name.slice(7));
        if (mark && mark.checked) { answers.push(letter); }
      });
      data.options = lines.join("\n");
      data.answer = answers.join(",");
    } else if (type === "truefalse") {
      var chosen = form.querySelector("input[name='tf_answer']:checked");
      data.answer = chosen ? (chosen.value === "true" ? "true" : "false") : "";
    }
    if (type === "essay") {
      var items = [];
      form.querySelectorAll("input[name^='rubric-text-']").forEach(function (input) {
        var points = form.elements.namedItem("rubric-points-" + input.name.slice(12));
        var criterion = input.value.trim(), given = points ? points.value.trim() : "";
        if (criterion || given) { items.push(criterion + ":" + given); }
      });
      data.rubric = items.join("\n");
    }
    return data;
  }

  function fields() {
    var data = {};
    names.forEach(function (name) { data[name] = value(name); });
    if (useText && useText.checked && ["single", "multiple", "truefalse"].indexOf(data.type) >= 0) {
      data.answer = value("answer_text");
    }
    return useText && !useText.checked ? structured(data) : data;
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
