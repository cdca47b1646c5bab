// A QR scanner for an address field (the guardian's "Add a ward"; docs/app.md, "Reading an
// address from a QR code"): "Scan with the camera" shows the camera's picture and reads it
// four times a second until a code is found (getUserMedia, the back camera where there is
// one; the stream is stopped when a code is read, on Stop, and when the screen changes), or
// "Read a photo of the code" reads a picture file. Nothing leaves the browser: the frames are
// decoded in the page (qr-scan.ts). Failures are said in words next to the controls.

import { h } from "../dom";
import { t, type Key } from "../i18n";
import { decodeQr } from "../qr-scan";

type Problem = "qr.error.denied" | "qr.error.noCamera" | "qr.error.camera" | "qr.error.notFound" | "qr.error.picture" | Key;

interface Scanner {
  stream: MediaStream | null;
  timer: ReturnType<typeof setInterval> | undefined;
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
  problem: Problem | null;
}

const scanners = new Map<string, Scanner>();

function scannerOf(id: string): Scanner {
  let s = scanners.get(id);
  if (!s) {
    const video = h("video", { id: `${id}-video`, class: "qr-video", playsinline: "", muted: "", "aria-label": t("qr.video") }) as HTMLVideoElement;
    video.muted = true;
    s = { stream: null, timer: undefined, video, canvas: document.createElement("canvas"), problem: null };
    scanners.set(id, s);
  }
  return s;
}

function stop(s: Scanner): void {
  clearInterval(s.timer);
  s.timer = undefined;
  for (const track of s.stream?.getTracks() ?? []) track.stop();
  s.stream = null;
  s.video.srcObject = null;
}

window.addEventListener("hashchange", () => scanners.forEach(stop));

/** The text of a code in what `source` shows now (a video frame or a picture), if any. */
function read(s: Scanner, source: CanvasImageSource, width: number, height: number): string | null {
  if (width === 0 || height === 0) return null;
  s.canvas.width = width;
  s.canvas.height = height;
  const context = s.canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, width, height);
  return decodeQr(context.getImageData(0, 0, width, height).data, width, height);
}

/**
 * The scanner's controls for the field `id`. `onText` gets a code's text and returns a problem
 * key when it is not what the field wants (the scanner says it and keeps its camera off).
 */
export function qrScanner(id: string, onText: (text: string) => Key | null, rerender: () => void): HTMLElement {
  const s = scannerOf(id);
  const found = (text: string) => {
    stop(s);
    s.problem = onText(text);
    rerender();
  };
  const start = async () => {
    s.problem = null;
    if (!navigator.mediaDevices?.getUserMedia) {
      s.problem = "qr.error.noCamera";
      rerender();
      return;
    }
    try {
      s.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      const name = e instanceof DOMException ? e.name : "";
      s.problem = name === "NotAllowedError" || name === "SecurityError" ? "qr.error.denied" : name === "NotFoundError" || name === "OverconstrainedError" ? "qr.error.noCamera" : "qr.error.camera";
      rerender();
      return;
    }
    s.video.srcObject = s.stream;
    rerender();
    try {
      await s.video.play();
    } catch {
      // Autoplay of a muted inline video is allowed; frames are read when they come.
    }
    s.timer = setInterval(() => {
      const text = read(s, s.video, s.video.videoWidth, s.video.videoHeight);
      if (text !== null) found(text);
    }, 250);
  };
  const photo = h("input", { type: "file", accept: "image/*", id: `${id}-photo`, class: "visually-hidden" }) as HTMLInputElement;
  photo.addEventListener("change", async () => {
    const file = photo.files?.[0];
    photo.value = "";
    if (!file) return;
    stop(s);
    try {
      const bitmap = await createImageBitmap(file);
      const text = read(s, bitmap, bitmap.width, bitmap.height);
      bitmap.close();
      if (text === null) {
        s.problem = "qr.error.notFound";
        rerender();
      } else {
        found(text);
      }
    } catch {
      s.problem = "qr.error.picture";
      rerender();
    }
  });
  const scanning = s.stream !== null;
  return h(
    "div",
    { class: "qr-scanner", id: `${id}-scanner`, "data-scanning": scanning ? "true" : "false" },
    h(
      "div",
      { class: "buttons" },
      scanning
        ? h("button", { type: "button", id: `${id}-stop`, onclick: () => (stop(s), rerender()) }, t("qr.stop"))
        : h("button", { type: "button", id: `${id}-scan`, onclick: () => void start() }, t("qr.scan")),
      photo,
      h("label", { for: `${id}-photo`, class: "button-like" }, t("qr.photo")),
    ),
    scanning ? h("div", { class: "qr-video-box" }, s.video) : null,
    s.problem ? h("p", { class: "field-error", id: `${id}-scan-error`, role: "alert" }, t(s.problem as Key)) : null,
  );
}
