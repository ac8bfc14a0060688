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

// While a form waits on the server (WattShift can take seconds on a weak connection): its
// submit buttons are disabled against double clicks, the button pressed says what is happening
// (its data-busy-label, e.g. "Checking…"), and a polite live region announces it. The server's
// exactly-once guard stays the real protection; this only shows the wait.
(function () {
  "use strict";

  var live = null;

  function announce(text) {
    if (!live) {
      live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  function submitButtons(form) {
    return form.querySelectorAll("button:not([type]), button[type='submit'], input[type='submit']");
  }

  function setBusy(form, submitter) {
    form.setAttribute("aria-busy", "true");
    form.setAttribute("data-submitting", "");
    var button = submitter && form.contains(submitter) ? submitter : null;
    var label = (button && button.getAttribute("data-busy-label")) || form.getAttribute("data-busy-label");
    if (button && label && button.tagName === "BUTTON") {
      button.setAttribute("data-idle-label", button.textContent);
      button.textContent = label;
    }
    if (label) {
      announce(label);
    }
  }

  function disableButtons(form) {
    submitButtons(form).forEach(function (button) {
      if (!button.disabled) {
        button.disabled = true;
        button.setAttribute("data-disabled-while-busy", "");
      }
    });
  }

  function clearBusy(form) {
    form.removeAttribute("aria-busy");
    form.removeAttribute("data-submitting");
    form.querySelectorAll("[data-idle-label]").forEach(function (button) {
      button.textContent = button.getAttribute("data-idle-label");
      button.removeAttribute("data-idle-label");
    });
    form.querySelectorAll("[data-disabled-while-busy]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-disabled-while-busy");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) {
      return; // htmx sends this one itself: see htmx:beforeRequest
    }
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();
      return;
    }
    setBusy(form, event.submitter);
    // After this turn: a button disabled now would leave its name out of the data sent.
    window.setTimeout(function () {
      disableButtons(form);
    }, 0);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.tagName !== "FORM") {
      return;
    }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    setBusy(form, trigger && trigger.submitter);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var xhr = event.detail.xhr;
    if (form.tagName !== "FORM") {
      return;
    }
    // A redirect is on its way to the next page: stay busy until it arrives.
    if (event.detail.successful && xhr && xhr.getResponseHeader("HX-Redirect")) {
      return;
    }
    clearBusy(form);
  });

  // Back to a page kept in the back-forward cache: its forms are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(clearBusy);
  });
})();
