-- The global default system prompt (user_id null). Idempotent: run after every migration.
insert into public.system_prompts (user_id, name, content, is_default)
select null, 'ChatTwelve default',
       'You are ChatTwelve, a helpful assistant. Answer clearly and concisely. Use Markdown: short paragraphs, '
       || 'lists where they help, and fenced code blocks with a language tag for code.',
       true
where not exists (select 1 from public.system_prompts where user_id is null and is_default);
