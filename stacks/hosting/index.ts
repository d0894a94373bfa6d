import { pulumiStackConfig } from '../../lib/pulumi/provision/stack-config';
import { namespace, program } from './program';

export = program(pulumiStackConfig(namespace));
