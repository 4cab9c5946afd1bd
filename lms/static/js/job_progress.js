// Progress of a background job: polls GET /api/v1/jobs/{id} (session cookie) until it ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = document.getElementById("job-bar");
  var statusEl = document.getElementById("job-status");

  function text(id, value) { document.getElementById(id).textContent = value; }

  function show(job) {
    var percent = job.status === "done" ? 100 : (job.total ? Math.floor(100 * job.done / job.total) : 0);
    bar.value = percent;
    bar.textContent = percent + "%";
    text("job-percent", String(percent));
    text("job-count", job.done + " / " + job.total);
    statusEl.textContent = statusEl.dataset[job.status] || job.status;
    text("job-message", job.message || "");
    var list = document.getElementById("job-failures");
    list.textContent = "";
    (job.failures.length ? job.failures : [null]).forEach(function (failure) {
      var item = document.createElement("li");
      if (failure) { item.textContent = failure.item + "：" + failure.reason; }
      else { item.textContent = list.dataset.none; item.className = "muted"; }
      list.appendChild(item);
    });
    if (job.result_url) {
      document.getElementById("job-zip").href = job.result_url;
      document.getElementById("job-result").hidden = false;
    }
    return job.status === "done" || job.status === "failed";
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job || !show(job)) { window.setTimeout(poll, 700); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
}());
