export * from './protocol';
export { ArenaClient, ArenaClientError, MatchConnection, type ArenaClientOptions, type Policy } from './client';
