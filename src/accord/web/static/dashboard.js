// Draw each chart from its JSON spec; a point that carries a URL (customdata) opens it when selected.
"use strict";
var accordCharts = (function () {
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage", "lasso2d", "select2d"] };
  function draw(root) {
    root.querySelectorAll("script.chart-spec").forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (!target || typeof Plotly === "undefined") { return; }
      var spec = JSON.parse(node.textContent);
      spec.layout.font = { family: "system-ui, sans-serif", size: 13, color: "#1f2328" };
      spec.layout.autosize = true;
      Plotly.newPlot(target, spec.data, spec.layout, config).then(function () {
        target.dataset.ready = "true";
      });
      target.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var url = point && point.customdata;
        // Only a page of this site or an http(s) link: never a javascript: or data: URL.
        if (typeof url === "string" && /^(https?:\/\/|\/(?!\/))/i.test(url)) { window.location.href = url; }
      });
    });
  }
  function purge(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll(".plot").forEach(function (plot) { Plotly.purge(plot); });
  }
  draw(document);
  return { draw: draw, purge: purge };
})();

// A running simulation: poll its progress, then show the results.
(function () {
  var bar = document.querySelector("progress[data-progress-url]");
  if (!bar || bar.dataset.state === "done" || bar.dataset.state === "failed") { return; }
  var text = document.getElementById("progress-text");
  function poll() {
    fetch(bar.dataset.progressUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (p) {
      bar.max = p.total; bar.value = p.done;
      text.textContent = p.done + " of " + p.total + " negotiations: " + p.state;
      if (p.state === "done" || p.state === "failed") { window.location.reload(); } else { setTimeout(poll, 400); }
    });
  }
  setTimeout(poll, 200);
})();


// The news review: the sentence of the draft being looked at is marked in the article.
(function () {
  var drafts = document.querySelectorAll("fieldset.draft[data-sentence]");
  if (!drafts.length) { return; }
  function show(fieldset) {
    document.querySelectorAll(".article-body mark.current").forEach(function (m) { m.classList.remove("current"); });
    var mark = document.getElementById(fieldset.dataset.sentence);
    if (!mark) { return; }
    mark.classList.add("current");
    mark.scrollIntoView({ block: "nearest" });
  }
  drafts.forEach(function (fieldset) {
    fieldset.addEventListener("focusin", function () { show(fieldset); });
    fieldset.addEventListener("mouseenter", function () { show(fieldset); });
  });
})();

// A live page (overview, timeline): its event stream sends the live region again, rebuilt for this
// user, whenever what it shows changes (accord.web.live). One stream per page, closed while the tab
// is hidden (and caught up when it shows again), reopened with a growing delay after a failure.
(function () {
  var region = document.querySelector(".live[data-live-url]");
  if (!region || typeof EventSource === "undefined") { return; }
  var body = region.querySelector(".live-body");
  var notice = region.querySelector(".live-notice");
  var since = region.dataset.liveSince, digest = region.dataset.liveDigest;
  var source = null, timer = null, failures = 0, stopped = false;
  region.dataset.liveUpdates = "0";

  function address() {
    var url = new URL(region.dataset.liveUrl, window.location.href);
    if (since) { url.searchParams.set("since", since); }
    if (digest) { url.searchParams.set("digest", digest); }
    return url.toString();
  }
  function state(name) { region.dataset.liveState = name; }
  function close() {
    if (source) { source.close(); source = null; }
    if (timer) { clearTimeout(timer); timer = null; }
  }
  function later(delay) {
    close();
    if (!stopped) { state("waiting"); timer = setTimeout(open, delay); }
  }
  function backoff() {
    failures += 1;
    var delay = Math.min(60000, 1000 * Math.pow(2, failures - 1));
    return delay / 2 + Math.random() * delay / 2;
  }
  function open() {
    timer = null;
    if (stopped || source || document.hidden) { return; }
    source = new EventSource(address());
    state("connecting");
    source.addEventListener("open", function () { failures = 0; state("open"); });
    source.addEventListener("update", function (event) { apply(JSON.parse(event.data)); });
    source.addEventListener("end", function (event) {
      var end = JSON.parse(event.data);
      if (end.reconnect) { later(end.reason === "renew" ? 0 : backoff()); return; }
      stopped = true;
      close();
      state("ended");
      if (end.message) { notice.textContent = "Live updates stopped: " + end.message; }
    });
    source.addEventListener("error", function () {
      var refused = source && source.readyState === EventSource.CLOSED && region.dataset.liveState === "connecting";
      later(backoff());
      if (refused) { ask(); }
    });
  }
  // The stream was refused (EventSource does not say why): one plain request tells, and a page
  // whose user signed out or lost their role stops asking.
  function ask() {
    fetch(address(), { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (r.status === 401 || r.status === 404) {
        stopped = true;
        close();
        state("ended");
        notice.textContent = "Live updates stopped: " +
          (r.status === 401 ? "you are signed out; sign in again to see updates." : "you no longer have a role in this case.");
      }
    }).catch(function () { /* the server is away: keep trying with the delay */ });
  }

  // The open <details> of the region, by the section they are in and their place there.
  function openDetails() {
    var keys = {};
    body.querySelectorAll("details[open]").forEach(function (node) { keys[detailsKey(node)] = true; });
    return keys;
  }
  function detailsKey(node) {
    var section = node.closest("section");
    var all = Array.prototype.slice.call((section || body).querySelectorAll("details"));
    return (section ? section.getAttribute("aria-labelledby") : "") + "#" + all.indexOf(node);
  }

  function apply(update) {
    var x = window.scrollX, y = window.scrollY;
    var opened = openDetails();
    body.style.minHeight = body.offsetHeight + "px"; // no jump while the charts are drawn again
    accordCharts.purge(body);
    body.innerHTML = update.html;
    body.querySelectorAll("details").forEach(function (node) { if (opened[detailsKey(node)]) { node.open = true; } });
    accordCharts.draw(body);
    window.scrollTo(x, y);
    setTimeout(function () { body.style.minHeight = ""; }, 1000);
    since = String(update.version);
    digest = update.digest;
    var picker = document.getElementById("as_of");
    if (update.as_of && picker && document.activeElement !== picker) { picker.value = update.as_of; }
    region.dataset.liveUpdates = String(Number(region.dataset.liveUpdates) + 1);
    var now = new Date();
    notice.textContent = "Updated at " + now.toLocaleTimeString() + " with the latest on the record.";
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { close(); state("paused"); } else if (!stopped && !source && !timer) { open(); }
  });
  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", function (event) { if (event.persisted && !stopped) { open(); } });
  open();
})();
