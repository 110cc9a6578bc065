/**
 * Turning chat messages into a prompt. A model whose tokenizer carries its own chat template
 * uses that (see local-engine.ts); every other model gets this plain, documented template:
 *
 *   System: You are helpful.
 *   User: Hello!
 *   Assistant: Hi.
 *   User: How are you?
 *   Assistant:
 *
 * one line block per message ("Role: content", the role capitalized, a name in parentheses),
 * ending with "Assistant:" for the model to continue. Generation then also stops where the model
 * starts writing the next turn ("\nUser:" or "\nSystem:"), which a base model otherwise would.
 */
import type { ChatMessage } from './engine.js';

const LABELS: Record<string, string> = {
  system: 'System', developer: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool', function: 'Tool',
};

export const PLAIN_TEMPLATE_STOPS = ['\nUser:', '\nSystem:'];

export function renderPlainChat(messages: readonly ChatMessage[]): string {
  const lines = messages.map((m) => {
    const label = LABELS[m.role] ?? m.role;
    return `${label}${m.name ? ` (${m.name})` : ''}: ${m.content}`;
  });
  lines.push('Assistant:');
  return lines.join('\n');
}
