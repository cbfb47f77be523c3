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

// Pick lists (the embargo list's journalists): a search box that hides who does not match.
// Without the script the whole list is there, and the browser's own find still works.
function searchPickLists() {
  for (const box of document.querySelectorAll("[data-pick-search]")) {
    const input = box.querySelector("input");
    const list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) continue;
    box.hidden = false;
    input.addEventListener("input", () => {
      const wanted = input.value.trim().toLocaleLowerCase();
      for (const item of list.children) {
        const checked = item.querySelector("input:checked");
        item.hidden = Boolean(wanted) && !checked && !item.textContent.toLocaleLowerCase().includes(wanted);
      }
    });
  }
}

// A long import: say that it is under way (the page answers when every row is checked) and
// keep the button from sending the file twice.
function showImportUnderWay() {
  for (const form of document.querySelectorAll("form[data-under-way]")) {
    const note = document.getElementById(form.dataset.underWay);
    form.addEventListener("submit", () => {
      if (note) note.hidden = false;
      for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  runCountdowns();
  guardUnsavedChanges();
  searchPickLists();
  showImportUnderWay();
});
