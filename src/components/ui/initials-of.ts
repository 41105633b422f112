/** "Ada Lovelace" → "AL"; "ada.lovelace@example.com" → "A": what stands in for a person without a picture. */
export function initialsOf(nameOrEmail: string): string {
  const isEmail = nameOrEmail.includes('@');
  const words = nameOrEmail
    .trim()
    .split(/\s+/)
    .map((word) => [...word.replace(/[^\p{L}\p{N}]/gu, '')][0])
    .filter((letter): letter is string => Boolean(letter));
  const initials = isEmail || words.length < 2 ? words.slice(0, 1) : [words[0], words.at(-1)];
  return initials.join('').toUpperCase() || '?';
}
