// The console works without this script; it only adds two conveniences.
"use strict";

// Scheduled releases: the time left, kept running.
function runCountdowns() {
  const clocks = document.querySelectorAll("[data-countdown]");
  if (!clocks.length) return;
  const tick = () => {
    const now = Date.now();
    for (const clock of clocks) {
      let seconds = Math.max(0, Math.floor((Date.parse(clock.dataset.countdown) - now) / 1000));
      const days = Math.floor(seconds / 86400);
      seconds %= 86400;
      const pad = (n) => String(n).padStart(2, "0");
      const time = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
      // The words come from the page, in the user's language ("{n} päivää").
      const word = days === 1 ? clock.dataset.dayOne : clock.dataset.dayOther;
      clock.textContent = (days ? `${(word || "{n} d").replace("{n}", days)} ` : "") + time;
    }
  };
  tick();
  setInterval(tick, 1000);
}

// The editor: leaving with unsaved changes asks first.
function guardUnsavedChanges() {
  for (const form of document.querySelectorAll("form[data-guard]")) {
    let dirty = false;
    const note = form.querySelector("[data-guard-note]");
    form.addEventListener("input", () => {
      dirty = true;
      if (note) note.hidden = false;
    });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) event.preventDefault();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  runCountdowns();
  guardUnsavedChanges();
});
