'use client';

import { useEffect, useState } from 'react';
import type { ModelOption } from './api-types';
import { useServerModelList } from './model-list-context';
import { trpc } from './trpc-client';

const storageKey = 'chattwelve:model';

export interface ModelChoice {
  models: ModelOption[];
  /** undefined until the list has loaded: the server then uses the session's or the default model. */
  selected: string | undefined;
  select(id: string): void;
}

function savedChoice(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/**
 * The models this deployment offers, and the user's pick (remembered in this browser). The server renders
 * the page with the list and its default; the pick saved here and a fresh list follow once hydrated.
 */
export function useModelChoice(): ModelChoice {
  const serverList = useServerModelList();
  const [models, setModels] = useState<ModelOption[]>(serverList?.models ?? []);
  const [selected, setSelected] = useState<string | undefined>(serverList?.defaultModelId);
  useEffect(() => {
    let cancelled = false;
    // The pick saved in this browser applies as soon as the page is interactive, before the refetch.
    const saved = savedChoice();
    if (serverList?.models.some((model) => model.id === saved)) setSelected(saved ?? undefined);
    trpc.models.list
      .query()
      .then((list) => {
        if (cancelled) return;
        setModels(list.models);
        const saved = savedChoice();
        setSelected(
          list.models.some((model) => model.id === saved) ? (saved ?? undefined) : list.defaultModelId,
        );
      })
      .catch((error: unknown) => console.warn('Could not load the model list', error));
    return () => {
      cancelled = true;
    };
  }, [serverList]);
  return {
    models,
    selected,
    select(id) {
      setSelected(id);
      try {
        localStorage.setItem(storageKey, id);
      } catch {
        // remembered for this page only
      }
    },
  };
}
