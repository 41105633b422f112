import { streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { demoReplyText } from '@/server/chat-engine/demo-model';
import { DEMO_MODEL_ID, modelCatalogFrom } from '@/server/chat-engine/model-catalog';
import { fitHistoryToBudget } from '@/server/chat-engine/reply-context';
import { firstWordsTitle } from '@/server/chat-engine/session-title';

describe('model catalog', () => {
  it('offers only the labelled offline demo model when no provider is configured', () => {
    const catalog = modelCatalogFrom(parseEnv({}));
    expect(catalog.options).toEqual([
      {
        id: DEMO_MODEL_ID,
        label: 'Demo (offline, no AI provider configured)',
        provider: 'demo',
        isDemo: true,
      },
    ]);
    expect(catalog.defaultId).toBe(DEMO_MODEL_ID);
  });

  it('lists the OpenAI-compatible models first, then OpenAI and Anthropic when their keys are set', () => {
    const catalog = modelCatalogFrom(
      parseEnv({
        AI_BASE_URL: 'http://127.0.0.1:11434/v1',
        AI_MODELS: 'llama3.2, qwen3 ,',
        OPENAI_API_KEY: 'sk-test',
        ANTHROPIC_API_KEY: 'sk-ant-test',
      }),
    );
    expect(catalog.options.map((option) => option.id)).toEqual([
      'openai-compatible/llama3.2',
      'openai-compatible/qwen3',
      'openai/gpt-4.1-mini',
      'openai/gpt-4.1',
      'anthropic/claude-sonnet-4-5',
      'anthropic/claude-haiku-4-5',
    ]);
    expect(catalog.defaultId).toBe('openai-compatible/llama3.2');
    expect(catalog.has(DEMO_MODEL_ID)).toBe(false);
    expect(() => catalog.languageModel('openai/unknown')).toThrow(/not configured/);
  });

  it('the demo model streams a markdown reply that says it is a demo and how to configure a provider', async () => {
    const catalog = modelCatalogFrom(parseEnv({}));
    const result = streamText({ model: catalog.languageModel(DEMO_MODEL_ID), prompt: 'What is 2 + 2?' });
    let chunks = 0;
    let text = '';
    for await (const part of result.textStream) {
      chunks += 1;
      text += part;
    }
    expect(text).toBe(demoReplyText('What is 2 + 2?'));
    expect(text).toMatch(/offline demo model/);
    expect(text).toMatch(/AI_BASE_URL/);
    expect(chunks).toBeGreaterThan(20);
  });
});

describe('history within the token budget', () => {
  const message = (content: string) => ({ role: 'user' as const, content });

  it('keeps the newest messages that fit, in chronological order', () => {
    const newestFirst = [message('c'.repeat(40)), message('b'.repeat(40)), message('a'.repeat(40))];
    expect(fitHistoryToBudget(newestFirst, 30).map((m) => m.content[0])).toEqual(['b', 'c']);
  });

  it('always keeps the question being answered, even alone over budget', () => {
    expect(fitHistoryToBudget([message('x'.repeat(1000))], 10)).toHaveLength(1);
  });
});

describe('first-words title', () => {
  it('takes the first six words, marking a cut', () => {
    expect(firstWordsTitle('How do I bake sourdough bread at home?')).toBe('How do I bake sourdough bread…');
    expect(firstWordsTitle('  Short   question ')).toBe('Short question');
    expect(firstWordsTitle('x'.repeat(100))).toBe(`${'x'.repeat(60)}…`);
    expect(firstWordsTitle('   ')).toBe('New chat');
  });
});
