// Exoclinic's small behaviours. No inline script anywhere: the Content Security Policy forbids it.
document.addEventListener("htmx:configRequest", (event) => {
  // htmx requests carry the CSRF token from the meta tag the base template writes.
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
// A passkey just added: reload, so the page lists it (and shows the recovery codes the first time).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
