import { env } from '@/env';
import { protectedProcedure, router } from '../trpc';
import { avatarsService } from './avatars.service';

/** Uploads go to POST /api/avatars (binary); these hand out links and remove the picture. */
export const avatarsRouter = router({
  /** A link to the user's own picture that works for an hour, or null. */
  url: protectedProcedure.query(({ ctx }) =>
    avatarsService.ownUrl(ctx.db, env().BETTER_AUTH_SECRET, ctx.user.id),
  ),
  remove: protectedProcedure.mutation(({ ctx }) => avatarsService.remove(ctx.db, ctx.user.id)),
});
