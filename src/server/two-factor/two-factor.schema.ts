import { z } from 'zod';

export const disableTwoFactorInput = z.object({
  password: z.string().min(1, 'Enter your password').max(128),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'),
});
