// What a reference is a member of, read from the tree around its name:
// `cart.total` → "cart", `Cart::total` → "Cart", and the type whose body it
// sits in. Enough to tell Cart.total from a `total` elsewhere without types.
import type { Node } from 'web-tree-sitter';

/** The field holding the object in each grammar's member access (JS/TS, Python, Go, Rust, C/C++, Java). */
const OBJECT_FIELDS: Record<string, string> = {
  member_expression: 'object',
  attribute: 'object',
  selector_expression: 'operand',
  field_access: 'object',
  method_invocation: 'object',
  scoped_identifier: 'path',
  qualified_identifier: 'scope',
};
/** Rust names the object `value`, C and C++ `argument`. */
const FIELD_EXPRESSION_FIELDS = ['value', 'argument'];

/** Declarations whose body members live in, and the field that names them. */
const TYPE_NAME_FIELDS: Record<string, string> = {
  class_declaration: 'name',
  class_definition: 'name',
  class: 'name',
  abstract_class_declaration: 'name',
  interface_declaration: 'name',
  record_declaration: 'name',
  enum_declaration: 'name',
  struct_specifier: 'name',
  class_specifier: 'name',
  impl_item: 'type',
  trait_item: 'name',
};

const RECEIVER_CHARS = 80;

/** The object `name` is accessed on, as written; undefined for a bare name. */
export function receiverOf(name: Node): string | undefined {
  const parent = name.parent;
  if (!parent) return undefined;
  const fields = parent.type === 'field_expression' ? FIELD_EXPRESSION_FIELDS : [OBJECT_FIELDS[parent.type]];
  for (const field of fields) {
    if (!field) continue;
    const object = parent.childForFieldName(field);
    // The name itself may be the object (`total.toFixed()`): then it is not a member here.
    if (object && object.startIndex !== name.startIndex) {
      const text = object.text.replace(/\s+/g, '');
      return text.length > RECEIVER_CHARS ? undefined : text;
    }
  }
  return undefined;
}

/** The innermost class, struct, impl or interface `name` sits in. */
export function enclosingTypeOf(name: Node): string | undefined {
  for (let node = name.parent; node; node = node.parent) {
    const field = TYPE_NAME_FIELDS[node.type];
    const typeName = field ? node.childForFieldName(field)?.text : undefined;
    if (typeName) return typeName.replace(/<.*$/s, '').trim();
  }
  return undefined;
}
