'use client';

import { useEffect, useState } from 'react';
import type { ModelOption } from './api-types';
import { trpc } from './trpc-client';

const storageKey = 'chattwelve:model';

export interface ModelChoice {
  models: ModelOption[];
  /** undefined until the list has loaded: the server then uses the session's or the default model. */
  selected: string | undefined;
  select(id: string): void;
}

/** The models this deployment offers, and the user's pick (remembered in this browser). */
export function useModelChoice(): ModelChoice {
  const [models, setModels] = useState<ModelOption[]>([]);
  const [selected, setSelected] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    trpc.models.list
      .query()
      .then((list) => {
        if (cancelled) return;
        setModels(list.models);
        const saved = localStorage.getItem(storageKey);
        setSelected(
          list.models.some((model) => model.id === saved) ? (saved ?? undefined) : list.defaultModelId,
        );
      })
      .catch((error: unknown) => console.warn('Could not load the model list', error));
    return () => {
      cancelled = true;
    };
  }, []);
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
