/**
 * The timer alarm: a soft two-tone beep from WebAudio, repeated while a timer rings. Browsers only
 * let a page make sound after a user gesture, so `unlock()` runs on the Start click.
 */

const BEEP_EVERY_MS = 1_500;
const TONES_HZ = [880, 1175];
const TONE_SECONDS = 0.18;

export class AlarmSound {
  private context: AudioContext | null = null;
  private repeat: ReturnType<typeof setInterval> | null = null;

  /** Creates or resumes the audio context; call from a click or key press. */
  unlock(): void {
    if (typeof AudioContext === "undefined") return;
    this.context ??= new AudioContext();
    if (this.context.state === "suspended") void this.context.resume();
  }

  get ringing(): boolean {
    return this.repeat !== null;
  }

  start(): void {
    if (this.repeat !== null) return;
    this.beep();
    this.repeat = setInterval(() => {
      this.beep();
    }, BEEP_EVERY_MS);
  }

  stop(): void {
    if (this.repeat !== null) clearInterval(this.repeat);
    this.repeat = null;
  }

  private beep(): void {
    const context = this.context;
    if (context?.state !== "running") return;
    const start = context.currentTime;
    TONES_HZ.forEach((frequency, i) => {
      const at = start + i * (TONE_SECONDS + 0.05);
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      // Short attack and release so the beep does not click.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.25, at + 0.02);
      gain.gain.linearRampToValueAtTime(0, at + TONE_SECONDS);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + TONE_SECONDS);
    });
  }
}
