import { protectedProcedure, router } from '../trpc';
import {
  createPromptInput,
  deletePromptInput,
  setDefaultPromptInput,
  updatePromptInput,
} from './prompts.schema';
import { promptsService } from './prompts.service';

export const promptsRouter = router({
  list: protectedProcedure.query(({ ctx }) => promptsService.list(ctx.db, ctx.user.id)),
  create: protectedProcedure
    .input(createPromptInput)
    .mutation(({ ctx, input }) => promptsService.create(ctx.db, ctx.user.id, input)),
  update: protectedProcedure
    .input(updatePromptInput)
    .mutation(({ ctx, input }) => promptsService.update(ctx.db, ctx.user.id, input.id, input)),
  delete: protectedProcedure
    .input(deletePromptInput)
    .mutation(({ ctx, input }) => promptsService.delete(ctx.db, ctx.user.id, input.id)),
  setDefault: protectedProcedure
    .input(setDefaultPromptInput)
    .mutation(({ ctx, input }) => promptsService.setDefault(ctx.db, ctx.user.id, input.id)),
});
