// Progressive enhancement for the contest page: a live count of the
// characters left in a textarea that has data-counter="<id of the output>".
// Without this script the page states the limit and the server checks it.
(function () {
  "use strict";
  var areas = document.querySelectorAll("textarea[data-counter]");
  Array.prototype.forEach.call(areas, function (area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!out || !max) { return; }
    var one = out.getAttribute("data-left-one"), other = out.getAttribute("data-left-other");
    var update = function () {
      var left = max - Array.from(area.value).length;
      if (left < 0) { left = 0; }
      out.textContent = (left === 1 ? one : other).replace("#", String(left));
    };
    out.hidden = false;
    area.addEventListener("input", update);
    update();
  });
})();
