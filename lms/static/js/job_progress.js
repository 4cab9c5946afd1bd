// Progress of a background job: polls GET /api/v1/jobs/{id} (lms.request, fetch.js) until it ends.
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
      if (failure) {
        item.appendChild(document.createElement("strong")).textContent = failure.item;
        item.appendChild(document.createTextNode(" " + failure.reason));
      } else {
        item.textContent = list.dataset.none;
        item.className = "muted";
      }
      list.appendChild(item);
    });
    if (job.result_url) {
      document.getElementById("job-zip").href = job.result_url;
      document.getElementById("job-result").hidden = false;
    }
    return job.status === "done" || job.status === "failed";
  }

  function poll() {
    window.lms.request("GET", box.dataset.url, undefined, {timeout: 10000}).then(function (r) {
      if (r.status === 0) { window.setTimeout(poll, 2000); return; }
      if (!r.ok || !r.data || !show(r.data)) { window.setTimeout(poll, 700); }
    });
  }
  poll();
}());
