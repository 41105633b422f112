import { z } from 'zod';

const promptId = z.uuid({ message: 'Invalid prompt id' });
const promptName = z.string().trim().min(1, 'Name is empty').max(100, 'Name is longer than 100 characters');
const promptContent = z
  .string()
  .trim()
  .min(1, 'Prompt is empty')
  .max(20000, 'Prompt is longer than 20000 characters');

export const createPromptInput = z.object({
  name: promptName,
  content: promptContent,
  isDefault: z.boolean().default(false),
});
export const updatePromptInput = z
  .object({ id: promptId, name: promptName.optional(), content: promptContent.optional() })
  .refine((input) => input.name !== undefined || input.content !== undefined, {
    message: 'Nothing to update',
  });
export const deletePromptInput = z.object({ id: promptId });
/** `id: null` clears the user's default, so the global default applies again. */
export const setDefaultPromptInput = z.object({ id: promptId.nullable() });
