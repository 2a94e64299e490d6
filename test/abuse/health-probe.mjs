// Asks a gateway's /healthz every 20 ms, from a process of its own so that the attacker's work in
// the test process cannot delay the asking, until SIGTERM; then prints the answer times in ms as
// JSON (a failed request counts as endless, written null) and exits. The origin is argv[2]; with a
// count in argv[3], it stops by itself after that many answers.
const origin = process.argv[2];
const count = Number(process.argv[3] ?? Infinity);
/** @type {number[]} */
const times = [];
let running = true;
process.once('SIGTERM', () => (running = false));
// One request first, not counted: a process's first fetch loads the HTTP client (100–300 ms).
await fetch(`${origin}/healthz`).then((response) => response.arrayBuffer(), () => {});
process.stdout.write('asking\n');
while (running && times.length < count) {
  const started = performance.now();
  const answered = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(30_000) }).then(
    async (response) => (await response.arrayBuffer(), response.ok),
    () => false,
  );
  times.push(answered ? performance.now() - started : Infinity);
  // The rate of asking (a sample every 20 ms or so), not a wait for anything to happen.
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`${JSON.stringify(times)}\n`, () => process.exit(0));
