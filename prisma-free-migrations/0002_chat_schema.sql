-- App data. Every row carries user_id (BetterAuth's text user id) so RLS needs no join.

create table public.profiles (
  id           text primary key references better_auth."user" (id) on delete cascade,
  email        text not null,
  display_name text,
  avatar_url   text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create table public.system_prompts (
  id         uuid primary key default gen_random_uuid(),
  -- null = a global prompt, shared by everyone (read-only for users)
  user_id    text references better_auth."user" (id) on delete cascade,
  name       text not null check (length(name) between 1 and 100),
  content    text not null check (length(content) between 1 and 20000),
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index system_prompts_user_idx on public.system_prompts (user_id, created_at);
-- at most one default per user, and one global default
create unique index system_prompts_one_default_per_user on public.system_prompts (coalesce(user_id, ''))
  where is_default;

create table public.chat_sessions (
  id                   uuid primary key default gen_random_uuid(),
  user_id              text not null references better_auth."user" (id) on delete cascade,
  title                text not null default 'New chat' check (length(title) between 1 and 200),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  last_message_at      timestamptz not null default now(),
  request_count        integer not null default 0,
  request_window_start timestamptz not null default now(),
  pinned_at            timestamptz,
  model                text,
  system_prompt_id     uuid references public.system_prompts (id) on delete set null
);
create index chat_sessions_user_recent_idx on public.chat_sessions (user_id, last_message_at desc, id desc);
create index chat_sessions_user_pinned_idx on public.chat_sessions (user_id, pinned_at desc) where pinned_at is not null;

create table public.chat_messages (
  id                uuid primary key default gen_random_uuid(),
  session_id        uuid not null references public.chat_sessions (id) on delete cascade,
  user_id           text not null references better_auth."user" (id) on delete cascade,
  role              text not null check (role in ('user', 'assistant', 'system')),
  content           text not null default '',
  model             text,
  status            text not null default 'complete'
                    check (status in ('streaming', 'complete', 'stopped', 'error', 'interrupted')),
  -- the last delta seq already included in content (0 before any)
  stream_seq        integer not null default 0,
  client_message_id text,
  metadata          jsonb not null default '{}'::jsonb,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index chat_messages_session_idx on public.chat_messages (session_id, created_at, id);
-- an offline retry of the same send never duplicates the user's message
create unique index chat_messages_client_message_idx on public.chat_messages (user_id, client_message_id)
  where client_message_id is not null;
-- one reply streaming per session at a time
create unique index chat_messages_one_streaming_per_session on public.chat_messages (session_id)
  where status = 'streaming';

-- Per-user request counter in fixed windows, updated atomically with INSERT … ON CONFLICT.
create table public.rate_limits (
  user_id      text not null references better_auth."user" (id) on delete cascade,
  bucket       text not null,
  window_start timestamptz not null,
  count        integer not null,
  primary key (user_id, bucket)
);

-- Row level security: the browser reaches these tables only through Realtime, as role authenticated
-- with its own JWT. Nothing for anon, and anon gets no privileges at all.
alter table public.profiles       enable row level security;
alter table public.system_prompts enable row level security;
alter table public.chat_sessions  enable row level security;
alter table public.chat_messages  enable row level security;
alter table public.rate_limits    enable row level security;
revoke all on public.profiles, public.system_prompts, public.chat_sessions, public.chat_messages,
  public.rate_limits from anon;

create policy "own profile" on public.profiles for select to authenticated
  using (id = (select auth.jwt() ->> 'sub'));
create policy "own and global prompts" on public.system_prompts for select to authenticated
  using (user_id = (select auth.jwt() ->> 'sub') or user_id is null);
create policy "own sessions" on public.chat_sessions for select to authenticated
  using (user_id = (select auth.jwt() ->> 'sub'));
create policy "own messages" on public.chat_messages for select to authenticated
  using (user_id = (select auth.jwt() ->> 'sub'));
create policy "own rate limits" on public.rate_limits for select to authenticated
  using (user_id = (select auth.jwt() ->> 'sub'));

-- postgres_changes for the sidebar and for message rows; full old rows so DELETE carries session ids.
alter table public.chat_sessions replica identity full;
alter table public.chat_messages replica identity full;
alter publication supabase_realtime add table public.chat_sessions, public.chat_messages;

-- Private broadcast topics chat:<session id>: join/receive and send only on one's own sessions.
create function public.chat_topic_session_id(topic text) returns uuid
language sql immutable as $$
  select case when topic ~ '^chat:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
              then substring(topic from 6)::uuid end
$$;

create policy "read own chat topics" on realtime.messages for select to authenticated
  using (
    realtime.messages.extension in ('broadcast', 'presence')
    and exists (
      select 1 from public.chat_sessions s
      where s.id = public.chat_topic_session_id(realtime.topic())
        and s.user_id = (select auth.jwt() ->> 'sub')
    )
  );
create policy "send on own chat topics" on realtime.messages for insert to authenticated
  with check (
    realtime.messages.extension in ('broadcast', 'presence')
    and exists (
      select 1 from public.chat_sessions s
      where s.id = public.chat_topic_session_id(realtime.topic())
        and s.user_id = (select auth.jwt() ->> 'sub')
    )
  );
