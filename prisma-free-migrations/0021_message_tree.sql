-- Conversations as trees (issue 15): edit and regenerate add a sibling instead of deleting, and a session
-- remembers which path it shows.
--
-- A message's parent is the message it follows: a question's parent is the reply before it (null for the
-- first), a reply's parent is its question. Both ends of each link are in the same session, which the
-- composite foreign keys enforce (a message cannot be hung under another chat's message, whoever asks).

-- The composite keys below need (session_id, id) to be unique; it is, id being the primary key.
alter table public.chat_messages
  add constraint chat_messages_session_id_id_key unique (session_id, id);

alter table public.chat_messages
  add column parent_id uuid,
  add constraint chat_messages_parent_fkey foreign key (session_id, parent_id)
    references public.chat_messages (session_id, id) on delete cascade;

-- Children of a message (and the roots of a session, parent_id null) in the order they were written:
-- sibling lists and the walk down to a branch's newest leaf.
create index chat_messages_children_idx on public.chat_messages (session_id, parent_id, created_at, id);

-- The leaf of the path the session shows. Null: the newest message of the session (a chat created by
-- chat.send gets its first messages in the statement that creates it, which cannot also point at them).
alter table public.chat_sessions
  add column current_leaf_id uuid,
  add constraint chat_sessions_current_leaf_fkey foreign key (id, current_leaf_id)
    references public.chat_messages (session_id, id) on delete set null (current_leaf_id);

-- Existing chats become one path each: every message hangs under the one written before it.
update public.chat_messages m
   set parent_id = ordered.previous_id
  from (select id, lag(id) over (partition by session_id order by created_at, id) as previous_id
          from public.chat_messages) ordered
 where ordered.id = m.id and ordered.previous_id is not null;

update public.chat_sessions s
   set current_leaf_id = newest.id
  from (select distinct on (session_id) session_id, id
          from public.chat_messages
         order by session_id, created_at desc, id desc) newest
 where newest.session_id = s.id;

-- Writers that know nothing of the tree (an app instance still on the old version during a rolling deploy,
-- a script) keep working: a message inserted WITHOUT a parent_id hangs under the session's newest message (a
-- reply under the question it answers), as the conversion above did, and the session shows its newest path
-- again. The app always names the parent, null included (a new version of the first question), so the
-- column's default marks "not given" and the trigger runs only then.
alter table public.chat_messages
  alter column parent_id set default '00000000-0000-0000-0000-000000000000';

create function public.chat_messages_hang_under_newest() returns trigger
language plpgsql as $$
begin
  new.parent_id := coalesce(
    case when new.role = 'assistant' then new.reply_to_id end,
    (select m.id from public.chat_messages m
      where m.session_id = new.session_id
      order by m.created_at desc, m.id desc limit 1));
  update public.chat_sessions set current_leaf_id = null
   where id = new.session_id and current_leaf_id is not null;
  return new;
end $$;

create trigger chat_messages_hang_under_newest before insert on public.chat_messages
  for each row when (new.parent_id = '00000000-0000-0000-0000-000000000000')
  execute function public.chat_messages_hang_under_newest();
