// PSMA's progressive enhancement. Every page works without this file; with it, dates and
// times read in the visitor's own locale and time zone. No inline script anywhere: the
// pages' Content Security Policy allows scripts from this server only.
"use strict";
(function () {
  var dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
  var instantFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  // <time datetime="2026-12-03"> is a calendar day: localised, never shifted by a time zone.
  // <time datetime="2026-12-03T14:05:00Z" data-instant> is a moment: shown in the local zone.
  function localiseTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var value = el.getAttribute("datetime");
      var instant = el.hasAttribute("data-instant");
      var date = new Date(instant ? value : value + "T00:00:00Z");
      if (isNaN(date.getTime())) { return; }
      el.textContent = (instant ? instantFormat : dateFormat).format(date);
      if (instant) { el.title = value; }
    });
  }

  // Copy buttons: hidden without JavaScript (the read-only field can still be selected).
  function enableCopy(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = root.querySelector('[data-copied="' + button.getAttribute("data-copy") + '"]');
      if (!field || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) { status.textContent = "Copied."; }
        }, function () {
          field.select();
          if (status) { status.textContent = "Select the link and copy it."; }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localiseTimes(document);
    enableCopy(document);
  });
})();
