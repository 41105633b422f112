import type { DB } from '../db';
import { profileRepository } from './profile.repository';

export const profileService = Object.freeze({
  /** Creates the user's profile unless it exists; safe to call any number of times. */
  async ensureProfile(db: DB, user: { id: string; email: string; name?: string | null }) {
    await profileRepository.insertIfMissing(db, {
      id: user.id,
      email: user.email,
      displayName: user.name?.trim() || null,
    });
  },
});
