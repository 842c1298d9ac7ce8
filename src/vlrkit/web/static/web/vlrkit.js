/* vlrkit web: small progressive enhancements (no framework, no inline script: CSP). */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    // the language switch submits as soon as a language is chosen
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
    // ask before irreversible actions
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) { if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault(); });
    });
    // live Markdown preview and completeness while writing a narrative
    var editor = document.querySelector("textarea[data-preview-url]");
    if (editor) {
      var timer = null;
      var form = editor.form;
      var target = document.getElementById(editor.getAttribute("data-preview-target"));
      var refresh = function () {
        var body = new FormData(form);
        fetch(editor.getAttribute("data-preview-url"), { method: "POST", body: body, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" } })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) { target.innerHTML = html; })
          .catch(function () { /* keep the last preview */ });
      };
      editor.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
      document.querySelectorAll("[data-insert]").forEach(function (btn) {
        btn.addEventListener("click", function (ev) {
          ev.preventDefault();
          var text = btn.getAttribute("data-insert");
          var s = editor.selectionStart, e = editor.selectionEnd;
          editor.value = editor.value.slice(0, s) + text + editor.value.slice(e);
          editor.focus(); editor.selectionStart = editor.selectionEnd = s + text.length;
          editor.dispatchEvent(new Event("input"));
        });
      });
    }
  });
})();
