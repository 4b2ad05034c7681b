// Parse each file given with the real Mermaid parser, under a DOM made by
// jsdom. One line per file: "ok <file> <diagram type> <config JSON>" or
// "FAIL <file>: <error>". The config is what directives in the text set: it
// must stay empty for a diagram whose labels came from answers.
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
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    console.log(`ok ${file} ${result.diagramType} ${JSON.stringify(result.config ?? {})}`);
  } catch (e) {
    console.log(`FAIL ${file}: ${String(e?.message ?? e).split("\n").join(" ")}`);
  }
}
