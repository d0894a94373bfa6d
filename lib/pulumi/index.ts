export * from './duration';
export * from './objects';
export * from './flux';
export * from './helm';
export * from './secrets';
export * from './readiness-gate';
export * from './plan';
export * from './platform-deployment';
