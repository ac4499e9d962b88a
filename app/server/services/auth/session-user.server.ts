/** The signed-in user, as every request sees it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
}

export const sessionUserSelect = { id: true, email: true, name: true, emailVerified: true } as const;
