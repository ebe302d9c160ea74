// Draw each chart from its JSON spec; a point that carries a URL (customdata) opens it when selected.
"use strict";
(function () {
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage", "lasso2d", "select2d"] };
  document.querySelectorAll("script.chart-spec").forEach(function (node) {
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
