/* The lesson player: starts a play, then sends a heartbeat every `interval` seconds (and at once
   when the player pauses, resumes, seeks or the page is hidden or shown). The server counts the
   time; this page only shows what the server says. Talks to the JSON API with the session
   cookie and X-CSRFToken. */
(function () {
  "use strict";
  var box = document.getElementById("player");
  if (!box) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var video = document.getElementById("lesson-video");
  var shown = document.getElementById("lesson-seconds");
  var bar = document.getElementById("lesson-progress");
  var state = document.getElementById("lesson-state");
  var note = document.getElementById("lesson-note");
  var next = document.getElementById("lesson-next");
  var play = null, timer = null, seeked = false, busy = false, again = false, stopped = false;

  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin", cache: "no-store",
                       headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
                       body: JSON.stringify(body || {})})
      .then(function (response) {
        return response.json().then(function (data) { return {status: response.status, data: data}; });
      });
  }

  function playing() {
    if (video) { return !video.paused && !video.ended && video.readyState > 2; }
    return true;  // a PDF is "playing" while its page is visible
  }

  function show(data) {
    shown.textContent = Math.floor(data.seconds);
    bar.value = Math.min(data.seconds, data.min_seconds);
    if (data.completed) {
      state.hidden = false;
      state.textContent = data.course_completed && data.credited_hours
        ? box.getAttribute("data-msg-course").replace("{n}", data.credited_hours)
        : box.getAttribute("data-msg-done");
      state.className = "badge status-approved";
      next.hidden = false;
    }
  }

  function beat() {
    if (!play || stopped) { return; }
    if (busy) { again = true; return; }
    busy = true;
    var body = {play: play, playing: playing(), visible: document.visibilityState === "visible", seeked: seeked};
    if (video) { body.position = video.currentTime; }
    seeked = false;
    post(box.getAttribute("data-beat"), body).then(function (answer) {
      busy = false;
      if (answer.status === 200) {
        show(answer.data);
      } else if (answer.status === 409 && answer.data.error.fields && answer.data.error.fields.play) {
        stopped = true;  // another tab or lesson of this account took over
        if (video) { video.pause(); }
        note.textContent = box.getAttribute("data-msg-elsewhere");
      } else if (answer.status === 422) {
        start();  // ahead of real time, or not started: begin a new play from here
      }
      if (again) { again = false; beat(); }
    }).catch(function () { busy = false; });
  }

  function start() {
    post(box.getAttribute("data-start")).then(function (answer) {
      if (answer.status !== 200) { note.textContent = answer.data.error ? answer.data.error.message : ""; return; }
      play = answer.data.play;
      stopped = false;
      show(answer.data);
      if (video && answer.data.position > 0 && !answer.data.completed && Math.abs(video.currentTime - answer.data.position) > 2) {
        video.currentTime = answer.data.position;
      }
      if (timer) { window.clearInterval(timer); }
      timer = window.setInterval(beat, answer.data.interval * 1000);
    });
  }

  if (video) {
    video.addEventListener("ratechange", function () { if (video.playbackRate !== 1) { video.playbackRate = 1; } });
    video.addEventListener("seeking", function () { seeked = true; });
    ["play", "playing", "pause", "ended", "seeked"].forEach(function (name) { video.addEventListener(name, beat); });
  }
  document.addEventListener("visibilitychange", beat);
  window.addEventListener("pagehide", beat);
  start();
}());
