import { twoFactorClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** BetterAuth's browser client; same-origin, so it needs no base URL. */
export const authClient = createAuthClient({ plugins: [twoFactorClient()] });
