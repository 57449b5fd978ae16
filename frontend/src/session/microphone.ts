/** The cook's microphone, with the browser's echo cancellation and noise suppression on. */

export const microphoneConstraints: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: false,
};

/**
 * Asks for the microphone. Rejects with a `NotSupportedError` when the page cannot do voice at
 * all (no WebRTC, or an insecure origin where browsers hide `mediaDevices`).
 */
export async function acquireMicrophone(): Promise<MediaStream> {
  const mediaDevices = navigator.mediaDevices as MediaDevices | undefined;
  if (typeof RTCPeerConnection === "undefined" || mediaDevices === undefined) {
    throw new DOMException(
      window.isSecureContext ? "this browser has no WebRTC" : "the page is not https or localhost",
      "NotSupportedError",
    );
  }
  return mediaDevices.getUserMedia(microphoneConstraints);
}

export function releaseMicrophone(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
