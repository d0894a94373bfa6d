/**
 * The architecture: imports point one way, stacks/ and examples/ → constructs/ → lib/, with lib/core at the bottom.
 * lib/pulumi (deployment, provisioning) and lib/cli (the command) are the outer adapters of lib: they may read the
 * constructs they deploy, but no construct may need them, so a plain cdk8s user never loads Pulumi.
 * `npm run arch` checks this tree; a violation names the importing file and the import.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-the-bottom',
      comment:
        'lib/core is the component model at the bottom: it knows no concrete component, delivery, validation, deployment or command.',
      severity: 'error',
      from: { path: '^lib/core/' },
      to: { path: '^(constructs|stacks|examples|lib)/', pathNot: '^lib/core/' },
    },
    {
      name: 'constructs-need-no-pulumi',
      comment: 'Constructs must work for a plain cdk8s user with no Pulumi installed; Pulumi components live in lib/pulumi.',
      severity: 'error',
      from: { path: '^constructs/' },
      to: { path: '(^|/)node_modules/@pulumi/|^(lib/pulumi|lib/cli|stacks|examples)/' },
    },
    {
      name: 'validation-knows-no-construct',
      comment: 'lib/validate checks objects and files; it never depends on the constructs that produce them.',
      severity: 'error',
      from: { path: '^lib/validate/' },
      to: { path: '^(constructs|stacks|examples|lib/(pulumi|cli))/' },
    },
    {
      name: 'lib-knows-no-stack',
      comment: 'The reference stacks and examples use the library, never the other way round.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(stacks|examples)/' },
    },
    {
      name: 'testing-loads-pulumi-when-called',
      comment:
        'kubestrata/testing loads without the optional @pulumi/* peers: its Pulumi harness imports them and lib/pulumi dynamically, when called.',
      severity: 'error',
      from: { path: '^lib/testing/' },
      to: { path: '(^|/)node_modules/@pulumi/|^lib/pulumi/', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'testing-uses-core-and-validation',
      comment:
        'kubestrata/testing checks what users build with core, validation and (when called) deployment; it needs no construct or command.',
      severity: 'error',
      from: { path: '^lib/testing/' },
      to: { path: '^(constructs|stacks|examples|lib)/', pathNot: '^lib/(testing|core|validate|pulumi)/' },
    },
    {
      name: 'nothing-needs-testing',
      comment: "kubestrata/testing is for users' tests: the library, its constructs and its command never import it.",
      severity: 'error',
      from: { path: '^(index\\.ts$|lib/|constructs/|stacks/|examples/)', pathNot: '^lib/testing/' },
      to: { path: '^lib/testing/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other at run time cannot be understood or loaded one at a time; type-only imports are erased.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
