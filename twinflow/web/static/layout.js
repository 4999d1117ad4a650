/* Small screens, as progressive enhancement (a static file: the Content-Security-Policy
   forbids inline scripts; without this script every link shows and nothing breaks).
   1. The top bar's Menu button: app.css folds the links under 720 px while the bar is
      "nav-collapsible".
   2. A table or chart wider than its card scrolls inside it: such a card takes the focus so
      that a keyboard can scroll it too (WCAG 2.1.1), named after its table or section. */
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var bar = document.querySelector(".topbar");
  if (button && bar) {
    var setOpen = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      bar.classList.toggle("nav-open", open);
    };
    bar.classList.add("nav-collapsible");
    button.hidden = false;
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and gives the focus back to its button.
    bar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && bar.classList.contains("nav-open")) {
        setOpen(false);
        button.focus();
      }
    });
  }

  var scrollers = document.querySelectorAll(".table-wrap, .gantt-wrap");
  function nameOf(el) {
    var section = el.closest("[aria-labelledby]");
    return section ? section.getAttribute("aria-labelledby") : null;
  }
  function update() {
    Array.prototype.forEach.call(scrollers, function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        var caption = el.querySelector("caption");
        var label = nameOf(el);
        if (label) { el.setAttribute("aria-labelledby", label); }
        else if (caption) { el.setAttribute("aria-label", caption.textContent.trim()); }
        // The page's words (body data-scrollable-label, in the reader's language), not a code.
        else { el.setAttribute("aria-label", document.body.getAttribute("data-scrollable-label") || "scrollable"); }
      } else if (!scrolls && el.getAttribute("tabindex") === "0") {
        ["tabindex", "role", "aria-labelledby", "aria-label"].forEach(function (name) {
          el.removeAttribute(name);
        });
      }
    });
  }
  update();
  window.addEventListener("resize", update);
}());
