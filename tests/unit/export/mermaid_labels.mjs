// The text Mermaid draws for each node of a flowchart, through its own steps:
// the diagram read as in rendering (entity codes first turned into Mermaid's
// placeholders, then parsed), each node's text decoded as the renderer does,
// then read as HTML the way a browser shows it. One JSON line per file:
// {"file": ..., "labels": {"node id": "drawn text"}} or {"file": ..., "error": ...}.
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ["Element", "HTMLElement", "SVGElement", "Node", "DOMParser"]) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

// As the renderer's decodeEntities: its placeholders back into HTML entities.
const decode = (text) => text.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
const shown = (html) => {
  const el = document.createElement("span");
  el.innerHTML = html;
  return el.textContent;
};

for (const file of process.argv.slice(2)) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(readFileSync(file, "utf8"));
    const labels = {};
    for (const [id, vertex] of diagram.db.getVertices()) labels[id] = shown(decode(vertex.text));
    console.log(JSON.stringify({ file, labels }));
  } catch (e) {
    console.log(JSON.stringify({ file, error: String(e?.message ?? e) }));
  }
}
