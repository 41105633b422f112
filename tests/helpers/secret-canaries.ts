/**
 * Server secrets with values no client code could produce by chance: the browser tests' production build
 * is made with them in its environment, as a careless deployment would have them, so finding one in a client
 * chunk means it leaked (tests/e2e/client-bundle.test.ts).
 */
export const secretCanaries = {
  SUPABASE_SERVICE_ROLE_KEY: 'canary-service-role-key-7f3a9c1e5b2d4680',
  SUPABASE_JWT_SECRET: 'canary-jwt-secret-0b8e2f6a4c9d1357-at-least-32-characters',
  BETTER_AUTH_SECRET: 'canary-better-auth-secret-5d1c9e7a3f2b8046-32-characters',
  AI_API_KEY: 'canary-ai-api-key-2e4f6a8c0b1d3579',
  OPENAI_API_KEY: 'sk-canary-openai-4a6c8e0f2b4d6813',
  ANTHROPIC_API_KEY: 'sk-ant-canary-anthropic-9c7e5a3f1d2b4680',
};
