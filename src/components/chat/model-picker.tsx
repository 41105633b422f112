'use client';

import { useEffect, useId, useLayoutEffect, useRef } from 'react';
import type { ModelChoice } from '@/client/use-model-choice';
import { modelDisplay } from './model-display';
import { placeModelList } from './model-list-placement';
import { useSelectOnlyCombobox } from './use-select-only-combobox';

function Chevron() {
  return (
    <svg className="icon-svg" width="12" height="12" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}

/**
 * The model picker: a compact select-only combobox (WAI-ARIA APG) that names the picked model once, and a
 * list that fits a phone, each model with a second line only when that line says something. The demo model
 * is marked by its name drawn as a badge, so "demo" is said once.
 */
export function ModelPicker({ choice }: { choice: ModelChoice }) {
  const id = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const selectedIndex = choice.models.findIndex((model) => model.id === choice.selected);
  const displays = choice.models.map(modelDisplay);
  const combobox = useSelectOnlyCombobox({
    names: displays.map((display) => display.name),
    selectedIndex,
    onPick: (index) => {
      const model = choice.models[index];
      if (model) choice.select(model.id);
    },
  });
  const { open, activeIndex, close } = combobox;

  useLayoutEffect(() => {
    if (open && wrapper.current && list.current) placeModelList(wrapper.current, list.current);
  }, [open]);

  // Keeps the active option in view by scrolling the list only (scrollIntoView would also scroll the page).
  useLayoutEffect(() => {
    const option = list.current?.children[activeIndex];
    if (!(option instanceof HTMLElement) || !list.current) return;
    const box = list.current;
    if (option.offsetTop < box.scrollTop) box.scrollTop = option.offsetTop;
    else if (option.offsetTop + option.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = option.offsetTop + option.offsetHeight - box.clientHeight;
  }, [activeIndex]);

  // A press anywhere else closes the list. A resize (a phone turning, or its keyboard folding away as the
  // message box loses focus to the picker) places it again rather than closing it under the finger.
  useEffect(() => {
    if (!open) return;
    const pressedOutside = (event: PointerEvent) => {
      if (event.target instanceof Node && !wrapper.current?.contains(event.target)) close();
    };
    const placeAgain = () => {
      if (wrapper.current && list.current) placeModelList(wrapper.current, list.current);
    };
    document.addEventListener('pointerdown', pressedOutside);
    window.addEventListener('resize', placeAgain);
    return () => {
      document.removeEventListener('pointerdown', pressedOutside);
      window.removeEventListener('resize', placeAgain);
    };
  }, [open, close]);

  if (choice.models.length === 0) {
    // Keeps the composer's height while the list loads.
    return <span className="model-picker-skeleton" aria-hidden="true" />;
  }
  const current = choice.models[selectedIndex];
  const currentName = current ? modelDisplay(current).name : 'Choose a model';
  const optionId = (index: number) => `${id}-option-${index}`;

  return (
    <div className="model-picker" ref={wrapper}>
      <span id={`${id}-label`} className="visually-hidden">
        Model
      </span>
      <div
        role="combobox"
        tabIndex={0}
        className="model-picker-button"
        aria-labelledby={`${id}-label`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? `${id}-list` : undefined}
        aria-activedescendant={open && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        title={current?.label}
        data-testid="model-picker"
        data-value={choice.selected ?? ''}
        onClick={(event) => {
          // Safari does not focus on click; the keys work once the list is open all the same.
          event.currentTarget.focus();
          combobox.toggle();
        }}
        onKeyDown={combobox.onKeyDown}
        onBlur={(event) => {
          if (!wrapper.current?.contains(event.relatedTarget)) close();
        }}
      >
        <span className="model-picker-value">
          {current?.isDemo ? (
            <span className="demo-badge" data-testid="demo-model-badge">
              {currentName}
              <span className="visually-hidden"> model: replies are canned</span>
            </span>
          ) : (
            currentName
          )}
        </span>
        <Chevron />
      </div>
      {open && (
        <div
          ref={list}
          id={`${id}-list`}
          role="listbox"
          aria-labelledby={`${id}-label`}
          className="model-list"
          data-testid="model-list"
          // Keeps focus on the combobox when an option is clicked.
          onMouseDown={(event) => event.preventDefault()}
        >
          {choice.models.map((model, index) => {
            const display = displays[index];
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox holds focus and handles the keys
              <div
                key={model.id}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={index === selectedIndex}
                className={index === activeIndex ? 'model-option active' : 'model-option'}
                data-testid="model-option"
                data-value={model.id}
                title={model.label}
                onClick={() => combobox.pick(index)}
                onMouseMove={() => index !== activeIndex && combobox.setActive(index)}
              >
                <span className="model-option-name">{display?.name}</span>
                {display?.detail && <span className="model-option-detail">{display.detail}</span>}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
