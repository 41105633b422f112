import { env } from '@/env';
import { db } from '@/server/db';
import { healthService } from '@/server/health/health.service';
import { logger } from '@/server/observability/logger';
import { requestIdFrom } from '@/server/observability/request-id';

export const dynamic = 'force-dynamic';

/** For load balancers and uptime checks: 200 when Postgres and the realtime server answer, else 503. */
export async function GET(request: Request): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  const report = await healthService.check({
    db: db(),
    realtimeUrl: env().NEXT_PUBLIC_SUPABASE_URL,
    anonKey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY,
  });
  const status = report.status === 'ok' ? 200 : 503;
  if (status !== 200)
    logger().warn({ requestId, route: '/api/health', checks: report.checks }, 'health check failed');
  return Response.json(report, {
    status,
    headers: { 'cache-control': 'no-store', 'x-request-id': requestId },
  });
}
