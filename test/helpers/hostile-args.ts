/** Arguments that break naive shell quoting: each must reach the program unchanged. */
export const HOSTILE_ARGS = [
  'plain',
  'with space',
  "it's",
  '"double"',
  '$(touch /tmp/benchsuite-pwned)',
  '`id`',
  'a;b|c&d',
  'new\nline',
  '*?[glob]',
  '~root',
  '',
  '--flag=$HOME',
  "'; rm -rf / #",
  'tab\there',
  'back\\slash',
  'ünïcødé',
];
