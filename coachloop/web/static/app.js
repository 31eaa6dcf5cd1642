// coachloop dashboard: sortable tables, Plotly charts from the bundled library, practice chat.
(function () {
  "use strict";

  function sortable(table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var num = th.dataset.sort === "num";
        var dir = th.dataset.dir === "asc" ? -1 : 1;
        th.dataset.dir = dir === 1 ? "asc" : "desc";
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          if (num) {
            return dir * (parseFloat(x.dataset.value || x.textContent) - parseFloat(y.dataset.value || y.textContent));
          }
          return dir * x.textContent.trim().localeCompare(y.textContent.trim());
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  document.querySelectorAll("table.sortable").forEach(sortable);

  var heat = document.getElementById("heatmap");
  if (heat && window.Plotly) {
    var ov = JSON.parse(heat.dataset.overview);
    // rows are numbered and labelled through ticktext: two managers with the same name
    // (or the same first 31 characters) would otherwise share one heatmap row
    var z = [], text = [], y = [], names = [];
    ov.managers.forEach(function (m) {
      y.push(y.length);
      names.push(m.name.length > 32 ? m.name.slice(0, 31) + "…" : m.name);
      z.push(ov.behaviors.map(function (b) { return m.behaviors[b.id].score; }));
      text.push(ov.behaviors.map(function (b) {
        var v = m.behaviors[b.id];
        return v.score === null ? "–" : Math.round(v.score) + (v.delta === null ? "" : " (" + (v.delta > 0 ? "+" : "") + Math.round(v.delta) + ")");
      }));
    });
    window.Plotly.newPlot(heat, [{
      type: "heatmap", z: z, y: y, x: ov.behaviors.map(function (b) { return b.label; }),
      text: text, texttemplate: "%{text}", zmin: 0, zmax: 100, hoverongaps: false,
      customdata: z.map(function (row, i) { return row.map(function () { return names[i]; }); }),
      hovertemplate: "%{customdata}<br>%{x}: %{text}<extra></extra>",
      // the same red → amber → green as the table cells (Plotly has no "RdYlGn")
      colorscale: [[0, "hsl(0, 60%, 82%)"], [0.5, "hsl(60, 60%, 82%)"], [1, "hsl(120, 60%, 82%)"]]
    }], {
      margin: { l: 160, r: 20, t: 10, b: 130 }, height: Math.max(330, 26 * y.length + 160),
      yaxis: { autorange: "reversed", automargin: true, tickvals: y, ticktext: names,
        zeroline: false, showgrid: false }
    }, { displayModeBar: false, responsive: true }).then(function () { heat.dataset.rendered = "1"; });
  }

  var curves = document.getElementById("curves");
  if (curves && window.Plotly) {
    var data = JSON.parse(curves.dataset.curves);
    var pending = [];
    Object.keys(data).forEach(function (b) {
      var c = data[b];
      var div = document.createElement("div");
      div.className = "curve";
      div.id = "curve-" + b;
      curves.appendChild(div);
      var traces = [{
        x: c.recorded.map(function (p) { return p.week; }), y: c.recorded.map(function (p) { return p.score; }),
        mode: "lines+markers", name: "recorded 1:1s"
      }];
      if (c.practice.length) {
        traces.push({
          x: c.practice.map(function (p) { return p.week; }), y: c.practice.map(function (p) { return p.score; }),
          mode: "lines+markers", line: { dash: "dot" }, name: "practice"
        });
      }
      var empty = !c.recorded.length && !c.practice.length;
      pending.push(window.Plotly.newPlot(div, traces, {
        title: { text: c.label, font: { size: 13 } }, height: 220, margin: { l: 35, r: 10, t: 30, b: 30 },
        yaxis: { range: [0, 100] }, xaxis: { visible: !empty }, showlegend: false,
        annotations: empty ? [{ text: "no data yet", showarrow: false, xref: "paper", yref: "paper",
          x: 0.5, y: 0.5, font: { color: "#667085" } }] : []
      }, { displayModeBar: false, responsive: true }));
    });
    Promise.all(pending).then(function () { curves.dataset.rendered = "1"; });
  }

  var chat = document.getElementById("chat");
  var form = document.getElementById("say-form");
  if (chat && form && window.fetch) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var input = document.getElementById("say-text");
      var text = input.value.trim();
      if (!text) { return; }
      input.disabled = true;
      fetch("/api/practice/" + chat.dataset.sid + "/say", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": chat.dataset.csrf },
        body: JSON.stringify({ text: text })
      }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
        .then(function (res) {
          if (!res.ok) { throw new Error(res.body.error ? res.body.error.message : "error"); }
          [["manager", "You", res.body.manager.text], ["rep", chat.dataset.rep || "Rep", res.body.rep.text]].forEach(function (t) {
            var d = document.createElement("div");
            d.className = "turn turn-" + t[0];
            var s = document.createElement("span"); s.className = "spk"; s.textContent = t[1];
            var x = document.createElement("span"); x.className = "txt"; x.textContent = " " + t[2];
            d.appendChild(s); d.appendChild(x); chat.appendChild(d);
          });
          input.value = "";
          if (res.body.ended) { document.getElementById("finish").click(); }
        })
        .catch(function (e) { alert(e.message); })
        .finally(function () { input.disabled = false; input.focus(); });
    });
  }
})();
