/**
 * The model stage: the entity sets of the schema indexed for lookups (model-index), the model JSON of
 * `/api/domain/standardmodel` and `/currentmodel` (model-json), `$metadata` (metadata, metadata-operations,
 * method-types), the display text of a record (display-text) and the stored attributes exposed as attributes
 * (stored-attributes). It imports no other stage.
 */
export * from './display-text';
export * from './document-states';
export * from './metadata';
export * from './method-types';
export * from './model-index';
export * from './model-json';
export * from './stored-attributes';
