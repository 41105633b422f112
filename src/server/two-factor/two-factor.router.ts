import { protectedProcedure, router } from '../trpc';
import { disableTwoFactorInput } from './two-factor.schema';
import { twoFactorService } from './two-factor.service';

/**
 * Enrolment and sign-in codes go through BetterAuth's own endpoints (/api/auth/two-factor/*, authClient.twoFactor);
 * turning it off goes through here, where it takes a code as well as the password.
 */
export const twoFactorRouter = router({
  disable: protectedProcedure.input(disableTwoFactorInput).mutation(({ ctx, input }) =>
    twoFactorService.disable(
      {
        db: ctx.db,
        auth: ctx.auth,
        userId: ctx.user.id,
        headers: ctx.headers,
        resHeaders: ctx.resHeaders,
        requestId: ctx.requestId,
      },
      input,
    ),
  ),
});
