// The control panel's buttons: each POSTs to the local gym server's /control/ endpoints.
const result = document.getElementById('result');

document.querySelector('.controls')?.addEventListener('click', async (event) => {
  const button = event.target instanceof HTMLElement ? event.target.closest('button[data-action]') : null;
  if (!(button instanceof HTMLButtonElement) || !result) return;
  const { action, ...params } = button.dataset;
  const query = new URLSearchParams(/** @type {Record<string, string>} */ (params));
  button.disabled = true;
  try {
    const response = await fetch(`/control/${action}?${query}`, { method: 'POST' });
    const body = await response.json();
    result.textContent = `${button.textContent}: ${response.ok ? 'done' : (body.error ?? `failed (${response.status})`)}`;
  } catch {
    result.textContent = `${button.textContent}: the server did not answer`;
  } finally {
    button.disabled = false;
  }
});
