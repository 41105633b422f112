-- Accounts and operations: BetterAuth's admin plugin (roles, bans), the audit log of admin actions, and the
-- index the admin usage queries read.

-- BetterAuth 1.7 admin plugin, generated with getMigrations().compileMigrations() for src/server/auth.ts.
alter table "better_auth"."user" add column "role" text;

alter table "better_auth"."user" add column "banned" boolean default false;

alter table "better_auth"."user" add column "banReason" text;

alter table "better_auth"."user" add column "banExpires" timestamptz;

alter table "better_auth"."session" add column "impersonatedBy" text;

-- Who did what to whom, when, in which request. Server-only: no API role may read or write it.
-- The people it names are nulled, not the rows deleted, when an account goes: the record of the action stays.
create table public.audit_log (
  id             bigint generated always as identity primary key,
  actor_id       text references better_auth."user" (id) on delete set null,
  action         text not null check (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  target_user_id text references better_auth."user" (id) on delete set null,
  details        jsonb not null default '{}'::jsonb,
  request_id     text not null check (length(request_id) between 1 and 128),
  created_at     timestamptz not null default now()
);
create index audit_log_recent_idx on public.audit_log (created_at desc, id desc);
create index audit_log_actor_idx on public.audit_log (actor_id) where actor_id is not null;
create index audit_log_target_idx on public.audit_log (target_user_id) where target_user_id is not null;

alter table public.audit_log enable row level security;
revoke all on public.audit_log from anon, authenticated;

-- Admin search over users by email / name, case-insensitively.
create index user_email_lower_idx on better_auth."user" (lower(email));
create index user_created_idx on better_auth."user" ("createdAt" desc, id desc);

-- Admin usage reads messages by time range, across all users.
create index chat_messages_created_idx on public.chat_messages (created_at);
