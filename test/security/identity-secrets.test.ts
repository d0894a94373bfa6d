import { Tenant } from '../../constructs/platform/tenant';
import { Kvrocks } from '../../constructs/data/kvrocks';
import { Nats } from '../../constructs/data/nats';
import { Postgres } from '../../constructs/data/postgres';
import { MariaDb } from '../../constructs/data/mariadb';
import { RabbitMq } from '../../constructs/data/rabbitmq';
import { SecretRef } from '../../lib/core/secrets';
import { manifests, newPlatform, problemsOf } from '../helpers';

const secretNames = (platform: ReturnType<typeof newPlatform>) => platform.secrets.all().map((s) => `${s.namespace}/${s.ref.name}`);
const named = (all: any[], kind: string) => all.filter((m) => m.kind === kind).map((m) => m.metadata.name);

describe('generated names cannot collide', () => {
  test("new Kvrocks(t, 'a-b') and new Nats(t, 'a', { users: { 'b-auth': {} } }) get two Secrets", () => {
    const platform = newPlatform();
    const t = new Tenant(platform, 'shop');
    const kv = new Kvrocks(t, 'a-b');
    const nats = new Nats(t, 'a', { users: { 'b-auth': {} } });
    expect(kv.auth.name).toBe('a-b-auth');
    expect(nats.users['b-auth'].name).toBe('a.b-auth');
    expect(secretNames(platform)).toEqual(['tenant-shop/a-b-auth', 'tenant-shop/a.b-auth']);
  });

  test('Postgres a with user b_c and Postgres a-b with user c get two Secrets', () => {
    const platform = newPlatform();
    const t = new Tenant(platform, 'shop');
    new Postgres(t, 'a', { users: { b_c: {} } });
    new Postgres(t, 'a-b', { users: { c: {} } });
    expect(secretNames(platform)).toEqual(['tenant-shop/a-b.c', 'tenant-shop/a.b-c']);
  });

  test('MariaDB a with user b_c and MariaDB a-b with user c get two User objects and two Secrets', () => {
    const platform = newPlatform();
    const t = new Tenant(platform, 'shop');
    new MariaDb(t, 'a', { users: { b_c: {} }, databases: { b_c: {} } });
    new MariaDb(t, 'a-b', { users: { c: {} }, databases: { c: {} } });
    const all = manifests(platform);
    expect(named(all, 'User')).toEqual(['a.b-c', 'a-b.c']);
    expect(named(all, 'Database')).toEqual(['a.b-c', 'a-b.c']);
    expect(secretNames(platform)).toEqual(expect.arrayContaining(['tenant-shop/a-b.c', 'tenant-shop/a.b-c']));
  });

  test('RabbitMQ a with user b-c and RabbitMQ a-b with user c get two User objects and two Secrets', () => {
    const platform = newPlatform();
    const t = new Tenant(platform, 'shop');
    new RabbitMq(t, 'a', { users: { 'b-c': {} }, vhosts: { 'b-c': {} } });
    new RabbitMq(t, 'a-b', { users: { c: {} }, vhosts: { c: {} } });
    const all = manifests(platform);
    expect(named(all, 'User')).toEqual(['a.b-c', 'a-b.c']);
    expect(named(all, 'Vhost')).toEqual(['a.b-c', 'a-b.c']);
    expect(secretNames(platform)).toEqual(expect.arrayContaining(['tenant-shop/a-b.c-credentials', 'tenant-shop/a.b-c-credentials']));
  });

  test('one SecretRef passed to two services is shared on purpose', () => {
    const platform = newPlatform();
    const t = new Tenant(platform, 'shop');
    const shared = SecretRef.generatedPassword('shared-app', 'app');
    new Nats(t, 'one', { users: { app: { password: shared } } });
    new Nats(t, 'two', { users: { app: { password: shared } } });
    expect(platform.secrets.all().find((s) => s.ref.name === 'shared-app')!.users).toEqual(['platform/shop/one', 'platform/shop/two']);
  });

  test('two generated Secrets of one name are refused, naming both users', () => {
    const platform = newPlatform();
    const t = new Tenant(platform, 'shop');
    new Nats(t, 'one', { users: { app: { password: SecretRef.generatedPassword('app-password', 'app') } } });
    const error = problemsOf(
      () => new Nats(t, 'two', { users: { app: { password: SecretRef.generatedPassword('app-password', 'app') } } }),
    );
    expect(error.message).toContain('[platform/shop/two] 1 problem');
    expect(error.message).toContain(
      'secret: "tenant-shop/app-password" is also the generated Secret of platform/shop/one; one Secret cannot hold two generated passwords',
    );
  });
});

describe('names derived inside one service', () => {
  test('RabbitMQ permissions of c in a-b and b-c in a are two objects', () => {
    const platform = newPlatform();
    new RabbitMq(new Tenant(platform, 'shop'), 'events', {
      users: { c: {}, 'b-c': {} },
      vhosts: { 'a-b': { roles: { admin: ['c'] } }, a: { roles: { admin: ['b-c'] } } },
    });
    expect(named(manifests(platform), 'Permission')).toEqual(['events.a-b.c', 'events.a.b-c']);
  });

  test('MariaDB role grants of user y_admin on x and of user admin on x_y are two objects', () => {
    const platform = newPlatform();
    new MariaDb(new Tenant(platform, 'shop'), 'db', {
      users: { y_admin: {}, admin: {} },
      databases: { x: { roles: { readonly: ['y_admin'] } }, x_y: { roles: { readonly: ['admin'] } } },
    });
    expect(named(manifests(platform), 'Grant')).toEqual(['db.x.y-admin.readonly', 'db.x-y.admin.readonly']);
  });
});
