; C++ only (after c-tags.scm).

; --- Definitions ---

(namespace_definition name: [(namespace_identifier) (nested_namespace_specifier)] @name) @definition.namespace
(class_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.class
(class_specifier
  name: (template_type name: (type_identifier) @name) body: (field_declaration_list)) @definition.class
(struct_specifier
  name: (template_type name: (type_identifier) @name) body: (field_declaration_list)) @definition.struct
(alias_declaration name: (type_identifier) @name) @definition.type
(concept_definition name: (identifier) @name) @definition.type

; Methods defined in the class body (the name may sit under a pointer or a
; reference: T *get(), T &operator[](int)), and declared there.
(function_definition
  declarator: [(function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)
               (pointer_declarator
                 declarator: (function_declarator declarator: [(field_identifier) (operator_name)] @name))
               (reference_declarator
                 (function_declarator declarator: [(field_identifier) (operator_name)] @name))]) @definition.method
(function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name) @definition.method

; Methods defined outside their class: T *Outer::Inner::name() { … }
(function_definition
  declarator: [(function_declarator declarator: (qualified_identifier scope: (_) @container name: [(identifier) (destructor_name) (operator_name)] @name))
               (function_declarator
                 declarator: (qualified_identifier
                   name: (qualified_identifier scope: (_) @container name: [(identifier) (destructor_name) (operator_name)] @name)))
               (pointer_declarator
                 declarator: (function_declarator declarator: (qualified_identifier scope: (_) @container name: [(identifier) (operator_name)] @name)))
               (reference_declarator
                 (function_declarator declarator: (qualified_identifier scope: (_) @container name: [(identifier) (operator_name)] @name)))]) @definition.method

; Free functions returning a reference: T &get();
(function_definition
  declarator: (reference_declarator (function_declarator declarator: [(identifier) (operator_name)] @name))) @definition.function

; Reference members: const T &owner;
(field_declaration declarator: (reference_declarator (field_identifier) @name)) @definition.field

; --- References ---

(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call
(new_expression type: (type_identifier) @name) @reference.class
(namespace_identifier) @name @reference.use
