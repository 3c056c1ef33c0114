; Python definitions and references.
; Conventions (tools/symbols/tags.ts): @definition.<kind> marks the whole
; declaration and @name its name; @reference.<kind> and @name mark a use.
; Where two patterns capture one name, a specific kind beats variable,
; constant, field, property and use, else the earlier pattern wins.

; --- Definitions ---

; Functions directly in a class body are methods.
(class_definition
  body: (block
    [(function_definition name: (identifier) @name) @definition.method
     (decorated_definition definition: (function_definition name: (identifier) @name) @definition.method)]))

(function_definition name: (identifier) @name) @definition.function
; A lambda given a name is a function.
(assignment left: (identifier) @name right: (lambda)) @definition.function
(class_definition name: (identifier) @name) @definition.class

; Class attributes.
(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier) @name) @definition.field)))

; Module-level variables, also inside if/try/with/for blocks at module level
; (assignments inside functions are locals: the reader drops them).
(assignment left: (identifier) @name) @definition.variable
(assignment left: (pattern_list (identifier) @name)) @definition.variable
(assignment left: (tuple_pattern (identifier) @name)) @definition.variable

; type X = … (Python 3.12)
(type_alias_statement left: (type (identifier) @name)) @definition.type

; --- References ---

(call function: (identifier) @name) @reference.call
(call function: (attribute attribute: (identifier) @name)) @reference.call
(import_from_statement name: (dotted_name (identifier) @name)) @reference.import
(import_from_statement name: (aliased_import name: (dotted_name (identifier) @name))) @reference.import
(identifier) @name @reference.use
