import 'server-only';
import type { LanguageModelV4, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { type LanguageModel, streamText } from 'ai';
import type { HistoryMessage } from './reply.repository';

/** What the runner needs from a model's stream: text, errors, and how it ended. */
export type ModelStreamPart =
  | { type: 'text'; text: string }
  | { type: 'error'; error: unknown }
  | {
      type: 'finish';
      finishReason: string;
      usage: { inputTokens: number | null; outputTokens: number | null };
    };

export interface ModelStreamInput {
  instructions: string;
  messages: HistoryMessage[];
  abortSignal: AbortSignal;
}

function isV4(model: LanguageModel): model is LanguageModelV4 {
  return typeof model === 'object' && model.specificationVersion === 'v4';
}

function promptOf({ instructions, messages }: ModelStreamInput): LanguageModelV4Prompt {
  return [
    { role: 'system', content: instructions },
    ...messages.map((message): LanguageModelV4Prompt[number] =>
      message.role === 'system'
        ? { role: 'system', content: message.content }
        : { role: message.role, content: [{ type: 'text', text: message.content }] },
    ),
  ];
}

/**
 * Streams a reply from the model. A v4 model (every provider package this app installs) is called directly
 * through `doStream`: the CPU profile of 200 concurrent streams put web-stream plumbing at the top of the
 * engine's own time, and streamText adds several stream stages per token (steps, tools, output parsing,
 * tees for its promises) that a plain text reply does not use. Any other model goes through streamText.
 * No retries either way: a retry after tokens were shown would repeat them.
 */
export async function* streamModelText(
  model: LanguageModel,
  input: ModelStreamInput,
): AsyncGenerator<ModelStreamPart> {
  if (!isV4(model)) {
    yield* throughStreamText(model, input);
    return;
  }
  const { stream } = await model.doStream({ prompt: promptOf(input), abortSignal: input.abortSignal });
  for await (const part of stream) {
    if (part.type === 'text-delta') yield { type: 'text', text: part.delta };
    else if (part.type === 'error') yield { type: 'error', error: part.error };
    else if (part.type === 'finish') {
      yield {
        type: 'finish',
        finishReason: part.finishReason.unified,
        usage: {
          inputTokens: part.usage.inputTokens.total ?? null,
          outputTokens: part.usage.outputTokens.total ?? null,
        },
      };
    }
  }
}

async function* throughStreamText(
  model: LanguageModel,
  input: ModelStreamInput,
): AsyncGenerator<ModelStreamPart> {
  const result = streamText({
    model,
    instructions: input.instructions,
    messages: input.messages,
    abortSignal: input.abortSignal,
    maxRetries: 0,
    // errors arrive as stream parts and end up in the row; nothing to log twice
    onError: () => {},
  });
  for await (const part of result.stream) {
    if (part.type === 'text-delta') yield { type: 'text', text: part.text };
    else if (part.type === 'error') yield { type: 'error', error: part.error };
    else if (part.type === 'finish') {
      yield {
        type: 'finish',
        finishReason: part.finishReason,
        usage: {
          inputTokens: part.totalUsage.inputTokens ?? null,
          outputTokens: part.totalUsage.outputTokens ?? null,
        },
      };
    }
  }
}
