export * from './errors';
export * from './game';
export * from './helpers';
export * from './rng';
