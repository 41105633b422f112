-- What the chat engine needs beyond 0002: which user message a reply answers, a lease so a crashed runner's
-- replies can be told from live ones, and a stop flag that works across app instances.

alter table public.chat_messages
  -- the user message this assistant reply answers; dropping the question drops its answers
  add column reply_to_id      uuid references public.chat_messages (id) on delete cascade,
  -- while streaming: the runner renews this; past it, no live runner owns the reply (crash → interrupted)
  add column lease_expires_at timestamptz,
  -- set by chat.stop; the runner sees it through NOTIFY at once, or at its next checkpoint
  add column stop_requested_at timestamptz;

create index chat_messages_reply_to_idx on public.chat_messages (reply_to_id) where reply_to_id is not null;
-- the recovery sweep looks only at streaming replies whose lease ran out
create index chat_messages_streaming_lease_idx on public.chat_messages (lease_expires_at)
  where status = 'streaming';
