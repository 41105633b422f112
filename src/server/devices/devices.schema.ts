import { z } from 'zod';

export const revokeDeviceInput = z.object({ id: z.string().trim().min(1, 'Device id is empty').max(128) });
