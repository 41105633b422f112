import type { DB } from '../db';
import { NotFoundError } from '../domain-errors';
import { profileRepository } from './profile.repository';

export interface Profile {
  id: string;
  email: string;
  displayName: string | null;
  avatarUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type ProfileRow = NonNullable<Awaited<ReturnType<typeof profileRepository.find>>>;

function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const profileService = Object.freeze({
  /** Creates the user's profile unless it exists; safe to call any number of times. */
  async ensureProfile(db: DB, user: { id: string; email: string; name?: string | null }) {
    await profileRepository.insertIfMissing(db, {
      id: user.id,
      email: user.email,
      displayName: user.name?.trim() || null,
    });
  },

  /** The profile, created on the spot if the sign-up hook never ran (it runs after BetterAuth's commit). */
  async get(db: DB, user: { id: string; email: string; name?: string | null }): Promise<Profile> {
    let row = await profileRepository.find(db, user.id);
    if (!row) {
      await profileService.ensureProfile(db, user);
      row = await profileRepository.find(db, user.id);
    }
    if (!row) throw new NotFoundError('Profile');
    return toProfile(row);
  },

  async update(
    db: DB,
    user: { id: string; email: string; name?: string | null },
    changes: { displayName?: string | null; avatarUrl?: string | null },
  ): Promise<Profile> {
    await profileService.ensureProfile(db, user);
    const row = await profileRepository.update(db, user.id, {
      displayName: changes.displayName === '' ? null : changes.displayName,
      avatarUrl: changes.avatarUrl,
    });
    if (!row) throw new NotFoundError('Profile');
    return toProfile(row);
  },
});
