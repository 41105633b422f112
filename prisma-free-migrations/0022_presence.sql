-- Presence (issue 14 item 6): which of a user's devices have the app open (and which chat), and which users
-- are online, for the admin console. Two kinds of private Realtime topics, authorised here by RLS on
-- realtime.messages exactly as hosted Supabase does: a join needs a SELECT policy (per extension, 'broadcast'
-- or 'presence'), receiving presence needs the 'presence' one, tracking needs an INSERT with
-- extension = 'presence'. Nobody may broadcast on either topic (no INSERT policy for 'broadcast').

-- Whether the JWT's user is an admin (BetterAuth's admin plugin keeps roles comma-separated in user.role).
-- Security definer: API roles cannot read better_auth.user.
create function public.realtime_user_is_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from better_auth."user" u
    where u.id = (select auth.jwt() ->> 'sub')
      and 'admin' = any (string_to_array(replace(coalesce(u.role, ''), ' ', ''), ','))
      and u.banned is not true
  )
$$;
revoke execute on function public.realtime_user_is_admin() from public, anon;
grant execute on function public.realtime_user_is_admin() to authenticated;

-- presence:user:<id>: the user's own devices (key: the device's session id, meta: its label and the chat it
-- has open). Only that user joins, sees and tracks.
create policy "read own presence topic" on realtime.messages for select to authenticated
  using (
    realtime.messages.extension in ('broadcast', 'presence')
    and realtime.topic() = 'presence:user:' || (select auth.jwt() ->> 'sub')
  );
create policy "track on own presence topic" on realtime.messages for insert to authenticated
  with check (
    realtime.messages.extension = 'presence'
    and realtime.topic() = 'presence:user:' || (select auth.jwt() ->> 'sub')
  );

-- presence:online: every signed-in tab tracks its user (key: the user id, no meta). Anyone signed in may join
-- (the 'broadcast' read, with nothing ever sent) and track; only admins receive the presence.
-- A policy sees the topic, not the presence key, so a user could track under someone else's id; the admin
-- console only marks users online, nothing is decided on it.
create policy "join online topic" on realtime.messages for select to authenticated
  using (realtime.messages.extension = 'broadcast' and realtime.topic() = 'presence:online');
create policy "admins see who is online" on realtime.messages for select to authenticated
  using (
    realtime.messages.extension = 'presence'
    and realtime.topic() = 'presence:online'
    and (select public.realtime_user_is_admin())
  );
create policy "track on online topic" on realtime.messages for insert to authenticated
  with check (realtime.messages.extension = 'presence' and realtime.topic() = 'presence:online');
