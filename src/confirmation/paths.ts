/** Where emailed links point. Views read them as `paths.confirmation.*`. */
export const confirmationPaths = {
  link: "/confirm/:key",
  resend: "/confirm/:key/resend",
} as const;
