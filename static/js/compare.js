// Before-and-after slider: the after photo is shown over the before one up to the slider's
// position. Without this script the two photos stay side by side, which says the same.
(function () {
  "use strict";
  function setUp(slider) {
    var after = slider.querySelector(".compare-after");
    var range = slider.querySelector("input[type=range]");
    function show() {
      after.style.clipPath = "inset(0 " + (100 - Number(range.value)) + "% 0 0)";
    }
    range.addEventListener("input", show);
    slider.hidden = false;
    show();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-compare-slider]").forEach(setUp);
  });
})();
