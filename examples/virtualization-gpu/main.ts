import { App } from 'cdk8s';
import { gpuResources, Hami, Platform, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
// A single machine as Olares runs it: K3s delivers the charts, HAMi shares the GPU.
const platform = new Platform(app, 'platform', { delivery: 'k3s', kubernetesVersion: '1.33' });
new Hami(platform, { createRuntimeClass: false });

const ai = new Tenant(platform, 'ai');

function inference(name: string, resources: { limits: Readonly<Record<string, string>> }): void {
  ai.namespaced(name, 'apps/v1', 'Deployment', name, {
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          runtimeClassName: 'nvidia',
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'server',
              image: 'docker.io/vllm/vllm-openai:v0.11.0',
              resources: { limits: { cpu: '4', memory: '16Gi', ...resources.limits }, requests: { cpu: '1', memory: '16Gi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  });
}

// Two small models share one card; a large one gets a whole GPU.
inference('embeddings', gpuResources(ai, { mode: 'shared', memory: '6Gi', cores: 30 }));
inference('reranker', gpuResources(ai, { mode: 'shared', memoryPercent: 25 }));
inference('chat', gpuResources(ai, { mode: 'exclusive' }));

platform.synth();
