/** This package's version (semver); `npm test` checks it against package.json. */
export const VERSION = '0.1.0';
