import 'server-only';
import type { Auth } from '../auth';

/** Whether `password` is the user's current password, checked by BetterAuth's own hasher. */
export async function isCurrentPassword(auth: Auth, userId: string, password: string): Promise<boolean> {
  const context = await auth.$context;
  const accounts = await context.internalAdapter.findAccounts(userId);
  const hash = accounts.find((account) => account.providerId === 'credential')?.password;
  if (!hash) return false;
  return context.password.verify({ hash, password });
}
