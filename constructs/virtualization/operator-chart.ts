import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { HelmChartSource } from '../../lib/releases/chart';

const VERSION = /^\d+\.\d+\.\d+$/;

/**
 * The chart of an operator that upstream ships only as a release manifest. There is no upstream chart to default
 * to, so leaving it out is an error that says what the chart must contain.
 */
export function operatorChart(
  platform: Platform,
  id: string,
  component: string,
  chart: HelmChartSource | undefined,
  version: string,
  manifest: string,
): HelmChartSource {
  const problems = Problems.of(platform.layer('virtualization'), id);
  problems.check(VERSION.test(version), 'version', version, 'must be an exact release such as "1.8.4" (without "v")');
  problems.check(
    chart !== undefined,
    'chart',
    chart,
    `is required: ${component} publishes its operator as the release manifest ${manifest}, not as a Helm chart`,
    `pass { repository, chart, version } of a chart that packages ${manifest} of v${version} without its Namespace, as Cozystack's packages/system does`,
  );
  problems.throwIfAny();
  return chart!;
}
