-- A cheap first look for search (issue 15): each chat keeps the words of its finished messages, without
-- positions, so the search can walk a user's chats newest first and rule most of them out from one small row,
-- reading messages only of the chats that may match. Before, passing over a chat meant reading its messages:
-- a word common only in old chats took ~300 ms (bench/message-search.bench.ts).
--
-- The words are a superset, never the answer: the search still checks the messages themselves (phrases need
-- positions, and "a -b" must hold within one message). So words of deleted or edited messages may stay
-- behind; they only cost a look at the messages. Null means "not known": the search reads that chat's
-- messages as before. A chat gets null once its words pass 64 kB: each finished message with a new word
-- rewrites the value, and a tsvector cannot exceed 1 MB. No row: the chat has no finished message yet.
--
-- A table of its own, not a column of chat_sessions: chat_sessions is published to Realtime, and each tab
-- showing a chat follows its row (postgres_changes), so every finished reply would send the chat's words to
-- it; and the row is rewritten on every send.
create table public.chat_session_words (
  session_id uuid primary key references public.chat_sessions (id) on delete cascade,
  words      tsvector
);
-- Read and written by the server only: nothing for the browser's roles.
alter table public.chat_session_words enable row level security;
revoke all on public.chat_session_words from anon, authenticated;

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

insert into public.chat_session_words (session_id, words)
select session_id, public.chat_lexemes(search_vector)
  from public.chat_messages
 where search_vector is not null
 group by session_id;
-- The search asks the statistics which words are common (src/server/search/common-lexemes.ts).
analyze public.chat_session_words;

-- A message joins its chat's words when it becomes searchable: written finished (a question), or a reply
-- that stops streaming. Checkpoints of a streaming reply leave search_vector null and do not fire this, so
-- a reply costs one write here, and none when it brings no new word. The words are read (and locked) once:
-- a chat's value is up to 64 kB, compressed.
create function public.chat_messages_add_words() returns trigger
language plpgsql as $$
declare
  known tsvector;
  joined tsvector;
begin
  select w.words into known from public.chat_session_words w where w.session_id = new.session_id for update;
  if not found then
    insert into public.chat_session_words (session_id, words)
    values (new.session_id, public.chat_lexemes_union('', new.search_vector))
    on conflict (session_id) do nothing;
    if found then
      return null;
    end if;
    -- Another message of the chat wrote the first words meanwhile: add to them.
    select w.words into known from public.chat_session_words w where w.session_id = new.session_id for update;
  end if;
  if known is null then
    return null;
  end if;
  joined := public.chat_lexemes_union(known, new.search_vector);
  if joined is distinct from known then
    update public.chat_session_words set words = joined where session_id = new.session_id;
  end if;
  return null;
end $$;

create trigger chat_messages_add_words_on_insert after insert on public.chat_messages
  for each row when (new.search_vector is not null)
  execute function public.chat_messages_add_words();
create trigger chat_messages_add_words_on_update after update of status, content on public.chat_messages
  for each row when (new.search_vector is not null and new.search_vector is distinct from old.search_vector)
  execute function public.chat_messages_add_words();
