/** The engine's version, recorded in every model it builds; a model from another minor version is refused. */
export const ENGINE_VERSION = '0.3.1';
