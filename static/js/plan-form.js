// The plan page: what the user types is never replaced.
//
// The live recommendation (htmx) swaps the recommendation panel only. The route's own fields
// (a needle depth per treated area, the laser settings) are all on the page from the start and
// shown or hidden here, in the browser, as the route and areas change: nothing the user typed is
// ever re-rendered by a refresh. A hidden field is disabled, so it is not sent either.
//
// The refreshed panel carries each route's label and whether it is blocked for the current
// choices; the route buttons take them from there (a blocked route cannot be chosen).
(() => {
  const form = () => document.getElementById("plan-form");

  function chosen(name) {
    return Array.from(form().querySelectorAll(`input[name="${name}"]:checked`), (i) => i.value);
  }

  function syncRouteDetails() {
    const details = document.getElementById("route-details");
    if (!details) return;
    const route = chosen("route")[0] || "";
    const areas = chosen("areas");
    details.querySelectorAll("[data-route-only]").forEach((el) => {
      el.hidden = el.dataset.routeOnly !== route;
    });
    details.querySelectorAll("[data-area-only]").forEach((el) => {
      el.hidden = !areas.includes(el.dataset.areaOnly);
    });
    details.querySelectorAll("[data-no-area]").forEach((el) => {
      el.hidden = areas.length > 0;
    });
    details.querySelectorAll("input, textarea, select").forEach((input) => {
      input.disabled = input.closest("[hidden]") !== null;
    });
  }

  // An answer is for the product and areas it was asked with. One that no longer matches the
  // page (the user changed them meanwhile; the newer request is queued behind it) is shown in the
  // panel until the newer one arrives, but never changes the route buttons.
  function isCurrent(states) {
    const product = form().querySelector('select[name="product"]');
    const areas = chosen("areas").sort().join(" ");
    const asked = (states.dataset.forAreas || "").split(" ").filter(Boolean).sort().join(" ");
    return (product ? product.value : "") === states.dataset.forProduct && areas === asked;
  }

  function applyRouteStates(panel) {
    const states = panel.querySelector("[data-route-states]");
    if (!states || !isCurrent(states)) return;
    states.querySelectorAll("[data-route]").forEach((state) => {
      const radio = form().querySelector(`input[name="route"][value="${state.dataset.route}"]`);
      if (!radio) return;
      const label = form().querySelector(`label[for="${radio.id}"]`);
      if (label) label.textContent = state.dataset.label;
      const blocked = state.hasAttribute("data-blocked");
      if (blocked && radio.checked) radio.checked = false; // the status line says so
      radio.disabled = blocked;
    });
    syncRouteDetails();
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!form()) return;
    syncRouteDetails();
    form().addEventListener("change", syncRouteDetails);
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "recommendation" && form()) {
      applyRouteStates(event.detail.target);
    }
  });
})();
