// `npm run db:migrate`: Supabase's objects where missing, the migrations, the seed, on DATABASE_URL.
import { env } from '../env';
import { setUpDatabase } from './database-setup';

const { compatApplied, migrationsApplied } = await setUpDatabase(env().DATABASE_URL);
console.log(compatApplied ? 'Supabase compat objects created.' : 'Supabase objects already present.');
console.log(migrationsApplied.length ? `Applied: ${migrationsApplied.join(', ')}` : 'No pending migrations.');
