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

  // The plan timeline: hovering or focusing a bar shows its step's explanation (rationale,
  // assumptions, evidence) beside it; a tap follows the link to the same explanation below.
  var popover = null;

  function hidePopover() {
    if (popover) { popover.remove(); popover = null; }
  }

  function showPopover(bar) {
    var step = document.getElementById(bar.getAttribute("data-step"));
    if (!step) { return; }
    hidePopover();
    popover = document.createElement("div");
    popover.className = "tl-popover";
    popover.id = "tl-popover";
    Array.prototype.forEach.call(step.children, function (child) {
      if (child.tagName !== "DETAILS") { popover.appendChild(child.cloneNode(true)); }
    });
    document.body.appendChild(popover);
    var box = bar.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.min(Math.max(8, box.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - width - 8);
    popover.style.left = left + "px";
    popover.style.top = (box.bottom + window.scrollY + 8) + "px";
    bar.setAttribute("aria-describedby", "tl-popover");
  }

  function enableTimeline(root) {
    root.querySelectorAll("a.tl-bar").forEach(function (bar) {
      bar.addEventListener("mouseenter", function () { showPopover(bar); });
      bar.addEventListener("focus", function () { showPopover(bar); });
      bar.addEventListener("mouseleave", function () { hidePopover(); bar.removeAttribute("aria-describedby"); });
      bar.addEventListener("blur", function () { hidePopover(); bar.removeAttribute("aria-describedby"); });
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hidePopover(); }
  });

  // Live updates (server-sent events from /events): a region marked data-live="plan" or
  // "runs" is fetched again and swapped in place; elsewhere a notice says what changed. One
  // stream per visible tab (closed while hidden: browsers allow few connections per server).
  var live = null;
  var notice = null;

  function announce(text, href, linkText) {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "notice ok live-notice";
      notice.setAttribute("role", "status");
      var main = document.getElementById("main");
      main.insertBefore(notice, main.firstChild);
    }
    notice.textContent = text + " ";
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = linkText;
      notice.appendChild(link);
    }
  }

  function refreshRegion(name, then) {
    var region = document.querySelector('[data-live="' + name + '"]');
    if (!region) { return false; }
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector('[data-live="' + name + '"]');
        if (fresh) {
          hidePopover();
          region.replaceWith(fresh);
          localiseTimes(fresh);
          enableTimeline(fresh);
          if (then) { then(); }
        }
      })
      .catch(function () { /* the next event tries again */ });
    return true;
  }

  // The page says where its stream starts (when its request arrived): an event recorded while
  // it rendered and this script loaded is then heard too.
  var lastId = document.body.getAttribute("data-live-from") || "";
  var retryTimer = null;

  function connect() {
    if (live || !window.EventSource || document.body.hasAttribute("data-no-live")) { return; }
    // Coming back to a hidden tab: resume after the last event this page heard.
    live = new EventSource(lastId ? "/events?last=" + encodeURIComponent(lastId) : "/events");
    live.onmessage = function (e) { if (e.lastEventId) { lastId = e.lastEventId; } };
    live.onerror = function () {
      // The browser retries by itself unless the server refused the stream (a lapsed hosted
      // session answers 401): then renew the session and come back a little later.
      if (live && live.readyState === EventSource.CLOSED) {
        disconnect();
        if (retryTimer) { return; }
        retryTimer = setTimeout(function () {
          retryTimer = null;
          fetch("/session/renew?next=%2F", { credentials: "same-origin", redirect: "follow" })
            .finally(function () { if (!document.hidden) { connect(); } });
        }, 10000);
      }
    };
    ["plan", "refresh", "advice"].forEach(function (name) {
      live.addEventListener(name, function (e) { if (e.lastEventId) { lastId = e.lastEventId; } });
    });
    live.addEventListener("plan", function () {
      if (!refreshRegion("plan", function () { announce("Your plan was updated just now."); })) {
        announce("Your plan changed.", "/plan/delta", "See what changed");
      }
    });
    live.addEventListener("refresh", function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { /* keep the default text */ }
      if (!refreshRegion("runs")) {
        announce("A catalog refresh finished" + (data.source_id ? " (" + data.source_id + ")" : "") + ".", "/providers", "See the runs");
      }
    });
    live.addEventListener("advice", function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { return; }
      if (data.pending > 0 && window.location.pathname !== "/advice") {
        announce("You have advice to decide (" + data.pending + ").", "/advice", "Open the advice");
      } else if (window.location.pathname === "/advice") {
        announce("The advice changed.", "/advice", "Show it");
      }
    });
  }

  function disconnect() {
    if (live) { live.close(); live = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { disconnect(); } else { connect(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    localiseTimes(document);
    enableCopy(document);
    enableTimeline(document);
    if (!document.hidden) { connect(); }
  });
})();
