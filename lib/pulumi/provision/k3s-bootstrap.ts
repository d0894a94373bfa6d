import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import { Problems } from '../../core/errors';
import { pointKubeconfigAt } from './kubeconfig';
import { shellQuote, writeFileLine } from './shell';

/** How the deployment logs in to a machine over SSH. */
export interface SshAccess {
  readonly host: pulumi.Input<string>;
  /** root, or a user that may run `sudo -n` without a password. @default 'root' */
  readonly user?: pulumi.Input<string>;
  /** @default 22 */
  readonly port?: pulumi.Input<number>;
  /** The private key (PEM or OpenSSH), e.g. from `pulumi config set --secret`. */
  readonly privateKey: pulumi.Input<string>;
}

/** A file the deployment writes on a machine before it runs the install command. */
export interface MachineFile {
  readonly path: string;
  readonly content: pulumi.Input<string>;
  /** Octal file mode, e.g. `0600`. */
  readonly mode: string;
}

export interface K3sMachine {
  /** The node's id; it names the machine's Pulumi resources. */
  readonly name: string;
  readonly server: boolean;
  readonly ssh: SshAccess;
  /** config.yaml, registries.yaml, the token file and the install script, written as root. */
  readonly files: readonly MachineFile[];
  /** Runs as root once the files are written, e.g. `sh /usr/local/lib/kubestrata/install-k3s.sh`. */
  readonly install: string;
  /** Runs as root when the machine is removed from the stack, e.g. `/usr/local/bin/k3s-uninstall.sh`. @default - nothing: the machine keeps K3s */
  readonly uninstall?: string;
  /** What must exist before the machine can be reached, e.g. its instance. @default [] */
  readonly dependsOn?: readonly pulumi.Resource[];
}

export interface K3sBootstrapArgs {
  /** The machines in join order: the first server (cluster-init), the other servers, then the agents. */
  readonly machines: readonly K3sMachine[];
  /** The API server URL in the kubeconfig, as reachable from where `pulumi up` runs. @default `https://<first server's SSH host>:6443` */
  readonly apiServer?: pulumi.Input<string>;
  /** The name the API server certificate holds, when `apiServer` reaches it by another address. @default - the host of apiServer */
  readonly tlsServerName?: string;
  /** Where K3s writes the admin kubeconfig on servers. @default '/etc/rancher/k3s/k3s.yaml' */
  readonly kubeconfigPath?: string;
}

/**
 * Installs K3s over SSH in join order: the first server initialises embedded etcd, the other servers join one
 * after another, then the agents join together. Each machine's files and install command travel on standard
 * input as one secret script, so the token never lands in a command line or a log; the install runs again only
 * when that script changes. The kubeconfig is read from the first server and pointed at `apiServer`.
 */
export class K3sBootstrap extends pulumi.ComponentResource {
  /** The install command of each machine, by machine name. */
  readonly installs: ReadonlyMap<string, command.remote.Command>;
  /** Succeeds once the kubeconfig was read; everything on the cluster should depend on it. */
  readonly ready: command.remote.Command;
  /** Admin kubeconfig pointing at `apiServer` (secret). */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: K3sBootstrapArgs, opts: pulumi.ComponentResourceOptions = {}) {
    checkArgs(name, args);
    super('kubestrata:provision:K3sBootstrap', name, {}, opts);
    const child = { parent: this };
    const servers = args.machines.filter((m) => m.server);
    const agents = args.machines.filter((m) => !m.server);
    const installs = new Map<string, command.remote.Command>();
    let previous: command.remote.Command | undefined;
    for (const machine of [...servers, ...agents]) {
      const after = machine.server ? previous : installs.get(servers[servers.length - 1].name);
      const install = new command.remote.Command(
        `${name}/install/${machine.name}`,
        {
          connection: connection(machine.ssh),
          create: asRoot('sh -s'),
          update: asRoot('sh -s'),
          delete: machine.uninstall ? asRoot(`sh -c ${shellQuote(machine.uninstall)}`) : undefined,
          stdin: pulumi.secret(installScript(machine)),
          triggers: [machine.name, machine.server],
        },
        { ...child, dependsOn: [...(after ? [after] : []), ...(machine.dependsOn ?? [])] },
      );
      installs.set(machine.name, install);
      if (machine.server) previous = install;
    }
    this.installs = installs;

    const first = servers[0];
    const path = args.kubeconfigPath ?? '/etc/rancher/k3s/k3s.yaml';
    this.ready = new command.remote.Command(
      `${name}/kubeconfig`,
      {
        connection: connection(first.ssh),
        create: asRoot(`cat ${shellQuote(path)}`),
      },
      { ...child, dependsOn: [...installs.values()], additionalSecretOutputs: ['stdout'] },
    );
    const apiServer = pulumi.output(args.apiServer ?? pulumi.interpolate`https://${first.ssh.host}:6443`);
    this.kubeconfig = pulumi.secret(
      pulumi.all([this.ready.stdout, apiServer]).apply(([yaml, server]) => pointKubeconfigAt(yaml, server, args.tlsServerName)),
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

/** Runs `command` as root: directly when logged in as root, else through `sudo -n` (which must not ask for a password). */
function asRoot(command: string): string {
  return `if [ "$(id -u)" -eq 0 ]; then ${command}; else sudo -n ${command}; fi`;
}

function connection(ssh: SshAccess): command.types.input.remote.ConnectionArgs {
  return { host: ssh.host, user: ssh.user ?? 'root', port: ssh.port ?? 22, privateKey: pulumi.secret(pulumi.output(ssh.privateKey)) };
}

/**
 * The script a machine runs as root: wait until cloud-init has finished (it may be installing the same node from
 * user data), write the files, run the install command.
 */
function installScript(machine: K3sMachine): pulumi.Output<string> {
  return pulumi
    .all(machine.files.map((f) => f.content))
    .apply((contents) =>
      [
        'set -eu',
        'umask 077',
        'if command -v cloud-init >/dev/null 2>&1; then cloud-init status --wait >/dev/null 2>&1 || true; fi',
        ...[...new Set(machine.files.map((f) => f.path.replace(/\/[^/]*$/, '')))].map((d) => `mkdir -p ${shellQuote(d)}`),
        ...machine.files.map((f, i) => writeFileLine(f.path, contents[i], f.mode)),
        machine.install,
        '',
      ].join('\n'),
    );
}

function checkArgs(name: string, args: K3sBootstrapArgs): void {
  const problems = new Problems(name);
  problems.check(
    args.machines.some((m) => m.server),
    'machines',
    args.machines.map((m) => m.name),
    'has no server; the first server initialises the cluster',
    'mark one machine server: true',
  );
  args.machines.forEach((m, i) => {
    const earlier = args.machines.slice(0, i).find((o) => o.name === m.name);
    problems.check(
      !earlier,
      `machines[${i}].name`,
      m.name,
      'is the name of another machine; each names its own Pulumi resources',
      'give each machine its own name',
    );
    for (const file of m.files) {
      problems.check(
        /^\/[A-Za-z0-9._\/-]+$/.test(file.path),
        `machines[${i}].files`,
        file.path,
        'must be an absolute path of letters, digits and . _ - /',
      );
      problems.check(/^0[0-7]{3}$/.test(file.mode), `machines[${i}].files`, file.mode, 'must be an octal mode such as "0600"');
    }
  });
  problems.throwIfAny();
}
