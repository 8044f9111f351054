export * from './errors';
export * from './roles';
export * from './pagination';
export * from './identity';
export * from './grids';
export * from './demo';
export * from './phone';
