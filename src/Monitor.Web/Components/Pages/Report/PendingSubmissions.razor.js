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
