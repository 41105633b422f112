/** What the browser may know about the deployment; a server component reads it from env and passes it down. */
export interface PublicConfig {
  supabaseUrl: string;
  /** The public anon key: identifies the project, grants nothing without a user token. */
  anonKey: string;
}
