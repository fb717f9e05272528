// Moved to src/exec/ssh.ts (the exec layer); this re-export keeps existing imports working.
export * from '../exec/ssh.js';
