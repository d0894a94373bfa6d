import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { Platform, SecretRef } from '../lib/core';
import { propsErrors } from '../lib/core/props-check';
import { Tenant } from '../constructs/platform/tenant';
import { Kafka } from '../constructs/data/kafka';
import { Postgres } from '../constructs/data/postgres';
import { Redis } from '../constructs/data/redis';
import { table } from '../lib/cli/table';

/**
 * A platform of `tenants` tenants, each with a replicated PostgreSQL with backups and a pooler; with `services`,
 * each tenant also runs a Kafka cluster and a Redis with Sentinel, all on their defaults.
 */
export function benchPlatform(app: App, tenants: number, services = false): Platform {
  const platform = new Platform(app, 'bench');
  const credentials = SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
  for (let i = 0; i < tenants; i++) {
    const tenant = new Tenant(platform, `t${i}`, { quota: { cpu: '4', memory: '8Gi', storage: '100Gi' } });
    new Postgres(tenant, 'db', {
      backup: { destinationPath: `s3://backups/t${i}`, credentials },
      pooler: true,
    });
    if (services) {
      new Kafka(tenant, 'events');
      new Redis(tenant, 'cache');
    }
  }
  return platform;
}

interface Measurement {
  readonly tenants: number;
  readonly services: boolean;
  readonly objects: number;
  readonly construct: number;
  readonly synth: number;
  readonly floor: number;
  /** Of `construct`: checking the props of every construct against their schema, measured apart. */
  readonly propsCheck: number;
  readonly rssMiB: number;
}

/** One measurement in this process: build, synthesize to files, then the floor (serialize + write the same objects). */
function measure(tenants: number, services: boolean): Measurement {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-bench-'));
  try {
    const t0 = performance.now();
    const platform = benchPlatform(new App({ outdir: path.join(dir, 'synth') }), tenants, services);
    const t1 = performance.now();
    platform.synth();
    const t2 = performance.now();
    const charts = platform.render();
    const floorDir = path.join(dir, 'floor');
    fs.mkdirSync(floorDir);
    const t3 = performance.now();
    for (const chart of charts)
      Yaml.save(
        path.join(floorDir, chart.file),
        chart.objects.map((o) => o.manifest),
      );
    const t4 = performance.now();
    const propsCheck = timePropsChecks(tenants, services);
    return {
      tenants,
      services,
      objects: charts.reduce((n, c) => n + c.objects.length, 0),
      construct: (t1 - t0) / 1000,
      synth: (t2 - t1) / 1000,
      floor: (t4 - t3) / 1000,
      propsCheck,
      rssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds to check the props benchPlatform() passes, as its constructors do. */
function timePropsChecks(tenants: number, services: boolean): number {
  const credentials = SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
  const t0 = performance.now();
  for (let i = 0; i < tenants; i++) {
    propsErrors('TenantProps', { quota: { cpu: '4', memory: '8Gi', storage: '100Gi' } });
    propsErrors('PostgresProps', { backup: { destinationPath: `s3://backups/t${i}`, credentials }, pooler: true });
    if (services) {
      propsErrors('KafkaProps', {});
      propsErrors('RedisProps', {});
    }
  }
  return (performance.now() - t0) / 1000;
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  // --services: every tenant runs Postgres, Kafka and Redis instead of Postgres alone.
  const services = argv.includes('--services');
  const single = arg('--measure');
  if (single) {
    process.stdout.write(JSON.stringify(measure(Number(single), services)));
    return;
  }
  const sizes = (arg('--tenants') ?? '30,300,3000').split(',').map(Number);
  const child = (n: number) => [__filename, '--measure', String(n), ...(services ? ['--services'] : [])];
  const rows = sizes.map(
    (n) => JSON.parse(execFileSync(process.execPath, child(n), { encoding: 'utf8', maxBuffer: 1 << 20 })) as Measurement,
  );
  console.log(services ? 'Each tenant: Postgres (backups, pooler) + Kafka + Redis' : 'Each tenant: Postgres (backups, pooler)');
  console.log(
    table(
      ['tenants', 'objects', 'construct s', 'props check s', 'synth s', 'total s', 'floor s', 'synth/floor', 'peak RSS MiB'],
      rows.map((r) => [
        r.tenants,
        r.objects,
        r.construct.toFixed(2),
        r.propsCheck.toFixed(3),
        r.synth.toFixed(2),
        (r.construct + r.synth).toFixed(2),
        r.floor.toFixed(2),
        (r.synth / r.floor).toFixed(2),
        Math.round(r.rssMiB),
      ]),
    ),
  );
}

if (require.main === module) main(process.argv.slice(2));
