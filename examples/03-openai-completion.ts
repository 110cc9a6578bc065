// Example 3 of the source article: text from a GPT model through OpenAI's Completions API, with
// the official `openai` client — pointed at a local Kotoba server instead of api.openai.com.
//
//   kotoba serve                     (in another terminal: serves the shipped models)
//   node dist/examples/03-openai-completion.js [base-url] [model]
//
// The Python it mirrors:
//   openai.api_key = 'YOUR_API_KEY'
//   response = openai.Completion.create(engine='text-davinci-003', prompt='Once upon a time',
//                                       max_tokens=100, temperature=0.6)
//   print(response.choices[0].text)
//
// Without a server URL it starts one in this process on a free port, serving the shipped
// kotoba-gpt-mini (or the model folder in $KOTOBA_EXAMPLE_MODEL), and stops it at the end.
import OpenAI from 'openai';
import { resolveModelName, startServer } from '../src/index.js';

const modelName = process.argv[3] ?? (process.argv[2] ? 'gpt2' : 'kotoba-gpt-mini');
let baseURL = process.argv[2];
let stop = async (): Promise<void> => {};
if (!baseURL) {
  const folder = process.env.KOTOBA_EXAMPLE_MODEL ?? resolveModelName('kotoba-gpt-mini');
  const server = await startServer({ models: [{ name: modelName, folder }], port: 0 });
  await server.loaded;
  baseURL = `${server.url}/v1`;
  stop = () => server.close();
}

const openai = new OpenAI({ baseURL, apiKey: process.env.KOTOBA_API_KEY ?? 'YOUR_API_KEY' });

const response = await openai.completions.create({
  model: modelName, // the article's `engine`
  prompt: 'Once upon a time',
  max_tokens: 100,
  temperature: 0.6,
});

console.log(response.choices[0].text);
await stop();
