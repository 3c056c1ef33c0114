// For a qualified lookup (Cart.total): which uses of `total` are Cart's.
// Without types, a use on `this`/`self` inside Cart or on `Cart` itself is
// confirmed; one on an object of unknown type (`x.total`) may be Cart's and
// is kept as a name-only match; a bare `total` outside Cart (a local
// variable) or on `this` in another type is not Cart's member.
import type { Reference } from './tags.js';

export type OwnerMatch = 'owner' | 'name';

const SELF = new Set(['this', 'self', 'Self', '*this', '&self', 'super']);

export function matchOwner(
  reference: Pick<Reference, 'receiver' | 'enclosingType'>,
  owner: string,
): OwnerMatch | undefined {
  const insideOwner = reference.enclosingType === owner;
  const { receiver } = reference;
  if (receiver === undefined) return insideOwner ? 'name' : undefined;
  if (SELF.has(receiver)) return insideOwner ? 'owner' : undefined;
  if (receiver === owner || receiver.endsWith(`.${owner}`) || receiver.endsWith(`::${owner}`)) return 'owner';
  return 'name';
}
