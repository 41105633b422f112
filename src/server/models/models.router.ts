import 'server-only';
import { protectedProcedure, router } from '../trpc';
import { modelsService } from './models.service';

export const modelsRouter = router({
  /** The picker's models, default first; `isDemo` marks the offline demo model the UI must label. */
  list: protectedProcedure.query(() => modelsService.list()),
});
