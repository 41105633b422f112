import type pg from 'pg';
import { applyIdentitySql, type DatabaseIdentity, type RoleDirectory } from './database-identity';

export type TopicExtension = 'broadcast' | 'presence';

export interface ReadPermissions {
  broadcast: boolean;
  presence: boolean;
}

const INSUFFICIENT_PRIVILEGE = '42501';

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
