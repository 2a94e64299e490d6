// A Vue 3 app using the widgets with render functions: properties
// (`tokenProvider`, `limit`), events (`onGymConnectionChange` listens to
// `gym-connection-change`) and reactive state. theme: 'auto': site.css follows
// the visitor's OS colour scheme, so the widgets do too.
import 'gym-realtime-widgets';
import type { GymCheckinResultEvent, GymConnectionChangeEvent } from 'gym-realtime-widgets';
import { createApp, h, ref } from 'vue';

/** The app signs in its own way; here, the demo's token endpoint (`{ "access": "…" }`). */
const tokenProvider = async (): Promise<string> => ((await (await fetch('/demo/token')).json()) as { access: string }).access;

createApp({
  setup() {
    const connection = ref('idle');
    const result = ref('No check-in yet');
    return () =>
      h('section', { class: 'panel' }, [
        h('h1', 'Vue 3 host'),
        h('p', ['Connection (from ', h('code', 'gym-connection-change'), '): ', h('strong', { 'data-testid': 'connection' }, connection.value)]),
        h(
          'gym-realtime-provider',
          {
            theme: 'auto',
            url: '/ws/checkins/',
            'history-url': '/api/checkins/recent/',
            tokenProvider,
            onGymConnectionChange: (event: GymConnectionChangeEvent) => (connection.value = event.detail.state),
          },
          [
            h('div', { class: 'panel-head' }, [h('h2', 'Live at the gym'), h('gym-connection-status')]),
            h('gym-checkin-stats'),
            h('gym-checkin-form', {
              location: 'Vue desk',
              onGymCheckinResult: (event: GymCheckinResultEvent) =>
                (result.value = `${event.detail.status}: ${event.detail.checkIn?.member.full_name ?? event.detail.message ?? ''}`),
            }),
            h('p', ['Last result (from ', h('code', 'gym-checkin-result'), '): ', h('strong', { 'data-testid': 'result' }, result.value)]),
            h('gym-checkin-feed', { limit: 3 }),
          ],
        ),
      ]);
  },
}).mount('#app');
