// A React 19 app using the widgets: properties (`tokenProvider`, `limit`),
// events (`ongym-connection-change`, `ongym-checkin-result`) and React state.
// theme="auto": site.css follows the visitor's OS colour scheme, so the widgets do too.
import 'gym-realtime-widgets';
import type {} from 'gym-realtime-widgets/react-jsx';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

/** The app signs in its own way; here, the demo's token endpoint (`{ "access": "…" }`). */
const tokenProvider = async (): Promise<string> => ((await (await fetch('/demo/token')).json()) as { access: string }).access;

function App() {
  const [connection, setConnection] = useState('idle');
  const [result, setResult] = useState('No check-in yet');
  return (
    <section className="panel">
      <h1>React 19 host</h1>
      <p>
        Connection (from <code>gym-connection-change</code>): <strong data-testid="connection">{connection}</strong>
      </p>
      <gym-realtime-provider theme="auto" url="/ws/checkins/" history-url="/api/checkins/recent/" tokenProvider={tokenProvider} ongym-connection-change={(event) => setConnection(event.detail.state)}>
        <div className="panel-head">
          <h2>Live at the gym</h2>
          <gym-connection-status />
        </div>
        <gym-checkin-stats />
        <gym-checkin-form
          location="React desk"
          ongym-checkin-result={(event) => setResult(`${event.detail.status}: ${event.detail.checkIn?.member.full_name ?? event.detail.message ?? ''}`)}
        />
        <p>
          Last result (from <code>gym-checkin-result</code>): <strong data-testid="result">{result}</strong>
        </p>
        <gym-checkin-feed limit={3} />
      </gym-realtime-provider>
    </section>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
