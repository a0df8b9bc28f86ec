/**
 * What mocks and emulators get when no token is given: they accept any bearer token. In a module of its own so
 * that the CLI can read it without loading the engine (the run starts Prism before the engine loads).
 */
export const PLACEHOLDER_TOKEN = 'azconform-placeholder-token';
