// The défi form (challenges/defi_edit.html). htmx saves the draft as the agent types; this module
// keeps a copy of what is not saved yet in the browser's localStorage, so that nothing typed is lost
// to a closed tab, a lost connection or an expired session, and offers it back when the page opens.

const form = document.getElementById("defi-form");

// Fields that are not the agent's text: the CSRF token, the version (kept with the copy, see below),
// the démarche search box.
const SKIP = new Set(["csrfmiddlewaretoken", "version", "q", "search"]);

function fieldValues() {
  const values = {};
  for (const element of form.elements) {
    const { name, type } = element;
    if (!name || SKIP.has(name) || type === "file" || type === "submit" || type === "button") continue;
    if (type === "checkbox" || type === "radio") {
      values[name] ??= [];
      if (element.checked) values[name].push(element.value);
    } else {
      values[name] = element.value.trim();
    }
  }
  return values;
}

function sameValues(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readCopy(key) {
  try {
    return JSON.parse(window.localStorage.getItem(key));
  } catch {
    return null;
  }
}

function restore(copy) {
  for (const element of form.elements) {
    const { name, type } = element;
    if (!name || !(name in copy.values) || type === "file") continue;
    const value = copy.values[name];
    if (type === "checkbox" || type === "radio") {
      element.checked = value.includes(element.value);
    } else {
      element.value = value;
    }
  }
  // The copy was typed on top of this version: saving it on top of a newer one is a conflict the
  // server reports, never a silent overwrite of a co-editor's work.
  if (copy.version) form.elements.version.value = copy.version;
  form.dispatchEvent(new Event("input", { bubbles: true }));
}

function start() {
  const key = form.dataset.draftKey;
  const status = document.getElementById("defi-autosave-status");
  const notice = document.getElementById("defi-draft-restore");
  const autosaveUrl = form.getAttribute("hx-post");
  // The form's own requests, not the démarche search nor the attachments.
  const isAutosave = (event) => event.detail.pathInfo?.requestPath === autosaveUrl;
  let sent = null;

  const keepCopy = () => {
    const copy = { version: form.elements.version.value, savedAt: Date.now(), values: fieldValues() };
    window.localStorage.setItem(key, JSON.stringify(copy));
  };
  const showFailure = () => {
    status.replaceChildren();
    const message = document.createElement("p");
    message.className = "fr-error-text fr-mt-0";
    message.textContent = status.dataset.failedMessage;
    status.append(message);
  };

  const copy = readCopy(key);
  if (form.dataset.draftUnsaved === "true") {
    keepCopy(); // the server sent the form back with what it could not save
  } else if (copy && copy.values && !sameValues(copy.values, fieldValues())) {
    notice.hidden = false;
    notice.querySelector("[data-draft-restore]").addEventListener("click", () => {
      restore(copy);
      notice.hidden = true;
    });
    notice.querySelector("[data-draft-discard]").addEventListener("click", () => {
      window.localStorage.removeItem(key);
      notice.hidden = true;
    });
  } else {
    window.localStorage.removeItem(key);
  }

  form.addEventListener("input", keepCopy);
  form.addEventListener("change", keepCopy);

  // The démarche search box has its own request: its keystrokes are not the form's.
  const search = document.getElementById("demarche-search");
  search?.addEventListener("input", (event) => event.stopPropagation());

  // Choosing a démarche in the search results fills in its number, which saves the draft.
  form.addEventListener("click", (event) => {
    const choice = event.target.closest("[data-demarche-choice]");
    if (!choice) return;
    const input = form.elements.demarche;
    input.value = choice.dataset.demarcheChoice;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus();
  });

  form.addEventListener("htmx:beforeRequest", (event) => {
    if (isAutosave(event)) sent = fieldValues();
  });
  form.addEventListener("htmx:beforeSwap", (event) => {
    if (!isAutosave(event)) return;
    const xhr = event.detail.xhr;
    // A redirect (to the sign-in page) or a refusal: nothing was saved, the copy stays.
    const redirected = xhr.responseURL && !xhr.responseURL.includes(autosaveUrl);
    if (redirected || xhr.status >= 400) {
      event.detail.shouldSwap = false;
      showFailure();
    }
  });
  form.addEventListener("htmx:sendError", (event) => {
    if (isAutosave(event)) showFailure();
  });
  form.addEventListener("htmx:afterSettle", (event) => {
    if (!isAutosave(event)) return;
    if (status.querySelector("[data-saved]") && sent && sameValues(sent, fieldValues())) {
      window.localStorage.removeItem(key);
    }
  });

  // The save and submit buttons post the whole form: wait for an autosave on its way, so that both
  // do not start from the same version.
  form.addEventListener("submit", (event) => {
    if (!form.classList.contains("htmx-request")) return;
    event.preventDefault();
    const submitter = event.submitter;
    form.addEventListener("htmx:afterRequest", () => form.requestSubmit(submitter), { once: true });
  });
}

if (form) start();
