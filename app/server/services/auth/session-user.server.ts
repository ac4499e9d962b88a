/** The signed-in user, as every request sees it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
}

export const sessionUserSelect = { id: true, email: true, name: true, emailVerified: true } as const;

/** Who a session or API token belongs to, and when they last changed anything (read routing). */
export type CallerUser = SessionUser & { lastWriteAt: Date | null };
