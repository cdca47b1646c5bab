// Opening a pseudonym's timeline on the patient screen (#/patient) from another screen: the
// emergency alert's "See the timeline" (views/emergency/region.ts) and a ward's "See …'s
// history" (views/consents/wards.ts). Both are links to #/patient whose click calls
// `showTimeline` first; the patient screen (views/patient/live.ts) registers what that does:
// the pseudonym added to its form and read, the focus on the timeline.

let handler: (address: string) => void = () => {};

/** The patient screen's part: load the pseudonym `address` (set once, by views/patient/live.ts). */
export function onShowTimeline(show: (address: string) => void): void {
  handler = show;
}

/** Asks the patient screen to show the timeline of `address` (on a link's click, before the hash changes). */
export function showTimeline(address: string): void {
  handler(address);
}
