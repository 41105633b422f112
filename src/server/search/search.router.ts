import 'server-only';
import { protectedProcedure, router } from '../trpc';
import { searchChatsInput } from './search.schema';
import { searchService } from './search.service';

export const searchRouter = router({
  chats: protectedProcedure
    .input(searchChatsInput)
    .query(({ ctx, input }) => searchService.chats(ctx.db, ctx.user.id, input)),
});
