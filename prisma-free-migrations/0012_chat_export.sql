-- Export of a user's chats as a background job. The browser watches its job row over Realtime
-- (postgres_changes under RLS); the files sit in a separate table, so progress events stay small and the
-- contents never travel through the WAL to subscribers.

create table public.export_jobs (
  id                uuid primary key default gen_random_uuid(),
  user_id           text not null references better_auth."user" (id) on delete cascade,
  status            text not null default 'queued' check (status in ('queued', 'running', 'complete', 'failed')),
  total_messages    integer not null default 0,
  exported_messages integer not null default 0,
  -- what went wrong, in words for the user (never a stack trace)
  error             text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  completed_at      timestamptz,
  -- the download link stops working after this
  expires_at        timestamptz
);
create index export_jobs_user_idx on public.export_jobs (user_id, created_at desc);
-- at most one export in flight per user
create unique index export_jobs_one_active_per_user on public.export_jobs (user_id)
  where status in ('queued', 'running');

create table public.export_files (
  job_id     uuid primary key references public.export_jobs (id) on delete cascade,
  user_id    text not null references better_auth."user" (id) on delete cascade,
  json       text not null,
  markdown   text not null,
  created_at timestamptz not null default now()
);
create index export_files_user_idx on public.export_files (user_id);

alter table public.export_jobs enable row level security;
alter table public.export_files enable row level security;
revoke all on public.export_jobs, public.export_files from anon;
revoke insert, update, delete, truncate on public.export_jobs from authenticated;
revoke all on public.export_files from authenticated;

create policy "own export jobs" on public.export_jobs for select to authenticated
  using (user_id = (select auth.jwt() ->> 'sub'));

alter table public.export_jobs replica identity full;
alter publication supabase_realtime add table public.export_jobs;
