// Mocha hooks that give a describe block its own control plane: call `useControlPlane()` inside
// `describe`, then read the plane through the returned getter inside tests.
import { startControlPlane, type ControlPlane, type StartOptions } from '../control-plane/control-plane.ts';
import { ensureTool, type ToolName } from '../control-plane/tools.ts';

/** A cold build of every tool takes many minutes on two busy cores; a warm one is instant. */
export const TOOL_BUILD_TIMEOUT_MS = 60 * 60 * 1000;
export const START_TIMEOUT_MS = 4 * 60 * 1000;

/** Builds (or finds) the tools in a hook of its own, so that its long timeout stays separate. */
export function useTools(names: readonly ToolName[] = ['etcd', 'kube-apiserver', 'kubectl']): void {
  before(async function () {
    this.timeout(TOOL_BUILD_TIMEOUT_MS);
    for (const name of names) await ensureTool(name);
  });
}

/** Starts one control plane before the block's tests and stops it after them. */
export function useControlPlane(options: StartOptions = {}): () => ControlPlane {
  let plane: ControlPlane | undefined;
  useTools();
  before(async function () {
    this.timeout(START_TIMEOUT_MS);
    plane = await startControlPlane(options);
  });
  after(async function () {
    this.timeout(60_000);
    await plane?.stop();
  });
  return () => {
    if (plane === undefined) throw new Error('the control plane is not running (did its before hook fail?)');
    return plane;
  };
}
