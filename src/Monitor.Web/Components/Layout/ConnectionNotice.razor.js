// Drives the connection notice (ConnectionNotice.razor). Blazor raises 'components-reconnect-state-changed' on the
// element with id components-reconnect-modal; the browser's own offline/online events count too, because an offline
// browser may keep a dead WebSocket open for a long while and the page would look live.
const notice = document.getElementById('components-reconnect-modal');
const retryButton = notice?.querySelector("[data-action='reconnect']");
// Keep trying after Blazor gives up: a weak link comes back by itself, and the planner should not have to click.
const retryEveryMs = 10_000;

let blazorState = 'hide';
let staleSince = null;
let retryTimer = null;
let live = true;

if (notice) {
  notice.addEventListener('components-reconnect-state-changed', event => {
    blazorState = event.detail.state;
    if (blazorState === 'rejected') {
      // The server no longer has this page's circuit: resume it from its saved state, or load the page afresh.
      resumeOrReload();
      return;
    }
    if (blazorState === 'failed') scheduleRetry();
    render();
  });
  retryButton?.addEventListener('click', retry);
  window.addEventListener('offline', render);
  window.addEventListener('online', () => {
    render();
    if (blazorState === 'failed') retry();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && blazorState === 'failed') retry();
  });
  render();
}

// Tells the rest of the page (the report forms hold back a submit while stale) when the page goes stale or live again.
function announce(nowLive) {
  if (nowLive === live) return;
  live = nowLive;
  document.dispatchEvent(new CustomEvent('monitor:connection', { detail: { live } }));
}

function render() {
  const offline = !navigator.onLine;
  const state = offline ? 'offline' : blazorState === 'failed' ? 'failed' : blazorState === 'hide' ? null : 'reconnecting';
  if (state === null) {
    staleSince = null;
    notice.hidden = true;
    document.documentElement.classList.remove('connection-stale');
    document.documentElement.style.removeProperty('--connection-notice-height');
    announce(true);
    return;
  }
  staleSince ??= new Date();
  for (const time of notice.querySelectorAll('[data-stale-since]')) {
    time.dateTime = staleSince.toISOString();
    time.textContent = formatTime(staleSince);
  }
  for (const part of notice.querySelectorAll('[data-notice-state]')) {
    part.hidden = part.dataset.noticeState !== state;
  }
  notice.dataset.state = state;
  notice.hidden = false;
  document.documentElement.classList.add('connection-stale');
  // The page moves down by the notice's height (one line on a desktop, two or three on a phone).
  document.documentElement.style.setProperty('--connection-notice-height', `${notice.offsetHeight}px`);
  announce(false);
}

function formatTime(date) {
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC'
  }).format(date);
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(retry, retryEveryMs);
}

async function retry() {
  clearTimeout(retryTimer);
  if (!navigator.onLine) return; // the 'online' event retries
  try {
    // true: reconnected; false: the server answered but no longer has the circuit; an exception: not reachable.
    if (await window.Blazor.reconnect()) connected();
    else await resumeOrReload();
  } catch {
    scheduleRetry();
  }
}

async function resumeOrReload() {
  try {
    if (await window.Blazor.resumeCircuit()) {
      connected();
      return;
    }
  } catch {
    scheduleRetry();
    return;
  }
  location.reload();
}

function connected() {
  blazorState = 'hide';
  render();
}
