import { protectedProcedure, router } from '../trpc';
import { revokeDeviceInput } from './devices.schema';
import { type DeviceOwner, devicesService } from './devices.service';

function ownerOf(ctx: { user: { id: string }; session: { id: string }; requestId: string }): DeviceOwner {
  return { userId: ctx.user.id, sessionId: ctx.session.id, requestId: ctx.requestId };
}

/** The signed-in user's devices (BetterAuth sessions). A revoked device's next call is UNAUTHORIZED. */
export const devicesRouter = router({
  list: protectedProcedure.query(({ ctx }) => devicesService.list(ctx.db, ownerOf(ctx))),
  revoke: protectedProcedure
    .input(revokeDeviceInput)
    .mutation(({ ctx, input }) => devicesService.revoke(ctx.db, ownerOf(ctx), input.id)),
  revokeOthers: protectedProcedure.mutation(({ ctx }) => devicesService.revokeOthers(ctx.db, ownerOf(ctx))),
});
