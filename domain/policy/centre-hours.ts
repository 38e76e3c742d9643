import type { CentreHours } from './rules-schema';
import type { Channel, Purpose } from './vocabulary';
import { compileSchedule, type WeeklySchedule } from './weekly-schedule';

const compiled = new WeakMap<CentreHours, WeeklySchedule>();

/** Staffed hours on the centre's own wall clock: closed on its holidays, special days as configured. */
export function centreSchedule(centreHours: CentreHours): WeeklySchedule {
  let schedule = compiled.get(centreHours);
  if (schedule === undefined) {
    schedule = compileSchedule({
      windows: centreHours.windows,
      closedOn: centreHours.holidays,
      specialDays: centreHours.specialDays,
    });
    compiled.set(centreHours, schedule);
  }
  return schedule;
}

/** A touch that puts an agent on the line needs the centre staffed as well as the customer's window. */
export function needsCentreHours(
  centreHours: CentreHours,
  touch: { channel: Channel; purpose: Purpose; needsAgent?: boolean | undefined },
): boolean {
  if (touch.needsAgent !== undefined) return touch.needsAgent;
  return (
    centreHours.requiredFor.channels.includes(touch.channel) &&
    centreHours.requiredFor.purposes.includes(touch.purpose)
  );
}
