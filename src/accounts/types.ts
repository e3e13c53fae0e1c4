export interface Account {
  id: string;
  name: string;
  createdAt: Date;
  primaryEmail: { address: string; verified: boolean } | undefined;
}

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
}
