// Live urgent items: polls the console's own /queue/live feed every few seconds and, when
// a crisis, emergency or urgent item arrives that this page has not shown, lists it at the
// top with a link and plays a short tone made in the browser (WebAudio; no sound file).
// The sound can be muted; the choice is kept in this browser only.
(function () {
  "use strict";
  var panel = document.querySelector("[data-live-feed]");
  if (!panel) { return; }
  var feed = panel.getAttribute("data-live-feed");
  var list = panel.querySelector("[data-live-items]");
  var state = panel.querySelector(".live-state");
  var mute = panel.querySelector("[data-live-mute]");
  var known = {};
  (panel.getAttribute("data-known") || "").split(" ").forEach(function (id) {
    if (id) { known[id] = true; }
  });
  var MUTE_KEY = "frontdesk.live.muted";
  var INTERVAL_MS = 5000;
  var audio = null;

  function muted() {
    try { return window.localStorage.getItem(MUTE_KEY) === "1"; } catch (e) { return false; }
  }
  function showMute() {
    var on = muted();
    mute.setAttribute("aria-pressed", on ? "true" : "false");
    mute.textContent = on ? "Unmute alert sound" : "Mute alert sound";
  }
  mute.addEventListener("click", function () {
    try { window.localStorage.setItem(MUTE_KEY, muted() ? "0" : "1"); } catch (e) { /* private mode */ }
    showMute();
  });
  showMute();

  function chime() {
    if (muted()) { return; }
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      audio = audio || new Context();
      var start = audio.currentTime;
      [880, 660, 880].forEach(function (pitch, i) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.type = "sine";
        tone.frequency.value = pitch;
        gain.gain.setValueAtTime(0.0001, start + i * 0.25);
        gain.gain.exponentialRampToValueAtTime(0.3, start + i * 0.25 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.25 + 0.22);
        tone.connect(gain).connect(audio.destination);
        tone.start(start + i * 0.25);
        tone.stop(start + i * 0.25 + 0.24);
      });
      panel.setAttribute("data-last-chime", String(Date.now()));
    } catch (e) { /* the page still shows the item */ }
  }

  function words(code) { return String(code).replace(/_/g, " "); }
  function minutes(seconds) {
    var m = Math.floor(seconds / 60);
    return m < 60 ? m + " min" : Math.floor(m / 60) + " h " + (m % 60) + " min";
  }

  function show(item) {
    var li = document.createElement("li");
    li.className = "live-item";
    li.setAttribute("data-id", item.id);
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = "New " + words(item.category) + " item";
    var age = document.createElement("span");
    age.className = "hint";
    age.textContent = " · " + minutes(item.age_seconds) + " since it came in";
    li.appendChild(link);
    li.appendChild(age);
    list.insertBefore(li, list.firstChild);
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", feed);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) {
        state.textContent = request.status === 401 || request.status === 303
          ? "Signed out: reload to sign in again." : "Live updates paused (the server did not answer).";
        return;
      }
      var fresh = [];
      JSON.parse(request.responseText).urgent.forEach(function (item) {
        if (!known[item.id]) { known[item.id] = true; fresh.push(item); }
      });
      if (fresh.length) {
        fresh.reverse().forEach(show);
        panel.classList.add("alerting");
        state.textContent = fresh.length === 1 ? "A new urgent item came in." : fresh.length + " new urgent items came in.";
        chime();
      }
    };
    request.onerror = function () { state.textContent = "Live updates paused (no connection)."; };
    request.send();
  }
  window.setInterval(poll, INTERVAL_MS);
})();
