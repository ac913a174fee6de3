// The meetings API's types, from the generated OpenAPI types (api.gen.ts).

import type { components } from './api.gen';

type S = components['schemas'];
export type BodyMeetings = S['BodyMeetings'];
export type MeetingSummary = S['MeetingSummary'];
export type MeetingView = S['MeetingView'];
export type AttendanceRow = S['AttendanceRow'];
export type Attendance = S['Attendance'];
export type Titles = S['Titles'];
export type DecisionKind = S['DecisionKind'];
export type MyAction = S['MyAction'];
export type PlanBody = S['PlanBody'];
