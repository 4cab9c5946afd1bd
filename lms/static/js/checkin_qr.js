// Projector page: refresh the rotating check-in QR code from its JSON endpoint.
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
    fetch(source, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        code.innerHTML = data.svg;
        link.setAttribute("href", data.url);
        count.textContent = data.checked_in;
        state.textContent = data.open ? "" : state.getAttribute("data-closed");
        window.setTimeout(refresh, Math.max(1, Math.min(data.expires_in, 10)) * 1000);
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  refresh();
}());
