// The classic single-file CDN script: every element, the core, Lit and the data-gym-widget upgrade.
import '../../src/cdn-classic.ts';
