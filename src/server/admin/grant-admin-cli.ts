// `npm run admin:grant -- someone@example.com`: makes an existing account an admin (the first admin has no
// other way to come to be). Runs against DATABASE_URL; the change is in the audit log.
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import { adminUsersService } from './admin-users.service';

const email = process.argv[2];
if (!email || process.argv.length > 3) {
  console.error('Usage: npm run admin:grant -- <email of an existing account>');
  process.exit(2);
}
try {
  const user = await adminUsersService.grantAdminByEmail(db(), email, `cli-${randomUUID()}`);
  console.log(`${user.email} is now an admin.`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await db().destroy();
}
