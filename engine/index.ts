export * from './actions';
export * from './match';
export * from './outcome';
export * from './record';
export * from './replay';
