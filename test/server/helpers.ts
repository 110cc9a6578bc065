/** Starting a test server on a free port of 127.0.0.1, and talking to it. */
import OpenAI from 'openai';
import { startServer, type StartOptions } from '../../src/server/index.js';
import type { KotobaServer } from '../../src/server/index.js';

export type TestServer = KotobaServer & { url: string };

/** A server on 127.0.0.1 with a random free port; resolves once its models have loaded. */
export async function startTestServer(options: Omit<StartOptions, 'host' | 'port'>): Promise<TestServer> {
  const server = await startServer({ ...options, host: '127.0.0.1', port: 0 });
  await server.loaded;
  const failed = server.registry.list().filter((m) => m.state !== 'ready');
  if (failed.length > 0) {
    await server.close();
    throw new Error(`models failed to load: ${failed.map((m) => `${m.name}: ${m.error}`).join('; ')}`);
  }
  return server;
}

/** The official client, pointed at a test server (no retries: every status is seen as it is). */
export function client(server: TestServer, apiKey = 'unused'): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** A request with any body (string or raw bytes), for inputs the client would never send. */
export async function raw(server: TestServer, method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The events of an SSE response body: the data of each event, [DONE] included. */
export function sseEvents(text: string): string[] {
  return text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice('data: '.length));
}

/** Asserts OpenAI's error object shape; returns the error. */
export function errorOf(json: any): { message: string; type: string; param: string | null; code: string | null } {
  if (!json || typeof json !== 'object' || !json.error) throw new Error(`not an error object: ${JSON.stringify(json)?.slice(0, 300)}`);
  const e = json.error;
  if (typeof e.message !== 'string' || typeof e.type !== 'string' || !('param' in e) || !('code' in e)) {
    throw new Error(`malformed error object: ${JSON.stringify(json).slice(0, 300)}`);
  }
  return e;
}
