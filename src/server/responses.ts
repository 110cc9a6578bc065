/** The parts every OpenAI response shares: ids, timestamps and usage. */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id like OpenAI's: a prefix and 29 random letters and digits ("cmpl-", "chatcmpl-"). */
export function newId(prefix: string): string {
  const bytes = randomBytes(29);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Unix time in seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Identifies the server build in responses (OpenAI's system_fingerprint). */
export const SYSTEM_FINGERPRINT = 'fp_kotoba';
