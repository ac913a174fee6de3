// The revision process's API types, from the generated OpenAPI types.

import type { components } from './api.gen';

type S = components['schemas'];
export type PhaseView = S['PhaseView'];
export type PublicProposal = S['PublicProposal'];
export type PublicProposals = S['PublicProposals'];
export type Tracked = S['Tracked'];
export type Proposed = S['Proposed'];
export type ManagedProposal = S['ManagedProposal'];
export type ProposalDecision = S['Decision'];
export type PublicCard = S['PublicCard'];
export type PublicMeeting = S['PublicMeeting'];
export type RoundView = S['RoundView'];
export type ScoreResult = S['ScoreResult'];
