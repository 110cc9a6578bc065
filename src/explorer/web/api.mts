/** The explorer's HTTP API, as the page calls it. */
import type { GenerationStep, Inspection, ModelSummary } from '../types.js';

const KEY = 'kotoba-api-key';

/** Sends a request; on 401 (a server started with an API key) asks for the key once and retries. */
async function call<T>(path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const key = sessionStorage.getItem(KEY);
  if (key) headers['authorization'] = `Bearer ${key}`;
  const response = await fetch(path, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  if (response.status === 401 && !retried) {
    const given = window.prompt('This server needs its API key:');
    if (given) {
      sessionStorage.setItem(KEY, given.trim());
      return call<T>(path, body, true);
    }
  }
  const data = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(data.error?.message ?? `${response.status} ${response.statusText}`);
  return data;
}

export interface InspectRequest {
  model: string;
  text: string;
  temperature?: number;
  decoderText?: string;
  inputIds?: number[];
  decoderInputIds?: number[];
}

export const api = {
  models: () => call<{ models: { name: string }[] }>('/explorer/api/models'),
  summary: (name: string) => call<ModelSummary>(`/explorer/api/models/${encodeURIComponent(name)}`),
  inspect: (req: InspectRequest) => call<Inspection>('/explorer/api/inspect', req),
  step: (req: InspectRequest & { sample?: boolean; seed?: number }) => call<GenerationStep>('/explorer/api/step', req),
};
