// Moved to src/exec/ssh-url.ts (the exec layer); this re-export keeps existing imports working.
export * from '../exec/ssh-url.js';
