// Every workflow the worker registers. Each outreach kind adds its export here.
export { doctorProbe } from './doctor-probe';
export { deliverMessage } from './deliver-message';
export { abandonedCallCallback } from './abandoned-call-callback';
export { surveyRescue } from './survey-rescue';
export { appointmentReminder } from './appointment-reminder';
export { courtesyMessage } from './courtesy-message';
export { callbackDispatcher } from './callback-dispatcher';
