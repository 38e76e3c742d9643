// Every workflow the worker registers. Each outreach kind adds its export here.
export { doctorProbe } from './doctor-probe';
export { deliverMessage } from './deliver-message';
export { appointmentReminder } from './appointment-reminder';
export { courtesyMessage } from './courtesy-message';
