import { protectedProcedure, router } from '../trpc';
import { getExportInput } from './chat-export.schema';
import { chatExportService } from './chat-export.service';

/**
 * Export of all the user's chats as JSON and Markdown. `start` returns the job at once; the browser watches
 * its row (postgres_changes on export_jobs) and downloads from the links once it is complete.
 */
export const chatExportRouter = router({
  start: protectedProcedure.mutation(({ ctx }) =>
    chatExportService.start(
      ctx.db,
      { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name },
      ctx.requestId,
    ),
  ),
  get: protectedProcedure
    .input(getExportInput)
    .query(({ ctx, input }) => chatExportService.get(ctx.db, ctx.user.id, input.id)),
  list: protectedProcedure.query(({ ctx }) => chatExportService.list(ctx.db, ctx.user.id)),
});
