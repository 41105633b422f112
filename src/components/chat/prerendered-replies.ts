import type { ReactNode } from 'react';

/** Replies the server rendered with the page: the text each was rendered from, and the result. */
export type PrerenderedReplies = Readonly<Record<string, { text: string; node: ReactNode }>>;
