// Moved to src/exec/exec-session.ts (the exec layer); this re-export keeps existing imports working.
export * from '../exec/exec-session.js';
