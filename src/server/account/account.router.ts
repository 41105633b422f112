import { protectedProcedure, router } from '../trpc';
import { deleteAccountInput } from './account.schema';
import { accountDeletionService } from './account-deletion.service';

export const accountRouter = router({
  /** Deletes the signed-in user's account and all its data; needs the password again (FORBIDDEN if wrong). */
  delete: protectedProcedure
    .input(deleteAccountInput)
    .mutation(({ ctx, input }) =>
      accountDeletionService.deleteAccount(ctx.db, ctx.auth, ctx.user, input.password, ctx.requestId),
    ),
});
