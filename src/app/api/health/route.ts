import { env } from '@/env';
import { db } from '@/server/db';
import { healthService } from '@/server/health/health.service';
import { logger } from '@/server/observability/logger';
import { loggedRoute } from '@/server/observability/route-log';

export const dynamic = 'force-dynamic';

/** For load balancers and uptime checks: 200 when Postgres and the realtime server answer, else 503. */
export const GET = loggedRoute('/api/health', async (_request, _context, requestId) => {
  const report = await healthService.checkReusingRecent({
    db: db(),
    realtimeUrl: env().NEXT_PUBLIC_SUPABASE_URL,
    anonKey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY,
  });
  const status = report.status === 'ok' ? 200 : 503;
  if (status !== 200) logger().warn({ requestId, checks: report.checks }, 'health check failed');
  return Response.json(report, { status, headers: { 'cache-control': 'no-store' } });
});
