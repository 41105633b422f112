import type { ColumnType, Generated, GeneratedAlways, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default: optional on insert. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export type MessageRole = 'user' | 'assistant' | 'system';
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'error' | 'interrupted';

export interface ProfilesTable {
  id: string;
  email: string;
  display_name: string | null;
  avatar_url: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SystemPromptsTable {
  id: Generated<string>;
  user_id: string | null;
  name: string;
  content: string;
  is_default: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ChatSessionsTable {
  id: Generated<string>;
  user_id: string;
  title: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  last_message_at: GeneratedTimestamp;
  request_count: Generated<number>;
  request_window_start: GeneratedTimestamp;
  pinned_at: Timestamp | null;
  model: string | null;
  system_prompt_id: string | null;
  /** Computed by Postgres from title (migration 0018); read only by search. */
  title_search_vector: GeneratedAlways<string | null>;
  /** The leaf of the path the chat shows; null: its newest message (migration 0021). */
  current_leaf_id: string | null;
}

export interface ChatMessagesTable {
  id: Generated<string>;
  session_id: string;
  user_id: string;
  role: MessageRole;
  content: Generated<string>;
  model: string | null;
  status: Generated<MessageStatus>;
  stream_seq: Generated<number>;
  client_message_id: string | null;
  // Json's insert type already makes it optional (database default); Generated<Json> would not accept a value.
  metadata: Json;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  reply_to_id: string | null;
  lease_expires_at: Timestamp | null;
  stop_requested_at: Timestamp | null;
  /** Computed by Postgres from content, null while streaming (migration 0018); read only by search. */
  search_vector: GeneratedAlways<string | null>;
  /**
   * The message this one follows in the tree (same session); null for a first question (migration 0021).
   * The app always sets it; left out, a trigger hangs the message under the session's newest one.
   */
  parent_id: Generated<string | null>;
}

/**
 * The words of a chat's finished messages, without positions, kept by a trigger on chat_messages (migration
 * 0023); read only by search, as a first look. No row: no finished message yet; words null: not known.
 */
export interface ChatSessionWordsTable {
  session_id: GeneratedAlways<string>;
  words: GeneratedAlways<string | null>;
}

export interface RateLimitsTable {
  user_id: string;
  bucket: string;
  window_start: Timestamp;
  count: number;
}

export interface AuditLogTable {
  id: Generated<string>;
  actor_id: string | null;
  action: string;
  target_user_id: string | null;
  /** Json's insert type already allows leaving it out (database default). */
  details: Json;
  request_id: string;
  created_at: GeneratedTimestamp;
}

/** Usage counters kept by triggers on chat_messages (migration 0011); read by the admin usage reports. */
export interface UsageDailyTable {
  day: ColumnType<string, string, string>;
  model: string;
  shard: number;
  user_messages: ColumnType<string, number | undefined, number>;
  assistant_messages: ColumnType<string, number | undefined, number>;
  input_tokens: ColumnType<string, number | undefined, number>;
  output_tokens: ColumnType<string, number | undefined, number>;
}

export interface UsageDailyUsersTable {
  day: ColumnType<string, string, string>;
  user_id: string;
}

export type ExportStatus = 'queued' | 'running' | 'complete' | 'failed';

export interface ExportJobsTable {
  id: Generated<string>;
  user_id: string;
  status: Generated<ExportStatus>;
  total_messages: Generated<number>;
  exported_messages: Generated<number>;
  error: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  completed_at: Timestamp | null;
  expires_at: Timestamp | null;
}

export interface ExportFilesTable {
  job_id: string;
  user_id: string;
  json: string;
  markdown: string;
  created_at: GeneratedTimestamp;
}

export interface AvatarsTable {
  user_id: string;
  content_type: 'image/png' | 'image/jpeg' | 'image/webp';
  bytes: Buffer;
  version: Generated<string>;
  updated_at: GeneratedTimestamp;
}

/** Failed sign-ins per typed address (lower-cased), for the per-account back-off. */
export interface SignInFailuresTable {
  email: string;
  failures: number;
  last_failed_at: Date;
}

/** The app's tables in schema public. BetterAuth's tables (schema better_auth) belong to BetterAuth. */
export interface Database {
  profiles: ProfilesTable;
  system_prompts: SystemPromptsTable;
  chat_sessions: ChatSessionsTable;
  chat_messages: ChatMessagesTable;
  chat_session_words: ChatSessionWordsTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  usage_daily: UsageDailyTable;
  usage_daily_users: UsageDailyUsersTable;
  export_jobs: ExportJobsTable;
  export_files: ExportFilesTable;
  avatars: AvatarsTable;
  sign_in_failures: SignInFailuresTable;
}

type ColumnNullability<Table> = {
  [Column in keyof Selectable<Table>]-?: null extends Selectable<Table>[Column] ? 'nullable' : 'not null';
};

/**
 * The column list of every table, checked by the compiler against the interfaces above (a column missing
 * here, extra here, or with the wrong nullability does not compile) and by a test against the live schema.
 */
export const databaseColumns: { [Table in keyof Database]: ColumnNullability<Database[Table]> } = {
  profiles: {
    id: 'not null',
    email: 'not null',
    display_name: 'nullable',
    avatar_url: 'nullable',
    created_at: 'not null',
    updated_at: 'not null',
  },
  system_prompts: {
    id: 'not null',
    user_id: 'nullable',
    name: 'not null',
    content: 'not null',
    is_default: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
  },
  chat_sessions: {
    id: 'not null',
    user_id: 'not null',
    title: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
    last_message_at: 'not null',
    request_count: 'not null',
    request_window_start: 'not null',
    pinned_at: 'nullable',
    model: 'nullable',
    system_prompt_id: 'nullable',
    title_search_vector: 'nullable',
    current_leaf_id: 'nullable',
  },
  chat_messages: {
    id: 'not null',
    session_id: 'not null',
    user_id: 'not null',
    role: 'not null',
    content: 'not null',
    model: 'nullable',
    status: 'not null',
    stream_seq: 'not null',
    client_message_id: 'nullable',
    metadata: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
    reply_to_id: 'nullable',
    lease_expires_at: 'nullable',
    stop_requested_at: 'nullable',
    search_vector: 'nullable',
    parent_id: 'nullable',
  },
  chat_session_words: {
    session_id: 'not null',
    words: 'nullable',
  },
  rate_limits: {
    user_id: 'not null',
    bucket: 'not null',
    window_start: 'not null',
    count: 'not null',
  },
  audit_log: {
    id: 'not null',
    actor_id: 'nullable',
    action: 'not null',
    target_user_id: 'nullable',
    details: 'not null',
    request_id: 'not null',
    created_at: 'not null',
  },
  usage_daily: {
    day: 'not null',
    model: 'not null',
    shard: 'not null',
    user_messages: 'not null',
    assistant_messages: 'not null',
    input_tokens: 'not null',
    output_tokens: 'not null',
  },
  usage_daily_users: {
    day: 'not null',
    user_id: 'not null',
  },
  export_jobs: {
    id: 'not null',
    user_id: 'not null',
    status: 'not null',
    total_messages: 'not null',
    exported_messages: 'not null',
    error: 'nullable',
    created_at: 'not null',
    updated_at: 'not null',
    completed_at: 'nullable',
    expires_at: 'nullable',
  },
  export_files: {
    job_id: 'not null',
    user_id: 'not null',
    json: 'not null',
    markdown: 'not null',
    created_at: 'not null',
  },
  avatars: {
    user_id: 'not null',
    content_type: 'not null',
    bytes: 'not null',
    version: 'not null',
    updated_at: 'not null',
  },
  sign_in_failures: {
    email: 'not null',
    failures: 'not null',
    last_failed_at: 'not null',
  },
};
