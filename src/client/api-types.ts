import type { RouterOutputs } from '@/server/router';

export type { ChatMessage } from '@/shared/message-row';
export type { ChatSession } from '@/shared/session-row';

/** Shapes the API returns, as the browser sees them (types only; no server code reaches the bundle). */
export type Profile = RouterOutputs['profile']['get'];
export type SystemPrompt = RouterOutputs['prompts']['list'][number];
export type ModelList = RouterOutputs['models']['list'];
export type ModelOption = ModelList['models'][number];
