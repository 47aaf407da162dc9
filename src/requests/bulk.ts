/**
 * Actions on many requests at once, from the console's list: assign (or unassign), extend the deadline with a reason,
 * or record that staff verified the people by hand. Each request is tried on its own: one that cannot be changed (a
 * deadline already extended, a request verified already) is reported, and the others go ahead.
 */
import type { Principal } from "../auth/index.js";
import { RequestError, type RequestsContext } from "./model.js";
import { extendDeadline, getRequest, verifyByStaff } from "./service.js";
import { assignRequests } from "./workbench.js";

export const BULK_ACTIONS = ["assign", "unassign", "extend", "verify"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/**
 * Checks an action on many requests before it is shown or done.
 *
 * @throws RequestError REQUEST_INVALID when nothing is selected, or an extension or verification says nothing
 */
export function checkBulk(ids: readonly string[], action: BulkAction, note: string): void {
  if (!ids.length) throw new RequestError("REQUEST_INVALID", "Select at least one request.");
  if (action === "extend" && note.trim().length < 3)
    throw new RequestError("REQUEST_INVALID", "Give the reason for the extension: the requester is told it.");
  if (action === "verify" && note.trim().length < 3)
    throw new RequestError("REQUEST_INVALID", "Say how the people were verified.");
}

/**
 * Does the action on each request.
 *
 * @returns how many changed, and the references of those that could not be, with why
 */
export async function bulkUpdate(
  ctx: RequestsContext,
  ids: readonly string[],
  action: BulkAction,
  input: { assignee?: string; note: string },
  by: Principal,
): Promise<{ changed: number; failed: { reference: string; reason: string }[] }> {
  checkBulk(ids, action, input.note);
  if (action === "assign" || action === "unassign")
    return {
      changed: await assignRequests(ctx, ids, action === "assign" ? (input.assignee ?? "") : null, by),
      failed: [],
    };
  const failed: { reference: string; reason: string }[] = [];
  let changed = 0;
  for (const id of ids) {
    const r = await getRequest(ctx, id);
    try {
      if (action === "extend") await extendDeadline(ctx, id, input.note.trim(), by);
      else await verifyByStaff(ctx, id, input.note.trim(), by);
      changed++;
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      failed.push({ reference: r.reference, reason: err.message });
    }
  }
  return { changed, failed };
}
