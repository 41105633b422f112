import { protectedProcedure, router } from '../trpc';
import { listMessagesInput } from './messages.schema';
import { messagesService } from './messages.service';

export const messagesRouter = router({
  list: protectedProcedure
    .input(listMessagesInput)
    .query(({ ctx, input }) => messagesService.list(ctx.db, ctx.user.id, input)),
});
