import 'server-only';
import { protectedProcedure, router } from '../trpc';
import { editAndResendInput, regenerateInput, sendInput, stopInput, switchBranchInput } from './chat.schema';
import { chatService } from './chat.service';

export const chatRouter = router({
  /** Returns the ids at once; the reply streams as `delta` events on the private topic `chat:<sessionId>`. */
  send: protectedProcedure
    .input(sendInput)
    .mutation(({ ctx, input }) => chatService.send(ctx.db, ctx.user.id, input)),
  stop: protectedProcedure
    .input(stopInput)
    .mutation(({ ctx, input }) => chatService.stop(ctx.db, ctx.user.id, input.messageId)),
  regenerate: protectedProcedure
    .input(regenerateInput)
    .mutation(({ ctx, input }) => chatService.regenerate(ctx.db, ctx.user.id, input)),
  editAndResend: protectedProcedure
    .input(editAndResendInput)
    .mutation(({ ctx, input }) => chatService.editAndResend(ctx.db, ctx.user.id, input)),
  switchBranch: protectedProcedure
    .input(switchBranchInput)
    .mutation(({ ctx, input }) => chatService.switchBranch(ctx.db, ctx.user.id, input)),
});
