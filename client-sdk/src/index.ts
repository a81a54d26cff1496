export * from './protocol';
export * from './api-types';
export { ArenaApi, type ArenaApiOptions } from './api';
export { ArenaClient, ArenaClientError, LobbyMatchConnection, MatchConnection, RoomMatchConnection, type ArenaClientOptions, type ConnectionState, type PlayedMatch, type Policy } from './client';
