// Eligibility rule builder: choosing another kind of condition redraws its value control
// (the page's own "refresh" button, so the server draws it; without JS staff press it).
(function () {
  "use strict";
  var form = document.getElementById("rule-builder");
  var refresh = document.getElementById("rule-refresh");
  if (!form || !refresh) { return; }
  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-refresh")) {
      if (form.requestSubmit) { form.requestSubmit(refresh); } else { refresh.click(); }
    }
  });
}());
