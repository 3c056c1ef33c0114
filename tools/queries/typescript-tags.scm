; TypeScript and TSX only (after ecmascript-tags.scm).

; --- Definitions ---

(function_signature name: (identifier) @name) @definition.function
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.interface
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(enum_body name: (property_identifier) @name @definition.enumerator)
(enum_assignment name: (property_identifier) @name) @definition.enumerator
(internal_module name: [(identifier) (nested_identifier)] @name) @definition.namespace
(module name: [(identifier) (nested_identifier)] @name) @definition.module
(module name: (string (string_fragment) @name)) @definition.module

(method_signature name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(abstract_method_signature name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(public_field_definition
  name: [(property_identifier) (private_property_identifier) (computed_property_name)] @name) @definition.property
(property_signature name: (property_identifier) @name) @definition.property

; Variables in a namespace, a declared module or `declare global` are module-level too.
(internal_module
  body: (statement_block
    [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
     (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)]))
(internal_module
  body: (statement_block
    (export_statement
      declaration: [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
                    (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)])))
(module
  body: (statement_block
    [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
     (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)]))
(module
  body: (statement_block
    (export_statement
      declaration: [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
                    (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)])))
; `global { … }` inside a declared module.
(module
  body: (statement_block
    (statement_block
      [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
       (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)])))
(ambient_declaration
  [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
   (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)
   (statement_block
     [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
      (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)])])

; Constructor parameters with an accessibility modifier declare properties.
(method_definition
  name: (property_identifier) @_constructor
  parameters: (formal_parameters
    (required_parameter (accessibility_modifier) pattern: (identifier) @name) @definition.property)
  (#eq? @_constructor "constructor"))

; --- References ---

(type_identifier) @name @reference.type
