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

export function keepDraft(selector, name) {
  const form = document.querySelector(selector);
  if (!form) return 0;
  const draft = readDraft(name);
  let restored = 0;
  for (const element of form.querySelectorAll("input[data-field], input[data-input], textarea[data-field]")) {
    const field = fieldOf(element);
    if (!field || !(field in draft) || element.value === draft[field]) continue;
    element.value = draft[field];
    // The events the server's components listen to, so what is shown is also what will be sent.
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
    restored++;
  }
  if (!watched.has(form)) {
    const save = event => {
      const field = fieldOf(event.target);
      const current = watched.get(form);
      if (!field || !current) return;
      const saved = readDraft(current);
      saved[field] = event.target.value;
      localStorage.setItem(current, JSON.stringify(saved));
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }
  watched.set(form, name);
  return restored;
}

export function clearDraft(name) {
  localStorage.removeItem(name);
}
