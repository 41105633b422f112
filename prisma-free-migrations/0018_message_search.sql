-- Full-text search inside a user's chats (issue 15): message content and chat titles, own rows only.
--
-- Configuration `chat_search`: `simple` (no stemming, no stop words: chats are in any language) behind
-- `unaccent`, so "cafe" finds "café". Chosen over pg_trgm: trigram search of a common word costs a recheck of
-- every candidate row, and a word search is what a sidebar needs (see bench/message-search.bench.ts).
create schema if not exists extensions;
create extension if not exists unaccent with schema extensions;
-- GIN over the text user_id beside the tsvector: one index scan answers "this user's rows with this word".
create extension if not exists btree_gin with schema extensions;

create text search configuration public.chat_search (copy = pg_catalog.simple);
alter text search configuration public.chat_search
  alter mapping for asciiword, asciihword, hword_asciipart, word, hword, hword_part
  with extensions.unaccent, pg_catalog.simple;

-- Null while a reply streams: every checkpoint rewrites content, and re-tokenising a growing reply (and
-- touching the GIN index) on each would cost the stream; the finished reply is indexed once. Only the first
-- 100k characters are indexed: a tsvector holds at most 1 MB, and a longer message must still be storable.
alter table public.chat_messages add column search_vector tsvector generated always as (
  case when status = 'streaming' then null
       else to_tsvector('public.chat_search'::regconfig, left(content, 100000)) end
) stored;
create index chat_messages_search_idx on public.chat_messages using gin (user_id, search_vector);

alter table public.chat_sessions add column title_search_vector tsvector generated always as (
  to_tsvector('public.chat_search'::regconfig, title)
) stored;
create index chat_sessions_title_search_idx on public.chat_sessions using gin (user_id, title_search_vector);
