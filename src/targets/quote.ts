// Moved to src/exec/quote.ts (the exec layer); this re-export keeps existing imports working.
export * from '../exec/quote.js';
