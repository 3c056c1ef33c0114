; JavaScript only (after ecmascript-tags.scm).

(field_definition
  property: [(property_identifier) (private_property_identifier) (computed_property_name)] @name) @definition.field

; this.name = … in a constructor: a field.
(method_definition
  name: (property_identifier) @_constructor
  body: (statement_block
    (expression_statement
      (assignment_expression
        left: (member_expression object: (this) property: (property_identifier) @name)) @definition.field))
  (#eq? @_constructor "constructor"))
