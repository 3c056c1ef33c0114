; C definitions and references (C++ builds on these: cpp-tags.scm).
; Conventions (tools/symbols/tags.ts): @definition.<kind> marks the whole
; declaration and @name its name; @reference.<kind> and @name mark a use.
; Where two patterns capture one name, a specific kind beats variable,
; constant, field, property and use, else the earlier pattern wins.
; Variables declared inside a function are locals: the reader drops them.

; --- Definitions ---

; A function definition; its name may sit under pointers: int *f(void), char **g(void).
(function_definition
  declarator: [(function_declarator declarator: (identifier) @name)
               (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
               (pointer_declarator
                 declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name)))]) @definition.function

; Any other function declarator declares a function defined elsewhere (headers).
(function_declarator declarator: (identifier) @name) @definition.prototype

(preproc_def name: (identifier) @name) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro

(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.union
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @definition.enum
(enumerator name: (identifier) @name) @definition.enumerator

; Declarators nest (pointers, arrays, initializers: static char **x[] = …);
; up to three levels are looked through.
; (A typedef's definition is its declarator, so `typedef struct S {…} T` does not put S inside T.)
(type_definition
  declarator: [(type_identifier) @name
               (_ declarator: (type_identifier) @name)
               (_ declarator: (_ declarator: (type_identifier) @name))] @definition.type)
; typedef void (*callback)(int);
(type_definition
  declarator: (function_declarator
    declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name))) @definition.type)

(field_declaration
  declarator: [(field_identifier) @name
               (_ declarator: (field_identifier) @name)
               (_ declarator: (_ declarator: (field_identifier) @name))
               (_ declarator: (_ declarator: (_ declarator: (field_identifier) @name)))]) @definition.field
; int (*handler)(int);
(field_declaration
  declarator: (function_declarator
    declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @name)))) @definition.field

; Variables (the prototype pattern above wins over these for functions).
(declaration
  declarator: [(identifier) @name
               (_ declarator: (identifier) @name)
               (_ declarator: (_ declarator: (identifier) @name))
               (_ declarator: (_ declarator: (_ declarator: (identifier) @name)))]) @definition.variable

; --- References ---

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
(type_identifier) @name @reference.type
(identifier) @name @reference.use
(field_identifier) @name @reference.use
