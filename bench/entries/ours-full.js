// The single-file CDN bundle: every element, the core, Lit and the data-gym-widget upgrade.
import '../../src/cdn.ts';
