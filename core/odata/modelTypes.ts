/** Patterns on the `Type` of a model attribute (`/api/domain/currentmodel/{EntitySet}`). */

/** Multi-language text: written as `{"EN": "Text"}`, filtered only with `contains`. */
export const MULTILANGUAGE_TYPE = /MultilanguageString$/i;

/** Amounts and quantities: objects with a `Value`; filters compare `<Field>Value`. */
export const AMOUNT_OR_QUANTITY_TYPE = /(^|\.)(Amount|Quantity)$/i;

/** OData numeric primitive types. */
export const NUMERIC_TYPE = /^Edm\.(Byte|Int16|Int32|Int64|Decimal|Double|Single)$/;
