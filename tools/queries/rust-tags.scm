; Rust definitions and references.
; Conventions (tools/symbols/tags.ts): @definition.<kind> marks the whole
; declaration and @name its name; @reference.<kind> and @name mark a use.
; Where two patterns capture one name, a specific kind beats variable,
; constant, field, property and use, else the earlier pattern wins.

; --- Definitions ---

; Functions in an impl or a trait are methods (of the impl's type or the trait).
(impl_item body: (declaration_list (function_item name: (identifier) @name) @definition.method))
(trait_item
  body: (declaration_list
    [(function_item name: (identifier) @name) @definition.method
     (function_signature_item name: (identifier) @name) @definition.method]))
(function_item name: (identifier) @name) @definition.function
(function_signature_item name: (identifier) @name) @definition.function

(struct_item name: (type_identifier) @name) @definition.struct
(union_item name: (type_identifier) @name) @definition.union
(enum_item name: (type_identifier) @name) @definition.enum
(enum_variant name: (identifier) @name) @definition.enumerator
(trait_item name: (type_identifier) @name) @definition.trait
; An impl block is named after the type it implements for.
(impl_item
  type: [(type_identifier) @name
         (generic_type type: (type_identifier) @name)
         (scoped_type_identifier name: (type_identifier) @name)
         (generic_type type: (scoped_type_identifier name: (type_identifier) @name))
         (reference_type type: (type_identifier) @name)
         (reference_type type: (generic_type type: (type_identifier) @name))]) @definition.impl
; An impl for a primitive, a trait object, an array or a slice is named after
; that type; one for (), a tuple or ! after its trait.
(impl_item
  type: [(primitive_type) @name
         (dynamic_type trait: (type_identifier) @name)
         (dynamic_type trait: (scoped_type_identifier name: (type_identifier) @name))
         (array_type element: (type_identifier) @name)
         (reference_type type: [(primitive_type) @name
                                (array_type element: [(type_identifier) (primitive_type)] @name)
                                (dynamic_type trait: (type_identifier) @name)])]) @definition.impl
(impl_item
  trait: [(type_identifier) @name
          (generic_type type: (type_identifier) @name)
          (scoped_type_identifier name: (type_identifier) @name)
          (generic_type type: (scoped_type_identifier name: (type_identifier) @name))]
  type: [(unit_type) (tuple_type) (never_type)]) @definition.impl
(type_item name: (type_identifier) @name) @definition.type
(associated_type name: (type_identifier) @name) @definition.type
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.variable
(mod_item name: (identifier) @name) @definition.module
(macro_definition name: (identifier) @name) @definition.macro
(field_declaration name: (field_identifier) @name) @definition.field

; --- References ---

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
(call_expression function: (scoped_identifier name: (identifier) @name)) @reference.call
(macro_invocation macro: (identifier) @name) @reference.macro
(type_identifier) @name @reference.type
(identifier) @name @reference.use
(field_identifier) @name @reference.use
