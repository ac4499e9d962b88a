/** Where the end-to-end run's servers listen (all on 127.0.0.1). */
export const E2E = {
  appPort: Number(process.env.E2E_PORT ?? 3100),
  smtpPort: Number(process.env.E2E_SMTP_PORT ?? 3125),
  mailApiPort: Number(process.env.E2E_MAIL_PORT ?? 3126),
  gitHubPort: Number(process.env.E2E_GITHUB_PORT ?? 3127),
  /** UDP: the DNS server custom domains are verified against; its control API is HTTP. */
  dnsPort: Number(process.env.E2E_DNS_PORT ?? 3128),
  dnsControlPort: Number(process.env.E2E_DNS_CONTROL_PORT ?? 3129),
  gitHubUser: { id: 4242, login: "octocat-e2e", name: "Octo Cat", email: "octocat-e2e@example.test" },
};

export const mailApiUrl = `http://127.0.0.1:${E2E.mailApiPort}`;
export const dnsControlUrl = `http://127.0.0.1:${E2E.dnsControlPort}`;
