/**
 * The explorer page: picks a model, sends the text to /explorer/api/inspect, and draws what
 * comes back — tokens, attention (heatmap, lines, all heads), hidden states, predictions, the
 * logit lens — and steps generation one token at a time.
 */
import { api, type InspectRequest } from './api.mjs';
import { byId, el } from './dom.mjs';
import { renderHeadGrid } from './headgrid.mjs';
import { renderHeatmap } from './heatmap.mjs';
import { renderHidden } from './hidden.mjs';
import { renderLines } from './lines.mjs';
import { renderLens, renderPredictions } from './predictions.mjs';
import { currentSet, type Focus, type View } from './state.mjs';
import { renderTokens } from './tokens.mjs';
import type { Inspection, ModelSummary } from '../types.js';

const DEFAULT_TEXT: Record<ModelSummary['family'], (s: ModelSummary) => string> = {
  bert: (s) => (s.maskToken ? `the cat sat on the ${s.maskToken}.` : 'the cat sat on the mat.'),
  gpt2: () => 'The cat sat on the mat',
  t5: () => 'translate English to German: The house is wonderful.',
};

const ui = {
  model: byId<HTMLSelectElement>('model'),
  text: byId<HTMLInputElement>('text'),
  decoderWrap: byId('decoder-wrap'),
  decoderText: byId<HTMLInputElement>('decoder-text'),
  temperature: byId<HTMLInputElement>('temperature'),
  run: byId<HTMLButtonElement>('run'),
  generation: byId('generation'),
  step: byId<HTMLButtonElement>('step'),
  sample: byId<HTMLInputElement>('sample'),
  reset: byId<HTMLButtonElement>('reset'),
  status: byId('status'),
  tokens: byId('tokens'),
  outputWrap: byId('output-wrap'),
  outputTokens: byId('output-tokens'),
  sets: byId('attention-sets'),
  layer: byId<HTMLInputElement>('layer'),
  layerValue: byId<HTMLOutputElement>('layer-value'),
  heads: byId('heads'),
  average: byId<HTMLInputElement>('average'),
  attentionTitle: byId('attention-title'),
  heatmap: byId<SVGSVGElement>('heatmap'),
  lines: byId<SVGSVGElement>('lines'),
  headGridTitle: byId('head-grid-title'),
  headGrid: byId('head-grid'),
  hidden: byId('hidden'),
  predictions: byId('predictions'),
  lens: byId('lens'),
};

let view: View | null = null;
let summary: ModelSummary | null = null;
let steps = 0;

function status(message: string, error = false): void {
  ui.status.textContent = message;
  ui.status.classList.toggle('error', error);
}

/** Redraws the views that depend on the layer, head and focus (cheap: no request). */
function drawAttention(): void {
  if (!view) return;
  const set = currentSet(view);
  const layers = set.weights.length;
  view.layer = Math.min(view.layer, layers - 1);
  const heads = set.weights[view.layer].length;
  view.head = Math.min(view.head, heads - 1);
  ui.layer.max = String(layers - 1);
  ui.layer.value = String(view.layer);
  ui.layerValue.textContent = `${view.layer} of ${layers - 1}`;
  ui.average.checked = view.average;
  ui.attentionTitle.textContent = set.title;
  renderHeatmap(ui.heatmap, view, setFocus);
  renderLines(ui.lines, view, setFocus);
  ui.headGridTitle.textContent = `All heads of layer ${view.layer} (choose one)`;
  renderHeadGrid(ui.headGrid, view, (h) => {
    if (!view) return;
    if (h === 'average') view.average = true;
    else { view.head = h; view.average = false; }
    drawControls();
    drawAttention();
  });
  renderTokens(ui.tokens, view, 'input', setFocus);
  if (view.inspection.outputTokens) renderTokens(ui.outputTokens, view, 'output', setFocus);
}

function setFocus(focus: Focus | null): void {
  if (!view) return;
  const same = focus === view.focus || (focus !== null && view.focus !== null && focus.side === view.focus.side && focus.index === view.focus.index && focus.role === view.focus.role);
  if (same) return;
  view.focus = focus;
  drawAttention();
}

/** The set radios and head buttons (they change with the model and the set). */
function drawControls(): void {
  if (!view) return;
  const v = view;
  const radios = v.inspection.attentions.map((set, i) => {
    const b = el('button', { type: 'button', role: 'radio', 'aria-checked': String(i === v.set), 'data-set': set.kind, tabindex: i === v.set ? 0 : -1 }, set.kind === 'self' ? 'self-attention' : set.kind);
    b.addEventListener('click', () => { v.set = i; v.focus = null; drawControls(); drawAttention(); });
    b.addEventListener('keydown', (e) => {
      const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? i - 1 : -2;
      if (next === -2 || next < 0 || next >= v.inspection.attentions.length) return;
      e.preventDefault();
      v.set = next; v.focus = null; drawControls(); drawAttention();
      (ui.sets.querySelector(`[data-set="${v.inspection.attentions[next].kind}"]`) as HTMLElement | null)?.focus();
    });
    return b;
  });
  ui.sets.replaceChildren(el('legend', {}, 'Kind'), ...radios);
  const heads = currentSet(v).weights[0]?.length ?? 0;
  const buttons = Array.from({ length: heads }, (_, h) => {
    const b = el('button', { type: 'button', 'aria-pressed': String(!v.average && v.head === h), 'aria-label': `head ${h}`, 'data-head': String(h) }, String(h));
    b.addEventListener('click', () => { v.head = h; v.average = false; drawControls(); drawAttention(); });
    return b;
  });
  ui.heads.replaceChildren(el('legend', {}, 'Head'), ...buttons);
}

function show(inspection: Inspection): void {
  const keep = view && view.inspection.model.name === inspection.model.name;
  view = { inspection, set: keep ? view!.set : 0, layer: keep ? view!.layer : 0, head: keep ? view!.head : 0, average: keep ? view!.average : false, focus: null };
  view.set = Math.min(view.set, inspection.attentions.length - 1);
  ui.outputWrap.hidden = !inspection.outputTokens;
  const generates = inspection.model.task === 'causal-lm' || inspection.model.task === 'seq2seq';
  ui.generation.hidden = !generates;
  drawControls();
  drawAttention();
  renderHidden(ui.hidden, view);
  renderPredictions(ui.predictions, view);
  renderLens(ui.lens, view);
  document.body.dataset['ready'] = String(Date.now());
}

function request(extra: Partial<InspectRequest> = {}): InspectRequest {
  const temperature = Number(ui.temperature.value);
  return {
    model: ui.model.value,
    text: ui.text.value,
    ...(temperature > 0 ? { temperature } : {}),
    ...(summary?.family === 't5' && ui.decoderText.value ? { decoderText: ui.decoderText.value } : {}),
    ...extra,
  };
}

async function busy<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  status(`${what}…`);
  document.body.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } catch (err) {
    status(err instanceof Error ? err.message : String(err), true);
    return undefined;
  } finally {
    document.body.removeAttribute('aria-busy');
  }
}

async function inspect(extra: Partial<InspectRequest> = {}): Promise<void> {
  const started = performance.now();
  const result = await busy('Running the model', () => api.inspect(request(extra)));
  if (!result) return;
  show(result);
  steps = 0;
  status(`${result.tokens.length} tokens${result.truncated ? ' (the text was cut: the explorer looks at short texts)' : ''}; ${result.model.architecture}, ${result.model.layers} layers × ${result.model.heads} heads; ${Math.round(performance.now() - started)} ms`);
}

async function step(): Promise<void> {
  if (!view) return;
  const ins = view.inspection;
  // GPT grows its input; T5 grows its decoder sequence
  const ids: Partial<InspectRequest> = { inputIds: ins.tokens.map((t) => t.id) };
  if (ins.model.family === 't5') ids.decoderInputIds = (ins.outputTokens ?? []).map((t) => t.id);
  const extra = { ...ids, sample: ui.sample.checked, seed: ++steps };
  const result = await busy('Generating one token', () => api.step({ ...request(), ...extra }));
  if (!result) return;
  show(result.inspection);
  status(`chose ${JSON.stringify(result.chosen.text || result.chosen.token)} (id ${result.chosen.id}, p = ${(result.chosen.prob * 100).toFixed(1)}%)${result.finished ? ': end of sequence' : ''}`);
}

async function reset(): Promise<void> {
  if (summary?.family === 't5' && view?.inspection.outputTokens) {
    await inspect({ decoderInputIds: [view.inspection.outputTokens[0].id] });
  } else {
    await inspect();
  }
}

async function chooseModel(): Promise<void> {
  const name = ui.model.value;
  const s = await busy(`Loading ${name}`, () => api.summary(name));
  if (!s) return;
  summary = s;
  ui.decoderWrap.hidden = s.family !== 't5';
  if (!ui.text.dataset['edited']) ui.text.value = DEFAULT_TEXT[s.family](s);
  await inspect();
}

function shortcuts(e: KeyboardEvent): void {
  if (!view || e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
  const layers = currentSet(view).weights.length;
  const heads = currentSet(view).weights[0].length;
  if (e.key === '[' || e.key === ']') view.layer = Math.max(0, Math.min(layers - 1, view.layer + (e.key === ']' ? 1 : -1)));
  else if (e.key === '-' || e.key === '=') { view.average = false; view.head = Math.max(0, Math.min(heads - 1, view.head + (e.key === '=' ? 1 : -1))); }
  else return;
  e.preventDefault();
  drawControls();
  drawAttention();
}

async function start(): Promise<void> {
  ui.run.addEventListener('click', () => void inspect());
  ui.text.addEventListener('input', () => { ui.text.dataset['edited'] = '1'; });
  ui.text.addEventListener('keydown', (e) => { if (e.key === 'Enter') void inspect(); });
  ui.decoderText.addEventListener('keydown', (e) => { if (e.key === 'Enter') void inspect(); });
  ui.temperature.addEventListener('change', () => void inspect(view && view.inspection.model.family !== 'bert' ? { inputIds: view.inspection.tokens.map((t) => t.id), ...(view.inspection.outputTokens ? { decoderInputIds: view.inspection.outputTokens.map((t) => t.id) } : {}) } : {}));
  ui.model.addEventListener('change', () => { delete ui.text.dataset['edited']; void chooseModel(); });
  ui.step.addEventListener('click', () => void step());
  ui.reset.addEventListener('click', () => void reset());
  ui.layer.addEventListener('input', () => { if (view) { view.layer = Number(ui.layer.value); drawAttention(); } });
  ui.average.addEventListener('change', () => { if (view) { view.average = ui.average.checked; drawControls(); drawAttention(); } });
  document.addEventListener('keydown', shortcuts);
  // the page carries the model list; ask the server only if it is missing
  const inline = document.getElementById('model-list')?.textContent;
  const list = inline ? { models: (JSON.parse(inline) as string[]).map((name) => ({ name })) } : await busy('Listing models', () => api.models());
  if (!list) return;
  if (list.models.length === 0) { status('This server has no models for the explorer. Start it with a model: kotoba explore <model>', true); return; }
  ui.model.replaceChildren(...list.models.map((m) => el('option', { value: m.name }, m.name)));
  const wanted = new URLSearchParams(location.search).get('model');
  if (wanted && list.models.some((m) => m.name === wanted)) ui.model.value = wanted;
  const text = new URLSearchParams(location.search).get('text');
  if (text) { ui.text.value = text; ui.text.dataset['edited'] = '1'; }
  await chooseModel();
}

void start();
