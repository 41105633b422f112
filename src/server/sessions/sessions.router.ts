import { protectedProcedure, router } from '../trpc';
import {
  createSessionInput,
  deleteSessionInput,
  getSessionInput,
  listSessionsInput,
  pinSessionInput,
  renameSessionInput,
} from './sessions.schema';
import { sessionsService } from './sessions.service';

export const sessionsRouter = router({
  list: protectedProcedure
    .input(listSessionsInput)
    .query(({ ctx, input }) => sessionsService.list(ctx.db, ctx.user.id, input)),
  get: protectedProcedure
    .input(getSessionInput)
    .query(({ ctx, input }) => sessionsService.get(ctx.db, ctx.user.id, input.id)),
  create: protectedProcedure
    .input(createSessionInput)
    .mutation(({ ctx, input }) => sessionsService.create(ctx.db, ctx.user.id, input)),
  rename: protectedProcedure
    .input(renameSessionInput)
    .mutation(({ ctx, input }) => sessionsService.rename(ctx.db, ctx.user.id, input.id, input.title)),
  pin: protectedProcedure
    .input(pinSessionInput)
    .mutation(({ ctx, input }) => sessionsService.pin(ctx.db, ctx.user.id, input.id, input.pinned)),
  delete: protectedProcedure
    .input(deleteSessionInput)
    .mutation(({ ctx, input }) => sessionsService.delete(ctx.db, ctx.user.id, input.id)),
});
