/** The gap kept between the list and the screen's edges. */
const EDGE = 8;
/** Below this much room above the picker, the list opens downwards if there is more room there. */
const MIN_ROOM = 160;

/**
 * Places the open model list inside the viewport: above the picker (it sits at the bottom of the screen)
 * unless there is more room below, shifted sideways so a wide list never leaves a phone's screen, and no
 * taller than the room it has (it scrolls inside).
 */
export function placeModelList(anchor: HTMLElement, list: HTMLElement): void {
  const anchorBox = anchor.getBoundingClientRect();
  const viewportWidth = document.documentElement.clientWidth;
  const roomAbove = anchorBox.top - EDGE * 2;
  const roomBelow = window.innerHeight - anchorBox.bottom - EDGE * 2;
  const below = roomAbove < MIN_ROOM && roomBelow > roomAbove;
  list.classList.toggle('below', below);
  list.style.maxHeight = `${Math.max(below ? roomBelow : roomAbove, 96)}px`;

  list.style.maxWidth = `${viewportWidth - EDGE * 2}px`;
  list.style.left = '0px';
  const width = list.getBoundingClientRect().width;
  const left = Math.min(Math.max(anchorBox.left, EDGE), viewportWidth - EDGE - width);
  list.style.left = `${Math.round(Math.max(left, EDGE) - anchorBox.left)}px`;
}
