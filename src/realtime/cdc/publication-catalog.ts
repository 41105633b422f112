import type pg from 'pg';

export interface TableColumn {
  name: string;
  /** pg_type.typname (`int4`, `uuid`, `_text` …), as Supabase reports it in `columns`. */
  type: string;
}

export interface PublishedTable {
  oid: number;
  schema: string;
  name: string;
  /**
   * The columns pgoutput sends: the publication's column list, without generated columns (Postgres 17 never
   * publishes them). A whole old row is judged against exactly these, so a stored generated column cannot make
   * a REPLICA IDENTITY FULL table look like a key-only one (whose DELETEs go out unchecked).
   */
  columns: TableColumn[];
  primaryKey: string[];
  rlsEnabled: boolean;
  /** Policies governing SELECT (command SELECT or ALL), to judge deleted rows (see deleted-row-policy-sql.ts). */
  selectPolicies: SelectPolicy[];
}

export interface SelectPolicy {
  permissive: boolean;
  /** Role names; `public` = every role. */
  roles: string[];
  /** The USING expression as SQL, null = no restriction. */
  qual: string | null;
}

const TABLES_SQL = `
select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relrowsecurity as "rlsEnabled",
  (select json_agg(json_build_object('name', a.attname, 'type', t.typname) order by a.attnum)
     from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = '' and (p.attnames is null or a.attname = any(p.attnames))) as columns,
  coalesce((select json_agg(a.attname order by array_position(i.indkey::int2[], a.attnum))
     from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey::int2[])
    where i.indrelid = c.oid and i.indisprimary), '[]'::json) as "primaryKey",
  coalesce((select json_agg(json_build_object(
       'permissive', p.polpermissive,
       'roles', array(select case when r = 0 then 'public' else (select rolname from pg_roles where oid = r) end
                        from unnest(p.polroles) as r),
       'qual', pg_get_expr(p.polqual, p.polrelid)))
     from pg_policy p where p.polrelid = c.oid and p.polcmd in ('r', '*')), '[]'::json) as "selectPolicies"
from pg_publication_tables p
join pg_namespace n on n.nspname = p.schemaname
join pg_class c on c.relnamespace = n.oid and c.relname = p.tablename
where p.pubname = $1`;

/**
 * The tables of the publication and what each role may see of them. Re-read at every subscription (join or
 * token refresh), which is when ALTER TABLE / ALTER PUBLICATION / new policies take effect for a channel.
 */
export class PublicationCatalog {
  private readonly visibleColumnsCache = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly pool: pg.Pool,
    readonly publication: string,
  ) {}

  async refresh(): Promise<PublishedTable[]> {
    const { rows } = await this.pool.query<PublishedTable>(TABLES_SQL, [this.publication]);
    this.visibleColumnsCache.clear();
    return rows;
  }

  /** Columns `role` holds SELECT privilege on (column or table level). */
  visibleColumns(role: string, table: PublishedTable): Promise<Set<string>> {
    const key = `${role}\u0000${table.oid}`;
    let columns = this.visibleColumnsCache.get(key);
    if (!columns) {
      columns = this.pool
        .query<{ name: string }>(
          `select attname as name from pg_attribute
            where attrelid = $2 and attnum > 0 and not attisdropped
              and has_column_privilege($1, attrelid, attnum, 'SELECT')`,
          [role, table.oid],
        )
        .then((result) => new Set(result.rows.map((row) => row.name)));
      columns.catch(() => this.visibleColumnsCache.delete(key));
      this.visibleColumnsCache.set(key, columns);
    }
    return columns;
  }
}
