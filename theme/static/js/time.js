// Optional: shows "3 hr. ago" beside absolute times and keeps it current.
// Pages are complete without it: every <time> carries its absolute time.
(function () {
  "use strict";
  var units = [["day", 86400], ["hr.", 3600], ["min.", 60]];
  function ago(seconds) {
    if (seconds < 60) return "just now";
    for (var i = 0; i < units.length; i++) {
      var n = Math.floor(seconds / units[i][1]);
      if (n >= 1) return n + " " + units[i][0] + (units[i][0] === "day" && n > 1 ? "s" : "") + " ago";
    }
    return "";
  }
  function update() {
    var now = Date.now();
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var then = Date.parse(el.getAttribute("datetime"));
      if (isNaN(then) || then > now) return;
      if (!el.title) el.title = el.textContent;
      el.textContent = ago((now - then) / 1000);
    });
  }
  update();
  setInterval(update, 60000);
})();
