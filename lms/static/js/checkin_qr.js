// Projector page: refresh the rotating check-in QR code from its JSON endpoint (lms.request, fetch.js).
(function () {
  "use strict";
  var panel = document.getElementById("qr-panel");
  if (!panel) { return; }
  var source = panel.getAttribute("data-source");
  var code = document.getElementById("qr-code");
  var state = document.getElementById("qr-state");
  var count = document.getElementById("qr-count");
  var link = document.getElementById("qr-link");

  function refresh() {
    window.lms.request("GET", source, undefined, {cache: "no-store", timeout: 10000}).then(function (r) {
      if (!r.ok || !r.data) { window.setTimeout(refresh, 5000); return; }
      var data = r.data;
      code.innerHTML = data.svg;
      if (link) { link.setAttribute("href", data.url); }
      count.textContent = data.checked_in;
      state.textContent = data.open ? "" : state.getAttribute("data-closed");
      window.setTimeout(refresh, Math.max(1, Math.min(data.expires_in, 10)) * 1000);
    });
  }
  refresh();
}());
