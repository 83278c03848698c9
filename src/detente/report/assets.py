"""Style sheet and script of the HTML report, kept apart from the markup code.

The script reads two JSON blocks embedded in the page (figures and evidence), draws the
charts with the inlined Plotly bundle, and fills the evidence panel when a chart point or
a table row is clicked. It builds the panel with DOM calls, never innerHTML, because the
evidence is text from the web.
"""

CSS = """
:root { --coop: #2a7f62; --conf: #b23a48; --muted: #6c757d; --line: #dee2e6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #212529; background: #f6f7f9; }
header { padding: 18px 28px; background: #1d2b3a; color: #fff; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .meta { color: #c9d3dd; font-size: 13px; }
.counts { display: flex; gap: 18px; margin-top: 10px; flex-wrap: wrap; }
.counts span { background: rgba(255,255,255,.1); padding: 3px 10px; border-radius: 12px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 18px;
  padding: 18px 28px; }
main section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 18px; margin-bottom: 18px; }
main h2 { font-size: 17px; margin: 0 0 8px; }
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 8px; }
.empty { color: var(--muted); font-style: italic; padding: 18px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; }
tr[data-ids], td[data-ids] { cursor: pointer; }
tr[data-ids]:hover, td[data-ids]:hover { background: #eef4fb; }
.stance { display: inline-block; padding: 0 7px; border-radius: 9px; color: #fff; font-size: 12px; }
.stance.favor { background: var(--coop); } .stance.against { background: var(--conf); }
.stance.conditional { background: #c77c02; } .stance.neutral { background: var(--muted); }
table.matrix td { min-width: 150px; } table.matrix tbody th { white-space: nowrap; }
.quote { color: #495057; font-size: 12px; margin-top: 3px; }
aside { position: sticky; top: 12px; align-self: start; max-height: calc(100vh - 24px);
  overflow-y: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 14px; }
aside h2 { font-size: 16px; margin: 0 0 8px; }
.evidence-item { border-left: 3px solid #1f77b4; padding: 4px 10px; margin: 10px 0; }
.evidence-item blockquote { margin: 4px 0; font-style: italic; }
.evidence-item .where { color: var(--muted); font-size: 12px; }
.evidence-item .what { font-weight: 600; font-size: 13px; margin-top: 2px; }
details > summary { cursor: pointer; color: #1f4e79; margin: 8px 0; }
.glance { margin-top: 8px; color: #e9eef3; font-size: 13.5px; }
.glance b.coop { color: #7fd1ae; } .glance b.conf { color: #f19aa5; }
@media (max-width: 1000px) { .layout { grid-template-columns: 1fr; } aside { position: static; } }
"""

SCRIPT = """
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const EVIDENCE = read("evidence-data");
  const FIGURES = read("figure-data");
  const panel = document.getElementById("evidence-list");

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function showEvidence(ids) {
    panel.replaceChildren();
    const refs = ids.flatMap((id) => EVIDENCE[id] || []);
    if (!refs.length) {
      panel.append(el("p", "note", "No evidence sentence stored for this item."));
      return;
    }
    for (const ref of refs) {
      const item = el("div", "evidence-item");
      const head = el("div", "where");
      if (ref.url) {
        const link = el("a", null, ref.title || ref.source);
        link.href = ref.url; link.target = "_blank"; link.rel = "noopener noreferrer";
        head.append(link, " — ");
      }
      head.append(`${ref.source} · ${ref.date || "undated"}`);
      item.append(head);
      if (ref.what) item.append(el("div", "what", ref.what));
      item.append(el("blockquote", null, ref.sentence));
      const where = (ref.modality ? `${ref.modality} · ` : "") +
        `${ref.kind} ${ref.record_id} · doc ${ref.doc_id}, characters ${ref.start}–${ref.end}`;
      item.append(el("div", "where", where));
      panel.append(item);
    }
  }

  for (const [name, fig] of Object.entries(FIGURES)) {
    const node = document.getElementById("chart-" + name);
    if (!node || !fig) continue;
    Plotly.newPlot(node, fig.data, fig.layout, {responsive: true, displaylogo: false});
    node.on("plotly_click", (ev) => {
      const cd = ev.points[0] && ev.points[0].customdata;
      if (cd && cd.ids) showEvidence(cd.ids);
    });
  }
  document.querySelectorAll("[data-ids]").forEach((node) => {
    node.addEventListener("click", () => showEvidence(JSON.parse(node.dataset.ids)));
  });
})();
"""
