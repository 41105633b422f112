import { auditLogService } from '../audit-log/audit-log.service';
import { adminProcedure, router } from '../trpc';
import {
  auditLogInput,
  banUserInput,
  listUsersInput,
  revokeSessionsInput,
  setRoleInput,
  unbanUserInput,
  usageInput,
} from './admin.schema';
import { adminUsageService } from './admin-usage.service';
import { adminUsersService } from './admin-users.service';

/** The admin console. Every procedure: UNAUTHORIZED without a session, FORBIDDEN without role admin. */
export const adminRouter = router({
  users: adminProcedure
    .input(listUsersInput)
    .query(({ ctx, input }) => adminUsersService.list(ctx.db, input)),
  ban: adminProcedure
    .input(banUserInput)
    .mutation(({ ctx, input }) =>
      adminUsersService.ban(ctx.db, { userId: ctx.user.id, requestId: ctx.requestId }, input),
    ),
  unban: adminProcedure
    .input(unbanUserInput)
    .mutation(({ ctx, input }) =>
      adminUsersService.unban(ctx.db, { userId: ctx.user.id, requestId: ctx.requestId }, input.userId),
    ),
  setRole: adminProcedure
    .input(setRoleInput)
    .mutation(({ ctx, input }) =>
      adminUsersService.setRole(
        ctx.db,
        { userId: ctx.user.id, requestId: ctx.requestId },
        input.userId,
        input.role,
      ),
    ),
  revokeSessions: adminProcedure
    .input(revokeSessionsInput)
    .mutation(({ ctx, input }) =>
      adminUsersService.revokeSessions(
        ctx.db,
        { userId: ctx.user.id, requestId: ctx.requestId },
        input.userId,
      ),
    ),
  usage: adminProcedure
    .input(usageInput)
    .query(({ ctx, input }) => adminUsageService.report(ctx.db, input.days)),
  auditLog: adminProcedure
    .input(auditLogInput)
    .query(({ ctx, input }) => auditLogService.list(ctx.db, input)),
});
