// Seeds the dev node once for every browser test file (vitest's globalSetup): the files read
// the result with `inject("seeded")`. A file that needs more data seeds it in its own beforeAll
// with the helpers exported by seed.ts, on top of this.

import type { TestProject } from "vitest/node";
import { seed, type Seeded } from "./seed";

declare module "vitest" {
  export interface ProvidedContext {
    seeded: Seeded;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const node = process.env.MEDCHAIN_NODE_WS ?? "ws://127.0.0.1:9944";
  const seeded = await seed(node, (line) => console.log(`seed: ${line}`));
  project.provide("seeded", seeded);
}
