export * from './protocol';
export * from './api-types';
export { ArenaApi, type ArenaApiOptions } from './api';
export { ArenaClient, ArenaClientError, MatchConnection, type ArenaClientOptions, type PlayedMatch, type Policy } from './client';
