import { ConfigurationError } from '../../../lib/core/errors';
import { Platform, PlatformProps } from '../../../lib/core/platform';
import { newPlatform } from '../../helpers';

/** The message of the ConfigurationError that `create` throws on a new platform, or of rendering the platform. */
export function messageOf(create: (platform: Platform) => unknown, platformProps?: PlatformProps): string {
  const platform = newPlatform(platformProps);
  try {
    create(platform);
    platform.render();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}
