import { inject } from 'vitest';
import { type FakeLlmProvider, startFakeLlmProvider } from '../../helpers/fake-llm-provider';

/**
 * Imported first by every engine test file: starts this file's fake provider and points the app's env at it
 * and at the test stack's realtime server, before anything reads env (src/env.ts reads it once).
 */
export const provider: FakeLlmProvider = await startFakeLlmProvider();

export const FAKE_MODEL = 'openai-compatible/fake-model';

process.env.AI_BASE_URL = provider.baseUrl;
process.env.AI_API_KEY = 'test-key';
process.env.AI_MODELS = 'fake-model,fake-model-large';
process.env.NEXT_PUBLIC_SUPABASE_URL = inject('realtimeUrl');
process.env.CHAT_PROVIDER_STALL_MS ??= '1500';
process.env.CHAT_CHECKPOINT_INTERVAL_MS ??= '300';
process.env.CHAT_RATE_LIMIT_PER_MINUTE ??= '1000';
