import 'server-only';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { type Env, env } from '@/env';
import { createDemoModel } from './demo-model';

export type ModelProvider = 'openai-compatible' | 'openai' | 'anthropic' | 'demo';

/** One entry of the model picker. `id` is what chat.send takes and what replies record as their model. */
export interface ModelOption {
  id: string;
  label: string;
  provider: ModelProvider;
  /** The offline demo: the UI must say so. */
  isDemo: boolean;
}

export interface ModelCatalog {
  /** In picker order; the first is the default. Never empty (the demo model when nothing is configured). */
  readonly options: readonly ModelOption[];
  readonly defaultId: string;
  has(id: string): boolean;
  /** The first of `candidates` this deployment offers, else the default. */
  usable(...candidates: (string | null | undefined)[]): string;
  /** The AI SDK model behind an option id; throws for an id not in `options`. */
  languageModel(id: string): LanguageModel;
}

export const DEMO_MODEL_ID = 'demo/offline';

function idsOf(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/**
 * The models this deployment offers, from env: an OpenAI-compatible endpoint (AI_BASE_URL + AI_MODELS),
 * OpenAI and Anthropic natively when their keys are set, else the offline demo model so a fresh install works.
 */
export function modelCatalogFrom(config: Env): ModelCatalog {
  const options: ModelOption[] = [];
  const factories = new Map<string, () => LanguageModel>();
  const add = (provider: ModelProvider, modelId: string, label: string, create: () => LanguageModel) => {
    const id = `${provider}/${modelId}`;
    options.push({ id, label, provider, isDemo: provider === 'demo' });
    factories.set(id, create);
  };

  if (config.AI_BASE_URL) {
    const compatible = createOpenAICompatible({
      name: 'openai-compatible',
      baseURL: config.AI_BASE_URL,
      apiKey: config.AI_API_KEY,
      includeUsage: true,
    });
    for (const modelId of idsOf(config.AI_MODELS)) {
      add('openai-compatible', modelId, modelId, () => compatible.chatModel(modelId));
    }
  }
  if (config.OPENAI_API_KEY) {
    const openai = createOpenAI({ apiKey: config.OPENAI_API_KEY });
    for (const modelId of idsOf(config.OPENAI_MODELS))
      add('openai', modelId, `OpenAI ${modelId}`, () => openai(modelId));
  }
  if (config.ANTHROPIC_API_KEY) {
    const anthropic = createAnthropic({ apiKey: config.ANTHROPIC_API_KEY });
    for (const modelId of idsOf(config.ANTHROPIC_MODELS)) {
      add('anthropic', modelId, `Anthropic ${modelId}`, () => anthropic(modelId));
    }
  }
  if (options.length === 0)
    add('demo', 'offline', 'Demo (offline, no AI provider configured)', createDemoModel);

  const models = new Map<string, LanguageModel>();
  const [first] = options;
  if (!first) throw new Error('unreachable: the catalog always holds the demo model');
  return Object.freeze({
    options: Object.freeze(options),
    defaultId: first.id,
    has: (id: string) => factories.has(id),
    usable: (...candidates: (string | null | undefined)[]) =>
      candidates.find((id): id is string => !!id && factories.has(id)) ?? first.id,
    languageModel(id: string): LanguageModel {
      const create = factories.get(id);
      if (!create) throw new Error(`Model ${id} is not configured`);
      let model = models.get(id);
      if (!model) {
        model = create();
        models.set(id, model);
      }
      return model;
    },
  });
}

let cached: ModelCatalog | undefined;

/** This process's catalog (env is read once). */
export function modelCatalog(): ModelCatalog {
  cached ??= modelCatalogFrom(env());
  return cached;
}
