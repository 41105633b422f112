import type { RouterOutputs } from '@/server/router';

/** Account and admin shapes the API returns, as the browser sees them (types only). */
export type Device = RouterOutputs['devices']['list'][number];
export type ExportJob = RouterOutputs['exports']['get'];
export type AdminUserPage = RouterOutputs['admin']['users'];
export type AdminUser = AdminUserPage['items'][number];
export type UsageReport = RouterOutputs['admin']['usage'];
export type AuditLogPage = RouterOutputs['admin']['auditLog'];
