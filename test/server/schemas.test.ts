/** Request validation without HTTP: OpenAI's defaults, cross-field rules, and the chat template. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, renderPlainChat, type ModelInfo } from '../../src/server/index.js';
import { parseChatRequest } from '../../src/server/schemas/chat.js';
import { parseCompletionRequest } from '../../src/server/schemas/completions.js';
import { parseEmbeddingRequest } from '../../src/server/schemas/embeddings.js';

const info: ModelInfo = { kind: 'causal-lm', architecture: 'GPT2LMHeadModel', vocabSize: 100, contextLength: 64, hiddenSize: 8, hasChatTemplate: false };

function rejects(fn: () => unknown, param: string | null): void {
  assert.throws(fn, (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === param);
}

describe('completion requests', () => {
  it('fill in OpenAI\'s defaults', () => {
    const r = parseCompletionRequest({ model: 'm', prompt: 'hi' }, 'm', info);
    assert.deepEqual(r, {
      model: 'm', prompts: ['hi'], maxTokens: 16, n: 1, bestOf: 1, stream: false, includeUsage: false, logprobs: null, echo: false,
      user: null, temperature: 1, topP: 1, presencePenalty: 0, frequencyPenalty: 0, seed: null, stop: [], logitBias: {},
    });
    assert.deepEqual(parseCompletionRequest({ model: 'm' }, 'm', info).prompts, ['']); // OpenAI's default prompt: the start token
    assert.deepEqual(parseCompletionRequest({ model: 'm', prompt: null, max_tokens: null, stop: 'x' }, 'm', info).stop, ['x']);
  });

  it('accept the four prompt forms', () => {
    const prompts = (prompt: unknown) => parseCompletionRequest({ model: 'm', prompt }, 'm', info).prompts;
    assert.deepEqual(prompts('a'), ['a']);
    assert.deepEqual(prompts(['a', 'b']), ['a', 'b']);
    assert.deepEqual(prompts([1, 2]), [[1, 2]]);
    assert.deepEqual(prompts([[1], [2, 3]]), [[1], [2, 3]]);
  });

  it('enforce the cross-field rules', () => {
    rejects(() => parseCompletionRequest({ model: 'm', n: 3, best_of: 2 }, 'm', info), 'best_of');
    rejects(() => parseCompletionRequest({ model: 'm', n: 1, best_of: 2, stream: true }, 'm', info), 'best_of');
    rejects(() => parseCompletionRequest({ model: 'm', stream_options: { include_usage: true } }, 'm', info), 'stream_options');
    rejects(() => parseCompletionRequest({ model: 'm', prompt: Array(10).fill('a'), best_of: 20 }, 'm', info), 'best_of');
    rejects(() => parseCompletionRequest({ model: 'm', max_tokens: 65 }, 'm', info), 'max_tokens');
    rejects(() => parseCompletionRequest({ model: 'm', suffix: 'x' }, 'm', info), 'suffix');
    assert.equal(parseCompletionRequest({ model: 'm', suffix: '' }, 'm', info).model, 'm');
  });
});

describe('chat requests', () => {
  const messages = [{ role: 'user', content: 'hi' }];

  it('default max_tokens to the rest of the context and take max_completion_tokens first', () => {
    assert.equal(parseChatRequest({ model: 'm', messages }, 'm', info).maxTokens, null);
    assert.equal(parseChatRequest({ model: 'm', messages, max_tokens: 5, max_completion_tokens: 7 }, 'm', info).maxTokens, 7);
  });

  it('join text parts, and need logprobs for top_logprobs', () => {
    const r = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }, 'm', info);
    assert.equal(r.messages[0].content, 'ab');
    rejects(() => parseChatRequest({ model: 'm', messages, top_logprobs: 2 }, 'm', info), 'top_logprobs');
    assert.equal(parseChatRequest({ model: 'm', messages, logprobs: true, top_logprobs: 2 }, 'm', info).topLogprobs, 2);
  });

  it('render the plain template', () => {
    assert.equal(renderPlainChat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi', name: 'ann' }, { role: 'assistant', content: 'Hello.' }]),
      'System: Be brief.\nUser (ann): Hi\nAssistant: Hello.\nAssistant:');
  });
});

describe('embedding requests', () => {
  it('default to float, accept the model\'s own size as dimensions', () => {
    const enc = { ...info, kind: 'encoder' as const };
    assert.equal(parseEmbeddingRequest({ model: 'm', input: 'a' }, 'm', enc).encodingFormat, 'float');
    assert.equal(parseEmbeddingRequest({ model: 'm', input: 'a', dimensions: 8 }, 'm', enc).inputs.length, 1);
    rejects(() => parseEmbeddingRequest({ model: 'm', input: 'a', dimensions: 4 }, 'm', enc), 'dimensions');
  });
});
