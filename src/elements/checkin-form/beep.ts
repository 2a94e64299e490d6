let context: AudioContext | undefined;

/**
 * A short tone through Web Audio (no sound files): high when done, low when
 * something needs a look. Silent where audio is unavailable or blocked.
 */
export function beep(ok: boolean): void {
  try {
    context = context instanceof AudioContext ? context : new AudioContext();
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.frequency.value = ok ? 880 : 220;
    gain.gain.value = 0.1;
    tone.connect(gain).connect(context.destination);
    tone.start();
    tone.stop(context.currentTime + (ok ? 0.1 : 0.3));
  } catch {
    // No audio here: the line on screen says it all.
  }
}
