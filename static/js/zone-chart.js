// The face chart (templates/components/zone_chart.html): each zone the form offers becomes a
// toggle button of its checkbox, operable by mouse, touch and keyboard (Tab, then Space or
// Enter). The checkboxes stay the record: without this script they are the whole control.
(function () {
  "use strict";

  function setUp(chart) {
    if (chart.dataset.zoneReady) {
      return;
    }
    chart.dataset.zoneReady = "1";
    var svg = chart.querySelector("[data-zone-svg]");
    var scope = chart.closest("form") || document;
    var boxes = {};
    scope.querySelectorAll('input[type=checkbox][name="' + chart.dataset.zoneField + '"]').forEach(
      function (box) {
        boxes[box.value] = box;
      }
    );
    svg.querySelectorAll("[data-zone]").forEach(function (shape) {
      var box = boxes[shape.dataset.zone];
      if (!box) {
        shape.classList.add("zone-off");
        return;
      }
      shape.classList.remove("zone-off");
      shape.setAttribute("tabindex", "0");
      shape.setAttribute("role", "button");
      shape.setAttribute("aria-label", shape.dataset.label);
      function sync() {
        shape.setAttribute("aria-pressed", box.checked ? "true" : "false");
      }
      function toggle() {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
      shape.addEventListener("click", toggle);
      shape.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Enter") {
          event.preventDefault();
          toggle();
        }
      });
      box.addEventListener("change", sync);
      sync();
    });
    svg.removeAttribute("aria-hidden");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", svg.dataset.zoneLegend + ": face chart");
    svg.removeAttribute("hidden");
    var help = chart.querySelector(".zone-chart-help");
    if (help) {
      help.hidden = false;
    }
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-zone-chart]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUpAll();
    });
  } else {
    setUpAll();
  }
  // A chart inside content that htmx swaps in.
  document.addEventListener("htmx:afterSettle", function (event) {
    setUpAll(event.target);
  });
})();
