; Java definitions and references.
; Conventions (tools/symbols/tags.ts): @definition.<kind> marks the whole
; declaration and @name its name; @reference.<kind> and @name mark a use.
; Where two patterns capture one name, a specific kind beats variable,
; constant, field, property and use, else the earlier pattern wins.

; --- Definitions ---

(package_declaration [(identifier) (scoped_identifier)] @name) @definition.package

(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(annotation_type_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(enum_constant name: (identifier) @name) @definition.enumerator

(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(compact_constructor_declaration name: (identifier) @name) @definition.method
(annotation_type_element_declaration name: (identifier) @name) @definition.method

(field_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.field
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.constant
; A record's components are its fields.
(record_declaration parameters: (formal_parameters (formal_parameter name: (identifier) @name) @definition.field))

; --- References ---

(method_invocation name: (identifier) @name) @reference.call
(object_creation_expression type: (type_identifier) @name) @reference.class
(object_creation_expression type: (generic_type (type_identifier) @name)) @reference.class
(type_identifier) @name @reference.type
(identifier) @name @reference.use
