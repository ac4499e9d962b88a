/**
 * An error the operator can fix (bad configuration, unreachable database). `main`
 * prints its message as one line and exits non-zero, without a stack trace.
 */
export class StartupError extends Error {
  override name = "StartupError";
}
