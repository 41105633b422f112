/** BetterAuth admin-plugin roles are a comma-separated list on the user row; `admin` among them is an admin. */
export function isAdminRole(role: string | null | undefined): boolean {
  return (role ?? '').split(',').some((r) => r.trim() === 'admin');
}
