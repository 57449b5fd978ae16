"""Connection setup from headless Chromium: a tiny page runs the browser's session flow.

The page is served by signaling itself (its `FRONTEND_DIR`), so requests are same-origin like
the real frontend's. It follows frontend/src/session/attempt.ts: create the session, a peer
connection with the fake microphone and the `events` channel, the offer, trickled candidates
in order, the answer, one `GET .../ice`; "connected" is ICE and DTLS up and the channel open.
Playwright drives Debian's Chromium (never `playwright install`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from .settings import BenchSettings

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A fake microphone: with microphone permission Chromium offers real host candidates
    # (without it they are hidden behind mDNS names), as on the real page after "Start".
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]

PAGE = """<!doctype html>
<meta charset="utf-8"><title>Sous connection benchmark</title>
<script>
const json = { "content-type": "application/json" };
const since = (t0) => performance.now() - t0;

async function connectOnce(microphone, timeoutMs) {
  const t0 = performance.now();
  const times = {};
  const created = await fetch("/api/sessions", { method: "POST" });
  if (!created.ok) throw new Error("create session: " + created.status);
  const session = await created.json();
  const base = "/api/sessions/" + session.session_id;
  times.session_created_ms = since(t0);
  const peer = new RTCPeerConnection({ iceServers: session.ice_servers });
  for (const track of microphone.getAudioTracks()) peer.addTrack(track, microphone);
  const channel = peer.createDataChannel("events", { ordered: true });
  let rejected = 0;
  let queue = Promise.resolve();
  const posted = new Set();
  peer.onicecandidate = (event) => {
    const init = {
      candidate: event.candidate ? event.candidate.candidate : "",
      sdpMid: event.candidate?.sdpMid ?? "0",
      sdpMLineIndex: event.candidate?.sdpMLineIndex ?? 0,
    };
    if (posted.has(init.candidate)) return;
    posted.add(init.candidate);
    queue = queue.then(async () => {
      const body = JSON.stringify(init);
      const r = await fetch(base + "/ice", { method: "POST", headers: json, body });
      if (!r.ok) rejected += 1;
    });
  };
  const connected = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("not connected in time")), timeoutMs);
    const check = () => {
      const ice = peer.iceConnectionState;
      if (times.ice_connected_ms === undefined && (ice === "connected" || ice === "completed"))
        times.ice_connected_ms = since(t0);
      if (times.dtls_connected_ms === undefined && peer.connectionState === "connected")
        times.dtls_connected_ms = since(t0);
      if (times.channel_open_ms === undefined && channel.readyState === "open")
        times.channel_open_ms = since(t0);
      if (peer.connectionState === "failed") {
        clearTimeout(timer);
        reject(new Error("ICE failed"));
      }
      if (times.ice_connected_ms !== undefined && times.dtls_connected_ms !== undefined &&
          times.channel_open_ms !== undefined) { clearTimeout(timer); resolve(); }
    };
    peer.oniceconnectionstatechange = check;
    peer.onconnectionstatechange = check;
    channel.onopen = check;
  });
  await peer.setLocalDescription(await peer.createOffer());
  times.offer_sent_ms = since(t0);
  const answered = await fetch(base + "/offer", {
    method: "POST", headers: json,
    body: JSON.stringify({ sdp: peer.localDescription.sdp, type: "offer" }),
  });
  if (!answered.ok) throw new Error("offer: " + answered.status);
  await peer.setRemoteDescription(await answered.json());
  times.answered_ms = since(t0);
  const agentCandidates = fetch(base + "/ice");
  try {
    await connected;
  } finally {
    await agentCandidates;
    await queue;
    channel.close();
    peer.close();
    await fetch(base, { method: "DELETE" });
  }
  times.rejected_candidates = rejected;
  return times;
}

window.benchConnect = async (runs, timeoutMs) => {
  const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await connectOnce(microphone, timeoutMs));
  for (const track of microphone.getTracks()) track.stop();
  return results;
};
</script>
"""


def write_page(directory: Path) -> Path:
    """Write the page as `index.html` in `directory` (signaling's FRONTEND_DIR)."""
    directory.mkdir(parents=True, exist_ok=True)
    page = directory / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


async def connect_runs(base_url: str, runs: int, settings: BenchSettings) -> list[dict[str, Any]]:
    """`runs` sequential connections from one page; milliseconds from the first request."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(settings.chromium_path), headless=True, args=FLAGS
        )
        try:
            page = await browser.new_page()
            await page.goto(f"{base_url}/")
            timeout_ms = settings.connect_timeout_seconds * 1000
            results = await page.evaluate(
                "([runs, timeoutMs]) => window.benchConnect(runs, timeoutMs)", [runs, timeout_ms]
            )
        finally:
            await browser.close()
    return list(results)
