import 'server-only';
import type { LanguageModelV4, LanguageModelV4Prompt, LanguageModelV4StreamPart } from '@ai-sdk/provider';

/** Pace of the demo reply: about what a hosted model streams. */
const FIRST_TOKEN_DELAY_MS = 300;
const WORD_DELAY_MS = 25;

function lastUserText(prompt: LanguageModelV4Prompt): string {
  const last = [...prompt].reverse().find((message) => message.role === 'user');
  if (last?.role !== 'user') return '';
  return last.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join(' ')
    .trim();
}

/** The demo reply: says plainly that no model is configured and how to configure one. */
export function demoReplyText(question: string): string {
  const quoted = question.length > 200 ? `${question.slice(0, 200)}…` : question;
  return [
    '**This is the offline demo model** — no AI provider is configured yet, so nothing was sent anywhere.',
    '',
    `You asked: _${quoted.replaceAll('_', '\\_') || '(an empty message)'}_`,
    '',
    'To get real answers, set one of these in `.env` and restart:',
    '',
    '| Provider | Variables |',
    '|---|---|',
    '| Any OpenAI-compatible server (Ollama, vLLM, LM Studio) | `AI_BASE_URL`, `AI_API_KEY`, `AI_MODELS` |',
    '| OpenAI | `OPENAI_API_KEY` |',
    '| Anthropic | `ANTHROPIC_API_KEY` |',
    '',
    'For example, with [Ollama](https://ollama.com) running locally:',
    '',
    '```sh',
    'AI_BASE_URL=http://127.0.0.1:11434/v1',
    'AI_MODELS=llama3.2',
    '```',
    '',
    'Everything else — streaming, stopping, reloading mid-reply, several tabs — works the same with the demo.',
  ].join('\n');
}

/** Splits text into word-sized tokens that concatenate back to it exactly. */
function tokensOf(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function usage(input: number, output: number) {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  };
}

/**
 * An offline language model for a fresh install: streams `demoReplyText` at a realistic pace, honours abort,
 * calls nothing. The picker labels it as a demo (see model-catalog.ts).
 */
export function createDemoModel(): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'demo',
    modelId: 'offline-demo',
    supportedUrls: {},
    async doGenerate(options) {
      const text = demoReplyText(lastUserText(options.prompt));
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(0, tokensOf(text).length),
        warnings: [],
      };
    },
    async doStream(options) {
      const tokens = tokensOf(demoReplyText(lastUserText(options.prompt)));
      const signal = options.abortSignal;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 'demo' });
          let index = 0;
          const finish = () => {
            controller.enqueue({ type: 'text-end', id: 'demo' });
            controller.enqueue({
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: usage(0, tokens.length),
            });
            controller.close();
          };
          const next = () => {
            if (signal?.aborted) return;
            const token = tokens[index++];
            if (token === undefined) return finish();
            controller.enqueue({ type: 'text-delta', id: 'demo', delta: token });
            timer = setTimeout(next, WORD_DELAY_MS);
          };
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            controller.error(signal.reason);
          });
          timer = setTimeout(next, FIRST_TOKEN_DELAY_MS);
        },
        cancel() {
          clearTimeout(timer);
        },
      });
      return { stream };
    },
  };
}
