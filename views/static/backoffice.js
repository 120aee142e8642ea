// Back office progressive enhancement. Without it every page still works:
// the timeline has a Refresh link, the link page shows the URL to select.
(function () {
  "use strict";

  // Live timeline: every 5 seconds fetch the timeline page and swap the
  // list in, while the tab is visible. A signed-out or failing answer stops
  // nothing: the next tick tries again, the Refresh link still works.
  var box = document.getElementById("timeline");
  if (box && box.dataset.src && window.fetch && window.DOMParser) {
    var status = document.getElementById("timeline-status");
    var refresh = function () {
      if (document.hidden) { return; }
      fetch(box.dataset.src, { credentials: "same-origin", headers: { "X-Reglo-Fragment": "1" } })
        .then(function (res) { if (!res.ok) { throw new Error(res.status); } return res.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("timeline");
          if (fresh && fresh.innerHTML !== box.innerHTML) { box.innerHTML = fresh.innerHTML; }
          if (status) { status.textContent = ""; }
        })
        .catch(function () { if (status) { status.textContent = "…"; } });
    };
    window.setInterval(refresh, 5000);
  }

  // Copy buttons: shown only when the clipboard can be written.
  var buttons = document.querySelectorAll("[data-copy]");
  if (navigator.clipboard && navigator.clipboard.writeText) {
    buttons.forEach(function (b) {
      var input = document.getElementById(b.dataset.copy);
      if (!input) { return; }
      b.hidden = false;
      var label = b.textContent;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          b.textContent = "✓ " + label;
        });
      });
    });
  }
})();
