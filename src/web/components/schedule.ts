/**
 * A cron schedule in words for staff ("At 04:00, only on Monday"), by cronstrue; the expression itself only when it
 * cannot be read.
 */
import cronstrue from "cronstrue";

export function scheduleWords(cron: string, zone = "UTC"): string {
  try {
    return `${cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false })} ${zone}`;
  } catch {
    return `${cron} (${zone})`;
  }
}
