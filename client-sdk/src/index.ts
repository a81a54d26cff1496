export * from './protocol';
export { ArenaClient, ArenaClientError, MatchConnection, type ArenaClientOptions, type PlayedMatch, type Policy } from './client';
