// The reading room's countdowns, live: the page already says when each embargo lifts, in
// words; this only keeps the "in 5 minutes" part current, once a second, in the page's
// language. Without it nothing is lost.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fi";
  var format = typeof Intl !== "undefined" && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  if (!format) { return; }
  var spans = document.querySelectorAll(".countdown[data-lift]");
  function tick() {
    var now = Date.now();
    spans.forEach(function (span) {
      var seconds = Math.round((Date.parse(span.dataset.lift) - now) / 1000);
      var units = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
      for (var i = 0; i < units.length; i++) {
        if (Math.abs(seconds) >= units[i][1] || units[i][0] === "second") {
          span.textContent = format.format(Math.trunc(seconds / units[i][1]), units[i][0]);
          break;
        }
      }
    });
  }
  if (spans.length) { tick(); setInterval(tick, 1000); }
})();
