// What a typical website page uses: the provider, the status, the figures and the feed (and the
// data-gym-widget upgrade), without the form or the error boundary. Measured against the whole
// kit to decide whether lazily loaded element chunks would be worth an extra request.
import '../../src/elements/realtime-provider/realtime-provider.ts';
import '../../src/elements/connection-status/connection-status.ts';
import '../../src/elements/checkin-stats/checkin-stats.ts';
import '../../src/elements/checkin-feed/checkin-feed.ts';
import { watchWidgets } from '../../src/upgrade.ts';

watchWidgets();
