import 'server-only';
import type { inferRouterOutputs } from '@trpc/server';
import { accountRouter } from './account/account.router';
import { adminRouter } from './admin/admin.router';
import { avatarsRouter } from './avatars/avatars.router';
import { chatRouter } from './chat/chat.router';
import { chatExportRouter } from './chat-export/chat-export.router';
import { devicesRouter } from './devices/devices.router';
import { messagesRouter } from './messages/messages.router';
import { modelsRouter } from './models/models.router';
import { profileRouter } from './profile/profile.router';
import { promptsRouter } from './prompts/prompts.router';
import { realtimeRouter } from './realtime-token/realtime-token.router';
import { searchRouter } from './search/search.router';
import { sessionsRouter } from './sessions/sessions.router';
import { createCallerFactory, router } from './trpc';
import { twoFactorRouter } from './two-factor/two-factor.router';

export const appRouter = router({
  sessions: sessionsRouter,
  messages: messagesRouter,
  profile: profileRouter,
  prompts: promptsRouter,
  realtime: realtimeRouter,
  chat: chatRouter,
  models: modelsRouter,
  admin: adminRouter,
  devices: devicesRouter,
  account: accountRouter,
  exports: chatExportRouter,
  avatars: avatarsRouter,
  twoFactor: twoFactorRouter,
  search: searchRouter,
});

export type AppRouter = typeof appRouter;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
