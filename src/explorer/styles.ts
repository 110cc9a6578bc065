/** The page's stylesheet (served at /explorer/assets/explorer.css; kept in TypeScript so the build alone produces it). */
export const EXPLORER_CSS = `
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #d0d4da; --accent: #0b57d0; --bg: #fbfbfd; --panel: #fff; --special: #8e24aa; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; padding: 12px 20px; background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0 16px 4px 0; }
label { display: inline-flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--muted); }
input[type=text], select, input[type=number] { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; color: var(--fg); background: #fff; }
input#text { width: min(46vw, 520px); }
button { font: inherit; padding: 5px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:focus-visible, input:focus-visible, select:focus-visible, [tabindex]:focus-visible { outline: 3px solid #f9ab00; outline-offset: 1px; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; padding: 14px 20px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
section h2 { font-size: 15px; margin: 2px 0 8px; }
.hint { color: var(--muted); font-size: 12px; margin: 4px 0; }
.status { color: var(--muted); font-size: 12px; min-height: 1.2em; }
.status.error { color: #b3261e; }
.tokens { display: flex; flex-wrap: wrap; gap: 6px; }
.token { display: inline-flex; flex-direction: column; align-items: center; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; font-family: "DejaVu Sans Mono", monospace; }
.token .id { font-size: 10px; color: var(--muted); }
.token.special { border-color: var(--special); color: var(--special); background: #f6ecf8; }
.token.active { background: #e8f0fe; border-color: var(--accent); }
.controls { display: flex; flex-wrap: wrap; gap: 14px; align-items: end; margin-bottom: 8px; }
.controls fieldset { border: none; padding: 0; margin: 0; display: flex; gap: 4px; align-items: center; }
.controls legend { font-size: 12px; color: var(--muted); float: left; margin-right: 6px; }
.pressed, [aria-pressed=true], [aria-checked=true] { background: var(--accent) !important; color: #fff !important; border-color: var(--accent) !important; }
.attention-views { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
svg text { font: 12px "DejaVu Sans Mono", monospace; fill: var(--fg); }
svg text.special { fill: var(--special); }
svg text.active { font-weight: bold; fill: var(--accent); }
svg .cell { stroke: #fff; stroke-width: 0.5; }
svg .cell.focus-row, svg .cell.focus-col { stroke: var(--accent); stroke-width: 1; }
svg line.link { stroke: var(--accent); }
svg .tok { cursor: pointer; }
.head-grid { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.head-grid button { padding: 4px; display: flex; flex-direction: column; align-items: center; gap: 2px; font-size: 11px; }
table.grid { border-collapse: collapse; font-size: 11px; font-family: "DejaVu Sans Mono", monospace; }
table.grid th, table.grid td { border: 1px solid #eef0f3; padding: 2px 5px; text-align: right; white-space: nowrap; }
table.grid th { background: #f4f6f9; font-weight: normal; color: var(--muted); }
.scroll { overflow-x: auto; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 3px 8px; align-items: center; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
.bar { height: 12px; background: var(--accent); border-radius: 2px; min-width: 1px; }
.output { font-size: 15px; padding: 6px 0; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;
