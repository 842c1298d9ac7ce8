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
      // The AST interpreter keeps Vega free of eval, so charts also draw under a strict
      // Content-Security-Policy (script-src 'self'); no injected <style> either.
      var options = { actions: false, renderer: "svg", defaultStyle: false,
                      tooltip: { disableDefaultStyle: true } };
      if (window.vega && window.vega.expressionInterpreter) {
        options.ast = true;
        options.expr = window.vega.expressionInterpreter;
      }
      window.vegaEmbed(target, spec, options).then(function () {
        target.classList.add("chart-ready");
      }).catch(function () { /* the data table below stays the accessible alternative */ });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else { embedAll(); }
})();
