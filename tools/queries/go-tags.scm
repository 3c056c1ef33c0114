; Go definitions and references.
; Conventions (tools/symbols/tags.ts): @definition.<kind> marks the whole
; declaration and @name its name; @container names the type a method
; belongs to; @reference.<kind> and @name mark a use. Where two patterns
; capture one name, a specific kind beats variable, constant, field,
; property and use, else the earlier pattern wins.

; --- Definitions ---

(package_clause (package_identifier) @name) @definition.package

(function_declaration name: (identifier) @name) @definition.function

; A method belongs to its receiver's type: (s *S), (S), (s *S[T]), (s S[T]).
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @container
             (pointer_type (type_identifier) @container)
             (generic_type type: (type_identifier) @container)
             (pointer_type (generic_type type: (type_identifier) @container))]))
  name: (field_identifier) @name) @definition.method

(type_spec name: (type_identifier) @name type: (struct_type)) @definition.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec name: (type_identifier) @name) @definition.type
(type_alias name: (type_identifier) @name) @definition.type

(field_declaration name: (field_identifier) @name) @definition.field
; Embedded fields: struct { io.Reader; *Node }
(field_declaration
  !name
  type: [(type_identifier) @name
         (qualified_type name: (type_identifier) @name)
         (pointer_type (type_identifier) @name)
         (pointer_type (qualified_type name: (type_identifier) @name))]) @definition.field
(method_elem name: (field_identifier) @name) @definition.method

; Package-level constants and variables (the reader drops those in functions).
(const_spec name: (identifier) @name) @definition.constant
(var_spec name: (identifier) @name) @definition.variable

; --- References ---

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (selector_expression field: (field_identifier) @name)) @reference.call
(type_identifier) @name @reference.type
(identifier) @name @reference.use
(field_identifier) @name @reference.use
(package_identifier) @name @reference.use
