/**
 * remix-auth-github's strategy, with GitHub's endpoints configurable: its client is
 * hard-wired to github.com, and tests (and GitHub Enterprise) need other hosts.
 */
import { OAuth2Client, type OAuth2Tokens } from "arctic";
import { GitHubStrategy } from "remix-auth-github";

export interface GitHubEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
}

export class ConfigurableGitHubStrategy<User> extends GitHubStrategy<User> {
  constructor(
    options: GitHubStrategy.ConstructorOptions & GitHubEndpoints,
    verify: ConstructorParameters<typeof GitHubStrategy<User>>[1],
  ) {
    super(options, verify);
    const oauth = new OAuth2Client(options.clientId, options.clientSecret, options.redirectURI.toString());
    // Same two calls the strategy makes on its GitHub client, aimed at our endpoints.
    this.client = {
      createAuthorizationURL: (state: string, scopes: string[]) =>
        oauth.createAuthorizationURL(options.authorizeUrl, state, scopes),
      validateAuthorizationCode: (code: string): Promise<OAuth2Tokens> =>
        oauth.validateAuthorizationCode(options.tokenUrl, code, null),
      refreshAccessToken: (refreshToken: string) => oauth.refreshAccessToken(options.tokenUrl, refreshToken, []),
    } as unknown as typeof this.client;
  }
}
