/** The explorer's HTTP API, as the page calls it. */
import type { GenerationStep, Inspection, ModelSummary } from '../types.js';

async function call<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
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
