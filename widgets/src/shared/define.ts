/**
 * Registers a tag unless some copy of MS8 (another version, a second script tag) already has:
 * the first definition wins and the page keeps working.
 */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
