; Definitions and references shared by JavaScript, TypeScript and TSX.
; Conventions (tools/symbols/tags.ts): @definition.<kind> marks the whole
; declaration and @name its name; @reference.<kind> and @name mark a use.
; Where two patterns capture one name, a specific kind beats variable,
; constant, field, property and use, else the earlier pattern wins.

; --- Definitions ---

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function

(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class

(method_definition
  name: [(property_identifier) (private_property_identifier) (computed_property_name)] @name) @definition.method

; A function expression with its own name: module.exports = function tokenize() { … }
(function_expression name: (identifier) @name) @definition.function

; A variable holding a function is a function, wherever it is declared.
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; Module-level variables (locals inside functions are not definitions).
(program
  (lexical_declaration "const" (variable_declarator name: (identifier) @name) @definition.constant))
(program
  (export_statement
    declaration: (lexical_declaration "const" (variable_declarator name: (identifier) @name) @definition.constant)))
(program
  [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
   (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)])
(program
  (export_statement
    declaration: [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
                  (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)]))

; Properties of a module-level object: const config = { name: … }, module.exports = { name, … }.
(program
  (lexical_declaration
    (variable_declarator
      value: (object [(pair key: (property_identifier) @name) (shorthand_property_identifier) @name] @definition.property))))
(program
  (export_statement
    declaration: (lexical_declaration
      (variable_declarator
        value: (object [(pair key: (property_identifier) @name) (shorthand_property_identifier) @name] @definition.property)))))
(program
  (expression_statement
    (assignment_expression
      left: (member_expression)
      right: (object [(pair key: (property_identifier) @name) (shorthand_property_identifier) @name] @definition.property))))

; exports.name = …, module.exports.name = … (anything, at module level).
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: [(identifier) (member_expression property: (property_identifier))] @_exports
        property: (property_identifier) @name)
      (#match? @_exports "^(module\\.)?exports$")) @definition.variable))

; Foo.prototype.name = function …: a method of Foo.
(assignment_expression
  left: (member_expression
    object: (member_expression
      object: (identifier) @container
      property: (property_identifier) @_prototype)
    property: (property_identifier) @name)
  right: [(arrow_function) (function_expression) (generator_function)]
  (#eq? @_prototype "prototype")) @definition.method

; exports.name = …, module.exports.name = …, obj.name = function …
(assignment_expression
  left: (member_expression object: (_) @container property: (property_identifier) @name)
  right: [(arrow_function) (function_expression) (generator_function) (class)]) @definition.function

; Functions in an object literal that is itself named: const api = { get: () => … }, module.exports = { … }.
(variable_declarator
  value: (object
    (pair
      key: (property_identifier) @name
      value: [(arrow_function) (function_expression) (generator_function)]) @definition.function))
(assignment_expression
  right: (object
    (pair
      key: (property_identifier) @name
      value: [(arrow_function) (function_expression) (generator_function)]) @definition.function))

; --- References ---

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (member_expression property: (property_identifier) @name)) @reference.call
(new_expression constructor: (identifier) @name) @reference.class
(new_expression constructor: (member_expression property: (property_identifier) @name)) @reference.class
(import_specifier name: (identifier) @name) @reference.import
(import_clause (identifier) @name) @reference.import

; Any other use of the name in code (never in comments or strings).
(identifier) @name @reference.use
(property_identifier) @name @reference.use
(shorthand_property_identifier) @name @reference.use
(shorthand_property_identifier_pattern) @name @reference.use
(private_property_identifier) @name @reference.use
