import type { RouterOutputs } from '@/server/router';

/** Shapes the API returns, as the browser sees them (types only; no server code reaches the bundle). */
export type ChatSession = RouterOutputs['sessions']['list']['items'][number];
export type ChatMessage = RouterOutputs['messages']['list']['items'][number];
export type Profile = RouterOutputs['profile']['get'];
export type SystemPrompt = RouterOutputs['prompts']['list'][number];
export type ModelList = RouterOutputs['models']['list'];
export type ModelOption = ModelList['models'][number];
