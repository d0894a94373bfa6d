import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import { Problems } from '../../core/errors';
import { isDuration, parseDuration } from '../duration';
import { pointKubeconfigAt } from './kubeconfig';
import { retryLines, shellScript } from './shell';

/** One Talos machine as the deployment reaches it. */
export interface TalosMachine {
  /** The node's id; it names the machine's Pulumi resources. */
  readonly name: string;
  readonly controlPlane: boolean;
  /** Where talosctl reaches the configured machine's API (port 50000): its node address, or a public address. */
  readonly endpoint: pulumi.Input<string>;
  /** Where the machine waits in maintenance mode for its first config, e.g. the address DHCP gave the installer. @default endpoint */
  readonly maintenanceEndpoint?: pulumi.Input<string>;
  /** What must exist before the machine can be reached, e.g. its instance. @default [] */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** How a machine gets its first config: `talosctl apply-config --insecure` in maintenance mode, or cloud user data at boot. */
export type TalosConfigDelivery = 'apply' | 'user-data';

export interface TalosBootstrapArgs {
  readonly clusterName: string;
  /** The Kubernetes API endpoint of the machine configs, e.g. `https://192.168.100.10:6443`. */
  readonly endpoint: string;
  /** The machines; the first control-plane machine is bootstrapped. */
  readonly machines: readonly TalosMachine[];
  /**
   * The complete machine config of one machine (`talosctl apply-config` YAML), from the secrets bundle YAML. It is
   * called while deploying, with the bundle in memory; its result is kept as a secret.
   */
  readonly machineConfig: (machine: string, secretsYaml: string) => string;
  /** @default 'apply' */
  readonly delivery?: TalosConfigDelivery;
  /** The secrets bundle (`secrets.yaml` of `talosctl gen secrets`), e.g. from `pulumi config set --secret`. @default - generated once by talosctl and kept in the stack state as a secret */
  readonly secrets?: pulumi.Input<string>;
  /**
   * Installer image to upgrade each machine to once it runs, for machines booted from a stock image that lacks the
   * schematic's extensions (the official AWS AMIs). @default - none: the machine installs from its config
   */
  readonly installerImage?: string;
  /** Wipe a machine (`talosctl reset`, leaving etcd and draining first) when it is removed from the stack. @default false */
  readonly resetOnDelete?: boolean;
  /** The talosctl binary on the machine that runs `pulumi up`. @default 'talosctl' */
  readonly talosctl?: string;
  /** How long one step may wait for a machine or the Kubernetes API. @default '20m' */
  readonly timeout?: string;
  /** The API server URL in the kubeconfig, as reachable from where `pulumi up` runs. @default endpoint */
  readonly apiServer?: pulumi.Input<string>;
  /** The name the API server certificate holds, when `apiServer` reaches it by another address. @default - the host of apiServer */
  readonly tlsServerName?: string;
}

const IMAGE = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+:[A-Za-z0-9._+-]+$/;

/**
 * Brings Talos machines up with `talosctl` on the machine that runs `pulumi up`: the secrets bundle is generated
 * once, each machine gets its complete config, the first control plane is bootstrapped, and the kubeconfig is
 * read once the API answers. Every step follows the one before it; a step runs again only when its inputs change,
 * and changed configs are applied through the authenticated API, never by wiping a machine.
 */
export class TalosBootstrap extends pulumi.ComponentResource {
  /** The secrets bundle YAML (secret). */
  readonly secrets: pulumi.Output<string>;
  /** talosctl client config for the cluster (secret). */
  readonly talosconfig: pulumi.Output<string>;
  /** Admin kubeconfig pointing at `apiServer` (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** The last command of each machine, by machine name. */
  readonly machineSteps: ReadonlyMap<string, command.local.Command>;
  readonly bootstrap: command.local.Command;
  /** Succeeds once the Kubernetes API answers; everything on the cluster should depend on it. */
  readonly ready: command.local.Command;

  constructor(name: string, args: TalosBootstrapArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const timeout = args.timeout ?? '20m';
    const delivery = args.delivery ?? 'apply';
    checkArgs(name, args, timeout, delivery);
    super('kubestrata:provision:TalosBootstrap', name, {}, opts);
    const first = args.machines.find((m) => m.controlPlane)!;
    const base = { TALOSCTL: args.talosctl ?? 'talosctl', TIMEOUT: String(parseDuration(timeout)) };
    const child = { parent: this };

    this.secrets =
      args.secrets === undefined
        ? generateTalosSecrets(`${name}/secrets`, base.TALOSCTL, child)
        : pulumi.secret(pulumi.output(args.secrets));

    const endpoints = pulumi.all(args.machines.filter((m) => m.controlPlane).map((m) => m.endpoint)).apply((list) => list.join(' '));
    const talosconfig = new command.local.Command(
      `${name}/talosconfig`,
      {
        create: shellScript([
          'cat > "$dir/secrets.yaml"',
          '"$TALOSCTL" gen config "$CLUSTER_NAME" "$CLUSTER_ENDPOINT" --with-secrets "$dir/secrets.yaml" --output-types talosconfig --output "$dir/talosconfig" >/dev/null',
          '# shellcheck disable=SC2086 # one argument per endpoint',
          '"$TALOSCTL" --talosconfig "$dir/talosconfig" config endpoint $ENDPOINTS >/dev/null',
          'cat "$dir/talosconfig"',
        ]),
        stdin: this.secrets,
        environment: { ...base, CLUSTER_NAME: args.clusterName, CLUSTER_ENDPOINT: args.endpoint, ENDPOINTS: endpoints },
      },
      { ...child, additionalSecretOutputs: ['stdout'] },
    );
    this.talosconfig = pulumi.secret(talosconfig.stdout);

    const authenticated = (node: pulumi.Input<string>) => ({ ...base, TALOSCONFIG_DATA: this.talosconfig, NODE: node });
    const writeTalosconfig = `printf '%s' "$TALOSCONFIG_DATA" > "$dir/talosconfig"`;
    const talosctl = '"$TALOSCTL" --talosconfig "$dir/talosconfig" --nodes "$NODE" --endpoints "$NODE"';
    const applyAuthenticated = shellScript([
      'cat > "$dir/config.yaml"',
      writeTalosconfig,
      ...retryLines('applying the machine config', `${talosctl} apply-config --file "$dir/config.yaml"`),
    ]);
    const steps = new Map<string, command.local.Command>();
    for (const machine of args.machines) {
      const config = this.secrets.apply((yaml) => args.machineConfig(machine.name, yaml));
      const create =
        delivery === 'apply'
          ? shellScript([
              'cat > "$dir/config.yaml"',
              ...retryLines(
                'applying the first machine config in maintenance mode',
                '"$TALOSCTL" apply-config --insecure --nodes "$MAINTENANCE" --file "$dir/config.yaml"',
              ),
            ])
          : shellScript([
              'cat >/dev/null',
              writeTalosconfig,
              ...retryLines('waiting for the machine to boot with its config', `${talosctl} version >/dev/null 2>&1`),
            ]);
      let last = new command.local.Command(
        `${name}/apply/${machine.name}`,
        {
          create,
          update: applyAuthenticated,
          delete: args.resetOnDelete ? shellScript([writeTalosconfig, `${talosctl} reset --reboot`]) : undefined,
          stdin: pulumi.secret(config),
          environment: { ...authenticated(machine.endpoint), MAINTENANCE: machine.maintenanceEndpoint ?? machine.endpoint },
          triggers: [machine.name, machine.controlPlane],
        },
        { ...child, dependsOn: [talosconfig, ...(machine.dependsOn ?? [])] },
      );
      if (args.installerImage) {
        last = new command.local.Command(
          `${name}/install/${machine.name}`,
          {
            create: shellScript([
              writeTalosconfig,
              ...retryLines('upgrading to the installer image', `${talosctl} upgrade --image "$IMAGE"`),
            ]),
            environment: { ...authenticated(machine.endpoint), IMAGE: args.installerImage },
            triggers: [args.installerImage],
          },
          { ...child, dependsOn: [last] },
        );
      }
      steps.set(machine.name, last);
    }
    this.machineSteps = steps;

    const bootstrapScript = shellScript([
      writeTalosconfig,
      ...retryLines(
        'bootstrapping etcd',
        `{ out=$(${talosctl} bootstrap 2>&1) || case "$out" in *AlreadyExists*) true ;; *) echo "$out" >&2; false ;; esac; }`,
      ),
    ]);
    this.bootstrap = new command.local.Command(
      `${name}/bootstrap`,
      {
        create: bootstrapScript,
        update: bootstrapScript,
        environment: authenticated(first.endpoint),
        triggers: [args.clusterName],
      },
      { ...child, dependsOn: args.machines.filter((m) => m.controlPlane).map((m) => steps.get(m.name)!) },
    );

    const apiServer = pulumi.output(args.apiServer ?? args.endpoint);
    this.ready = new command.local.Command(
      `${name}/kubeconfig`,
      {
        create: shellScript([
          writeTalosconfig,
          ...retryLines('reading the kubeconfig', `${talosctl} kubeconfig --force "$dir/kubeconfig" >/dev/null 2>&1`),
          ...retryLines(
            'waiting for the Kubernetes API',
            `[ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$API_SERVER/version")" != 000 ]`,
          ),
          'cat "$dir/kubeconfig"',
        ]),
        environment: { ...authenticated(first.endpoint), API_SERVER: apiServer },
      },
      { ...child, dependsOn: [this.bootstrap, ...steps.values()], additionalSecretOutputs: ['stdout'] },
    );
    this.kubeconfig = pulumi.secret(
      pulumi.all([this.ready.stdout, apiServer]).apply(([yaml, server]) => pointKubeconfigAt(yaml, server, args.tlsServerName)),
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig, talosconfig: this.talosconfig });
  }
}

/**
 * A Talos secrets bundle made once by `talosctl gen secrets` and kept in the stack state as a secret: later runs,
 * and later versions of this command, never make another.
 */
export function generateTalosSecrets(name: string, talosctl = 'talosctl', opts: pulumi.CustomResourceOptions = {}): pulumi.Output<string> {
  const generated = new command.local.Command(
    name,
    {
      create: shellScript(['"$TALOSCTL" gen secrets --output-file "$dir/secrets.yaml" >/dev/null', 'cat "$dir/secrets.yaml"']),
      environment: { TALOSCTL: talosctl },
    },
    { ...opts, additionalSecretOutputs: ['stdout'], ignoreChanges: ['create', 'environment'] },
  );
  return pulumi.secret(generated.stdout);
}

function checkArgs(name: string, args: TalosBootstrapArgs, timeout: string, delivery: TalosConfigDelivery): void {
  const problems = new Problems(name);
  problems.check(
    args.machines.some((m) => m.controlPlane),
    'machines',
    args.machines.map((m) => m.name),
    'has no control-plane machine to bootstrap',
    'mark one machine controlPlane: true',
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
  });
  problems.check(
    /^https:\/\/\S+:\d+$/.test(args.endpoint),
    'endpoint',
    args.endpoint,
    'must be an https URL with a port',
    'write it like "https://192.168.100.10:6443"',
  );
  problems.check(isDuration(timeout), 'timeout', timeout, 'must be a duration such as 20m or 1h');
  problems.check(delivery === 'apply' || delivery === 'user-data', 'delivery', delivery, 'must be "apply" or "user-data"');
  if (args.installerImage !== undefined) {
    problems.check(
      IMAGE.test(args.installerImage) && !args.installerImage.endsWith(':latest'),
      'installerImage',
      args.installerImage,
      'must be an image reference with a registry and a pinned tag (not latest)',
    );
  }
  problems.throwIfAny();
}
