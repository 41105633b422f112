import type pg from 'pg';
import { applyIdentitySql, type DatabaseIdentity, type RoleDirectory } from './database-identity';

export type TopicExtension = 'broadcast' | 'presence';

export interface ReadPermissions {
  broadcast: boolean;
  presence: boolean;
}

const INSUFFICIENT_PRIVILEGE = '42501';

/** Runs as the user (role set before it); a policy that refuses or raises leaves its topic out. */
const WRITABLE_TOPICS_BLOCK = `do $$
declare
  candidate text;
  allowed text[] := '{}';
  failed text[] := '{}';
begin
  for candidate in select jsonb_array_elements_text(current_setting('realtime.batch_topics')::jsonb) loop
    begin
      perform set_config('realtime.topic', candidate, true);
      insert into realtime.messages (topic, extension, private, payload)
        values (candidate, 'broadcast', true, '{}'::jsonb);
      allowed := allowed || candidate;
    exception
      when insufficient_privilege then null;
      when others then failed := failed || (candidate || ': ' || sqlerrm);
    end;
  end loop;
  perform set_config('realtime.batch_allowed', array_to_json(allowed)::text, true);
  perform set_config('realtime.batch_failed', array_to_json(failed)::text, true);
end
$$`;

/**
 * Private-channel authorization through RLS on realtime.messages, as hosted Supabase does it (rt
 * `tenants/authorization.ex`): probe rows are inserted by the server, then read (or inserted) as the user;
 * everything is rolled back.
 */
export class TopicAuthorization {
  constructor(
    private readonly pool: pg.Pool,
    private readonly roles: RoleDirectory,
    private readonly log: (line: string) => void,
  ) {}

  async canRead(identity: DatabaseIdentity, topic: string, withPresence: boolean): Promise<ReadPermissions> {
    if (await this.roles.bypassesRls(identity.role)) return { broadcast: true, presence: true };
    const extensions: TopicExtension[] = withPresence ? ['broadcast', 'presence'] : ['broadcast'];
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const probes = await client.query<{ id: string }>(
        `insert into realtime.messages (topic, extension, private, payload)
         select $1, extension, true, '{}'::jsonb from unnest($2::text[]) as extension returning id`,
        [topic, extensions],
      );
      await client.query(applyIdentitySql(identity, topic));
      const visible = await client.query<{ extension: TopicExtension }>(
        'select extension from realtime.messages where id = any($1::uuid[])',
        [probes.rows.map((row) => row.id)],
      );
      const readable = new Set(visible.rows.map((row) => row.extension));
      return { broadcast: readable.has('broadcast'), presence: readable.has('presence') };
    } catch (error) {
      // A policy that raises (or an unknown role) means "not allowed", as in Supabase.
      this.log(`read authorization for ${topic} failed: ${(error as Error).message}`);
      return { broadcast: false, presence: false };
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }

  /** Whether the identity's role bypasses RLS (service_role): no per-topic checks, no per-request caps. */
  async bypassesRls(identity: DatabaseIdentity): Promise<boolean> {
    return (await this.roles.bypassesRls(identity.role)) === true;
  }

  /**
   * The topics of `topics` the identity may broadcast to, decided in ONE transaction and round trip: a DO
   * block tries each topic's probe insert as the user in its own subtransaction (the topic list travels in a
   * setting, never in the SQL text). A REST batch to N private topics costs one transaction, not N.
   */
  async writableTopics(identity: DatabaseIdentity, topics: string[]): Promise<Set<string>> {
    if (topics.length === 0) return new Set();
    if (await this.roles.bypassesRls(identity.role)) return new Set(topics);
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('realtime.batch_topics', $1, true)", [JSON.stringify(topics)]);
      await client.query(applyIdentitySql(identity));
      await client.query(WRITABLE_TOPICS_BLOCK);
      const result = await client.query<{ allowed: string; failed: string }>(
        `select current_setting('realtime.batch_allowed') as allowed,
                current_setting('realtime.batch_failed') as failed`,
      );
      const row = result.rows[0];
      const failed = JSON.parse(row?.failed || '[]') as string[];
      for (const failure of failed) this.log(`write authorization failed: ${failure}`);
      return new Set(JSON.parse(row?.allowed || '[]') as string[]);
    } catch (error) {
      this.log(`write authorization of ${topics.length} topics failed: ${(error as Error).message}`);
      return new Set();
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }

  async canWrite(identity: DatabaseIdentity, topic: string, extension: TopicExtension): Promise<boolean> {
    if (await this.roles.bypassesRls(identity.role)) return true;
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query(applyIdentitySql(identity, topic));
      await client.query(
        `insert into realtime.messages (topic, extension, private, payload) values ($1, $2, true, '{}'::jsonb)`,
        [topic, extension],
      );
      return true;
    } catch (error) {
      if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) {
        this.log(`write authorization for ${topic} failed: ${(error as Error).message}`);
      }
      return false;
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }
}
