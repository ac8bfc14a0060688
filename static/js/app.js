// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // An error summary takes focus so screen readers announce it (GOV.UK pattern).
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // Links in the error summary move focus to the field, not only scroll to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap detaches the old target: look in the element that replaced it.
    if (!target.isConnected && target.id) {
      target = document.getElementById(target.id);
    }
    if (target) {
      focusErrorSummary(target);
    }
  });
})();

// The home page: a Copy button for the home id (shown only when the clipboard can be used),
// and focus kept on the price chart after htmx swaps it in.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.clipboard) {
      return;
    }
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    var source = button && document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied-label") || button.textContent;
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var section = document.getElementById("price-signal");
    if (section && event.detail.target.id === "price-signal") {
      var heading = section.querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  });
})();
