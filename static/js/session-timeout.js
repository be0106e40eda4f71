// Warns a minute before the login ends (idle or the daily limit) and keeps it alive on request,
// in a dialog over the page: whatever was being typed stays where it is. Typing counts as being
// there too: it keeps the session alive in the background at most every five minutes.
(() => {
  const body = document.body;
  const url = body.dataset.sessionUrl;
  const dialog = document.getElementById("session-warning");
  if (!url || !dialog) return;
  const WARN_BEFORE = 60 * 1000;
  const TYPING_PING_EVERY = 5 * 60 * 1000;
  let warnTimer = null;
  let endTimer = null;
  let lastPing = Date.now();

  const token = () => document.querySelector("meta[name=csrf-token]")?.content || "";

  async function ask(method) {
    const response = await fetch(url, {
      method,
      headers: { "X-CSRFToken": token(), Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (!response.ok) return { seconds_left: 0, extendable: false };
    return response.json();
  }

  function schedule(state) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    const left = state.seconds_left * 1000;
    if (left <= 0) {
      window.location.reload();
      return;
    }
    warnTimer = setTimeout(() => warn(state.extendable), Math.max(left - WARN_BEFORE, 0));
    endTimer = setTimeout(ended, left);
  }

  function warn(extendable) {
    const text = document.getElementById("session-warning-text");
    const stay = dialog.querySelector("[data-session-stay]");
    text.textContent = extendable
      ? "For patients' privacy you will be logged out in a minute. Anything you have typed stays here."
      : "You have been logged in for the longest time allowed: you will be logged out in a minute. Save your work now.";
    stay.hidden = !extendable;
    if (!dialog.open) dialog.showModal();
  }

  async function ended() {
    // Another tab may have kept the session alive: ask before leaving the page.
    const state = await ask("GET");
    if (state.seconds_left > 0) {
      schedule(state);
      return;
    }
    window.location.reload();
  }

  async function keepAlive() {
    lastPing = Date.now();
    schedule(await ask("POST"));
  }

  dialog.querySelector("[data-session-stay]").addEventListener("click", async () => {
    dialog.close();
    await keepAlive();
  });
  dialog.querySelector("[data-session-close]").addEventListener("click", () => dialog.close());
  document.addEventListener("input", () => {
    if (Date.now() - lastPing > TYPING_PING_EVERY) keepAlive();
  });
  ask("GET").then(schedule);
})();
