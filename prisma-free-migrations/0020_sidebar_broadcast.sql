-- The sidebar's live feed by Broadcast from Database (issue 12): every change of a chat_sessions row that the
-- sidebar shows is sent to the private topic user:<user id>:sessions, which only that user may join. Realtime
-- authorises a tab once when it joins, instead of checking RLS per subscriber per change as postgres_changes
-- does (on hosted Supabase, in your database). bench/sidebar-feed.bench.ts measures both.
--
-- The message has realtime.broadcast_changes' shape ({operation, record, old_record}) but carries only the
-- columns the sidebar reads (the old row: its id, for DELETE): half the bytes of the whole row, none of the
-- engine's counters, and one realtime.send (one subtransaction) instead of broadcast_changes' two — which
-- the bench shows is what makes broadcast cheaper than postgres_changes here.

-- Security definer: realtime.messages takes rows from its owner, whoever wrote the session (a user deletion
-- cascades here too). realtime.send only warns on failure, so a broadcast never fails the write.
create function public.broadcast_chat_session_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    perform realtime.send(
      jsonb_build_object('operation', tg_op, 'record', null, 'old_record', jsonb_build_object('id', old.id)),
      tg_op, 'user:' || old.user_id || ':sessions');
  else
    perform realtime.send(
      jsonb_build_object('operation', tg_op, 'old_record', null, 'record', jsonb_build_object(
        'id', new.id, 'title', new.title, 'created_at', new.created_at, 'updated_at', new.updated_at,
        'last_message_at', new.last_message_at, 'pinned_at', new.pinned_at, 'model', new.model)),
      tg_op, 'user:' || new.user_id || ':sessions');
  end if;
  return null;
end $$;
revoke execute on function public.broadcast_chat_session_change() from public, anon, authenticated;

create trigger chat_sessions_broadcast after insert or delete on public.chat_sessions
  for each row execute function public.broadcast_chat_session_change();
-- Only what the sidebar shows: the engine's per-send rate counters and the shown branch do not move it.
create trigger chat_sessions_broadcast_update after update on public.chat_sessions
  for each row
  when ((old.title, old.created_at, old.updated_at, old.last_message_at, old.pinned_at, old.model)
        is distinct from
        (new.title, new.created_at, new.updated_at, new.last_message_at, new.pinned_at, new.model))
  execute function public.broadcast_chat_session_change();

-- realtime.messages keeps what was sent for days (replay); a deleted chat's title should not outlive it there,
-- nor a deleted account's id in its topic. The DELETE just sent goes too: Realtime reads it from the WAL, where
-- it stays. Per statement, so deleting an account (one cascade over all its chats) scans the table once. A database
-- where the app may not delete there (a hosted project that revoked it) keeps them: the chat's delete goes on.
create function public.forget_deleted_chat_sessions() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  begin
    delete from realtime.messages m
     using deleted_sessions d
     where m.topic = 'user:' || d.user_id || ':sessions'
       and m.extension = 'broadcast'
       and (m.payload -> 'record' ->> 'id' = d.id::text or m.payload -> 'old_record' ->> 'id' = d.id::text);
  exception
    when insufficient_privilege then
      raise warning 'chat_sessions: could not remove sent changes of deleted chats: %', sqlerrm;
  end;
  return null;
end $$;
revoke execute on function public.forget_deleted_chat_sessions() from public, anon, authenticated;
create trigger chat_sessions_forget_sent_changes after delete on public.chat_sessions
  referencing old table as deleted_sessions
  for each statement execute function public.forget_deleted_chat_sessions();

-- Join (and receive) user:<id>:sessions only as that user. Nobody may send on it: no insert policy.
create policy "read own sessions topic" on realtime.messages for select to authenticated
  using (
    realtime.messages.extension = 'broadcast'
    and realtime.topic() = 'user:' || (select auth.jwt() ->> 'sub') || ':sessions'
  );
