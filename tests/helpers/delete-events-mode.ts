/**
 * The realtime DELETE semantics a test run asks for: `REALTIME_DELETE_EVENTS=supabase npm test` runs every
 * suite against hosted Supabase's (key only, every subscriber of an RLS table); else our strict default.
 */
export function testDeleteEventsMode(): 'strict' | 'supabase' {
  return process.env.REALTIME_DELETE_EVENTS === 'supabase' ? 'supabase' : 'strict';
}
