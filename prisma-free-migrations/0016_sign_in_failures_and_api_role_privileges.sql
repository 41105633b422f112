-- 1. Failed sign-ins per account (src/server/sign-in-throttle): the address's exponential back-off, shared by
--    every app instance. Keyed by the lower-cased address typed, whether or not an account has it, so the
--    throttle says nothing about which addresses exist. Read and written by the server only.
create table public.sign_in_failures (
  email          text primary key,
  failures       integer     not null,
  last_failed_at timestamptz not null
);
alter table public.sign_in_failures enable row level security;
revoke all on public.sign_in_failures from anon, authenticated;

-- 2. The API roles keep only what RLS can govern and realtime needs. Supabase's defaults (and our compat
--    script) grant anon and authenticated ALL on every public table; no public table has a write policy for
--    either role (the server writes as the table owner), so writes, TRUNCATE (which RLS does not govern),
--    REFERENCES and TRIGGER go. SELECT stays where it is: postgres_changes checks RLS with it.
revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon, authenticated;
revoke all on all sequences in schema public from anon, authenticated;

-- The same for tables and sequences created later by the role that runs migrations.
alter default privileges in schema public
  revoke insert, update, delete, truncate, references, trigger on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;

-- realtime.messages: private-channel authorization reads (SELECT) and sends (INSERT) under its RLS policies;
-- nothing else is ever done to it as an API role.
revoke update, delete, truncate, references, trigger on realtime.messages from anon, authenticated;
