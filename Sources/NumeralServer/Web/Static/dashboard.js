// The dashboard: the same JSON as `numeral stats --json`, refreshed live from the server's
// event stream (read with fetch, so the bearer token travels in a header, not the URL).
"use strict";
(function () {
  const tokenInput = document.getElementById("token");
  tokenInput.value = localStorage.getItem("numeral-token") || "";
  const status = document.getElementById("status");
  let controller = null;

  function query() {
    const q = new URLSearchParams();
    for (const id of ["from", "to", "input_type", "device"]) { const v = document.getElementById(id).value.trim(); if (v) q.set(id, v); }
    return q.toString();
  }
  const pct = v => v == null ? "–" : (v * 100).toFixed(1) + "%";

  function render(report) {
    const s = report.summary, a = report.accuracy;
    const tiles = [["Predictions", s.total], ["Labelled", s.labelled], ["Accuracy", pct(a.accuracy)],
                   ["Mean confidence", pct(s.meanConfidence)], ["Below " + Math.round(s.lowConfidenceThreshold * 100) + "%", s.lowConfidenceCount],
                   ["Latency p50", s.latencyP50Ms == null ? "–" : s.latencyP50Ms.toFixed(1) + " ms"]];
    document.getElementById("tiles").innerHTML = tiles.map(([l, v]) =>
      `<div class="tile" data-tile="${l}"><div class="label">${l}</div><div class="value">${v}</div></div>`).join("");
    const m = report.confusion, max = Math.max(1, ...m.flat());
    let html = "<tr><th></th>" + [...Array(10).keys()].map(d => `<th>${d}</th>`).join("") + "</tr>";
    m.forEach((row, actual) => {
      html += `<tr><th>${actual}</th>` + row.map((n, p) => {
        const t = n / max, hue = actual === p ? 140 : 0;
        return `<td data-cell="${actual}-${p}" style="background:${n ? `hsla(${hue},70%,45%,${0.12 + 0.88 * t})` : "#f8fafc"};color:${t > 0.5 ? "#fff" : "#1d2330"}">${n || ""}</td>`;
      }).join("") + "</tr>";
    });
    document.getElementById("heat").innerHTML = html;
    const b = report.timeline.buckets.filter(x => x.accuracy != null), svg = document.getElementById("timeline");
    let g = '<line x1="40" y1="190" x2="470" y2="190" stroke="#cbd5e1"/><text x="4" y="24">100%</text><text x="10" y="194">0%</text>';
    if (b.length) {
      const x = i => 40 + (b.length === 1 ? 215 : i * 430 / (b.length - 1)), y = v => 190 - v * 170;
      g += `<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${b.map((p, i) => x(i) + "," + y(p.accuracy)).join(" ")}"/>`;
      g += b.map((p, i) => `<circle cx="${x(i)}" cy="${y(p.accuracy)}" r="3" fill="#2563eb"><title>${p.start}: ${pct(p.accuracy)} of ${p.labelled}</title></circle>`).join("");
      g += `<text x="40" y="210">${b[0].start.slice(0, 16).replace("T", " ")}</text><text x="470" y="210" text-anchor="end">${b[b.length - 1].start.slice(0, 16).replace("T", " ")}</text>`;
    } else g += '<text x="200" y="110">No feedback yet</text>';
    svg.innerHTML = g;
  }

  async function connect() {
    if (controller) controller.abort();
    controller = new AbortController();
    const token = tokenInput.value.trim();
    localStorage.setItem("numeral-token", token);
    const headers = token ? { Authorization: "Bearer " + token } : {};
    status.textContent = ""; status.className = "";
    try {
      const r = await fetch("/api/v1/events?" + query(), { headers, signal: controller.signal });
      if (!r.ok) {
        const d = await r.json().catch(() => null);
        status.textContent = (d && d.error && d.error.message) || ("The server answered " + r.status); status.className = "error";
        return;
      }
      document.getElementById("live").textContent = "● live";
      const reader = r.body.getReader(), decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const chunk = buffer.slice(0, end); buffer = buffer.slice(end + 2);
          const data = chunk.split("\n").filter(l => l.startsWith("data: ")).map(l => l.slice(6)).join("\n");
          if (data) { render(JSON.parse(data)); document.body.dataset.updated = Date.now(); }
        }
      }
    } catch (err) {
      if (err.name !== "AbortError") { status.textContent = "Live updates stopped: " + err.message; status.className = "error"; }
    }
    document.getElementById("live").textContent = "";
  }
  document.getElementById("apply").addEventListener("click", connect);
  connect();
})();
