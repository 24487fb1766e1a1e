// The drawing page: pointer events (mouse, pen, touch) on one canvas, live prediction while
// drawing, the 28x28 inputs, top-3, one bar per digit (the ten likeliest characters for letters),
// feedback and picture upload; digits, letters or both.
// One drawing is one log record: later predictions of the same drawing replace the first.
"use strict";
(function () {
  const canvas = document.getElementById("canvas");
  const ctx = canvas.getContext("2d");
  const status = document.getElementById("status");
  const confirmButton = document.getElementById("confirm");
  let strokes = [];          // [[[x, y, pressure, t], ...], ...] in canvas pixels
  let current = null;        // the stroke being drawn
  let started = 0;
  let predictionId = null;   // the record this drawing owns
  let lastNumber = "";
  let lastData = null;       // the last answer, for choosing which digit the bars and buttons are about
  let selected = 0;          // the digit of a number that the bars show and a digit button corrects
  let inFlight = false, pending = false, lastLive = 0;
  const classesSelect = document.getElementById("classes");
  // The characters of each set, in the model's output order.
  const LOWER = "abcdefghijklmnopqrstuvwxyz", UPPER = LOWER.toUpperCase();
  const SYMBOLS = { digits: "0123456789", letters: LOWER + UPPER, alphanumeric: "0123456789" + LOWER + UPPER };

  function say(text, error) { status.textContent = text; status.className = error ? "error" : ""; }

  function point(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height,
            e.pressure || 0.5, (performance.now() - started) / 1000];
  }

  function redraw() {
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#111"; ctx.lineWidth = 18; ctx.lineCap = "round"; ctx.lineJoin = "round";
    for (const s of strokes) {
      ctx.beginPath();
      s.forEach((p, i) => i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1]));
      if (s.length === 1) ctx.lineTo(s[0][0] + 0.1, s[0][1]);
      ctx.stroke();
    }
  }

  canvas.addEventListener("pointerdown", e => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    if (!strokes.length) started = performance.now();
    current = [point(e)]; strokes.push(current); redraw();
  });
  canvas.addEventListener("pointermove", e => {
    if (!current) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) current.push(point(ev));
    redraw();
    if (performance.now() - lastLive > 350) { lastLive = performance.now(); predict(); }
  });
  function endStroke(e) { if (!current) return; e.preventDefault(); current = null; predict(); }
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);

  async function predict() {
    if (!strokes.length) return;
    if (inFlight) { pending = true; return; }
    inFlight = true;
    const body = JSON.stringify({ strokes: strokes.map(s => s.map(p => p.slice(0, 2).map(v => Math.round(v * 10) / 10))),
                                  width: canvas.width, height: canvas.height });
    try {
      const params = [];
      if (predictionId) params.push("replace=" + encodeURIComponent(predictionId));
      if (classesSelect.value !== "digits") params.push("classes=" + encodeURIComponent(classesSelect.value));
      const url = "/api/v1/predictions" + (params.length ? "?" + params.join("&") : "");
      const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      await show(r);
    } catch (err) { say("The server cannot be reached: " + err.message, true); }
    inFlight = false;
    if (pending) { pending = false; predict(); }
  }

  async function show(r) {
    const data = await r.json().catch(() => null);
    if (!r.ok) { say((data && data.error && data.error.message) || ("The server answered " + r.status), true); return; }
    predictionId = data.id; lastNumber = data.number; lastData = data;
    if (selected >= data.digits.length) selected = 0;
    showNumber();
    // A picture read below the calibrated confidence is a guess: say so, and ask for the truth.
    const unsure = document.getElementById("unsure");
    unsure.hidden = data.unsure !== true;
    unsure.textContent = data.unsure === true ? "Unsure: this picture is hard to read, so this is a guess. Tell us the right digits below if it is wrong." : "";
    document.getElementById("confidence").textContent = "confidence " + (data.confidence * 100).toFixed(1) + "% · " + data.latency_ms.toFixed(1) + " ms · model " + data.model;
    document.getElementById("top3").textContent = data.digits.map(d => d.top3.map(t => t.character + " " + (t.probability * 100).toFixed(0) + "%").join(", ")).join("  |  ");
    const inputs = document.getElementById("inputs"); inputs.innerHTML = "";
    for (const d of data.digits) {
      const c = document.createElement("canvas"); c.width = 28; c.height = 28;
      const img = c.getContext("2d").createImageData(28, 28);
      d.input.forEach((v, i) => { img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255; });
      c.getContext("2d").putImageData(img, 0, 0); inputs.appendChild(c);
    }
    showBars();
    confirmButton.disabled = false;
    say("");
  }

  // The number, one span per digit; with several digits, the selected one is marked and a
  // click selects another, so each digit of a number can be corrected (as in the desktop app).
  function showNumber() {
    const number = document.getElementById("number"); number.innerHTML = "";
    [...lastData.number].forEach((ch, i) => {
      const span = document.createElement("span"); span.textContent = ch; span.dataset.index = i;
      if (lastData.digits.length > 1) {
        span.className = "pick" + (i === selected ? " selected" : "");
        span.title = "Show and correct this digit";
        span.addEventListener("click", () => { selected = i; showNumber(); showBars(); });
      }
      number.appendChild(span);
    });
    const hint = document.getElementById("which");
    hint.textContent = lastData.digits.length > 1 ? "Digit " + (selected + 1) + " of " + lastData.digits.length + ": tap another digit to correct it" : "";
  }

  // One bar per digit 0-9 for the selected digit of the answer; for letters (52 or 62 classes)
  // the ten most likely characters, most likely first.
  function showBars() {
    const bars = document.getElementById("bars"); bars.innerHTML = "";
    const probs = lastData.digits[selected].probabilities;
    const symbols = SYMBOLS[lastData.classes] || SYMBOLS.digits;
    let order = probs.map((p, i) => i);
    if (probs.length > 10) order = order.sort((a, b) => probs[b] - probs[a]).slice(0, 10);
    for (const digit of order) {
      const p = probs[digit], character = symbols[digit] || "?";
      const label = document.createElement("span"); label.textContent = character;
      const bar = document.createElement("div"); bar.className = "bar"; bar.dataset.digit = digit; bar.dataset.character = character;
      const fill = document.createElement("div"); fill.style.width = (p * 100).toFixed(1) + "%"; bar.appendChild(fill);
      const value = document.createElement("span"); value.className = "prob"; value.dataset.digit = digit; value.dataset.character = character;
      value.textContent = (p * 100).toFixed(1) + "%";
      bars.append(label, bar, value);
    }
  }

  async function feedback(actual) {
    if (!predictionId) return;
    const r = await fetch("/api/v1/predictions/" + predictionId + "/feedback",
                          { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ actual }) });
    if (r.status === 204) { clear(); say("Thank you! Saved as " + actual + ". Draw another digit."); }
    else { const d = await r.json().catch(() => null); say((d && d.error && d.error.message) || ("Feedback failed: " + r.status), true); }
  }

  function clear() {
    strokes = []; current = null; predictionId = null; lastNumber = ""; lastData = null; selected = 0; redraw();
    for (const id of ["number", "which", "unsure", "confidence", "top3", "inputs", "bars"]) document.getElementById(id).innerHTML = "";
    document.getElementById("unsure").hidden = true;
    confirmButton.disabled = true; say("");
  }

  async function sendPicture(file) {
    if (!file) return;
    clear(); say("Reading " + file.name + "…");
    try {
      const set = classesSelect.value !== "digits" ? "?classes=" + encodeURIComponent(classesSelect.value) : "";
      const r = await fetch("/api/v1/predictions" + set, { method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
      await show(r);
    } catch (err) { say("The server cannot be reached: " + err.message, true); }
  }

  document.getElementById("clear").addEventListener("click", clear);
  document.getElementById("undo").addEventListener("click", () => { strokes.pop(); redraw(); if (strokes.length) predict(); else clear(); });
  confirmButton.addEventListener("click", () => feedback(lastNumber));
  const digits = document.getElementById("digits");
  for (let d = 0; d < 10; d++) {
    const b = document.createElement("button"); b.textContent = d; b.dataset.digit = d;
    // A digit button corrects the selected digit of the number; the rest stand.
    b.addEventListener("click", () => feedback(lastNumber.length > 1
      ? lastNumber.slice(0, selected) + d + lastNumber.slice(selected + 1) : String(d)));
    digits.appendChild(b);
  }
  // A correction typed in full: letters (or a number) as they were written.
  const actualInput = document.getElementById("actual");
  function saveTyped() {
    const typed = actualInput.value.trim();
    if (!typed) return;
    if (!/^[0-9A-Za-z]{1,12}$/.test(typed)) { say("Type digits or letters a-z, A-Z (at most 12).", true); return; }
    actualInput.value = ""; feedback(typed);
  }
  document.getElementById("save-actual").addEventListener("click", saveTyped);
  actualInput.addEventListener("keydown", e => { if (e.key === "Enter") saveTyped(); });
  // Another set reads the same drawing again (the same record is updated).
  classesSelect.addEventListener("change", () => { if (strokes.length) predict(); });
  document.getElementById("photo").addEventListener("change", e => sendPicture(e.target.files[0]));
  canvas.addEventListener("dragover", e => { e.preventDefault(); canvas.classList.add("dragging"); });
  canvas.addEventListener("dragleave", () => canvas.classList.remove("dragging"));
  canvas.addEventListener("drop", e => { e.preventDefault(); canvas.classList.remove("dragging"); sendPicture(e.dataTransfer.files[0]); });
  redraw();
})();
