/**
 * The reports' access to src/env/posture.ts (security posture, environment differences). A posture that
 * throws on an unusual stored fingerprint must not take the whole report down: it is replaced by a note
 * (and the environment differences by a plain built-in comparison).
 */
import {
  environmentDifferences as postureEnvironmentDifferences,
  postureReport as posturePostureReport,
  type Lint,
} from '../env/posture.js';
import type { RunResults } from '../results/model.js';
import { escapeHtml } from './common.js';
import { environmentFallback } from './environment.js';

export type PostureLint = Lint;

export interface PostureReport {
  /** Starts with its own "## Security posture" heading. */
  markdown: string;
  /** A <section> with its own <h2>. */
  html: string;
  lints: PostureLint[];
}

export function postureReport(results: RunResults): PostureReport {
  try {
    return posturePostureReport(results);
  } catch (err) {
    const msg = `Security posture could not be assessed from this results file: ${(err as Error).message}`;
    return {
      markdown: `## Security posture\n\n_${msg}_\n`,
      html: `<section class="posture"><h2>Security posture</h2><p class="muted">${escapeHtml(msg)}</p></section>`,
      lints: [],
    };
  }
}

/** Performance-relevant differences between the baseline and each candidate of one run. */
export function environmentDifferences(results: RunResults): string[] {
  try {
    return postureEnvironmentDifferences(results);
  } catch {
    return environmentFallback(results);
  }
}
