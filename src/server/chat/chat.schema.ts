import 'server-only';
import { z } from 'zod';
import { modelCatalog } from '../chat-engine/model-catalog';
import { sessionId } from '../sessions/sessions.schema';

/** 32k characters: far more than anyone types, far less than a context window. */
const MAX_MESSAGE_LENGTH = 32_000;

export const messageId = z.uuid({ message: 'Invalid message id' });

const messageContent = z
  .string()
  .max(MAX_MESSAGE_LENGTH, `Message is longer than ${MAX_MESSAGE_LENGTH} characters`)
  .refine((text) => text.trim().length > 0, 'Message is empty');

const modelId = z.string().refine((id) => modelCatalog().has(id), 'Unknown model: pick one from models.list');

export const sendInput = z.object({
  /** Absent: a new session is created for this message. */
  sessionId: sessionId.optional(),
  /** Made by the client once per message; a retry with the same id never duplicates the message. */
  clientMessageId: z
    .string()
    .min(8, 'clientMessageId is too short')
    .max(100, 'clientMessageId is longer than 100 characters'),
  content: messageContent,
  model: modelId.optional(),
});
export const stopInput = z.object({ messageId });
export const replyProgressInput = z.object({ messageId });
export const regenerateInput = z.object({ messageId, model: modelId.optional() });
export const editAndResendInput = z.object({ messageId, content: messageContent, model: modelId.optional() });
/** `messageId`: any message of the session; the chat then shows the newest path through it. */
export const switchBranchInput = z.object({ sessionId, messageId });

export type SendInput = z.infer<typeof sendInput>;
export type RegenerateInput = z.infer<typeof regenerateInput>;
export type EditAndResendInput = z.infer<typeof editAndResendInput>;
export type SwitchBranchInput = z.infer<typeof switchBranchInput>;
