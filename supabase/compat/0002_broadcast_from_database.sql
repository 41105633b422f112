-- Broadcast from Database as hosted Supabase has it (supabase/realtime tenant migrations
-- 20241030150047_messages_partitioning, 20250905041441_create_messages_replay_index,
-- 20260603120000_add_send_binary_function, 20260605120000_rename_broadcast_send_warning,
-- 20240919163303_add_payload_to_messages): realtime.messages partitioned by day on inserted_at,
-- realtime.send / realtime.send_binary / realtime.broadcast_changes. Idempotent. The realtime server
-- creates the day partitions (yesterday .. today + 3) and drops those older than 72 hours, as Supabase's does;
-- it reads inserted rows from the WAL and delivers them to the topic's subscribers.

-- 1. A plain realtime.messages (0001 before this file existed) becomes partitioned; its policies move with it.
do $$
declare
  policy record;
  grant_row record;
  statement text;
begin
  if (select relkind from pg_class where oid = 'realtime.messages'::regclass) = 'p' then
    return;
  end if;
  create table realtime.messages_partitioned (
    topic          text not null,
    extension      text not null,
    payload        jsonb,
    event          text,
    private        boolean default false,
    updated_at     timestamp not null default now(),
    inserted_at    timestamp not null default now(),
    id             uuid not null default gen_random_uuid(),
    binary_payload bytea,
    primary key (id, inserted_at),
    constraint messages_payload_exclusive_p check (payload is null or binary_payload is null)
  ) partition by range (inserted_at);
  for policy in select * from pg_policies where schemaname = 'realtime' and tablename = 'messages' loop
    statement := format('create policy %I on realtime.messages_partitioned as %s for %s to %s',
      policy.policyname, policy.permissive, policy.cmd,
      (select string_agg(quote_ident(role), ', ') from unnest(policy.roles) as role));
    if policy.qual is not null then statement := statement || ' using (' || policy.qual || ')'; end if;
    if policy.with_check is not null then
      statement := statement || ' with check (' || policy.with_check || ')';
    end if;
    execute statement;
  end loop;
  -- The table's grants move too (the app's migration 0016 narrows Supabase's defaults).
  for grant_row in
    select grantee::regrole::text as grantee, privilege_type
    from pg_class, aclexplode(relacl) where oid = 'realtime.messages'::regclass and grantee <> 0
  loop
    execute format('grant %s on realtime.messages_partitioned to %s', grant_row.privilege_type,
                   quote_ident(grant_row.grantee));
  end loop;
  drop table realtime.messages;
  alter table realtime.messages_partitioned rename to messages;
  alter table realtime.messages rename constraint messages_payload_exclusive_p to messages_payload_exclusive;
  alter index realtime.messages_partitioned_pkey rename to messages_pkey;
end $$;

alter table realtime.messages enable row level security;
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;

-- Today's partitions, so the database works before the realtime server first starts (it keeps them coming).
do $$
declare
  day date;
begin
  for day in select generate_series(current_date - 1, current_date + 3, interval '1 day')::date loop
    execute format('create table if not exists realtime.%I partition of realtime.messages for values from (%L) to (%L)',
      'messages_' || to_char(day, 'YYYY_MM_DD'), day, day + 1);
  end loop;
end $$;

-- 2. realtime.send: the payload as given plus "id" (the row's id) unless it has one; failures only warn.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end $$;

create or replace function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void language plpgsql as $$
declare
  generated_id uuid;
begin
  begin
    generated_id := gen_random_uuid();
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (generated_id, payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end $$;

-- 3. The trigger helper: {old_record, record, operation, table, schema} (+ "id" from realtime.send).
create or replace function realtime.broadcast_changes(topic_name text, event_name text, operation text,
  table_name text, table_schema text, new record, old record, level text default 'ROW')
returns void language plpgsql as $$
declare
  row_data jsonb := '{}'::jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation = 'INSERT' or operation = 'UPDATE' or operation = 'DELETE' then
    row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                                   'table', table_name, 'schema', table_schema);
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
exception
  when others then
    raise exception 'Failed to process the row: %', sqlerrm;
end $$;

grant execute on function realtime.send(jsonb, text, text, boolean) to anon, authenticated, service_role;
grant execute on function realtime.send_binary(bytea, text, text, boolean) to anon, authenticated, service_role;
grant execute on function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to anon, authenticated, service_role;
