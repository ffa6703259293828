// Signals for alerts outside the page's own snackbar: a short chime and a browser notification.

export function permission() {
  return "Notification" in window ? Notification.permission : "unsupported";
}

// Browsers grant the prompt only right after a user's click, so call this from one.
export async function requestPermission() {
  if (!("Notification" in window)) return "unsupported";
  return await Notification.requestPermission();
}

// Only while the page is not being looked at: in front of it, the snackbar says the same.
export function notify(title, body, tag, url) {
  if (!("Notification" in window) || Notification.permission !== "granted") return false;
  if (document.visibilityState === "visible") return false;
  const notification = new Notification(title, { body, tag });
  notification.onclick = () => {
    window.focus();
    window.location.assign(url);
    notification.close();
  };
  return true;
}

let audio;

// Two short tones, higher for critical; made on the spot so there is no sound file to download.
export function chime(critical) {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    const pitches = critical ? [880, 660] : [660];
    pitches.forEach((pitch, i) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = pitch;
      gain.gain.setValueAtTime(0.0001, start + i * 0.22);
      gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.22 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.22 + 0.2);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + i * 0.22);
      tone.stop(start + i * 0.22 + 0.21);
    });
  } catch {
    // No audio (a locked-down browser): the snackbar still shows.
  }
}
