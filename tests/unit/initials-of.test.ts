import { describe, expect, it } from 'vitest';
import { initialsOf } from '@/components/ui/initials-of';

describe('initialsOf (the avatar of a person without a picture)', () => {
  it('takes the first and last name', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('  Jean-Luc   de la Picard ')).toBe('JP');
    expect(initialsOf('émile zola')).toBe('ÉZ');
  });

  it('takes one letter of an email or a single name', () => {
    expect(initialsOf('ada.lovelace@example.com')).toBe('A');
    expect(initialsOf('e2e-70a2071a@example.test')).toBe('E');
    expect(initialsOf('Ada')).toBe('A');
  });

  it('never shows an empty circle', () => {
    expect(initialsOf('')).toBe('?');
    expect(initialsOf(' -- ')).toBe('?');
  });
});
