/** Sign-up, login and account forms: shared zod schemas (isomorphic). */
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;

export const email = z
  .string({ error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "That email address is too long")
  .pipe(z.email("Enter a valid email address, like you@example.com"))
  .transform((value) => value.toLowerCase());

export const newPassword = z
  .string({ error: "Choose a password" })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Use at most 200 characters");

export const SignUpInput = z.object({
  email,
  password: newPassword,
  name: z.string().trim().max(100, "At most 100 characters").optional(),
});

export const LoginInput = z.object({
  email,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(200),
});

export const TokenInput = z.object({ token: z.string().trim().min(1, "The link is incomplete").max(200) });

export const ResetPasswordInput = TokenInput.extend({ password: newPassword });

export const ForgotPasswordInput = z.object({ email });

export const UpdateProfileInput = z.object({ name: z.string().trim().max(100, "At most 100 characters") });

export const ChangeEmailInput = z.object({ email, currentPassword: z.string().max(200).optional() });

export const ChangePasswordInput = z.object({
  currentPassword: z.string().max(200).optional(),
  newPassword,
});

export const CreateApiTokenInput = z.object({
  name: z.string().trim().min(1, "Name the token (e.g. the script using it)").max(100, "At most 100 characters"),
});

export const IdInput = z.object({ id: z.string().trim().min(1).max(64) });
