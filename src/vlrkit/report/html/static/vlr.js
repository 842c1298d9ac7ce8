/* vlrkit report site: embed every chart specification found on the page (vendored Vega). */
(function () {
  "use strict";
  function embedAll() {
    if (typeof window.vegaEmbed !== "function") { return; }
    var specs = document.querySelectorAll('script[type="application/json"][data-chart]');
    Array.prototype.forEach.call(specs, function (node) {
      var target = document.getElementById(node.getAttribute("data-chart"));
      if (!target) { return; }
      var spec;
      try { spec = JSON.parse(node.textContent); } catch (e) { return; }
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function () {
        target.classList.add("chart-ready");
      }).catch(function () { /* the data table below stays the accessible alternative */ });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else { embedAll(); }
})();
