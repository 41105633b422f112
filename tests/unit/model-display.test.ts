import { describe, expect, it } from 'vitest';
import { modelDisplay } from '@/components/chat/model-display';

describe('modelDisplay (what the model picker shows)', () => {
  it('names the demo model once and explains it on a second line', () => {
    expect(modelDisplay({ label: 'Demo (offline, no AI provider configured)', isDemo: true })).toEqual({
      name: 'Demo',
      detail: 'Offline, no AI provider configured; replies are canned',
    });
  });

  it('shows a plain model name alone, with no second line', () => {
    expect(modelDisplay({ label: 'fake-model-large', isDemo: false })).toEqual({
      name: 'fake-model-large',
      detail: null,
    });
    expect(modelDisplay({ label: 'OpenAI gpt-4o', isDemo: false }).detail).toBeNull();
  });

  it('keeps brackets inside a name', () => {
    expect(modelDisplay({ label: 'llama (8B) q4', isDemo: false }).name).toBe('llama (8B) q4');
  });
});
