// Progressive enhancement only: every page works without this file. Its words and timings come
// from the server (the #field-config JSON in base.html), so none are written here.
(function () {
  "use strict";

  var config = readConfig();

  function readConfig() {
    var element = document.getElementById("field-config");
    try {
      return (element && JSON.parse(element.textContent)) || {};
    } catch (error) {
      return {};
    }
  }

  function text(key) {
    return (config.text && config.text[key]) || "";
  }

  // The polite live region in base.html; emptied first so the same words are announced again.
  // A newer message replaces one not yet said.
  var unsaid = null; // {message, timer}: the last message, until it is said

  function announce(message) {
    var live = document.getElementById("live-region");
    if (!live || !message) {
      return;
    }
    cancelAnnouncement();
    live.textContent = "";
    unsaid = {
      message: message,
      timer: window.setTimeout(function () {
        unsaid = null;
        live.textContent = message;
      }, 50),
    };
  }

  // A message about a wait that is already over ("Saving…" for a save answered within 50 ms)
  // is not said at all: said after the next page appeared, it would tell of something past.
  // With `message`, only that one (another, queued since, is still said).
  function cancelAnnouncement(message) {
    if (unsaid && (!message || unsaid.message === message)) {
      window.clearTimeout(unsaid.timer);
      unsaid = null;
    }
  }

  // Whether the server answered with success. htmx leaves detail.successful unset when the
  // answer is an HX-Redirect, so the status is read instead.
  function answered(detail) {
    return Boolean(detail.xhr && detail.xhr.status >= 200 && detail.xhr.status < 300);
  }

  function paragraph(message) {
    var element = document.createElement("p");
    element.textContent = message;
    return element;
  }

  // Focus: an error summary takes it so screen readers announce it (GOV.UK pattern); a page
  // htmx swaps in whole (the next step) starts at the top, with focus on its heading, as a
  // full page load would.
  (function () {
    function focusErrorSummary(root) {
      var summary = (root || document).querySelector("[data-error-summary]");
      if (summary) {
        summary.focus();
      }
      return summary;
    }

    function focusPageStart(page) {
      window.scrollTo(0, 0);
      if (focusErrorSummary(page)) {
        return;
      }
      var heading = page.querySelector("main h1");
      if (heading && heading.closest("fieldset")) {
        // A question that is the page's heading sits in its radio group's legend: focus there
        // would be inside the group before any radio, so <main>, which that heading begins,
        // takes it instead.
        heading = document.getElementById("main");
      }
      if (heading) {
        if (!heading.hasAttribute("tabindex")) {
          heading.setAttribute("tabindex", "-1");
        }
        heading.focus();
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
      if (target && target.id === "page") {
        cancelAnnouncement();
        focusPageStart(target);
      } else if (target) {
        focusErrorSummary(target);
      }
    });
  })();

  // The home page: a Copy button for the home id (shown only when the clipboard can be used),
  // and focus kept on the price chart after htmx swaps it in.
  (function () {
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
  // (its data-busy-label, e.g. "Checking…"), and the live region announces it. If the wait goes
  // on, the button's data-slow-message shows beside it. If the request never reaches the server,
  // the page says so beside the button, and offers to send again once the connection is back.
  // The server's exactly-once guard stays the real protection; this only shows the wait.
  (function () {
    var pressed = new WeakMap(); // form -> the button that sent it
    var busyLabels = new WeakMap(); // form -> the words announced while it waits
    var slowTimers = new WeakMap();
    var failed = null; // {form, button, notice}: the last form that could not be sent

    function submitButtons(form) {
      return form.querySelectorAll("button:not([type]), button[type='submit'], input[type='submit']");
    }

    // One message per form, beside its buttons: slow, or not sent.
    function showNotice(form, button, message, kind) {
      var notice = form.querySelector("[data-request-notice]");
      if (!notice) {
        notice = document.createElement("div");
        notice.setAttribute("data-request-notice", "");
        var anchor = (button && (button.closest(".button-group") || button)) || form.lastElementChild;
        anchor.insertAdjacentElement("afterend", notice);
      }
      notice.className = "request-notice request-notice--" + kind;
      notice.setAttribute("data-kind", kind);
      notice.replaceChildren(paragraph(message));
      announce(message);
      return notice;
    }

    function removeNotice(form, kind) {
      var notice = form.querySelector("[data-request-notice]");
      if (notice && (!kind || notice.getAttribute("data-kind") === kind)) {
        notice.remove();
      }
    }

    function setBusy(form, submitter) {
      form.setAttribute("aria-busy", "true");
      form.setAttribute("data-submitting", "");
      removeNotice(form);
      var button = submitter && form.contains(submitter) ? submitter : null;
      pressed.set(form, button);
      var label = (button && button.getAttribute("data-busy-label")) || form.getAttribute("data-busy-label");
      if (button && label && button.tagName === "BUTTON") {
        button.setAttribute("data-idle-label", button.textContent);
        button.textContent = label;
      }
      if (label) {
        busyLabels.set(form, label);
        announce(label);
      }
      var slow = button && button.getAttribute("data-slow-message");
      if (slow) {
        slowTimers.set(form, window.setTimeout(function () {
          showNotice(form, button, slow, "slow");
        }, config.slowAfterMs || 4000));
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
      if (busyLabels.has(form)) {
        cancelAnnouncement(busyLabels.get(form));
        busyLabels.delete(form);
      }
      window.clearTimeout(slowTimers.get(form));
      removeNotice(form, "slow");
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

    function notSent(form, reason) {
      clearBusy(form);
      var button = pressed.get(form);
      failed = { form: form, button: button, notice: showNotice(form, button, text(reason), "failed") };
      // The button was disabled while busy, which took focus away from it.
      if (button && (!document.activeElement || document.activeElement === document.body)) {
        button.focus();
      }
    }

    // A lookup (the ZIP code's place, a utility's plans) that could not be made: its result
    // region says so instead of showing an answer for what was there before.
    function lookupFailed(target) {
      if (!target || !target.isConnected) {
        announce(text("lookupFailed"));
        return;
      }
      var note = paragraph(text("lookupFailed"));
      note.className = "hint";
      target.replaceChildren(note);
      if (!target.closest("[aria-live]")) {
        announce(text("lookupFailed")); // a live result region announces it already
      }
    }

    function requestFailed(event, reason) {
      var elt = event.detail.elt;
      if (elt.tagName === "FORM") {
        notSent(elt, reason);
      } else {
        lookupFailed(event.detail.target);
      }
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
      if (navigator.onLine === false) {
        // A plain form sent now would only show the browser's error page: stay, and say so.
        event.preventDefault();
        pressed.set(form, event.submitter);
        notSent(form, "offline");
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
      if (answered(event.detail) && xhr.getResponseHeader("HX-Redirect")) {
        return;
      }
      clearBusy(form);
    });

    document.addEventListener("htmx:sendError", function (event) {
      requestFailed(event, "offline");
    });
    document.addEventListener("htmx:timeout", function (event) {
      requestFailed(event, "timeout");
    });

    // A plain form the service worker could not send (sw.js answered 204, so this page stayed).
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (!event.data || event.data.type !== "send-failed") {
          return;
        }
        document.querySelectorAll("form[data-submitting]").forEach(function (form) {
          if (form.action === event.data.url) {
            notSent(form, "offline");
          }
        });
      });
    }

    // The connection is back: offer to send what could not be sent, with the same button.
    window.addEventListener("online", function () {
      if (!failed || !failed.notice.isConnected || !failed.button) {
        return;
      }
      var form = failed.form;
      var button = failed.button;
      var again = document.createElement("button");
      again.type = "button";
      again.className = "button";
      again.textContent = text(form.hasAttribute("data-draft-key") ? "sendAnswers" : "tryAgain");
      again.addEventListener("click", function () {
        removeNotice(form);
        button.click();
      });
      failed.notice.replaceChildren(paragraph(text("backOnline")), again);
      announce(text("backOnline") + " " + again.textContent);
    });

    // Back to a page kept in the back-forward cache: its forms are usable again.
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-submitting]").forEach(clearBusy);
    });
  })();

  // Answers typed but not sent yet live in localStorage, one entry per onboarding and step
  // (the form's data-draft-key), holding only the step's questions (data-draft-fields): no
  // CSRF token, no hidden field. The entry goes as soon as the server has the answers (it says
  // so with the Answers-Saved header), or when they match what the server shows. A step page
  // whose entry differs from what it shows puts the entry's answers back, and says so.
  (function () {
    var shown = {}; // draft key -> the answers the server showed when the page came
    var pending = {}; // draft key -> restored answers whose question is not on the page yet

    function storage() {
      try {
        return window.localStorage;
      } catch (error) {
        return null; // storage refused (private mode, settings): drafts are simply not kept
      }
    }

    function read(key) {
      try {
        return JSON.parse(storage().getItem(key));
      } catch (error) {
        return null;
      }
    }

    function forget(key) {
      var store = storage();
      if (store) {
        store.removeItem(key);
      }
    }

    // {name: [values]} for each of the step's questions on the page, as the form would send it.
    function answers(form) {
      var data = new FormData(form);
      var result = {};
      form.getAttribute("data-draft-fields").split(" ").forEach(function (name) {
        if (name && form.elements.namedItem(name)) {
          result[name] = data.getAll(name).filter(function (value) {
            return typeof value === "string";
          });
        }
      });
      return result;
    }

    function differs(draft, reference) {
      return Object.keys(draft).some(function (name) {
        return JSON.stringify(draft[name]) !== JSON.stringify(reference[name] || []);
      });
    }

    function save(form) {
      var key = form.getAttribute("data-draft-key");
      var store = storage();
      if (!store) {
        return;
      }
      var draft = Object.assign({}, pending[key] || {}, answers(form));
      if (differs(draft, shown[key] || {})) {
        try {
          store.setItem(key, JSON.stringify(draft));
        } catch (error) {
          // storage full: the answers stay on the page, as without this script
        }
      } else {
        store.removeItem(key);
      }
    }

    // Puts each answer into its question; returns those whose question (or option) is not on
    // the page yet, such as a plan whose utility's plans are still being fetched.
    function fill(form, draft) {
      var missing = {};
      Object.keys(draft).forEach(function (name) {
        var values = draft[name];
        var field = form.elements.namedItem(name);
        var choices = field && (field.length !== undefined && !field.options ? Array.from(field) : [field]);
        if (!choices || !choices.length) {
          missing[name] = values;
          return;
        }
        if (choices[0].type === "radio" || choices[0].type === "checkbox") {
          var known = values.every(function (value) {
            return choices.some(function (choice) { return choice.value === value; });
          });
          if (!known) {
            missing[name] = values;
            return;
          }
          choices.forEach(function (choice) {
            var checked = values.indexOf(choice.value) !== -1;
            if (choice.checked !== checked) {
              choice.checked = checked;
              // A utility's change fetches its plans (htmx), as if it were chosen by hand.
              if (checked) {
                choice.dispatchEvent(new Event("change", { bubbles: true }));
              }
            }
          });
        } else if (choices[0].value !== (values[0] || "")) {
          choices[0].value = values[0] || "";
          // The ZIP code's input fetches its place and utilities (htmx).
          choices[0].dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      return missing;
    }

    function sayRestored(form) {
      var notice = document.createElement("div");
      notice.className = "notice draft-notice";
      notice.setAttribute("data-draft-notice", "");
      notice.appendChild(paragraph(text("restored")));
      var first = Array.from(form.children).find(function (child) {
        return !child.matches("input[type='hidden'], [data-error-summary]");
      });
      form.insertBefore(notice, first || null);
      announce(text("restored"));
    }

    // A step page has arrived (loaded, or swapped in by htmx): note what the server shows,
    // and put back answers on this phone that differ from it.
    function arrive(root) {
      root.querySelectorAll("form[data-draft-key]").forEach(function (form) {
        var key = form.getAttribute("data-draft-key");
        shown[key] = answers(form);
        var draft = read(key);
        if (!draft || typeof draft !== "object" || !differs(draft, shown[key])) {
          forget(key);
          return;
        }
        pending[key] = fill(form, draft);
        save(form);
        sayRestored(form);
      });
    }

    // An onboarding that was sent, or discarded: none of its steps' answers can be sent now.
    function forgetOnboarding(publicId) {
      var store = storage();
      var prefix = "wattshift:draft:" + publicId + ":";
      if (!store) {
        return;
      }
      Object.keys(store).filter(function (key) {
        return key.indexOf(prefix) === 0;
      }).forEach(function (key) {
        store.removeItem(key);
      });
    }

    function onEdit(event) {
      var form = event.target.form;
      if (form && form.hasAttribute("data-draft-key") && event.target.name) {
        save(form);
      }
    }
    document.addEventListener("input", onEdit);
    document.addEventListener("change", onEdit);

    document.addEventListener("DOMContentLoaded", function () {
      arrive(document);
      document.querySelectorAll("[data-drafts-done]").forEach(function (element) {
        forgetOnboarding(element.getAttribute("data-drafts-done"));
      });
    });

    document.addEventListener("submit", function (event) {
      var publicId = event.target.getAttribute("data-drafts-done-on-submit");
      if (publicId && navigator.onLine !== false) {
        forgetOnboarding(publicId);
      }
    });

    document.addEventListener("htmx:afterRequest", function (event) {
      // The form that sent it: once the next page replaced it, htmx reports on <body> instead.
      var form = event.detail.requestConfig && event.detail.requestConfig.elt;
      var xhr = event.detail.xhr;
      if (form && form.tagName === "FORM" && form.hasAttribute("data-draft-key") &&
          answered(event.detail) && xhr.getResponseHeader("Answers-Saved")) {
        var key = form.getAttribute("data-draft-key");
        forget(key);
        delete pending[key];
      }
    });

    document.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail.target;
      if (!target.isConnected && target.id) {
        target = document.getElementById(target.id);
      }
      if (!target) {
        return;
      }
      if (target.id === "page") {
        arrive(target);
        return;
      }
      // New questions arrived in a step's form (a utility's plans): restored answers for them.
      var form = target.closest("form[data-draft-key]") || target.querySelector("form[data-draft-key]");
      var key = form && form.getAttribute("data-draft-key");
      if (key && pending[key]) {
        var waiting = pending[key];
        delete pending[key];
        fill(form, waiting);
        save(form);
      }
    });
  })();

  // The service worker keeps the static files and the offline page (sw.js says what it does).
  if ("serviceWorker" in navigator && config.serviceWorker) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        // A worker that became active while this page was loading (the first visit, moving
        // from the sign-in page) did not claim it: ask it to, so it answers this page too.
        if (!navigator.serviceWorker.controller && registration.active) {
          registration.active.postMessage({ type: "claim" });
        }
      }).catch(function () {
        // No service worker (not HTTPS, or refused): pages work as before, only not offline.
      });
    });
  }
})();
