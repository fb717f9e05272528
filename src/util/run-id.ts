/**
 * The run-id pattern, e.g. 20261129-193000-kvm-docker-3f2a: a UTC stamp, the scenario name slug and 4 hex
 * digits. A run id becomes part of file names, scratch paths and container labels, so every id that comes
 * from outside (a CLI argument, a results file) must match it before it is used.
 */
export const RUN_ID_PATTERN = /^[0-9]{8}-[0-9]{6}-[a-z0-9-]{1,60}-[0-9a-f]{4}$/;
