// Moved to src/exec/process.ts (the exec layer); this re-export keeps existing imports working.
export * from '../exec/process.js';
