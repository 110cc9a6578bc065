/**
 * The explorer's HTML: the page's skeleton. Its behaviour is web/main.mts (compiled to
 * /explorer/assets/main.mjs); its style is styles.ts. Nothing is loaded from outside Kotoba.
 */
export interface PageContent {
  /** The compiled modules to preload (all fetched at once instead of import by import). */
  modules: readonly string[];
  /** The model names, put in the page so it needs no request to list them. */
  models: readonly string[];
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function pageHtml(content: PageContent): string {
  const preload = content.modules.filter((m) => m !== 'main.mjs').map((m) => `<link rel="modulepreload" href="/explorer/assets/${m}">`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kotoba explorer</title>
<link rel="stylesheet" href="/explorer/assets/explorer.css">
<link rel="icon" href="data:,">
<script type="module" src="/explorer/assets/main.mjs"></script>
${preload}
<script type="application/json" id="model-list">${scriptJson(content.models)}</script>
</head>
<body>
<header>
  <h1>Kotoba explorer</h1>
  <label>Model <select id="model" aria-label="model"></select></label>
  <label>Text <input id="text" type="text" aria-label="input text" autocomplete="off" spellcheck="false"></label>
  <label id="decoder-wrap" hidden>Decoder text (empty: the model's own output) <input id="decoder-text" type="text" aria-label="decoder text" autocomplete="off"></label>
  <label>Temperature <input id="temperature" type="number" min="0.05" max="10" step="0.05" value="1" aria-label="temperature"></label>
  <button id="run" class="primary" type="button">Inspect</button>
  <span id="generation" hidden>
    <button id="step" type="button" aria-label="generate one token">Step ▶</button>
    <label style="flex-direction: row; align-items: center; gap: 4px"><input id="sample" type="checkbox"> sample</label>
    <button id="reset" type="button">Reset</button>
  </span>
  <div id="status" class="status" role="status" aria-live="polite"></div>
</header>
<main>
  <section class="wide" aria-labelledby="tokens-h">
    <h2 id="tokens-h">Tokens</h2>
    <p class="hint">How the tokenizer splits the text: vocabulary piece above, id below; special tokens in purple. Arrow keys move between tokens; the focused token is highlighted in every view.</p>
    <div id="tokens" class="tokens" role="toolbar" aria-label="input tokens"></div>
    <div id="output-wrap" hidden>
      <h3 class="hint">Decoder tokens (T5's output)</h3>
      <div id="output-tokens" class="tokens" role="toolbar" aria-label="decoder tokens"></div>
    </div>
  </section>
  <section class="wide" aria-labelledby="attention-h">
    <h2 id="attention-h">Attention</h2>
    <div class="controls">
      <fieldset id="attention-sets" role="radiogroup" aria-label="attention kind"></fieldset>
      <label>Layer <span><input id="layer" type="range" min="0" max="0" value="0" aria-label="layer"> <output id="layer-value">0</output></span></label>
      <fieldset id="heads" aria-label="head"><legend>Head</legend></fieldset>
      <label style="flex-direction: row; align-items: center; gap: 4px"><input id="average" type="checkbox"> average heads</label>
    </div>
    <p class="hint" id="attention-title"></p>
    <div class="attention-views">
      <figure><svg id="heatmap" role="img" aria-label="attention heatmap"></svg><figcaption class="hint">Rows attend to columns (rows sum to 1). Keys: [ ] layer, - = head.</figcaption></figure>
      <figure><svg id="lines" aria-label="attention as lines between tokens"></svg><figcaption class="hint">Hover or focus a token on the left to see where it attends; on the right, what attends to it.</figcaption></figure>
    </div>
    <h3 class="hint" id="head-grid-title">All heads</h3>
    <div id="head-grid" class="head-grid" role="toolbar" aria-label="all heads of this layer"></div>
  </section>
  <section aria-labelledby="hidden-h">
    <h2 id="hidden-h">Hidden states</h2>
    <p class="hint">Per layer (0 = embeddings): each token's hidden-state norm, and its cosine similarity to the same token one layer down.</p>
    <div id="hidden" class="scroll"></div>
  </section>
  <section aria-labelledby="predictions-h">
    <h2 id="predictions-h">Predictions</h2>
    <div id="predictions"></div>
    <h2 id="lens-h">Logit lens</h2>
    <p class="hint">Each layer's state read through the output embedding: the most likely token at every position, layer by layer (decoder models).</p>
    <div id="lens" class="scroll"></div>
  </section>
</main>
</body>
</html>
`;
}
