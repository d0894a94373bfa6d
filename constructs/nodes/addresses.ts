/** The IP address helpers live in lib/core so that the platform's network policies can use them too. */
export * from '../../lib/core/addresses';
