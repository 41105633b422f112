-- Usage counters for the admin console, kept by triggers so that a report over any period reads a few hundred
-- rows instead of scanning every message (aggregating 1M messages took seconds; this takes milliseconds).
--
-- A ledger, not a view: a user message counts when it is written, a reply when it leaves `streaming` (with the
-- tokens and model it finished with). Deleting a chat does not unspend its tokens. Only usage_daily_users
-- names people, and it goes with their account.

create table public.usage_daily (
  day                date not null,
  -- '' for the user's own messages, which name no model
  model              text not null,
  -- concurrent writers land on different rows (one per backend, modulo 16), so sends never queue on a counter
  shard              smallint not null,
  user_messages      bigint not null default 0,
  assistant_messages bigint not null default 0,
  input_tokens       bigint not null default 0,
  output_tokens      bigint not null default 0,
  primary key (day, model, shard)
);

-- Who sent at least one message on a day (UTC): the source of "active users" for any period.
create table public.usage_daily_users (
  day     date not null,
  user_id text not null references better_auth."user" (id) on delete cascade,
  primary key (day, user_id)
);
create index usage_daily_users_user_idx on public.usage_daily_users (user_id);

alter table public.usage_daily enable row level security;
alter table public.usage_daily_users enable row level security;
revoke all on public.usage_daily, public.usage_daily_users from anon, authenticated;

-- Token counts as the chat engine writes them (metadata.usage.inputTokens / outputTokens); anything that is not a
-- JSON number counts 0, so one odd row cannot break the counters.
create function public.usage_tokens(metadata jsonb, kind text) returns bigint
language sql immutable set search_path = '' as $$
  select case when jsonb_typeof(metadata -> 'usage' -> kind) = 'number'
              then (metadata -> 'usage' ->> kind)::numeric::bigint else 0 end
$$;

-- Statement level: a bulk insert (an import, a benchmark seed) updates each counter once, not once per row.
create function public.usage_count_inserted_messages() returns trigger
language plpgsql set search_path = '' as $$
begin
  insert into public.usage_daily as u
    (day, model, shard, user_messages, assistant_messages, input_tokens, output_tokens)
  select (m.created_at at time zone 'UTC')::date,
         case when m.role = 'assistant' then coalesce(m.model, '') else '' end,
         pg_backend_pid() % 16,
         count(*) filter (where m.role = 'user'),
         count(*) filter (where m.role = 'assistant'),
         coalesce(sum(public.usage_tokens(m.metadata, 'inputTokens')) filter (where m.role = 'assistant'), 0),
         coalesce(sum(public.usage_tokens(m.metadata, 'outputTokens')) filter (where m.role = 'assistant'), 0)
  from inserted m
  -- a reply inserted while streaming counts when it finishes (update trigger below)
  where m.role = 'user' or (m.role = 'assistant' and m.status <> 'streaming')
  group by 1, 2
  order by 1, 2
  on conflict (day, model, shard) do update set
    user_messages      = u.user_messages + excluded.user_messages,
    assistant_messages = u.assistant_messages + excluded.assistant_messages,
    input_tokens       = u.input_tokens + excluded.input_tokens,
    output_tokens      = u.output_tokens + excluded.output_tokens;

  insert into public.usage_daily_users (day, user_id)
  select distinct (m.created_at at time zone 'UTC')::date, m.user_id
  from inserted m where m.role = 'user'
  order by 1, 2
  on conflict do nothing;
  return null;
end
$$;

create trigger usage_count_inserted_messages after insert on public.chat_messages
  referencing new table as inserted for each statement
  execute function public.usage_count_inserted_messages();

create function public.usage_count_finished_reply() returns trigger
language plpgsql set search_path = '' as $$
begin
  insert into public.usage_daily as u
    (day, model, shard, assistant_messages, input_tokens, output_tokens)
  values ((new.created_at at time zone 'UTC')::date, coalesce(new.model, ''), pg_backend_pid() % 16, 1,
          public.usage_tokens(new.metadata, 'inputTokens'), public.usage_tokens(new.metadata, 'outputTokens'))
  on conflict (day, model, shard) do update set
    assistant_messages = u.assistant_messages + 1,
    input_tokens       = u.input_tokens + excluded.input_tokens,
    output_tokens      = u.output_tokens + excluded.output_tokens;
  return null;
end
$$;

-- Row level with WHEN: the engine's checkpoints (streaming → streaming, about once a second) never call it.
create trigger usage_count_finished_reply after update of status on public.chat_messages
  for each row
  when (old.status = 'streaming' and new.status <> 'streaming' and new.role = 'assistant')
  execute function public.usage_count_finished_reply();

-- Messages written before this migration.
insert into public.usage_daily (day, model, shard, user_messages, assistant_messages, input_tokens, output_tokens)
select (created_at at time zone 'UTC')::date,
       case when role = 'assistant' then coalesce(model, '') else '' end,
       0,
       count(*) filter (where role = 'user'),
       count(*) filter (where role = 'assistant'),
       coalesce(sum(public.usage_tokens(metadata, 'inputTokens')) filter (where role = 'assistant'), 0),
       coalesce(sum(public.usage_tokens(metadata, 'outputTokens')) filter (where role = 'assistant'), 0)
from public.chat_messages
where role = 'user' or (role = 'assistant' and status <> 'streaming')
group by 1, 2;

insert into public.usage_daily_users (day, user_id)
select distinct (created_at at time zone 'UTC')::date, user_id from public.chat_messages where role = 'user';

-- The reports read the counters now; this index from 0010 is no longer needed by anything.
drop index public.chat_messages_created_idx;
