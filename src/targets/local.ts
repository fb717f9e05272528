// Moved to src/exec/local.ts (the exec layer); this re-export keeps existing imports working.
export * from '../exec/local.js';
