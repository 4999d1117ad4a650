/* Renders the lifecycle diagram from the mermaid text the server put in the page.
   A separate file (not inline) so the Content-Security-Policy can forbid inline scripts. */
(function () {
  "use strict";
  if (!window.mermaid) { return; }
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: "base",
    fontFamily: "inherit",
    state: { nodeSpacing: 30, rankSpacing: 34 },
    themeVariables: {
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      fontSize: "14px",
      primaryColor: "#ffffff",
      primaryBorderColor: "#94a3b8",
      lineColor: "#64748b",
      textColor: "#1e293b"
    }
  });
  window.mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
    document.querySelectorAll(".diagram").forEach(function (el) {
      // mermaid's inline max-width is refused by the CSP; the CSSOM assignment is allowed.
      var svg = el.querySelector("svg");
      var box = svg && svg.viewBox && svg.viewBox.baseVal;
      if (box && box.width) { svg.style.maxWidth = Math.ceil(box.width) + "px"; }
      el.classList.add("rendered");
    });
  }).catch(function (err) {
    document.querySelectorAll(".diagram").forEach(function (el) {
      el.classList.add("failed");
      el.setAttribute("data-error", String(err && err.message || err));
    });
  });
}());
