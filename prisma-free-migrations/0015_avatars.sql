-- Avatars stored in Postgres (at most 1 MiB each, PNG, JPEG or WebP by content), served only through
-- expiring signed URLs. Server-only: no API role reads this table, so nobody can list anyone's avatar.

create table public.avatars (
  user_id      text primary key references better_auth."user" (id) on delete cascade,
  content_type text not null check (content_type in ('image/png', 'image/jpeg', 'image/webp')),
  bytes        bytea not null check (octet_length(bytes) between 1 and 1048576),
  -- changes with every upload, so a signed URL names one version and caches never show an old picture
  version      uuid not null default gen_random_uuid(),
  updated_at   timestamptz not null default now()
);

alter table public.avatars enable row level security;
revoke all on public.avatars from anon, authenticated;
