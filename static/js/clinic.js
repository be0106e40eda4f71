// Exoclinic's small behaviours. No inline script anywhere: the Content Security Policy forbids it.
document.addEventListener("htmx:configRequest", (event) => {
  // htmx requests carry the CSRF token from the meta tag the base template writes.
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
// A passkey just added: reload, so the page lists it (and shows the recovery codes the first time).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());

// A field marked hx-preserve keeps what someone typed into it while a swap was on its way (the
// calendar's date): htmx keeps the old element when the new content has one of the same id. A
// field nobody touched since the request left is let go (its id taken away just before the swap),
// so that it shows what the new content says, and gets the focus back if it had it.
const PRESERVED = "[hx-preserve]";
let refocus = null;

document.addEventListener("htmx:beforeRequest", (event) => {
  for (const field of event.detail.target.querySelectorAll(PRESERVED)) delete field.dataset.typed;
});

for (const kind of ["keydown", "input", "change"]) {
  document.addEventListener(kind, (event) => {
    if (event.target instanceof Element && event.target.matches(PRESERVED)) {
      event.target.dataset.typed = "true";
    }
  }, true);
}

document.addEventListener("htmx:beforeSwap", (event) => {
  if (!event.detail.shouldSwap || !event.detail.target) return;
  for (const field of event.detail.target.querySelectorAll(PRESERVED)) {
    if (field.dataset.typed) continue;
    if (document.activeElement === field) refocus = field.id;
    field.removeAttribute("id");
  }
});

document.addEventListener("htmx:afterSettle", () => {
  if (refocus === null) return;
  document.getElementById(refocus)?.focus();
  refocus = null;
});
