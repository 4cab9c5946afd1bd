/* One way for the page scripts to talk to the server (load it before them):
 *
 *   lms.request(method, url, body, {timeout, cache, prefer}) -> Promise of {ok, status, data, error}
 *
 * JSON in (a `body` other than undefined is sent as JSON) and out (`data`: the parsed answer, or
 * null); the session cookie, and the page's CSRF token (<meta name="csrf-token">) as X-CSRFToken
 * on unsafe methods; `prefer` as the Prefer header (RFC 7240, e.g. "return=minimal" when the page
 * does not need the resource back); a timeout (default 20 s). The promise always resolves, with one shape:
 * `error` is null on success, else {code, message, fields}: the API's error body, or
 * {code: "offline" | "timeout"} with status 0 when no answer came. */
(function () {
  "use strict";
  var SAFE = {GET: true, HEAD: true};

  function problem(code, message) { return {code: code, message: message || "", fields: {}}; }

  function parse(text) {
    try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  function request(method, url, body, options) {
    options = options || {};
    var headers = {"Accept": "application/json"};
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (!SAFE[method] && meta) { headers["X-CSRFToken"] = meta.content; }
    if (options.prefer) { headers["Prefer"] = options.prefer; }
    var init = {method: method, credentials: "same-origin", headers: headers, cache: options.cache || "default"};
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var timedOut = false;
    var timer = null;
    if (window.AbortController) {
      var controller = new AbortController();
      init.signal = controller.signal;
      timer = setTimeout(function () { timedOut = true; controller.abort(); }, options.timeout || 20000);
    }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        clearTimeout(timer);
        var data = parse(text);
        var error = response.ok ? null :
          (data && data.error) || problem(response.status ? "http_" + response.status : "bad_response");
        return {ok: response.ok, status: response.status, data: data, error: error};
      });
    }).catch(function () {
      clearTimeout(timer);
      return {ok: false, status: 0, data: null, error: problem(timedOut ? "timeout" : "offline")};
    });
  }

  window.lms = window.lms || {};
  window.lms.request = request;
}());
