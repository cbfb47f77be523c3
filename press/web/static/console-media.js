// A release's photos and documents: the upload form works without this script (a plain
// multipart post). With it, a file can be dropped on the form, and the upload shows its
// progress. The server's answer decides everything: on success the page it leads to is
// opened; on a refusal the form it sends back (message, kept texts) replaces this one.
"use strict";

function showUploadError(form, text) {
  let note = form.querySelector("[data-upload-error]");
  if (!note) {
    note = document.createElement("p");
    note.className = "alert";
    note.setAttribute("role", "alert");
    note.dataset.uploadError = "";
    form.querySelector("input[type=file]").before(note);
  }
  note.textContent = text;
}

function sendUpload(form, file) {
  const data = new FormData(form);
  if (file) data.set("file", file);
  const chosen = data.get("file");
  if (chosen && chosen.size > Number(form.dataset.maxBytes)) {
    showUploadError(form, form.dataset.tooLarge);
    return;
  }
  const progress = form.querySelector("[data-progress]");
  const bar = progress.querySelector("progress");
  const said = progress.querySelector("[data-progress-text]");
  const button = form.querySelector("button[type=submit]");
  progress.hidden = false;
  button.disabled = true;
  const xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.upload.addEventListener("progress", (event) => {
    if (!event.lengthComputable) return;
    const percent = Math.round((100 * event.loaded) / event.total);
    bar.value = percent;
    said.textContent = form.dataset.progressText.replace("{percent}", `${percent} %`);
  });
  xhr.addEventListener("load", () => {
    if (xhr.status < 300) {
      // The redirect after a kept upload was followed: show the page it led to.
      window.location.assign(xhr.responseURL);
      return;
    }
    const answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    const fresh = answer.querySelector("#upload");
    const here = document.querySelector("#upload");
    if (fresh && here) {
      here.replaceWith(document.adoptNode(fresh));
      enhanceUpload(document.querySelector("form[data-upload]"));
      const alert = document.querySelector("#upload [role=alert]");
      if (alert) {
        alert.tabIndex = -1;
        alert.focus();
      }
    } else {
      // A page without the form (a refusal of the whole request): its message instead.
      const main = answer.querySelector("main");
      if (main) document.querySelector("main").replaceChildren(...main.childNodes);
    }
  });
  xhr.addEventListener("error", () => {
    progress.hidden = true;
    button.disabled = false;
    showUploadError(form, form.dataset.failed);
  });
  xhr.send(data);
}

function enhanceUpload(form) {
  if (!form || !window.FormData || !window.DOMParser) return;
  const zone = form.querySelector("[data-drop]");
  zone.hidden = false;
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) sendUpload(form, file);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendUpload(form, null);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceUpload(document.querySelector("form[data-upload]"));
});
