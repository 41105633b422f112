import { protectedProcedure, router } from '../trpc';
import { updateProfileInput } from './profile.schema';
import { profileService } from './profile.service';

export const profileRouter = router({
  get: protectedProcedure.query(({ ctx }) => profileService.get(ctx.db, ctx.user)),
  update: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => profileService.update(ctx.db, ctx.user, input)),
});
