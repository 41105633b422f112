import { env } from '@/env';
import { protectedProcedure, router } from '../trpc';
import { mintRealtimeToken } from './realtime-token.service';

export const realtimeRouter = router({
  /** A short-lived Realtime JWT for the signed-in user only; a revoked session gets UNAUTHORIZED instead. */
  token: protectedProcedure.query(({ ctx }) => mintRealtimeToken(ctx.user.id, env().SUPABASE_JWT_SECRET)),
});
