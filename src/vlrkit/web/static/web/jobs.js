/* vlrkit web: follow a background job without reloading (vendored, no framework; CSP 'self').
   The job page carries data-status-url; this asks it once a second and moves the bar, the step
   and the label; when the job is done it goes on to data-next (if any) or reloads the page once
   so the server shows the result; when it failed it reloads to show the reason. */
(function () {
  "use strict";
  var POLL_MS = 1000;
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  function text(id, value) { var el = document.getElementById(id); if (el && value !== undefined) el.textContent = value; }
  ready(function () {
    var box = document.getElementById("job");
    if (!box) return;
    var url = box.getAttribute("data-status-url");
    var status = box.getAttribute("data-status");
    if (status === "done" || status === "failed") return;
    var wait = document.getElementById("job-wait");
    if (wait) wait.hidden = true;
    var bar = document.getElementById("job-bar");
    var tick = function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (s) {
          bar.value = s.percent;
          text("job-percent", s.percent + " %");
          box.setAttribute("data-status", s.status);
          var label = document.getElementById("job-label");
          if (label) label.setAttribute("data-step", s.step + "/" + s.steps);
          text("job-steps", s.steps ? "· " + s.step + " / " + s.steps : "");
          text("job-step-label", s.label);
          var last = document.getElementById("job-last");
          if (last) last.hidden = !s.label;
          if (s.status === "done") {
            if (s.next) { window.location.assign(s.next); } else { window.location.reload(); }
            return;
          }
          if (s.status === "failed") { window.location.reload(); return; }
          text("job-state", s.status_label);
          setTimeout(tick, POLL_MS);
        })
        .catch(function () { setTimeout(tick, 3 * POLL_MS); });
    };
    setTimeout(tick, POLL_MS / 2);
  });
})();
