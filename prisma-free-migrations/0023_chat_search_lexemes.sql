-- A cheap first look for search (issue 15): each chat keeps the words of its finished messages, without
-- positions, so the search can walk a user's chats newest first and rule most of them out from the chat's own
-- row, reading messages only of the chats that may match. Before, passing over a chat meant reading its
-- messages: a word common only in old chats took ~300 ms (bench/message-search.bench.ts).
--
-- The words are a superset, never the answer: the search still checks the messages themselves (phrases need
-- positions, and "a -b" must hold within one message). So words of deleted or edited messages may stay
-- behind; they only cost a look at the messages. Null means "not known": the search reads that chat's
-- messages as before. A chat gets null once its words pass 64 kB: each finished message rewrites the value,
-- and a tsvector cannot exceed 1 MB.
alter table public.chat_sessions add column message_lexemes tsvector default ''::tsvector;

-- Null (unknown) rather than an error or a huge value when the union grows too big.
create function public.chat_lexemes_union(words tsvector, added tsvector) returns tsvector
language sql immutable parallel safe set search_path = '' as $$
  select case when pg_column_size(joined.words) <= 65536 then joined.words end
    from (select case when pg_column_size(words) + pg_column_size(pg_catalog.strip(added)) < 1000000
                      then words operator(pg_catalog.||) pg_catalog.strip(added) end as words) joined
$$;

-- The words of a chat's finished messages (search_vector is null while a reply streams), as one value:
-- below for the chats there are, and to rebuild a chat's words if ever wanted (deleted messages' words go).
create aggregate public.chat_lexemes(tsvector) (
  sfunc = public.chat_lexemes_union, stype = tsvector, initcond = ''
);

update public.chat_sessions s
   set message_lexemes = chat.words
  from (select session_id, public.chat_lexemes(search_vector) as words
          from public.chat_messages
         where search_vector is not null
         group by session_id) chat
 where chat.session_id = s.id;
-- The search asks the statistics whether a word is common (src/server/search/search.repository.ts).
analyze public.chat_sessions;

-- A message joins its chat's words when it becomes searchable: written finished (a question), or a reply
-- that stops streaming. Checkpoints of a streaming reply leave search_vector null and do not fire this, so a
-- reply costs its chat one update, and none when it brings no new word.
create function public.chat_messages_add_lexemes() returns trigger
language plpgsql as $$
begin
  update public.chat_sessions s
     set message_lexemes = public.chat_lexemes_union(s.message_lexemes, new.search_vector)
   where s.id = new.session_id
     and s.message_lexemes is not null
     and s.message_lexemes is distinct from public.chat_lexemes_union(s.message_lexemes, new.search_vector);
  return null;
end $$;

create trigger chat_messages_add_lexemes_on_insert after insert on public.chat_messages
  for each row when (new.search_vector is not null)
  execute function public.chat_messages_add_lexemes();
create trigger chat_messages_add_lexemes_on_update after update of status, content on public.chat_messages
  for each row when (new.search_vector is not null and new.search_vector is distinct from old.search_vector)
  execute function public.chat_messages_add_lexemes();
