export interface Organisation {
  id: string;
  slug: string;
  name: string;
  requireConsent: boolean;
  privacyPolicyUrl: string | undefined;
}

export interface OrganisationConsentRecord {
  organisation: Organisation;
  grantedAt: Date;
}

export interface SignInRecord {
  clientId: string;
  clientName: string;
  firstAt: Date;
  lastAt: Date;
  count: number;
}
