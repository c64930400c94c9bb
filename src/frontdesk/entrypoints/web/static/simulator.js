// The call simulator: plays the caller against /simulator/api, shows what the agent said,
// the call's highest safety route so far (and this turn's), the intent, the captured intake
// and the records the call created:
// its outcome, the appointment it booked, moved to or cancelled, and its staff tasks.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let call = null; // {call_sid, next_seq, ended}

  function line(text, cls) {
    const div = document.createElement("div");
    div.className = cls;
    div.textContent = text;
    $("transcript").appendChild(div);
    $("transcript").scrollTop = $("transcript").scrollHeight;
  }

  function setEnabled(on) {
    for (const id of ["text", "send", "silence", "hangup"]) { $(id).disabled = !on; }
    for (const b of $("keypad").querySelectorAll("button")) { b.disabled = !on; }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content,
      },
      body: JSON.stringify(body || {}),
    });
    if (!response.ok) { throw new Error("request failed: " + response.status); }
    return response.json();
  }

  function showAgent(turn) {
    for (const l of turn.lines) { line(l.text, l.whole ? "agent whole" : "agent"); }
    // The call's most severe route so far: a crisis stays red after a calm turn.
    $("route").textContent = turn.call_route;
    $("route").className = "route " + turn.call_route;
    $("turn-route").textContent = turn.route;
    $("turn-intent").textContent = turn.intent || "–";
    call.next_seq = turn.next_seq;
    if (turn.transfer_to) { line("[transferring to " + turn.transfer_to + "]", "agent"); }
    if (turn.ended) {
      call.ended = true;
      setEnabled(false);
      $("status").textContent = "Call ended.";
    }
  }

  // An intake value as a person reads it: parsed entries by the words they came from.
  function shown(value) {
    if (Array.isArray(value)) {
      const texts = value.map((v) => (v && typeof v === "object" && "text" in v ? v.text : shown(v)));
      return [...new Set(texts)].join("; ");
    }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function showAppointment(appointment) {
    const box = $("appointment");
    box.textContent = "";
    box.className = "";
    if (!appointment) { return; }
    box.className = "appointment";
    box.dataset.kind = appointment.kind;
    const where = appointment.modality.replace(/_/g, " ") +
      (appointment.location ? " at " + appointment.location : "");
    box.textContent = "Appointment: " + appointment.kind.replace(/_/g, " ") + " · " + appointment.when +
      " with " + appointment.clinician + " · " + where;
  }

  async function refresh() {
    if (!call) { return; }
    const detail = await (await fetch("/simulator/api/calls/" + call.call_sid)).json();
    const body = $("intake").querySelector("tbody");
    body.textContent = "";
    for (const [key, value] of Object.entries(detail.intake)) {
      if (value === null || (Array.isArray(value) && value.length === 0)) { continue; }
      const row = body.insertRow();
      row.insertCell().textContent = key.replace(/_/g, " ");
      row.insertCell().textContent = shown(value);
    }
    $("intent").textContent = detail.call.intent || "–";
    $("outcome").textContent = "Call " + detail.call.status + ", result: " + (detail.call.result || "–") +
      ", route: " + detail.call.route;
    showAppointment(detail.appointment);
    const tasks = $("tasks");
    tasks.textContent = "";
    for (const task of detail.tasks) {
      const div = document.createElement("div");
      div.className = "task " + task.urgency;
      div.dataset.category = task.category;
      div.textContent = task.category + " · " + task.urgency + " — " + task.summary;
      tasks.appendChild(div);
    }
  }

  async function act(promise) {
    try {
      showAgent(await promise);
      await refresh();
    } catch (err) {
      $("status").textContent = String(err);
    }
  }

  $("start").addEventListener("click", async () => {
    $("transcript").textContent = "";
    $("tasks").textContent = "";
    showAppointment(null);
    const turn = await post("/simulator/api/calls", { caller_number: $("number").value || null });
    call = { call_sid: turn.call_sid, next_seq: turn.next_seq, ended: false };
    $("status").textContent = "In a call.";
    setEnabled(true);
    showAgent(turn);
    await refresh();
    $("text").focus();
  });

  $("say").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!call || call.ended) { return; }
    const text = $("text").value.trim();
    $("text").value = "";
    if (text) { line(text, "caller"); }
    act(post("/simulator/api/calls/" + call.call_sid + "/turns", { seq: call.next_seq, text }));
  });

  $("silence").addEventListener("click", () => {
    line("(silence)", "caller");
    act(post("/simulator/api/calls/" + call.call_sid + "/turns", { seq: call.next_seq, text: "" }));
  });

  $("hangup").addEventListener("click", async () => {
    line("(hung up)", "caller");
    await post("/simulator/api/calls/" + call.call_sid + "/hangup");
    call.ended = true;
    setEnabled(false);
    $("status").textContent = "Call ended.";
    await refresh();
  });

  for (const key of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = key;
    button.disabled = true;
    button.addEventListener("click", () => {
      line("[pressed " + key + "]", "caller");
      act(post("/simulator/api/calls/" + call.call_sid + "/turns", { seq: call.next_seq, digits: key }));
    });
    $("keypad").appendChild(button);
  }
})();
