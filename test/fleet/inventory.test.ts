// Ansible inventories: the same inventory as INI, YAML and real `ansible-inventory --list` JSON reads the same;
// --limit selects what Ansible itself selects (captured in test/fixtures/fleet/limit-patterns.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindHost, bindingSets, setsFromVars } from '../../src/fleet/bind.js';
import { expandHostPattern, loadInventory, parseInventoryText, type Inventory } from '../../src/fleet/inventory.js';
import { selectHosts } from '../../src/fleet/limit.js';
import { InputError } from '../../src/scenario/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { ROOT } from '../helpers/cli.js';

const FIX = join(ROOT, 'test/fixtures/fleet');
const formats = ['inventory.ini', 'inventory.yaml', 'inventory.json'];

function view(inv: Inventory): Record<string, { vars: Record<string, unknown>; groups: string[] }> {
  const out: Record<string, { vars: Record<string, unknown>; groups: string[] }> = {};
  for (const h of [...inv.hosts].sort((a, b) => a.name.localeCompare(b.name))) out[h.name] = { vars: h.vars, groups: [...h.groups].sort() };
  return out;
}

// What Ansible gives each host (ansible-inventory's _meta.hostvars, checked by hand against the INI's precedence:
// all < prod < web/db < host) and the groups it is in.
const EXPECTED = {
  'db01.example': { vars: { ansible_host: '10.0.1.10', ansible_port: 2222, ansible_user: 'ops', benchsuite_samples: 8, benchsuite_warmup: 0 }, groups: ['all', 'cpu_generations', 'db', 'gen1', 'prod'] },
  'db02.example': { vars: { ansible_port: 22, ansible_user: 'ops', benchsuite_warmup: 0 }, groups: ['all', 'cpu_generations', 'db', 'gen2', 'prod'] },
  'lb01.example': { vars: { ansible_host: '10.0.0.5', benchsuite_warmup: 0 }, groups: ['all', 'ungrouped'] },
  'web01.example': { vars: { ansible_port: 22, ansible_ssh_private_key_file: '/keys/web', ansible_user: 'bench', benchsuite_warmup: 0, benchsuite_workloads__dd__count: 64 }, groups: ['all', 'cpu_generations', 'gen1', 'prod', 'web'] },
  'web02.example': { vars: { ansible_port: 22, ansible_ssh_private_key_file: '/keys/web', ansible_user: 'bench', benchsuite_warmup: 0, benchsuite_workloads__dd__count: 64 }, groups: ['all', 'cpu_generations', 'gen2', 'prod', 'web'] },
  'web03.example': { vars: { ansible_port: 22, ansible_ssh_private_key_file: '/keys/web', ansible_user: 'bench', benchsuite_warmup: 0, benchsuite_workloads__dd__count: 64 }, groups: ['all', 'cpu_generations', 'gen2', 'prod', 'web'] },
};

describe('inventory formats', () => {
  for (const f of formats) {
    it(`${f}: hosts, effective vars and groups as Ansible resolves them`, () => {
      const inv = loadInventory(join(FIX, f));
      expect(inv.format).toBe(f.split('.')[1] as string);
      expect(view(inv)).toEqual(EXPECTED);
    });
  }

  it('the three formats agree with each other', () => {
    const [ini, yaml, json] = formats.map((f) => view(loadInventory(join(FIX, f))));
    expect(yaml).toEqual(ini);
    expect(json).toEqual(ini);
  });

  it('the JSON fixture is what ansible-inventory printed: hostvars merged, groups as lists', () => {
    const raw = JSON.parse(readFileSync(join(FIX, 'inventory.json'), 'utf8')) as { _meta: { hostvars: Record<string, unknown> } };
    expect(view(loadInventory(join(FIX, 'inventory.json')))['db01.example']?.vars).toEqual(raw._meta.hostvars['db01.example']);
  });

  it('expands ranges: numeric with leading zeros, letters, steps', () => {
    expect(expandHostPattern('web[01:03].example')).toEqual(['web01.example', 'web02.example', 'web03.example']);
    expect(expandHostPattern('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostPattern('n[0:10:5]')).toEqual(['n0', 'n5', 'n10']);
    expect(expandHostPattern('r[1:2]c[1:2]')).toEqual(['r1c1', 'r1c2', 'r2c1', 'r2c2']);
    expect(expandHostPattern('bad[3:1]')).toMatch(/before the start/);
  });

  it('reads [group:vars] and host vars with quotes in INI', () => {
    const inv = parseInventoryText('[a]\nh1 ansible_user="bench user" x=\'1 2\'\n[a:vars]\ny=3\n', '/x/hosts');
    expect(inv.hosts[0]?.vars).toEqual({ ansible_user: 'bench user', x: '1 2', y: 3 });
  });
});

describe('inventory errors (exit 2, naming the file, the line or path, and the fix)', () => {
  const bad = (text: string, file: string): string => {
    try {
      parseInventoryText(text, file);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };
  it('INI: a bad host name, a bad var, a bad group, a bad range', () => {
    expect(bad('[web]\nweb;rm ansible_port=22\n', '/inv/hosts.ini')).toMatch(/\/inv\/hosts.ini host "web;rm": a host name is/);
    expect(bad('[web]\nw1 -rf ansible_port=22\n', '/inv/hosts.ini')).toMatch(/hosts.ini:2 cannot read "-rf ansible_port=22"/);
    expect(bad('[web]\nw1 ansible-port=22\n', '/inv/hosts.ini')).toMatch(/hosts.ini:2 "ansible-port" is not a variable name/);
    expect(bad('[we b]\nw1\n', '/inv/hosts.ini')).toMatch(/hosts.ini:1 /);
    expect(bad('[web]\nw[5:1]\n', '/inv/hosts.ini')).toMatch(/hosts.ini:2 range w\[5:1\]/);
  });
  it('YAML: unknown keys and wrong shapes name their path', () => {
    expect(bad('all:\n  host:\n    a:\n', '/inv/i.yaml')).toMatch(/all\.host: unknown key/);
    expect(bad('all:\n  hosts: [a, b]\n', '/inv/i.yaml')).toMatch(/all\.hosts: expected a mapping/);
    expect(bad('all:\n  children:\n    a: [1]\n', '/inv/i.yaml')).toMatch(/all\.children\.a: expected a mapping/);
  });
  it('JSON: a group that is not a list or mapping; cycles', () => {
    expect(bad('{"web": 3}', '/inv/i.json')).toMatch(/web: expected/);
    expect(bad('{"a": {"children": ["b"]}, "b": {"children": ["a"], "hosts": ["h"]}}', '/inv/i.json')).toMatch(/own descendant/);
  });
  it('an empty inventory', () => {
    expect(bad('[web]\n', '/inv/empty.ini')).toMatch(/names no host/);
  });
});

describe('--limit', () => {
  const inv = loadInventory(join(FIX, 'inventory.ini'));
  const captured = JSON.parse(readFileSync(join(FIX, 'limit-patterns.json'), 'utf8')) as { patterns: Record<string, string[]> };
  for (const [pattern, hosts] of Object.entries(captured.patterns)) {
    it(`${pattern} selects what Ansible selects`, () => {
      expect(selectHosts(inv, pattern).map((h) => h.name).sort()).toEqual(hosts);
    });
  }
  it('a name that is no group or host is an error with a suggestion', () => {
    expect(() => selectHosts(inv, 'wbe')).toThrow(/"wbe" is no group or host.*did you mean "web"/);
    expect(() => selectHosts(inv, 'web:&db')).toThrow(/selects no host/);
  });
});

describe('binding a host', () => {
  const scenario = parseScenarioText(
    'name: fl\nbaseline: bare\ntargets:\n  bare: {label: Bare}\n  dock: {label: Dock, container: {}}\n  far: {label: Far, host: "ssh://u@far.example"}\nworkloads:\n  dd: {kind: dd}\n',
    '/s/fl.yaml',
  ).scenario;

  it('builds ssh://user@ansible_host:port and binds only the host: local targets', () => {
    const inv = parseInventoryText('[web]\nw1 ansible_host=127.0.0.7 ansible_port=2200 ansible_user=bench\n', '/i/h.ini');
    const b = bindHost(inv.hosts[0] as Inventory['hosts'][number], 'inventory /i/h.ini');
    expect(b.connection.url).toBe('ssh://bench@127.0.0.7:2200');
    expect(bindingSets(scenario, b.connection, '/k/known_hosts')).toEqual([
      'targets.bare.host=ssh://bench@127.0.0.7:2200',
      'targets.bare.knownHostsFile=/k/known_hosts',
      'targets.dock.host=ssh://bench@127.0.0.7:2200',
      'targets.dock.knownHostsFile=/k/known_hosts',
    ]);
  });

  it('turns benchsuite_* vars into --set strings', () => {
    expect(setsFromVars('h', { benchsuite_samples: 8, benchsuite_workloads__dd__count: 64, benchsuite_set: ['targets.dock.label=D 2'], other: 1 }, 'inv')).toEqual([
      'samples=8',
      'workloads.dd.count=64',
      'targets.dock.label=D 2',
    ]);
    expect(() => setsFromVars('h', { benchsuite_x: { a: 1 } }, 'inv')).toThrow(/benchsuite_x: expected a number/);
  });

  it('rejects hostile connection vars, naming host and variable', () => {
    const one = (line: string): string => {
      const inv = parseInventoryText(`[web]\n${line}\n`, '/i/h.ini');
      try {
        bindHost(inv.hosts[0] as Inventory['hosts'][number], 'inventory /i/h.ini');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(one('w1 ansible_host=-oProxyCommand=x')).toMatch(/host w1: ansible_host/);
    expect(one('w1 ansible_host="{{ lookup(\'x\') }}"')).toMatch(/host w1: ansible_host: templates/);
    expect(one('w1 ansible_port=70000')).toMatch(/host w1: ansible_port: 70000 is not a port/);
    expect(one('w1 ansible_user="root;id"')).toMatch(/host w1: ansible_user/);
    expect(one('w1 ansible_ssh_private_key_file=-oFoo')).toMatch(/host w1: ansible_ssh_private_key_file/);
    expect(one('w1 ansible_ssh_private_key_file=/nonexistent/key')).toMatch(/does not exist/);
  });
});
