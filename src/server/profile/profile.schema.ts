import { z } from 'zod';

export const updateProfileInput = z
  .object({
    displayName: z.string().trim().max(80, 'Display name is longer than 80 characters').nullable().optional(),
    avatarUrl: z
      .url({ protocol: /^https?$/, message: 'Avatar URL must be an http(s) URL' })
      .max(2048)
      .nullable()
      .optional(),
  })
  .refine((input) => input.displayName !== undefined || input.avatarUrl !== undefined, {
    message: 'Nothing to update',
  });
