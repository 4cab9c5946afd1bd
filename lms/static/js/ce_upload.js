/* Lesson upload with progress: registers the lesson (title, kind, minimum time, size), then sends
   the file in 4 MB chunks (PUT with Content-Range), each continuing where the server's count of
   received bytes stands, and shows the bytes sent. */
(function () {
  "use strict";
  var form = document.getElementById("lesson-upload");
  if (!form) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var bar = document.getElementById("upload-progress");
  var state = document.getElementById("upload-state");
  var CHUNK = 4 * 1024 * 1024;

  function fail(data) {
    var error = (data && data.error) || {};
    var details = Object.keys(error.fields || {}).map(function (key) { return error.fields[key]; }).join("; ");
    state.textContent = form.getAttribute("data-failed") + ": " + (error.message || "") + (details ? " (" + details + ")" : "");
    form.querySelector("button").disabled = false;
  }

  function sendChunk(url, file, offset, lesson) {
    if (offset >= file.size) {
      state.textContent = form.getAttribute("data-done");
      window.location.reload();
      return;
    }
    var end = Math.min(offset + CHUNK, file.size);
    var xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Content-Range", "bytes " + offset + "-" + (end - 1) + "/" + file.size);
    xhr.upload.onprogress = function (event) {
      bar.value = Math.floor(100 * (offset + event.loaded) / file.size);
      state.textContent = bar.value + "%";
    };
    xhr.onload = function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      if (xhr.status === 200) {
        sendChunk(url, file, data.received, lesson);
      } else {
        fail(data);
      }
    };
    xhr.onerror = function () { fail(null); };
    xhr.send(file.slice(offset, end));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = form.querySelector('input[type="file"]').files[0];
    var body = {title: form.elements.title.value, kind: form.elements.kind.value,
                min_seconds: parseInt(form.elements.min_seconds.value, 10) || 0, size: file ? file.size : 0};
    form.querySelector("button").disabled = true;
    bar.hidden = false;
    bar.value = 0;
    fetch(form.getAttribute("data-create"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.status !== 201) { fail(data); return; }
        var url = form.getAttribute("data-content").replace(/\/0\/content$/, "/" + data.id + "/content");
        sendChunk(url, file, 0, data);
      });
    }).catch(function () { fail(null); });
  });
}());
