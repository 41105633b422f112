import { z } from 'zod';

export const deleteAccountInput = z.object({
  password: z.string().min(1, 'Enter your password').max(128),
});
