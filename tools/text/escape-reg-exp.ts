// Text to match literally inside a regular expression built from it.

/** Every character a RegExp reads as syntax (and `/`), escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
