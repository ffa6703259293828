// Form submissions waiting for the server, kept in this browser until it has answered them.

function read(name) {
  try {
    const items = JSON.parse(localStorage.getItem(name) ?? "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

export function all(name) {
  return read(name).map(item => item.json);
}

export function put(name, key, json) {
  const items = read(name).filter(item => item.key !== key);
  items.push({ key, json });
  localStorage.setItem(name, JSON.stringify(items));
}

export function remove(name, key) {
  const items = read(name).filter(item => item.key !== key);
  if (items.length === 0) localStorage.removeItem(name);
  else localStorage.setItem(name, JSON.stringify(items));
}

// What was typed in a form and not yet sent, kept as it is typed (in the browser, so also while the server cannot be
// reached) and put back when the form is opened again by a new circuit.
const watched = new WeakMap();

function fieldOf(element) {
  if (element.dataset.field) return "field:" + element.dataset.field;
  if (element.dataset.input) return "input:" + element.dataset.input;
  return null;
}

function readDraft(name) {
  try {
    return JSON.parse(localStorage.getItem(name) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

const fieldSelector = "input[data-field], input[data-input], textarea[data-field]";

function writeDraft(name, change) {
  const draft = readDraft(name);
  change(draft);
  localStorage.setItem(name, JSON.stringify(draft));
}

// The events the server's components listen to, so what is shown is also what will be sent.
function tellServer(element) {
  element.dispatchEvent(new Event("input", { bubbles: true }));
  element.dispatchEvent(new Event("change", { bubbles: true }));
}

export function keepDraft(selector, name) {
  const form = document.querySelector(selector);
  if (!form) return 0;
  const draft = readDraft(name);
  let restored = 0;
  for (const element of form.querySelectorAll(fieldSelector)) {
    const field = fieldOf(element);
    if (!field || !(field in draft) || element.value === draft[field]) continue;
    element.value = draft[field];
    tellServer(element);
    restored++;
  }
  if (!watched.has(form)) {
    const save = event => {
      const field = fieldOf(event.target);
      const current = watched.get(form);
      if (field && current) writeDraft(current, saved => { saved[field] = event.target.value; });
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }
  watched.set(form, name);
  // A submit held back while the last page was not connected is made now, by this page's circuit.
  if (draft[heldSubmit]) setTimeout(() => submitHeld(form), 0);
  return restored;
}

export function clearDraft(name) {
  localStorage.removeItem(name);
}

// A submit pressed while the page's connection is down would reach no server: Blazor drops events it cannot send.
// It is held with the draft instead, the form says it is queued, and it is made again when the page is live (the same
// circuit back) or by the next circuit that puts the draft back. The server clears the mark when a submit reaches it
// (submitReached), so a submit lost on a connection that only looked live is made again the next time.
const heldSubmit = "submit";
const heldNotice = "[data-held-submit]";

function stale() {
  return !navigator.onLine || document.documentElement.classList.contains("connection-stale");
}

// Before Blazor's own listener (on the document, capturing): the window sees the event first.
window.addEventListener("submit", event => {
  const form = event.target;
  const name = watched.get(form);
  if (!name || !stale()) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  writeDraft(name, draft => { draft[heldSubmit] = true; });
  showHeld(form, true);
}, true);

document.addEventListener("monitor:connection", event => {
  if (!event.detail.live) return;
  for (const form of document.querySelectorAll("form")) {
    const name = watched.get(form);
    if (name && readDraft(name)[heldSubmit]) submitHeld(form);
  }
});

function submitHeld(form) {
  if (!form.isConnected || stale()) return;
  // What was typed while the server could not hear it goes first, in order, then the submit.
  for (const element of form.querySelectorAll(fieldSelector)) tellServer(element);
  showHeld(form, false);
  form.requestSubmit();
}

function showHeld(form, held) {
  const notice = form.querySelector(heldNotice);
  if (notice) notice.hidden = !held;
}

export function submitReached(name) {
  if (!(heldSubmit in readDraft(name))) return;
  writeDraft(name, draft => { delete draft[heldSubmit]; });
}
