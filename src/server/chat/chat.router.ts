import 'server-only';
import { protectedProcedure, router } from '../trpc';
import {
  editAndResendInput,
  regenerateInput,
  replyProgressInput,
  sendInput,
  stopInput,
  switchBranchInput,
} from './chat.schema';
import { chatService } from './chat.service';

export const chatRouter = router({
  /** Returns the ids at once; the reply streams as `delta` events on the private topic `chat:<sessionId>`. */
  send: protectedProcedure
    .input(sendInput)
    .mutation(({ ctx, input }) => chatService.send(ctx.db, ctx.user.id, input)),
  /** A reply's text so far: from the engine's memory when this server runs it, else its last checkpoint. */
  replyProgress: protectedProcedure
    .input(replyProgressInput)
    .query(({ ctx, input }) => chatService.replyProgress(ctx.db, ctx.user.id, input.messageId)),
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
